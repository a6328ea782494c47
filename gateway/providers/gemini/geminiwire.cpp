#include "geminiwire.h"

#include "providers/providererror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace gw {
namespace {

// Appends a content, merging into the previous one when the role repeats: all the function
// responses of one model turn must travel together, in order.
void append(QJsonArray &contents, const QString &role, const QJsonArray &parts)
{
    if (parts.isEmpty())
        return;
    if (!contents.isEmpty() &&
        contents.last().toObject().value(QLatin1StringView("role")).toString() == role) {
        QJsonObject last = contents.last().toObject();
        QJsonArray merged = last.value(QLatin1StringView("parts")).toArray();
        for (const QJsonValue &p : parts)
            merged.append(p);
        last.insert(QStringLiteral("parts"), merged);
        contents[contents.size() - 1] = last;
        return;
    }
    contents.append(QJsonObject{{QStringLiteral("role"), role}, {QStringLiteral("parts"), parts}});
}

void note(Adjustments *adjusted, const char *field, const QString &asked, const QString &sent)
{
    if (adjusted)
        adjusted->append(Adjustment::changed(Adjustment::Rule::ThinkingLevel,
                                             QString::fromLatin1(field), asked, sent));
}

// Gemini 3 thinks by level: 3 Pro takes LOW and HIGH, later Pros LOW to HIGH, Flash and
// Flash-Lite MINIMAL to HIGH, and none stops thinking altogether. A level the model lacks
// becomes the next one up.
QJsonObject thinkingLevelConfig(int minor, bool pro, Thinking t, Adjustments *adjusted)
{
    static const QStringList all{QStringLiteral("MINIMAL"), QStringLiteral("LOW"),
                                 QStringLiteral("MEDIUM"), QStringLiteral("HIGH")};
    QJsonObject c;
    if (t != Thinking::Off)
        c.insert(QStringLiteral("includeThoughts"), true);
    if (t == Thinking::On) // the model's own default level
        return c;
    const qsizetype wanted = t == Thinking::Off || t == Thinking::Minimal ? 0
                             : t == Thinking::Low                         ? 1
                             : t == Thinking::Medium                      ? 2
                                                                          : 3;
    qsizetype level = wanted;
    const auto has = [&](qsizetype i) {
        return !pro || (i == 1 || i == 3 || (i == 2 && minor >= 1));
    };
    while (!has(level))
        ++level;
    c.insert(QStringLiteral("thinkingLevel"), all[level]);
    if (t == Thinking::Off)
        note(adjusted, "thinkingLevel", QStringLiteral("off"), all[level]);
    else if (t == Thinking::Max)
        note(adjusted, "thinkingLevel", QStringLiteral("max"), all[level]);
    else if (level != wanted)
        note(adjusted, "thinkingLevel", all[wanted], all[level]);
    return c;
}

// Gemini 2.5 thinks within a budget: 0 stops Flash and Flash-Lite, Pro thinks at least 128
// tokens (up to 32768), Flash-Lite at least 512, the Flashes up to 24576; -1 lets the model
// choose.
QJsonObject thinkingBudgetConfig(const QString &model, Thinking t, Adjustments *adjusted)
{
    const bool pro = model.contains(QStringLiteral("-pro"));
    QJsonObject c;
    int budget = -1;
    switch (t) {
    case Thinking::Off:
        budget = pro ? 128 : 0;
        if (pro)
            note(adjusted, "thinkingBudget", QStringLiteral("off"), QString::number(budget));
        break;
    case Thinking::Minimal:
        budget = pro ? 128 : 512;
        break;
    case Thinking::Low:
        budget = 1024;
        break;
    case Thinking::Medium:
        budget = 8192;
        break;
    case Thinking::High:
        budget = 16384;
        break;
    case Thinking::Max:
        budget = pro ? 32768 : 24576;
        break;
    case Thinking::On:
    case Thinking::Unset:
        break;
    }
    if (t != Thinking::Off)
        c.insert(QStringLiteral("includeThoughts"), true);
    c.insert(QStringLiteral("thinkingBudget"), budget);
    return c;
}

QJsonObject thinkingConfig(const QString &model, Thinking t, Adjustments *adjusted)
{
    static const QRegularExpression version(QStringLiteral("gemini-(\\d+)(?:\\.(\\d+))?"));
    const QRegularExpressionMatch m = version.match(model);
    if (m.hasMatch() && m.captured(1).toInt() >= 3)
        return thinkingLevelConfig(m.captured(1).toInt() > 3 ? 9 : m.captured(2).toInt(),
                                   model.contains(QStringLiteral("-pro")), t, adjusted);
    return thinkingBudgetConfig(model, t, adjusted);
}

// Gemini's functionCallingConfig: mode AUTO / NONE / ANY, a named tool as ANY with
// allowedFunctionNames; empty for the provider's default.
QJsonObject functionCallingConfig(const ToolChoice &c)
{
    const auto mode = [](const char *m) {
        return QJsonObject{{QStringLiteral("mode"), QLatin1StringView(m)}};
    };
    switch (c.mode) {
    case ToolChoice::Mode::Unset:
        return {};
    case ToolChoice::Mode::Auto:
        return mode("AUTO");
    case ToolChoice::Mode::None:
        return mode("NONE");
    case ToolChoice::Mode::Required:
        return mode("ANY");
    case ToolChoice::Mode::Named: {
        QJsonObject fc = mode("ANY");
        fc.insert(QStringLiteral("allowedFunctionNames"), QJsonArray{c.name});
        return fc;
    }
    }
    return {};
}

} // namespace

