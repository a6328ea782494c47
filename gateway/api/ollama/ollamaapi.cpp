#include "ollamaapi.h"

#include "api/failuretext.h"

#include "chat/clock.h"
#include "http/responder.h"
#include "ollamadecoder.h"
#include "ollamaencoder.h"
#include "json/jsonfields.h"
#include "json/jsonwriter.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <QPointer>

#include <algorithm>
#include <cmath>

namespace gw {

static const QByteArray kJson = QByteArrayLiteral("application/json; charset=utf-8");

OllamaApi::OllamaApi(ChatBackend &backend, QString version)
    : m_backend(backend), m_version(std::move(version))
{}

Dialect OllamaApi::dialect()
{
    const auto bind = [this](void (OllamaApi::*fn)(const HttpRequest &, Responder *)) {
        return [this, fn](const HttpRequest &req, Responder *r) { (this->*fn)(req, r); };
    };
    const auto path = [&](QByteArrayList methods, const char *p,
                          void (OllamaApi::*fn)(const HttpRequest &, Responder *),
                          bool prefix = false) {
        return Route{std::move(methods), QString::fromLatin1(p), prefix, bind(fn)};
    };
    QList<Route> routes = {
        path({"GET", "HEAD"}, "/", &OllamaApi::root),
        path({"GET", "HEAD"}, "/api/version", &OllamaApi::version),
        path({"GET", "HEAD"}, "/api/tags", &OllamaApi::tags),
        path({"POST"}, "/api/show", &OllamaApi::show),
        path({"GET"}, "/api/ps", &OllamaApi::ps),
        path({"GET", "HEAD"}, "/api/experimental/model-recommendations",
             &OllamaApi::recommendations),
        path({"POST"}, "/api/chat", &OllamaApi::chat),
        path({"POST"}, "/api/generate", &OllamaApi::generate),
        path({"POST"}, "/api/embed", &OllamaApi::embed),
        path({"POST"}, "/api/embeddings", &OllamaApi::embeddings),
        path({"POST"}, "/api/pull", &OllamaApi::pull),
        path({"POST"}, "/api/push", &OllamaApi::unsupported),
        path({"POST"}, "/api/create", &OllamaApi::unsupported),
        path({"POST"}, "/api/copy", &OllamaApi::unsupported),
        path({"DELETE"}, "/api/delete", &OllamaApi::unsupported),
        path({"HEAD", "POST"}, "/api/blobs/", &OllamaApi::unsupported, true),
    };
    const auto renderError = [](const ChatFailure &failure, const QString &message) {
        if (failure.status == 405) // Ollama's router (gin) says so in plain text
            return RenderedError{"text/plain", "405 method not allowed"};
        return RenderedError{kJson, OllamaEncoder::error(message)};
    };
    // "/": every path no other dialect claims, Ollama's being the default surface.
    return {QStringLiteral("ollama"), {QStringLiteral("/")}, std::move(routes), renderError};
}

void OllamaApi::sendError(Responder *r, const ApiError &error)
{
    r->record().error = error.message;
    r->send(error.status, kJson, OllamaEncoder::error(error.message));
}

void OllamaApi::root(const HttpRequest &, Responder *r)
{
    r->send(200, "text/plain; charset=utf-8", "Ollama is running");
}

void OllamaApi::version(const HttpRequest &, Responder *r)
{
    r->send(200, kJson, "{\"version\":" + json::quoted(m_version) + '}');
}

void OllamaApi::tags(const HttpRequest &, Responder *r)
{
    QPointer<Responder> responder(r);
    m_backend.refreshModels(r, [this, responder] {
        if (!responder)
            return;
        QList<ModelInfo> models = m_backend.models();
        // Ollama lists newest first; ties (most of ours) keep the config's order.
        std::stable_sort(models.begin(), models.end(), [](const ModelInfo &a, const ModelInfo &b) {
            return a.modifiedAt > b.modifiedAt;
        });
        QJsonArray list;
        for (const ModelInfo &m : std::as_const(models))
            list.append(OllamaEncoder::tagsEntry(m));
        responder->send(200, kJson, json::compact(QJsonObject{{QStringLiteral("models"), list}}));
    });
}

void OllamaApi::show(const HttpRequest &req, Responder *r)
{
    r->record().dialect = QStringLiteral("ollama");
    QString err;
    const auto o = JsonFields::parseBody(req.body, QStringLiteral("api.ShowRequest"), err);
    if (!o)
        return sendError(r, {400, err});
    JsonFields f(*o, QStringLiteral("ShowRequest"));
    QString model, name;
    if (!f.string(QLatin1StringView("model"), model) || !f.string(QLatin1StringView("name"), name))
        return sendError(r, {400, f.error()});
    // Continue still sends the pre-0.1.x "name" key.
    if (model.isEmpty())
        model = name;
    if (model.isEmpty())
        return sendError(r, {400, QStringLiteral("model is required")});
    r->record().model = model;
    const auto info = m_backend.findModel(model);
    if (!info)
        return sendError(
            r, {404, QStringLiteral("model '%1' not found").arg(OllamaEncoder::listedName(model))});
    const bool copilot = req.header("user-agent").startsWith("GitHubCopilotChat/");
    r->send(200, kJson, json::compact(OllamaEncoder::show(*info, model, copilot)));
}

void OllamaApi::ps(const HttpRequest &, Responder *r)
{
    QList<ChatBackend::Loaded> loaded = m_backend.loadedModels();
    std::sort(loaded.begin(), loaded.end(),
              [](const auto &a, const auto &b) { return a.expiresAt > b.expiresAt; });
    QJsonArray list;
    for (const auto &l : std::as_const(loaded))
        list.append(OllamaEncoder::psEntry(l.model, l.expiresAt));
    r->send(200, kJson, json::compact(QJsonObject{{QStringLiteral("models"), list}}));
}

void OllamaApi::recommendations(const HttpRequest &, Responder *r)
{
    // Ollama answers with models worth using (its own list, refreshed from ollama.com); the
    // gateway's are the models of its config that can chat (not provider/model listings, not
    // the built-in echo, not embedding models), in the config's order. The Ollama VS Code
    // extension reads them to suggest a replacement for an outdated model.
    QJsonArray list;
    const QList<ModelInfo> models = m_backend.models();
    for (const ModelInfo &m : models)
        if (m.providerType != u"echo" && m.has(QStringLiteral("completion")) &&
            !m.name.startsWith(m.provider + u'/'))
            list.append(OllamaEncoder::recommendation(m));
    r->send(200, kJson, json::compact(QJsonObject{{QStringLiteral("recommendations"), list}}));
}

void OllamaApi::chat(const HttpRequest &req, Responder *r)
{
    runModel(OllamaStream::Kind::Chat, req, r);
}

void OllamaApi::generate(const HttpRequest &req, Responder *r)
{
    runModel(OllamaStream::Kind::Generate, req, r);
}

void OllamaApi::runModel(OllamaStream::Kind kind, const HttpRequest &req, Responder *r)
{
    const bool isChat = kind == OllamaStream::Kind::Chat;
    RequestRecord &rec = r->record();
    rec.dialect = QStringLiteral("ollama");
    ApiError error;
    auto call = isChat ? OllamaDecoder::chat(req.body, error, m_limits)
                       : OllamaDecoder::generate(req.body, error);
    if (!call)
        return sendError(r, error);
    ChatRequest &cr = call->request;
    rec.model = cr.model;
    rec.streamed = cr.stream;
    // Ollama's own asymmetry: chat says "required", generate looks the empty name up.
    if (cr.model.isEmpty() && isChat)
        return sendError(r, {400, QStringLiteral("model is required")});
    const auto info = m_backend.findModel(cr.model);
    if (!info)
        return sendError(r, {404, QStringLiteral("model '%1' not found").arg(cr.model)});
    rec.provider = info->provider;
    rec.upstreamModel = info->upstreamModel;

    const bool wantsThinking = cr.thinking != Thinking::Unset && cr.thinking != Thinking::Off;
    if (wantsThinking && !info->has(QStringLiteral("thinking")))
        return sendError(r,
                         {400, QStringLiteral("\"%1\" does not support thinking").arg(cr.model)});
    if (!cr.tools.isEmpty() && !info->has(QStringLiteral("tools")))
        return sendError(
            r,
            {400,
             QStringLiteral("%1 does not support tools").arg(OllamaEncoder::listedName(cr.model))});
    if (!info->has(QStringLiteral("completion")))
        return sendError(r, {400, QStringLiteral("\"%1\" does not support %2")
                                      .arg(cr.model, isChat ? QStringLiteral("chat")
                                                            : QStringLiteral("generate"))});
    // Ollama asks for the insert capability whenever a suffix is given (fill-in-the-middle).
    if (!cr.suffix.isEmpty() && !info->has(QStringLiteral("insert")))
        return sendError(r, {400, QStringLiteral("%1 does not support insert")
                                      .arg(OllamaEncoder::listedName(cr.model))});

    const double keepAlive = call->keepAliveSeconds.value_or(300);
    m_backend.touchModel(info->name, static_cast<qint64>(keepAlive));

    if (call->loadOnly) {
        // A load or unload probe (the CLI's preload, Open WebUI's unload): nothing to run.
        QByteArray out = "{\"model\":" + json::quoted(cr.model) +
                         ",\"created_at\":" + json::quoted(OllamaEncoder::nowUtc());
        out += isChat ? ",\"message\":{\"role\":\"assistant\",\"content\":\"\"}"
                      : ",\"response\":\"\"";
        out += ",\"done\":true,\"done_reason\":\"";
        out += keepAlive == 0 ? "unload" : "load";
        out += "\"}";
        return r->send(200, kJson, out);
    }

    auto *stream = new OllamaStream(kind, r, cr.model, cr.stream, req.receivedNs);
    stream->run(m_backend.startChat(std::move(cr), r));
}

void OllamaApi::embed(const HttpRequest &req, Responder *r)
{
    r->record().dialect = QStringLiteral("ollama");
    ApiError error;
    auto e = OllamaDecoder::embed(req.body, error);
    if (!e)
        return sendError(r, error);
    runEmbed(std::move(*e), r, false, req.receivedNs);
}

void OllamaApi::embeddings(const HttpRequest &req, Responder *r)
{
    r->record().dialect = QStringLiteral("ollama");
    ApiError error;
    auto e = OllamaDecoder::embeddings(req.body, error);
    if (!e)
        return sendError(r, error);
    runEmbed(std::move(*e), r, true, req.receivedNs);
}

void OllamaApi::runEmbed(EmbedRequest e, Responder *r, bool legacy, qint64 receivedNs)
{
    RequestRecord &rec = r->record();
    rec.model = e.model;
    const auto info = m_backend.findModel(e.model);
    if (!info)
        return sendError(r, {404, QStringLiteral("model '%1' not found").arg(e.model)});
    rec.provider = info->provider;
    rec.upstreamModel = info->upstreamModel;
    m_backend.touchModel(info->name, 300);
    const QString model = e.model;
    // Nothing to embed: Ollama answers at once (and only loads the model).
    if (e.inputs.isEmpty())
        return r->send(200, kJson,
                       legacy ? QByteArray("{\"embedding\":[]}")
                              : "{\"model\":" + json::quoted(model) + ",\"embeddings\":[]}");
    const std::optional<int> dimensions = e.dimensions;
    const qint64 startNs = monotonicNs();
    r->record().modelCall = true;
    EmbedJob *job = m_backend.startEmbed(std::move(e), r);
    QPointer<Responder> responder(r);
    job->setHandler([responder, legacy, model, dimensions, receivedNs,
                     startNs](const EmbedResult &res) {
        if (!responder)
            return;
        if (!res.ok()) {
            const ChatFailure &f = *res.failure;
            // Ollama's words for an input over the context with truncate off.
            const QString text = f.cause == FailureCause::ContextTooLong
                                     ? QStringLiteral("the input length exceeds the context length")
                                     : failureText(f);
            Responder::Headers extra;
            if (f.retryAfterSeconds > 0)
                extra.append(
                    qMakePair(QByteArray("Retry-After"), QByteArray::number(f.retryAfterSeconds)));
            responder->record().error = text;
            return responder->send(f.status > 0 ? f.status : 500, kJson, OllamaEncoder::error(text),
                                   extra);
        }
        responder->record().promptTokens = res.promptTokens;
        if (res.promptTokens >= 0)
            responder->record().completionTokens = 0; // embeddings have no output tokens
        if (legacy) {
            // The legacy endpoint returns the vector as the model made it, not normalised.
            QJsonArray v;
            for (double x : res.vectors.value(0))
                v.append(x);
            return responder->send(200, kJson,
                                   json::compact(QJsonObject{{QStringLiteral("embedding"), v}}));
        }
        QJsonArray all;
        for (QList<double> vec : res.vectors) {
            if (dimensions && vec.size() > *dimensions)
                vec.resize(*dimensions);
            double norm = 0;
            for (double x : vec)
                norm += x * x;
            norm = std::sqrt(norm);
            QJsonArray v;
            for (double x : vec)
                v.append(norm > 0 ? x / norm : x);
            all.append(v);
        }
        const qint64 end = monotonicNs();
        QJsonObject out{{QStringLiteral("model"), model},
                        {QStringLiteral("embeddings"), all},
                        {QStringLiteral("total_duration"), qMax<qint64>(1, end - receivedNs)},
                        {QStringLiteral("load_duration"), qMax<qint64>(1, startNs - receivedNs)}};
        if (res.promptTokens > 0)
            out.insert(QStringLiteral("prompt_eval_count"), res.promptTokens);
        responder->send(200, kJson, json::compact(out));
    });
    job->start();
}

void OllamaApi::pull(const HttpRequest &req, Responder *r)
{
    QString err;
    const auto o = JsonFields::parseBody(req.body, QStringLiteral("api.PullRequest"), err);
    if (!o)
        return sendError(r, {400, err});
    JsonFields f(*o, QStringLiteral("PullRequest"));
    QString model, name;
    bool stream = true;
    if (!f.string(QLatin1StringView("model"), model) ||
        !f.string(QLatin1StringView("name"), name) ||
        !f.boolean(QLatin1StringView("stream"), stream))
        return sendError(r, {400, f.error()});
    if (model.isEmpty())
        model = name; // ollama-js sends "name"
    if (model.isEmpty())
        return sendError(r, {400, QStringLiteral("model is required")});
    r->record().model = model;
    if (!m_backend.findModel(model))
        return sendError(r, {404, QStringLiteral("model '%1' is not available: llm-gateway does "
                                                 "not download models; map it to a provider in "
                                                 "Settings → Models or the config file, or use "
                                                 "provider/model")
                                      .arg(model)});
    // A mapped model is "already pulled": clients that pull before use (the CLI, LangChain)
    // go straight on.
    if (!stream)
        return r->send(200, kJson, "{\"status\":\"success\"}");
    r->beginStream(200, "application/x-ndjson");
    r->write("{\"status\":\"pulling manifest\"}\n{\"status\":\"success\"}\n");
    r->end();
}

void OllamaApi::unsupported(const HttpRequest &req, Responder *r)
{
    const QString what = req.path.section(u'/', 2, 2); // push, create, copy, delete, blobs
    sendError(r, {501, QStringLiteral("llm-gateway does not support /api/%1: it stores no models; "
                                      "models are mappings to cloud providers, edited in "
                                      "Settings → Models or the config file")
                           .arg(what)});
}

} // namespace gw
