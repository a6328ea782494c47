#include "openaistreamdecoder.h"

#include "openaiwire.h"
#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QVarLengthArray>

#include <simdjson.h>

#include <cstring>

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
    if (m_json == Json::Fast && !m_whole && onDataFast(data, out))
        return;
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
            onChoice(choiceOf(choice, m_whole), out);
    }
    const QJsonObject usage = o.value(QLatin1StringView("usage")).toObject();
    if (!usage.isEmpty())
        m_usage = OpenAiWire::usage(usage);
}

namespace {

// For an element whose type was checked.
simdjson::dom::object objectOf(simdjson::dom::element e)
{
    simdjson::dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS)
        return {};
    return o;
}
simdjson::dom::array arrayOf(simdjson::dom::element e)
{
    simdjson::dom::array a;
    if (e.get_array().get(a) != simdjson::SUCCESS)
        return {};
    return a;
}

// A value as QJsonDocument::fromJson would have made it (numbers: integers that fit qint64
// stay integers, the rest are doubles; a repeated key: the last one counts).
QJsonValue toQJson(simdjson::dom::element e)
{
    using simdjson::dom::element_type;
    switch (e.type()) {
    case element_type::OBJECT: {
        QJsonObject o;
        for (const simdjson::dom::key_value_pair kv : objectOf(e))
            o.insert(QString::fromUtf8(kv.key.data(), qsizetype(kv.key.size())), toQJson(kv.value));
        return o;
    }
    case element_type::ARRAY: {
        QJsonArray a;
        for (const simdjson::dom::element v : arrayOf(e))
            a.append(toQJson(v));
        return a;
    }
    case element_type::STRING: {
        std::string_view sv;
        if (e.get_string().get(sv) != simdjson::SUCCESS)
            return {};
        return QString::fromUtf8(sv.data(), qsizetype(sv.size()));
    }
    case element_type::INT64: {
        int64_t v = 0;
        if (e.get_int64().get(v) != simdjson::SUCCESS)
            return {};
        return qint64(v);
    }
    case element_type::UINT64: {
        uint64_t v = 0;
        if (e.get_uint64().get(v) != simdjson::SUCCESS)
            return {};
        return double(v);
    }
    case element_type::DOUBLE: {
        double v = 0;
        if (e.get_double().get(v) != simdjson::SUCCESS)
            return {};
        return v;
    }
    case element_type::BOOL: {
        bool v = false;
        if (e.get_bool().get(v) != simdjson::SUCCESS)
            return {};
        return v;
    }
    case element_type::NULL_VALUE:
        break;
    }
    return QJsonValue(QJsonValue::Null);
}

QString stringOf(simdjson::dom::element e) // QJsonValue::toString(): a string, or empty
{
    std::string_view sv;
    if (e.get_string().get(sv))
        return QString();
    return QString::fromUtf8(sv.data(), qsizetype(sv.size()));
}

constexpr qsizetype kFastJsonBytes = 16 * 1024; // chunks are a few hundred bytes

simdjson::dom::parser &parser()
{
    // One a thread: decoders on the same thread share its buffers (a parser grows to the
    // largest payload it has read). Deeper than 64 levels goes to QJsonDocument.
    thread_local simdjson::dom::parser p = [] {
        simdjson::dom::parser made(kFastJsonBytes);
        if (made.allocate(kFastJsonBytes, 64) != simdjson::SUCCESS)
            qFatal("simdjson: out of memory");
        return made;
    }();
    return p;
}

} // namespace