QList<Logprob> GeminiWire::logprobs(const QJsonObject &result)
{
    const auto token = [](const QJsonValue &v) {
        const QJsonObject c = v.toObject();
        return TokenLogprob{c.value(QLatin1StringView("token")).toString(),
                            c.value(QLatin1StringView("logProbability")).toDouble()};
    };
    const QJsonArray chosen = result.value(QLatin1StringView("chosenCandidates")).toArray();
    const QJsonArray top = result.value(QLatin1StringView("topCandidates")).toArray();
    QList<Logprob> out;
    for (qsizetype i = 0; i < chosen.size(); ++i) {
        const TokenLogprob c = token(chosen[i]);
        Logprob l{c.token, c.logprob, {}};
        for (const QJsonValue &t :
             top.at(i).toObject().value(QLatin1StringView("candidates")).toArray())
            l.top.append(token(t));
        out.append(std::move(l));
    }
    return out;
}

QString GeminiWire::modelPath(const QString &model)
{
    return model.startsWith(u"models/") ? model.mid(7) : model;
}

namespace {

QJsonArray userParts(const ChatMessage &m)
{
    QJsonArray parts;
    if (!m.content.isEmpty())
        parts.append(QJsonObject{{QStringLiteral("text"), m.content}});
    for (const ImagePart &img : m.images) {
        if (!img.url.isEmpty())
            parts.append(QJsonObject{
                {QStringLiteral("fileData"), QJsonObject{{QStringLiteral("mimeType"), img.mime},
                                                         {QStringLiteral("fileUri"), img.url}}}});
        else
            parts.append(QJsonObject{
                {QStringLiteral("inlineData"),
                 QJsonObject{{QStringLiteral("mimeType"), img.mime},
                             {QStringLiteral("data"), QString::fromLatin1(img.base64)}}}});
    }
    if (parts.isEmpty())
        parts.append(QJsonObject{{QStringLiteral("text"), QStringLiteral(" ")}});
    return parts;
}

QJsonArray modelParts(const ChatMessage &m, const ThinkingCache &signatures,
                      QHash<QString, QString> &callNames)
{
    QJsonArray parts;
    if (!m.content.isEmpty())
        parts.append(QJsonObject{{QStringLiteral("text"), m.content}});
    for (qsizetype i = 0; i < m.toolCalls.size(); ++i) {
        const ToolCall &c = m.toolCalls[i];
        callNames.insert(c.id, c.name);
        QJsonObject part{
            {QStringLiteral("functionCall"),
             QJsonObject{{QStringLiteral("name"), c.name}, {QStringLiteral("args"), c.arguments}}}};
        const QJsonArray cached = signatures.get(c.id);
        if (!cached.isEmpty())
            part.insert(QStringLiteral("thoughtSignature"), cached.first().toString());
        else if (i == 0)
            part.insert(QStringLiteral("thoughtSignature"),
                        QString::fromLatin1(GeminiWire::kSkipSignature));
        parts.append(part);
    }
    return parts;
}

QJsonArray toolResultParts(const ChatMessage &m, const QHash<QString, QString> &callNames)
{
    const QString name = !m.toolName.isEmpty() ? m.toolName : callNames.value(m.toolCallId);
    // The response must be an object: a JSON object result is passed as is.
    const QJsonDocument doc = QJsonDocument::fromJson(m.content.toUtf8());
    const QJsonObject response =
        doc.isObject() ? doc.object() : QJsonObject{{QStringLiteral("result"), m.content}};
    return QJsonArray{QJsonObject{
        {QStringLiteral("functionResponse"),
         QJsonObject{{QStringLiteral("name"), name.isEmpty() ? QStringLiteral("tool") : name},
                     {QStringLiteral("response"), response}}}}};
}

QJsonArray contentsJson(const ChatRequest &r, const ThinkingCache &signatures, QStringList &system)
{
    QJsonArray contents;
    QHash<QString, QString> callNames; // tool call id → function name, for results sent by id
    for (const ChatMessage &m : r.messages) {
        switch (m.role) {
        case Role::System:
            system.append(m.content);
            break;
        case Role::User:
            append(contents, QStringLiteral("user"), userParts(m));
            break;
        case Role::Assistant:
            append(contents, QStringLiteral("model"), modelParts(m, signatures, callNames));
            break;
        case Role::Tool:
            append(contents, QStringLiteral("user"), toolResultParts(m, callNames));
            break;
        }
    }
    if (contents.isEmpty())
        contents.append(
            QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                        {QStringLiteral("parts"),
                         QJsonArray{QJsonObject{{QStringLiteral("text"), QStringLiteral(" ")}}}}});
    return contents;
}

