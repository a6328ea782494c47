#include "openaiapi.h"

#include "api/failuretext.h"

#include "http/responder.h"
#include "openaidecoder.h"
#include "openaiencoder.h"
#include "json/jsonwriter.h"

#include <QJsonArray>
#include <QPointer>

namespace gw {

static const QByteArray kJson = QByteArrayLiteral("application/json; charset=utf-8");
static const QLatin1StringView kModelsPrefix("/v1/models/");

OpenAiApi::OpenAiApi(ChatBackend &backend) : m_backend(backend) {}

Dialect OpenAiApi::dialect()
{
    const auto path = [this](QByteArrayList methods, const char *p,
                             void (OpenAiApi::*fn)(const HttpRequest &, Responder *),
                             bool prefix = false) {
        return Route{std::move(methods), QString::fromLatin1(p), prefix,
                     [this, fn](const HttpRequest &req, Responder *r) { (this->*fn)(req, r); }};
    };
    QList<Route> routes = {
        path({"POST"}, "/v1/chat/completions", &OpenAiApi::chatCompletions),
        path({"POST"}, "/v1/completions", &OpenAiApi::completions),
        path({"GET"}, "/v1/models", &OpenAiApi::models),
        // Model ids may contain '/' ("openai/gpt-4o"), so everything below the prefix is the id.
        path({"GET"}, "/v1/models/", &OpenAiApi::model, true),
        path({"POST"}, "/v1/embeddings", &OpenAiApi::embeddings),
        // The same without /v1: Copilot 0.37 posted to /chat/completions (ollama/ollama#14135).
        path({"POST"}, "/chat/completions", &OpenAiApi::chatCompletions),
        path({"POST"}, "/completions", &OpenAiApi::completions),
        path({"GET"}, "/models", &OpenAiApi::models),
        path({"GET"}, "/models/", &OpenAiApi::model, true),
        path({"POST"}, "/embeddings", &OpenAiApi::embeddings),
    };
    // Errors on the paths without /v1 are OpenAI's too, as their clients expect.
    return {QStringLiteral("openai"),
            {QStringLiteral("/v1/"), QStringLiteral("/chat/completions"),
             QStringLiteral("/completions"), QStringLiteral("/models"),
             QStringLiteral("/embeddings")},
            std::move(routes),
            &renderError};
}

RenderedError OpenAiApi::renderError(const ChatFailure &failure, const QString &message)
{
    const QByteArray code = failure.cause == FailureCause::RateLimited   ? "rate_limit_exceeded"
                            : failure.cause == FailureCause::KeyRejected ? "invalid_api_key"
                                                                         : QByteArray();
    return RenderedError{kJson, OpenAiEncoder::error(failure.status, message, code)};
}

void OpenAiApi::sendError(Responder *r, const ApiError &error, const QByteArray &code)
{
    r->record().error = error.message;
    r->send(error.status, kJson, OpenAiEncoder::error(error.status, error.message, code));
}

std::optional<ModelInfo> OpenAiApi::route(const QString &model, Responder *r)
{
    RequestRecord &rec = r->record();
    rec.model = model;
    auto info = m_backend.findModel(model);
    if (!info) {
        sendError(r,
                  {404, QStringLiteral("The model '%1' does not exist or you do not have access "
                                       "to it.")
                            .arg(model)},
                  "model_not_found");
        return std::nullopt;
    }
    rec.provider = info->provider;
    rec.upstreamModel = info->upstreamModel;
    return info;
}

void OpenAiApi::chatCompletions(const HttpRequest &req, Responder *r)
{
    runModel(OpenAiStream::Kind::Chat, req, r);
}

void OpenAiApi::completions(const HttpRequest &req, Responder *r)
{
    runModel(OpenAiStream::Kind::Completion, req, r);
}

void OpenAiApi::runModel(OpenAiStream::Kind kind, const HttpRequest &req, Responder *r)
{
    RequestRecord &rec = r->record();
    rec.dialect = QStringLiteral("openai");
    ApiError error;
    auto call = kind == OpenAiStream::Kind::Chat ? OpenAiDecoder::chat(req.body, error, m_limits)
                                                 : OpenAiDecoder::completion(req.body, error);
    if (!call)
        return sendError(r, error);
    ChatRequest &cr = call->request;
    rec.streamed = cr.stream;
    const auto info = route(cr.model, r);
    if (!info)
        return;

    // The same capability checks as the native API, so both surfaces refuse alike.
    const bool wantsThinking = cr.thinking != Thinking::Unset && cr.thinking != Thinking::Off;
    if (wantsThinking && !info->has(QStringLiteral("thinking")))
        return sendError(r, {400, QStringLiteral("model '%1' does not support reasoning; leave "
                                                 "out reasoning_effort")
                                      .arg(cr.model)});
    if (!cr.tools.isEmpty() && !info->has(QStringLiteral("tools")))
        return sendError(r,
                         {400, QStringLiteral("model '%1' does not support tools").arg(cr.model)});
    if (!info->has(QStringLiteral("completion")))
        return sendError(r, {400, QStringLiteral("model '%1' does not support %2")
                                      .arg(cr.model, kind == OpenAiStream::Kind::Chat
                                                         ? QStringLiteral("chat completions")
                                                         : QStringLiteral("completions"))});
    if (!cr.suffix.isEmpty() && !info->has(QStringLiteral("insert")))
        return sendError(r, {400, QStringLiteral("model '%1' does not support insert: a suffix "
                                                 "(fill-in-the-middle) needs a model with the "
                                                 "insert capability")
                                      .arg(cr.model)});
    m_backend.touchModel(info->name, 300);

    auto *stream =
        new OpenAiStream(kind, r, cr.model, cr.stream, call->includeUsage, req.receivedNs);
    stream->run(m_backend.startChat(std::move(cr), r));
}

void OpenAiApi::models(const HttpRequest &, Responder *r)
{
    r->record().dialect = QStringLiteral("openai");
    QPointer<Responder> responder(r);
    m_backend.refreshModels(r, [this, responder] {
        if (!responder)
            return;
        QJsonArray data;
        const QList<ModelInfo> models = m_backend.models();
        for (const ModelInfo &m : models)
            data.append(OpenAiEncoder::model(m));
        responder->send(
            200, kJson,
            json::compact(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                      {QStringLiteral("data"), data}}));
    });
}

