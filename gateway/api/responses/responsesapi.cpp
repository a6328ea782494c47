#include "responsesapi.h"

#include "api/openai/openaiapi.h"
#include "http/responder.h"
#include "responsesdecoder.h"
#include "responsesstream.h"

namespace gw {

ResponsesApi::ResponsesApi(ChatBackend &backend) : m_backend(backend) {}

Dialect ResponsesApi::dialect()
{
    QList<Route> routes = {
        Route{{"POST"},
              QStringLiteral("/v1/responses"),
              false,
              [this](const HttpRequest &req, Responder *r) { create(req, r); }},
        // Retrieve, delete, cancel, input_items: there is nothing stored to act on.
        Route{{"GET", "POST", "DELETE"}, QStringLiteral("/v1/responses/"), true, &stored},
    };
    // The same error shape as the rest of /v1: OpenAI's.
    return {QStringLiteral("responses"),
            {QStringLiteral("/v1/responses")},
            std::move(routes),
            &OpenAiApi::renderError};
}

void ResponsesApi::stored(const HttpRequest &req, Responder *r)
{
    r->record().dialect = QStringLiteral("responses");
    const QString id = req.path.mid(QLatin1StringView("/v1/responses/").size()).section(u'/', 0, 0);
    OpenAiApi::sendError(r,
                         {404, QStringLiteral("No response found with id '%1': llm-gateway is "
                                              "stateless and stores no responses")
                                   .arg(id)},
                         "not_found");
}

void ResponsesApi::create(const HttpRequest &req, Responder *r)
{
    RequestRecord &rec = r->record();
    rec.dialect = QStringLiteral("responses");
    ApiError error;
    auto call = ResponsesDecoder::decode(req.body, error, m_limits);
    if (!call)
        return OpenAiApi::sendError(r, error);
    ChatRequest &cr = call->request;
    rec.streamed = cr.stream;
    rec.model = cr.model;
    const auto info = m_backend.findModel(cr.model);
    if (!info)
        return OpenAiApi::sendError(r,
                                    {404, QStringLiteral("The model '%1' does not exist or you do "
                                                         "not have access to it.")
                                              .arg(cr.model)},
                                    "model_not_found");
    rec.provider = info->provider;
    rec.upstreamModel = info->upstreamModel;

    // Agents send reasoning settings whatever the model: a model that cannot think answers
    // without, rather than refusing the whole turn.
    if (!info->has(QStringLiteral("thinking")))
        cr.thinking = Thinking::Unset;
    if (!cr.tools.isEmpty() && !info->has(QStringLiteral("tools")))
        return OpenAiApi::sendError(
            r, {400, QStringLiteral("model '%1' does not support tools").arg(cr.model)});
    if (!info->has(QStringLiteral("completion")))
        return OpenAiApi::sendError(
            r, {400, QStringLiteral("model '%1' does not support responses").arg(cr.model)});
    m_backend.touchModel(info->name, 300);

    auto *stream =
        new ResponsesStream(r, cr.model, cr.stream, std::move(call->echo), req.receivedNs);
    stream->run(m_backend.startChat(std::move(cr), r));
}

} // namespace gw
