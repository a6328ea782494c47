#include "openaistreamdecoder.h"

#include "openaiwire.h"
#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

void OpenAiStreamDecoder::onEvent(const SseEvent &e, QList<ChatEvent> &out)
{
    if (e.isDone())
        return complete(out);
    onData(e.data, out);
}

void OpenAiStreamDecoder::onBody(const QByteArray &body, QList<ChatEvent> &out)
{
    if (!QJsonDocument::fromJson(body).isObject())
        return fail(out,
                    ProviderError::fault(QStringLiteral("the provider sent a response that is not "
                                                        "JSON")));
    m_whole = true;
    onData(body, out);
    if (!ended())
        onEnd(out);
}

void OpenAiStreamDecoder::onEnd(QList<ChatEvent> &out)
{
    if (!m_finishSeen)
        return fail(out, ProviderError::fault(QStringLiteral("the provider's stream ended before "
                                                             "the answer was complete")));
    complete(out);
}

void OpenAiStreamDecoder::onData(const QByteArray &data, QList<ChatEvent> &out)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &pe);
    if (!doc.isObject())
        return fail(
            out, ProviderError::fault(
                     QStringLiteral("the provider sent malformed data: %1").arg(pe.errorString())));
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1StringView("error"))) // after HTTP 200 (overload, content policy)
        return fail(out, ProviderError::reported(OpenAiWire::errorBody(data)));
    const QJsonArray choices = o.value(QLatin1StringView("choices")).toArray();
    // Azure and some proxies send annotation chunks with no choices: only usage may be there.
    for (const QJsonValue &c : choices) {
        const QJsonObject choice = c.toObject();
        if (choice.value(QLatin1StringView("index")).toInt(0) == 0)
            onChoice(choice, out, m_whole);
    }
    const QJsonObject usage = o.value(QLatin1StringView("usage")).toObject();
    if (!usage.isEmpty())
        m_usage = OpenAiWire::usage(usage);
}

void OpenAiStreamDecoder::onChoice(const QJsonObject &choice, QList<ChatEvent> &out, bool whole)
{
    const QJsonObject delta =
        choice.value(whole ? QLatin1StringView("message") : QLatin1StringView("delta")).toObject();
    // Reasoning text from compatible servers: reasoning_content (DeepSeek, vLLM) or reasoning
    // (OpenRouter, gpt-oss backends). OpenAI's own models return none.
    for (const char *key : {"reasoning_content", "reasoning"}) {
        const QString thinking = delta.value(QLatin1StringView(key)).toString();
        if (!thinking.isEmpty()) {
            out.append(ChatEvent::thinkingDelta(thinking));
            break;
        }
    }
    QString text = delta.value(QLatin1StringView("content")).toString();
    if (text.isEmpty()) // the Completions endpoint (fill-in-the-middle): choices[].text
        text = choice.value(QLatin1StringView("text")).toString();
    m_heldLogprobs += OpenAiWire::logprobs(choice.value(QLatin1StringView("logprobs")).toObject());
    const qsizetype before = out.size();
    if (!text.isEmpty())
        content(text, out);
    attachLogprobs(out, before);
    const QJsonArray calls = delta.value(QLatin1StringView("tool_calls")).toArray();
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject c = calls[i].toObject();
        const int index = c.value(QLatin1StringView("index")).toInt(int(i));
        PartialCall &p = m_calls[index];
        if (const QString id = c.value(QLatin1StringView("id")).toString(); !id.isEmpty())
            p.id = id;
        const QJsonObject fn = c.value(QLatin1StringView("function")).toObject();
        if (const QString name = fn.value(QLatin1StringView("name")).toString(); !name.isEmpty())
            p.name = name;
        const QJsonValue args = fn.value(QLatin1StringView("arguments"));
        if (args.isString())
            p.arguments += args.toString();
        else if (args.isObject()) // some servers send objects; take them as they are
            p.arguments =
                QString::fromUtf8(QJsonDocument(args.toObject()).toJson(QJsonDocument::Compact));
    }
    const QJsonValue reason = choice.value(QLatin1StringView("finish_reason"));
    if (reason.isString()) {
        m_finishSeen = true;
        m_finish = OpenAiWire::finishReason(reason.toString());
        flushToolCalls(out);
    }
}