void OpenAiApi::model(const HttpRequest &req, Responder *r)
{
    r->record().dialect = QStringLiteral("openai");
    // The server hands over the path already percent-decoded ("openai%2Fgpt-4o" arrives as
    // "openai/gpt-4o"): decoding again would corrupt ids that contain '%'.
    const QString name =
        req.path.mid(req.path.startsWith(kModelsPrefix) ? kModelsPrefix.size()
                                                        : kModelsPrefix.size() - 3); // "/models/"
    r->record().model = name;
    QPointer<Responder> responder(r);
    // Discovered models (list_models providers) may need a refresh before they can be found.
    m_backend.refreshModels(r, [this, responder, name] {
        if (!responder)
            return;
        const auto info = m_backend.findModel(name);
        if (!info)
            return sendError(responder,
                             {404, QStringLiteral("The model '%1' does not exist").arg(name)},
                             "model_not_found");
        responder->record().provider = info->provider;
        responder->record().upstreamModel = info->upstreamModel;
        responder->send(200, kJson, json::compact(OpenAiEncoder::model(*info)));
    });
}

void OpenAiApi::embeddings(const HttpRequest &req, Responder *r)
{
    r->record().dialect = QStringLiteral("openai");
    ApiError error;
    auto call = OpenAiDecoder::embeddings(req.body, error);
    if (!call)
        return sendError(r, error);
    const auto info = route(call->request.model, r);
    if (!info)
        return;
    m_backend.touchModel(info->name, 300);

    const QString model = call->request.model;
    const std::optional<int> dimensions = call->request.dimensions;
    const bool base64 = call->base64;
    r->record().modelCall = true;
    EmbedJob *job = m_backend.startEmbed(std::move(call->request), r);
    QPointer<Responder> responder(r);
    job->setHandler([responder, model, dimensions, base64](const EmbedResult &res) {
        if (!responder)
            return;
        if (!res.ok()) {
            const ChatFailure &f = *res.failure;
            Responder::Headers extra;
            if (f.retryAfterSeconds > 0)
                extra.append(
                    qMakePair(QByteArray("Retry-After"), QByteArray::number(f.retryAfterSeconds)));
            responder->record().error = failureText(f);
            return responder->send(f.status > 0 ? f.status : 500, kJson, OpenAiEncoder::error(f),
                                   extra);
        }
        const qint64 tokens = qMax<qint64>(0, res.promptTokens);
        responder->record().promptTokens = res.promptTokens;
        if (res.promptTokens >= 0)
            responder->record().completionTokens = 0; // embeddings have no output tokens
        QByteArray out = "{\"object\":\"list\",\"data\":[";
        for (qsizetype i = 0; i < res.vectors.size(); ++i) {
            if (i)
                out += ',';
            const QList<double> v = OpenAiEncoder::normalized(res.vectors[i], dimensions);
            out += "{\"object\":\"embedding\",\"embedding\":";
            if (base64) {
                out += '"' + OpenAiEncoder::float32Base64(v) + '"';
            } else {
                QJsonArray a;
                for (double x : v)
                    a.append(x);
                out += json::compact(a);
            }
            out += ",\"index\":" + QByteArray::number(i) + '}';
        }
        out += "],\"model\":" + json::quoted(model);
        out += ",\"usage\":{\"prompt_tokens\":" + QByteArray::number(tokens) +
               ",\"total_tokens\":" + QByteArray::number(tokens) + "}}";
        responder->send(200, kJson, out);
    });
    job->start();
}

} // namespace gw