// The common chunk read without QJsonDocument. False (and nothing done) when the payload is
// left to the QJsonDocument path: not an object, an error object, anything simdjson refuses.
bool OpenAiStreamDecoder::onDataFast(const QByteArray &data, QList<ChatEvent> &out)
{
    // simdjson and QJsonDocument may differ on escaped surrogates (a lone one, a bad pair).
    // A byte-order mark: the same.
    // A payload past kFastJsonBytes too: the parser keeps buffers ~14 times the size of the
    // largest payload it has read, for the life of the thread.
    if (data.size() > kFastJsonBytes || data.startsWith('\xef'))
        return false;
    const char *const end = data.constData() + data.size();
    for (const char *p = data.constData();
         (p = static_cast<const char *>(std::memchr(p, '\\', size_t(end - p)))); ++p)
        if (end - p >= 3 && p[1] == 'u' && (p[2] | 0x20) == 'd')
            return false;
    simdjson::dom::element root;
    const bool padded = data.capacity() - data.size() >= qsizetype(simdjson::SIMDJSON_PADDING);
    if (parser().parse(data.constData(), size_t(data.size()), !padded).get(root) ||
        !root.is_object())
        return false;
    simdjson::dom::element choices, usage;
    bool hasChoices = false, hasUsage = false;
    for (const simdjson::dom::key_value_pair kv : objectOf(root)) {
        if (kv.key == "error")
            return false;
        if (kv.key == "choices") {
            choices = kv.value;
            hasChoices = true;
        } else if (kv.key == "usage") {
            usage = kv.value;
            hasUsage = true;
        }
    }
    // Read everything first: what is done below cannot be undone.
    QVarLengthArray<Choice, 1> read;
    if (hasChoices && choices.is_array()) {
        for (const simdjson::dom::element c : arrayOf(choices)) {
            if (!c.is_object())
                return false;
            Choice choice;
            bool zero = true; // index 0, or none
            simdjson::dom::element delta, reasoningContent, reasoning, text, logprobs, reason;
            bool hasDelta = false, hasRc = false, hasR = false, hasText = false,
                 hasLogprobs = false, hasReason = false;
            for (const simdjson::dom::key_value_pair kv : objectOf(c)) {
                if (kv.key == "index") {
                    int64_t i = 0;
                    if (kv.value.get_int64().get(i))
                        return false; // a double, a string…: QJsonValue::toInt decides
                    zero = i == 0 || qint64(int(i)) != i; // toInt(0): out of range is 0
                } else if (kv.key == "delta") {
                    delta = kv.value;
                    hasDelta = true;
                } else if (kv.key == "text") {
                    text = kv.value;
                    hasText = true;
                } else if (kv.key == "logprobs") {
                    logprobs = kv.value;
                    hasLogprobs = true;
                } else if (kv.key == "finish_reason") {
                    reason = kv.value;
                    hasReason = true;
                }
            }
            if (!zero)
                continue;
            if (hasDelta && delta.is_object()) {
                simdjson::dom::element content, calls;
                bool hasContent = false, hasCalls = false;
                for (const simdjson::dom::key_value_pair kv : objectOf(delta)) {
                    if (kv.key == "reasoning_content") {
                        reasoningContent = kv.value;
                        hasRc = true;
                    } else if (kv.key == "reasoning") {
                        reasoning = kv.value;
                        hasR = true;
                    } else if (kv.key == "content") {
                        content = kv.value;
                        hasContent = true;
                    } else if (kv.key == "tool_calls") {
                        calls = kv.value;
                        hasCalls = true;
                    }
                }
                if (hasRc)
                    choice.thinking = stringOf(reasoningContent);
                if (choice.thinking.isEmpty() && hasR)
                    choice.thinking = stringOf(reasoning);
                if (hasContent)
                    choice.text = stringOf(content);
                if (hasCalls && calls.is_array())
                    choice.toolCalls = toQJson(calls).toArray();
            }
            if (choice.text.isEmpty() && hasText)
                choice.text = stringOf(text);
            if (hasLogprobs && logprobs.is_object())
                choice.logprobs = toQJson(logprobs).toObject();
            if (hasReason && reason.is_string()) // only a string counts
                choice.finishReason = stringOf(reason);
            read.append(std::move(choice));
        }
    }
    for (const Choice &choice : read)
        onChoice(choice, out);
    if (hasUsage && usage.is_object()) {
        const QJsonObject u = toQJson(usage).toObject();
        if (!u.isEmpty())
            m_usage = OpenAiWire::usage(u);
    }
    return true;
}

OpenAiStreamDecoder::Choice OpenAiStreamDecoder::choiceOf(const QJsonObject &choice, bool whole)
{
    Choice c;
    const QJsonObject delta =
        choice.value(whole ? QLatin1StringView("message") : QLatin1StringView("delta")).toObject();
    // Reasoning text from compatible servers: reasoning_content (DeepSeek, vLLM) or reasoning
    // (OpenRouter, gpt-oss backends). OpenAI's own models return none.
    for (const char *key : {"reasoning_content", "reasoning"}) {
        c.thinking = delta.value(QLatin1StringView(key)).toString();
        if (!c.thinking.isEmpty())
            break;
    }
    c.text = delta.value(QLatin1StringView("content")).toString();
    if (c.text.isEmpty()) // the Completions endpoint (fill-in-the-middle): choices[].text
        c.text = choice.value(QLatin1StringView("text")).toString();
    c.logprobs = choice.value(QLatin1StringView("logprobs")).toObject();
    c.toolCalls = delta.value(QLatin1StringView("tool_calls")).toArray();
    c.finishReason = choice.value(QLatin1StringView("finish_reason"));
    return c;
}

void OpenAiStreamDecoder::onChoice(const Choice &choice, QList<ChatEvent> &out)
{
    if (!choice.thinking.isEmpty())
        out.append(ChatEvent::thinkingDelta(choice.thinking));
    m_heldLogprobs += OpenAiWire::logprobs(choice.logprobs);
    const qsizetype before = out.size();
    if (!choice.text.isEmpty())
        content(choice.text, out);
    attachLogprobs(out, before);
    const QJsonArray &calls = choice.toolCalls;
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
    if (choice.finishReason.isString()) {
        m_finishSeen = true;
        m_finish = OpenAiWire::finishReason(choice.finishReason.toString());
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