QJsonArray declarationsJson(const QList<ToolSpec> &tools)
{
    QJsonArray decls;
    for (const ToolSpec &t : tools) {
        QJsonObject d{{QStringLiteral("name"), t.name}};
        if (!t.description.isEmpty())
            d.insert(QStringLiteral("description"), t.description);
        // Standard JSON Schema goes in as is; an empty schema means no arguments.
        if (!t.parameters.isEmpty() &&
            !(t.parameters.value(QLatin1StringView("properties")).toObject().isEmpty() &&
              t.parameters.value(QLatin1StringView("type")).toString() == u"object"))
            d.insert(QStringLiteral("parametersJsonSchema"), t.parameters);
        decls.append(d);
    }
    return decls;
}

QJsonObject generationConfig(const ChatRequest &r, Adjustments *adjusted)
{
    QJsonObject gen;
    const Sampling &s = r.sampling;
    if (s.temperature)
        gen.insert(QStringLiteral("temperature"), *s.temperature);
    if (s.topP)
        gen.insert(QStringLiteral("topP"), *s.topP);
    if (s.topK)
        gen.insert(QStringLiteral("topK"), *s.topK);
    if (s.maxTokens)
        gen.insert(QStringLiteral("maxOutputTokens"), *s.maxTokens);
    if (!s.stop.isEmpty())
        gen.insert(QStringLiteral("stopSequences"), QJsonArray::fromStringList(s.stop.mid(0, 5)));
    if (s.stop.size() > 5 && adjusted) // Gemini's maximum
        adjusted->append(Adjustment::changed(
            Adjustment::Rule::OutOfRange, QStringLiteral("stopSequences"),
            QStringLiteral("%1 sequences").arg(s.stop.size()), QStringLiteral("the first 5")));
    if (s.seed)
        gen.insert(QStringLiteral("seed"), *s.seed);
    if (s.presencePenalty)
        gen.insert(QStringLiteral("presencePenalty"), *s.presencePenalty);
    if (s.frequencyPenalty)
        gen.insert(QStringLiteral("frequencyPenalty"), *s.frequencyPenalty);
    if (r.format != OutputFormat::Text) {
        gen.insert(QStringLiteral("responseMimeType"), QStringLiteral("application/json"));
        if (r.format == OutputFormat::JsonSchema && !r.schema.isEmpty())
            gen.insert(QStringLiteral("responseJsonSchema"), r.schema);
    }
    if (r.logprobs) {
        gen.insert(QStringLiteral("responseLogprobs"), true);
        if (r.topLogprobs > 0)
            gen.insert(QStringLiteral("logprobs"), r.topLogprobs);
    }
    if (r.thinking != Thinking::Unset)
        gen.insert(QStringLiteral("thinkingConfig"),
                   thinkingConfig(r.upstreamModel, r.thinking, adjusted));
    return gen;
}

} // namespace