void OpenAiStreamDecoder::attachLogprobs(QList<ChatEvent> &out, qsizetype from)
{
    if (m_heldLogprobs.isEmpty())
        return;
    for (qsizetype i = from; i < out.size(); ++i) {
        if (out[i].type == ChatEvent::Type::Text) {
            out[i].logprobs = std::move(m_heldLogprobs);
            m_heldLogprobs.clear();
            return;
        }
    }
}

void OpenAiStreamDecoder::content(const QString &text, QList<ChatEvent> &out)
{
    static const QString open = QStringLiteral("<think>");
    static const QString close = QStringLiteral("</think>");
    if (m_think == Think::Done) {
        out.append(ChatEvent::textDelta(text));
        return;
    }
    m_pending += text;
    if (m_think == Think::Undecided) {
        const QString head = m_pending.trimmed();
        if (head.size() < open.size() && open.startsWith(head))
            return; // could still become "<think>"
        if (!head.startsWith(open)) {
            m_think = Think::Done;
            out.append(ChatEvent::textDelta(m_pending));
            m_pending.clear();
            return;
        }
        m_think = Think::Inside;
        m_pending = m_pending.mid(m_pending.indexOf(open) + open.size());
    }
    const qsizetype end = m_pending.indexOf(close);
    if (end >= 0) {
        if (end > 0)
            out.append(ChatEvent::thinkingDelta(m_pending.left(end)));
        QString rest = m_pending.mid(end + close.size());
        while (!rest.isEmpty() && rest.front().isSpace())
            rest.remove(0, 1);
        m_pending.clear();
        m_think = Think::Done;
        if (!rest.isEmpty())
            out.append(ChatEvent::textDelta(rest));
        return;
    }
    // Keep back only what might be the start of "</think>".
    qsizetype keep = 0;
    for (qsizetype n = qMin(close.size() - 1, m_pending.size()); n > 0; --n) {
        if (close.startsWith(QStringView(m_pending).right(n))) {
            keep = n;
            break;
        }
    }
    if (m_pending.size() > keep) {
        out.append(ChatEvent::thinkingDelta(m_pending.left(m_pending.size() - keep)));
        m_pending = m_pending.right(keep);
    }
}

void OpenAiStreamDecoder::flushToolCalls(QList<ChatEvent> &out)
{
    for (auto it = m_calls.cbegin(); it != m_calls.cend(); ++it) {
        const PartialCall &p = it.value();
        QJsonObject args;
        if (!p.arguments.trimmed().isEmpty()) {
            QJsonParseError pe;
            const QJsonDocument doc = QJsonDocument::fromJson(p.arguments.toUtf8(), &pe);
            if (!doc.isObject()) {
                // Worded before clear(): p refers into m_calls.
                const ChatFailure failure = ProviderError::fault(
                    QStringLiteral("the model returned invalid arguments for tool '%1': %2")
                        .arg(p.name, p.arguments.left(200)));
                m_calls.clear();
                return fail(out, failure);
            }
            args = doc.object();
        }
        ToolCall call;
        call.id = p.id.isEmpty() ? QStringLiteral("call_%1").arg(m_emittedCalls) : p.id;
        call.name = p.name;
        call.arguments = args;
        call.index = m_emittedCalls++;
        out.append(ChatEvent::call(call));
    }
    m_calls.clear();
}

void OpenAiStreamDecoder::complete(QList<ChatEvent> &out)
{
    if (!m_pending.isEmpty()) { // an answer shorter than "<think>", or an unclosed tag
        out.append(m_think == Think::Inside ? ChatEvent::thinkingDelta(m_pending)
                                            : ChatEvent::textDelta(m_pending));
        m_pending.clear();
        attachLogprobs(out, out.size() - 1);
    }
    flushToolCalls(out);
    if (ended())
        return;
    end();
    if (m_usage.promptTokens >= 0 || m_usage.completionTokens >= 0)
        out.append(m_usage);
    out.append(ChatEvent::finished(m_finish));
}

} // namespace gw
