#include "ollamastreamdecoder.h"

#include "ollamawire.h"
#include "providers/logprobwire.h"
#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace gw {

QList<ChatEvent> OllamaStreamDecoder::feed(const QByteArray &bytes)
{
    QList<ChatEvent> out;
    for (const QByteArray &line : m_lines.feed(bytes)) {
        if (m_ended)
            break;
        onLine(line, out);
    }
    if (m_lines.hasError() && !m_ended) {
        out.append(ChatEvent::error(ProviderError::fault(m_lines.errorString())));
        m_ended = true;
    }
    return out;
}

QList<ChatEvent> OllamaStreamDecoder::finish()
{
    QList<ChatEvent> out;
    for (const QByteArray &line : m_lines.finish())
        if (!m_ended)
            onLine(line, out);
    if (!m_ended) {
        out.append(ChatEvent::error(ProviderError::fault(
            QStringLiteral("the provider's stream ended before the answer was complete"))));
        m_ended = true;
    }
    return out;
}

void OllamaStreamDecoder::onLine(const QByteArray &line, QList<ChatEvent> &out)
{
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject()) {
        out.append(ChatEvent::error(
            ProviderError::fault(QStringLiteral("the provider sent malformed data"))));
        m_ended = true;
        return;
    }
    const QJsonObject o = doc.object();
    if (o.contains(QLatin1StringView("error"))) {
        out.append(ChatEvent::error(ProviderError::reported(OllamaWire::errorBody(line))));
        m_ended = true;
        return;
    }
    const QJsonObject msg = o.value(QLatin1StringView("message")).toObject();
    const QString thinking = msg.value(QLatin1StringView("thinking"))
                                 .toString(o.value(QLatin1StringView("thinking")).toString());
    if (!thinking.isEmpty())
        out.append(ChatEvent::thinkingDelta(thinking));
    const QString content = msg.value(QLatin1StringView("content"))
                                .toString(o.value(QLatin1StringView("response")).toString());
    if (!content.isEmpty())
        out.append(ChatEvent::textDelta(
            content, tokenLogprobs(o.value(QLatin1StringView("logprobs")).toArray())));
    for (const QJsonValue &cv : msg.value(QLatin1StringView("tool_calls")).toArray()) {
        const QJsonObject c = cv.toObject();
        const QJsonObject fn = c.value(QLatin1StringView("function")).toObject();
        ToolCall call;
        call.id = c.value(QLatin1StringView("id")).toString(QStringLiteral("call_%1").arg(m_calls));
        call.name = fn.value(QLatin1StringView("name")).toString();
        call.arguments = fn.value(QLatin1StringView("arguments")).toObject();
        call.index = m_calls++;
        out.append(ChatEvent::call(call));
    }
    if (o.value(QLatin1StringView("done")).toBool()) {
        m_ended = true;
        // Ollama reports no cache or reasoning counts (eval_count includes the thinking).
        out.append(ChatEvent::usage(o.value(QLatin1StringView("prompt_eval_count")).toInteger(-1),
                                    o.value(QLatin1StringView("eval_count")).toInteger(-1)));
        const QString reason = o.value(QLatin1StringView("done_reason")).toString();
        out.append(ChatEvent::finished(reason == u"length" ? FinishReason::Length
                                       : m_calls > 0       ? FinishReason::ToolCalls
                                                           : FinishReason::Stop));
    }
}

} // namespace gw
