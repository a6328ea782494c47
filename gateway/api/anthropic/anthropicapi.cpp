#include "anthropicapi.h"

#include "anthropicdecoder.h"
#include "anthropicencoder.h"
#include "anthropicstream.h"
#include "http/responder.h"

namespace gw {

static const QByteArray kJson = QByteArrayLiteral("application/json");
static const QString kDialect = QStringLiteral("anthropic");

AnthropicApi::AnthropicApi(ChatBackend &backend) : m_backend(backend) {}

Dialect AnthropicApi::dialect()
{
    const auto path = [this](const char *p,
                             void (AnthropicApi::*fn)(const HttpRequest &, Responder *)) {
        return Route{{"POST"},
                     QString::fromLatin1(p),
                     false,
                     [this, fn](const HttpRequest &req, Responder *r) { (this->*fn)(req, r); }};
    };
    QList<Route> routes = {
        path("/v1/messages", &AnthropicApi::messages),
        path("/v1/messages/count_tokens", &AnthropicApi::countTokens),
    };
    const auto renderError = [](const ChatFailure &failure, const QString &message) {
        return RenderedError{kJson, AnthropicEncoder::error(failure.status, message)};
    };
    return {kDialect, {QStringLiteral("/v1/messages")}, std::move(routes), renderError};
}

void AnthropicApi::sendError(Responder *r, const ApiError &error)
{
    r->record().error = error.message;
    r->send(error.status, kJson, AnthropicEncoder::error(error.status, error.message));
}

std::optional<ModelInfo> AnthropicApi::route(const QString &model, Responder *r)
{
    RequestRecord &rec = r->record();
    rec.model = model;
    auto info = m_backend.findModel(model);
    if (!info) {
        sendError(r, {404, QStringLiteral("model: '%1' is not a model of this gateway (GET "
                                          "/v1/models lists them)")
                               .arg(model)});
        return std::nullopt;
    }
    rec.provider = info->provider;
    rec.upstreamModel = info->upstreamModel;
    return info;
}

void AnthropicApi::messages(const HttpRequest &req, Responder *r)
{
    r->record().dialect = kDialect;
    ApiError error;
    auto decoded = AnthropicDecoder::messages(req.body, error, m_limits);
    if (!decoded)
        return sendError(r, error);
    ChatRequest &cr = *decoded;
    r->record().streamed = cr.stream;
    const auto info = route(cr.model, r);
    if (!info)
        return;
    // Claude Code asks for thinking on nearly every request, whatever the model: a model that
    // cannot think answers without it rather than refusing (OpenAI refuses reasoning settings
    // on gpt-4o with a 400).
    if (!info->has(QStringLiteral("thinking"))) {
        cr.thinking = Thinking::Unset;
        cr.thinkingBudget = 0;
        cr.thinkingAdaptive = false;
    }
    if (!cr.tools.isEmpty() && !info->has(QStringLiteral("tools")))
        return sendError(
            r, {400, QStringLiteral("tools: model '%1' does not support tools").arg(cr.model)});
    if (!info->has(QStringLiteral("completion")))
        return sendError(r, {400, QStringLiteral("model: '%1' does not support chat (it is an "
                                                 "embedding model)")
                                      .arg(cr.model)});
    m_backend.touchModel(info->name, 300);
    const qint64 estimate = AnthropicEncoder::estimateTokens(cr);
    auto *stream = new AnthropicStream(r, cr.model, cr.stream, estimate, req.receivedNs);
    stream->run(m_backend.startChat(std::move(cr), r));
}

void AnthropicApi::countTokens(const HttpRequest &req, Responder *r)
{
    r->record().dialect = kDialect;
    ApiError error;
    const auto decoded = AnthropicDecoder::countTokens(req.body, error, m_limits);
    if (!decoded)
        return sendError(r, error);
    if (!route(decoded->model, r))
        return;
    const qint64 tokens = AnthropicEncoder::estimateTokens(*decoded);
    r->record().promptTokens = tokens;
    r->send(200, kJson, "{\"input_tokens\":" + QByteArray::number(tokens) + '}');
}

} // namespace gw