QJsonObject GeminiWire::generateBody(const ChatRequest &r, const ThinkingCache &signatures,
                                     Adjustments *adjusted)
{
    QStringList system;
    QJsonObject body{{QStringLiteral("contents"), contentsJson(r, signatures, system)}};
    if (!system.isEmpty())
        body.insert(QStringLiteral("systemInstruction"),
                    QJsonObject{{QStringLiteral("parts"),
                                 QJsonArray{QJsonObject{{QStringLiteral("text"),
                                                         system.join(QStringLiteral("\n\n"))}}}}});
    if (!r.tools.isEmpty()) {
        body.insert(QStringLiteral("tools"),
                    QJsonArray{QJsonObject{
                        {QStringLiteral("functionDeclarations"), declarationsJson(r.tools)}}});
        if (const QJsonObject fc = functionCallingConfig(r.toolChoice); !fc.isEmpty())
            body.insert(QStringLiteral("toolConfig"),
                        QJsonObject{{QStringLiteral("functionCallingConfig"), fc}});
    }
    if (const QJsonObject gen = generationConfig(r, adjusted); !gen.isEmpty())
        body.insert(QStringLiteral("generationConfig"), gen);
    return body;
}

QJsonObject GeminiWire::batchEmbedBody(const QString &model, const QStringList &inputs,
                                       std::optional<int> dimensions)
{
    QJsonArray requests;
    for (const QString &in : inputs) {
        QJsonObject req{{QStringLiteral("model"), QStringLiteral("models/") + modelPath(model)},
                        {QStringLiteral("content"),
                         QJsonObject{{QStringLiteral("parts"),
                                      QJsonArray{QJsonObject{{QStringLiteral("text"), in}}}}}}};
        if (dimensions)
            req.insert(QStringLiteral("outputDimensionality"), *dimensions);
        requests.append(req);
    }
    return {{QStringLiteral("requests"), requests}};
}

EmbedResult GeminiWire::parseBatchEmbed(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (!o.contains(QLatin1StringView("embeddings")))
        return EmbedResult::failed(ProviderError::fault(
            QStringLiteral("the provider's embeddings answer has no embeddings")));
    EmbedResult r;
    for (const QJsonValue &e : o.value(QLatin1StringView("embeddings")).toArray()) {
        QList<double> v;
        for (const QJsonValue &x : e.toObject().value(QLatin1StringView("values")).toArray())
            v.append(x.toDouble());
        r.vectors.append(v);
    }
    return r;
}

