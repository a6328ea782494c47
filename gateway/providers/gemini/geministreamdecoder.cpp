#include "geministreamdecoder.h"

#include "geminiwire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace gw {

QList<ChatEvent> GeminiStreamDecoder::feed(const QByteArray &bytes)
{
    QList<ChatEvent> out;
    if (m_ended)
        return out;
    if (!m_sawEvent && m_raw.size() < 256 * 1024)
        m_raw += bytes;
    if (m_json)
        return out;
    for (const SseEvent &e : m_sse.feed(bytes)) {
        m_sawEvent = true;
        const QJsonDocument doc = QJsonDocument::fromJson(e.data);
        if (!doc.isObject()) {
            out.append(ChatEvent::error(502, QStringLiteral("the provider sent malformed data")));
            m_ended = true;
            return out;
        }
        onChunk(doc.object(), out);
        if (m_ended)
            return out;
    }
    return out;
}

QList<ChatEvent> GeminiStreamDecoder::finish()
{
    QList<ChatEvent> out;
    if (m_ended)
        return out;
    for (const SseEvent &e : m_sse.finish()) {
        m_sawEvent = true;
        onChunk(QJsonDocument::fromJson(e.data).object(), out);
        if (m_ended)
            return out;
    }
    if (!m_sawEvent) {
        // Not SSE: one JSON response (generateContent), an array of them (no alt=sse), or a
        // bare error object.
        const QJsonDocument doc = QJsonDocument::fromJson(m_raw);
        const QJsonArray chunks = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
        for (const QJsonValue &c : chunks) {
            onChunk(c.toObject(), out);
            if (m_ended)
                return out;
        }
    }
    m_ended = true;
    if (m_reason.isEmpty()) {
        out.append(ChatEvent::error(
            502, QStringLiteral("the provider's stream ended before the answer was complete")));
        return out;
    }
    if (GeminiWire::isBlocked(m_reason) && !m_output) {
        out.append(ChatEvent::error(
            400, QStringLiteral("the provider blocked the answer (%1)").arg(m_reason)));
        return out;
    }
    if (m_reason == u"MALFORMED_FUNCTION_CALL" && !m_output) {
        out.append(
            ChatEvent::error(502, QStringLiteral("the model produced a malformed function call")));
        return out;
    }
    if (m_prompt >= 0 || m_completion >= 0)
        out.append(ChatEvent::usage(m_prompt, m_completion));
    out.append(ChatEvent::finished(GeminiWire::finishReason(m_reason, m_calls > 0)));
    return out;
}

void GeminiStreamDecoder::onChunk(const QJsonObject &chunk, QList<ChatEvent> &out)
{
    if (chunk.contains(QLatin1StringView("error"))) {
        const auto [message, code] =
            GeminiWire::error(QJsonDocument(chunk).toJson(QJsonDocument::Compact));
        out.append(ChatEvent::error(502, message));
        m_ended = true;
        return;
    }
    const QJsonObject feedback = chunk.value(QLatin1StringView("promptFeedback")).toObject();
    const QJsonArray candidates = chunk.value(QLatin1StringView("candidates")).toArray();
    if (candidates.isEmpty() && feedback.contains(QLatin1StringView("blockReason"))) {
        out.append(ChatEvent::error(
            400, QStringLiteral("the provider blocked the prompt (%1)")
                     .arg(feedback.value(QLatin1StringView("blockReason")).toString())));
        m_ended = true;
        return;
    }
    const QJsonObject usage = chunk.value(QLatin1StringView("usageMetadata")).toObject();
    if (!usage.isEmpty()) {
        // Thoughts are counted apart from the visible answer; Ollama's eval_count has both.
        m_prompt = usage.value(QLatin1StringView("promptTokenCount")).toInteger() +
                   usage.value(QLatin1StringView("toolUsePromptTokenCount")).toInteger();
        m_completion = usage.value(QLatin1StringView("candidatesTokenCount")).toInteger() +
                       usage.value(QLatin1StringView("thoughtsTokenCount")).toInteger();
    }
    if (candidates.isEmpty())
        return;
    const QJsonObject cand = candidates.first().toObject();
    for (const QJsonValue &pv : cand.value(QLatin1StringView("content"))
                                    .toObject()
                                    .value(QLatin1StringView("parts"))
                                    .toArray()) {
        const QJsonObject part = pv.toObject();
        if (part.contains(QLatin1StringView("functionCall"))) {
            const QJsonObject fc = part.value(QLatin1StringView("functionCall")).toObject();
            ToolCall call;
            call.id = fc.value(QLatin1StringView("id")).toString();
            if (call.id.isEmpty()) // short: OpenAI clients cap ids at 40 characters
                call.id =
                    QStringLiteral("call_") + QUuid::createUuid().toString(QUuid::Id128).left(24);
            call.name = fc.value(QLatin1StringView("name")).toString();
            call.arguments = fc.value(QLatin1StringView("args")).toObject();
            call.index = m_calls++;
            const QString signature = part.value(QLatin1StringView("thoughtSignature")).toString();
            if (m_signatures && !signature.isEmpty())
                m_signatures->put(call.id, QJsonArray{signature});
            out.append(ChatEvent::call(call));
            m_output = true;
            continue;
        }
        const QString text = part.value(QLatin1StringView("text")).toString();
        if (text.isEmpty())
            continue; // e.g. a part that only carries a signature
        m_output = true;
        out.append(part.value(QLatin1StringView("thought")).toBool()
                       ? ChatEvent::thinkingDelta(text)
                       : ChatEvent::textDelta(text));
    }
    if (const QString reason = cand.value(QLatin1StringView("finishReason")).toString();
        !reason.isEmpty())
        m_reason = reason;
}

} // namespace gw
