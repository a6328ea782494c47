#include "tgistreamdecoder.h"

#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw {

void TgiStreamDecoder::onEvent(const SseEvent &e, QList<ChatEvent> &out)
{
    onObject(QJsonDocument::fromJson(e.data).object(), out);
}

void TgiStreamDecoder::onBody(const QByteArray &body, QList<ChatEvent> &out)
{
    // /generate answers {"generated_text", "details"} (older servers: an array of them)
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonObject o = doc.isArray() ? doc.array().first().toObject() : doc.object();
    if (!o.contains(QLatin1StringView("error"))) {
        const QString text = o.value(QLatin1StringView("generated_text")).toString();
        if (!text.isEmpty())
            out.append(ChatEvent::textDelta(text));
    }
    QJsonObject last = o;
    last.remove(QStringLiteral("token"));
    if (!last.contains(QLatin1StringView("details")))
        last.insert(QStringLiteral("details"),
                    QJsonObject{{QStringLiteral("finish_reason"), QStringLiteral("eos_token")}});
    last.insert(QStringLiteral("generated_text"), QString()); // already emitted
    onObject(last, out);
}

void TgiStreamDecoder::onEnd(QList<ChatEvent> &out)
{
    fail(out, ProviderError::fault(
                  QStringLiteral("the provider's stream ended before the answer was complete")));
}

void TgiStreamDecoder::onObject(const QJsonObject &o, QList<ChatEvent> &out)
{
    if (o.contains(QLatin1StringView("error"))) {
        // {"error":"...","error_type":"generation|validation|overloaded|incomplete_generation"}
        UpstreamErrorBody b;
        b.message = o.value(QLatin1StringView("error")).toString();
        b.type = o.value(QLatin1StringView("error_type")).toString();
        return fail(out, ProviderError::reported(b));
    }
    const QJsonObject token = o.value(QLatin1StringView("token")).toObject();
    if (!token.value(QLatin1StringView("special")).toBool()) {
        const QString text = token.value(QLatin1StringView("text")).toString();
        if (!text.isEmpty())
            out.append(ChatEvent::textDelta(text));
    }
    const QJsonObject details = o.value(QLatin1StringView("details")).toObject();
    if (!details.isEmpty()) {
        end();
        out.append(
            ChatEvent::usage(details.value(QLatin1StringView("input_length")).toInteger(-1),
                             details.value(QLatin1StringView("generated_tokens")).toInteger(-1)));
        out.append(ChatEvent::finished(
            details.value(QLatin1StringView("finish_reason")).toString() == u"length"
                ? FinishReason::Length
                : FinishReason::Stop));
    }
}

} // namespace gw