QStringList GeminiWire::parseModels(const QByteArray &body)
{
    QStringList ids;
    for (const QJsonValue &m :
         QJsonDocument::fromJson(body).object().value(QLatin1StringView("models")).toArray()) {
        const QJsonObject o = m.toObject();
        const QJsonArray methods =
            o.value(QLatin1StringView("supportedGenerationMethods")).toArray();
        if (methods.contains(QStringLiteral("generateContent")) ||
            methods.contains(QStringLiteral("embedContent")))
            ids.append(modelPath(o.value(QLatin1StringView("name")).toString()));
    }
    ids.sort();
    return ids;
}

UpstreamErrorBody GeminiWire::errorBody(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    // The OpenAI-compatible surface wraps errors in an array; accept both.
    const QJsonObject o = doc.isArray() ? doc.array().first().toObject() : doc.object();
    if (!o.value(QLatin1StringView("error")).isObject())
        return {{}, {}, QString::fromUtf8(body.left(500)).simplified(), 0};
    return errorBody(o);
}

UpstreamErrorBody GeminiWire::errorBody(const QJsonObject &o)
{
    const QJsonObject err = o.value(QLatin1StringView("error")).toObject();
    UpstreamErrorBody b;
    b.type = err.value(QLatin1StringView("status")).toString();
    b.message = err.value(QLatin1StringView("message")).toString();
    for (const QJsonValue &dv : err.value(QLatin1StringView("details")).toArray()) {
        const QJsonObject d = dv.toObject();
        // google.rpc.ErrorInfo: the reason is the most specific code (API_KEY_INVALID).
        if (const QString reason = d.value(QLatin1StringView("reason")).toString();
            !reason.isEmpty() && b.code.isEmpty())
            b.code = reason;
        // google.rpc.RetryInfo: "31s" or "1.5s".
        QString delay = d.value(QLatin1StringView("retryDelay")).toString();
        if (delay.endsWith(u's')) {
            delay.chop(1);
            bool ok = false;
            const double seconds = delay.toDouble(&ok);
            if (ok && seconds >= 0)
                b.retryAfterSeconds = int(seconds + 0.999);
        }
    }
    return b;
}

ChatEvent GeminiWire::usage(const QJsonObject &u)
{
    const auto count = [&u](const char *key) {
        const QJsonValue v = u.value(QLatin1StringView(key));
        return v.isDouble() ? v.toInteger() : qint64(-1);
    };
    const auto orZero = [](qint64 n) { return qMax<qint64>(0, n); };
    // promptTokenCount includes the cached part; thoughts are counted apart from the visible
    // answer, and Ollama's eval_count (the canonical completion count) has both.
    const qint64 prompt = count("promptTokenCount");
    const qint64 candidates = count("candidatesTokenCount");
    const qint64 thoughts = count("thoughtsTokenCount");
    return ChatEvent::usage(prompt < 0 ? -1 : prompt + orZero(count("toolUsePromptTokenCount")),
                            candidates < 0 && thoughts < 0 ? -1
                                                           : orZero(candidates) + orZero(thoughts),
                            count("cachedContentTokenCount"), -1, thoughts);
}

bool GeminiWire::isBlocked(const QString &reason)
{
    static const QStringList blocked{QStringLiteral("SAFETY"),
                                     QStringLiteral("RECITATION"),
                                     QStringLiteral("BLOCKLIST"),
                                     QStringLiteral("PROHIBITED_CONTENT"),
                                     QStringLiteral("SPII"),
                                     QStringLiteral("IMAGE_SAFETY"),
                                     QStringLiteral("IMAGE_PROHIBITED_CONTENT"),
                                     QStringLiteral("IMAGE_RECITATION")};
    return blocked.contains(reason);
}

FinishReason GeminiWire::finishReason(const QString &reason, bool hadCalls)
{
    if (reason == u"MAX_TOKENS")
        return FinishReason::Length;
    if (isBlocked(reason))
        return FinishReason::ContentFilter;
    return hadCalls ? FinishReason::ToolCalls : FinishReason::Stop;
}

} // namespace gw
