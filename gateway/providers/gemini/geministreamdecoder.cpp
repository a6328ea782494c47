#include "geministreamdecoder.h"

#include "geminiwire.h"
#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <utility>

namespace gw {

void GeminiStreamDecoder::onEvent(const SseEvent &e, QList<ChatEvent> &out)
{
    const QJsonDocument doc = QJsonDocument::fromJson(e.data);
    if (!doc.isObject())
        return fail(out, ProviderError::fault(QStringLiteral("the provider sent malformed data")));
    onChunk(doc.object(), out);
}

void GeminiStreamDecoder::onBody(const QByteArray &body, QList<ChatEvent> &out)
{
    // Not SSE: one JSON response (generateContent), an array of them (no alt=sse), or a bare
    // error object.
    m_fromBody = true;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonArray chunks = doc.isArray() ? doc.array() : QJsonArray{doc.object()};
    for (const QJsonValue &c : chunks) {
        onChunk(c.toObject(), out);
        if (ended())
            return;
    }
    onEnd(out);
}

void GeminiStreamDecoder::onEnd(QList<ChatEvent> &out)
{
    if (!sawEvent() && !m_fromBody)
        return onBody(unframed(), out);
    if (m_reason.isEmpty())
        return fail(out, ProviderError::fault(QStringLiteral("the provider's stream ended before "
                                                             "the answer was complete")));
    if (GeminiWire::isBlocked(m_reason) && !m_output)
        return fail(out, blocked(QStringLiteral("answer")));
    if (m_reason == u"MALFORMED_FUNCTION_CALL" && !m_output)
        return fail(out, ProviderError::fault(
                             QStringLiteral("the model produced a malformed function call")));
    end();
    if (m_usage.promptTokens >= 0 || m_usage.completionTokens >= 0)
        out.append(m_usage);
    out.append(ChatEvent::finished(GeminiWire::finishReason(m_reason, m_calls > 0)));
}

ChatFailure GeminiStreamDecoder::blocked(const QString &what) const
{
    ChatFailure f =
        ProviderError::fault(QStringLiteral("the provider blocked the %1 (%2)").arg(what, m_reason),
                             FailureCause::ContentFiltered);
    f.upstreamCode = m_reason;
    return f;
}

void GeminiStreamDecoder::onChunk(const QJsonObject &chunk, QList<ChatEvent> &out)
{
    if (chunk.contains(QLatin1StringView("error")))
        return fail(out, ProviderError::reported(GeminiWire::errorBody(chunk)));
    const QJsonObject feedback = chunk.value(QLatin1StringView("promptFeedback")).toObject();
    const QJsonArray candidates = chunk.value(QLatin1StringView("candidates")).toArray();
    if (candidates.isEmpty() && feedback.contains(QLatin1StringView("blockReason"))) {
        m_reason = feedback.value(QLatin1StringView("blockReason")).toString();
        return fail(out, blocked(QStringLiteral("prompt")));
    }
    const QJsonObject usage = chunk.value(QLatin1StringView("usageMetadata")).toObject();
    if (!usage.isEmpty())
        m_usage = GeminiWire::usage(usage); // each chunk's is the total so far
    if (candidates.isEmpty())
        return;
    const QJsonObject cand = candidates.first().toObject();
    QList<Logprob> logprobs =
        GeminiWire::logprobs(cand.value(QLatin1StringView("logprobsResult")).toObject());
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
        const bool thought = part.value(QLatin1StringView("thought")).toBool();
        out.append(thought ? ChatEvent::thinkingDelta(text) : ChatEvent::textDelta(text));
        // The chunk's tokens (logprobsResult) go with its first text.
        if (!thought && !logprobs.isEmpty())
            out.last().logprobs = std::exchange(logprobs, {});
    }
    if (const QString reason = cand.value(QLatin1StringView("finishReason")).toString();
        !reason.isEmpty())
        m_reason = reason;
}

} // namespace gw
