#include "ollamaencoder.h"

#include "json/jsonwriter.h"

#include <QCryptographicHash>
#include <QJsonArray>

namespace gw {

QString OllamaEncoder::listedName(const QString &name)
{
    const qsizetype colon = name.lastIndexOf(u':');
    if (colon > name.lastIndexOf(u'/'))
        return name;
    return name + QStringLiteral(":latest");
}

QByteArray OllamaEncoder::digest(const QString &name)
{
    return QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex();
}

QString OllamaEncoder::timestamp(const QDateTime &t)
{
    // Always with an offset ("Z" or "+01:00"): RFC 3339 requires one, and Qt omits it for
    // local times.
    if (t.timeSpec() == Qt::UTC)
        return t.toString(Qt::ISODateWithMs);
    return t.toOffsetFromUtc(t.offsetFromUtc()).toString(Qt::ISODateWithMs);
}

QString OllamaEncoder::nowUtc()
{
    // Every streamed line carries it: formatting a QDateTime each time was a fifth of the cost of
    // a line. The part up to the second changes once a second; the milliseconds are three digits.
    const qint64 ms = QDateTime::currentMSecsSinceEpoch();
    thread_local qint64 cachedSecond = -1;
    thread_local QString prefix; // "yyyy-MM-ddTHH:mm:ss"
    const qint64 second = ms / 1000;
    if (second != cachedSecond) {
        cachedSecond = second;
        prefix = QDateTime::fromSecsSinceEpoch(second, Qt::UTC).toString(Qt::ISODate);
        prefix.chop(1); // the 'Z'
    }
    const int frac = int(ms % 1000);
    QString out;
    out.reserve(prefix.size() + 5);
    out += prefix;
    out += u'.';
    out += QChar(u'0' + frac / 100);
    out += QChar(u'0' + frac / 10 % 10);
    out += QChar(u'0' + frac % 10);
    out += u'Z';
    return out;
}

QJsonObject OllamaEncoder::details(const ModelInfo &m)
{
    // Zed's serde types need every one of these strings present, even when empty.
    QJsonObject d{{QStringLiteral("parent_model"), QString()},
                  {QStringLiteral("format"), QStringLiteral("gguf")},
                  {QStringLiteral("family"), m.family},
                  {QStringLiteral("families"), QJsonArray{m.family}},
                  {QStringLiteral("parameter_size"), QString()},
                  {QStringLiteral("quantization_level"), QString()}};
    if (m.contextLength > 0)
        d.insert(QStringLiteral("context_length"), m.contextLength);
    if (m.embeddingLength > 0)
        d.insert(QStringLiteral("embedding_length"), m.embeddingLength);
    return d;
}

void OllamaEncoder::insertRemote(QJsonObject &o, const ModelInfo &m)
{
    // Ollama's cloud models carry remote_model / remote_host (0.12); the Ollama VS Code
    // extension takes a model with a remote_host for a remote one and reads its output limit
    // from max_output_tokens.
    if (!m.remoteHost.isEmpty()) {
        o.insert(QStringLiteral("remote_model"), m.upstreamModel);
        o.insert(QStringLiteral("remote_host"), m.remoteHost);
    }
    if (m.maxOutputTokens > 0)
        o.insert(QStringLiteral("max_output_tokens"), m.maxOutputTokens);
}

QJsonObject OllamaEncoder::tagsEntry(const ModelInfo &m)
{
    const QString name = listedName(m.name);
    QJsonObject o{{QStringLiteral("name"), name},
                  {QStringLiteral("model"), name},
                  {QStringLiteral("modified_at"), timestamp(m.modifiedAt)},
                  {QStringLiteral("size"), 0},
                  {QStringLiteral("digest"), QString::fromLatin1(digest(name))},
                  {QStringLiteral("details"), details(m)},
                  {QStringLiteral("capabilities"), QJsonArray::fromStringList(m.capabilities)}};
    insertRemote(o, m);
    return o;
}

QJsonObject OllamaEncoder::psEntry(const ModelInfo &m, const QDateTime &expiresAt)
{
    const QString name = listedName(m.name);
    return {{QStringLiteral("name"), name},
            {QStringLiteral("model"), name},
            {QStringLiteral("size"), 0},
            {QStringLiteral("digest"), QString::fromLatin1(digest(name))},
            {QStringLiteral("details"), details(m)},
            {QStringLiteral("expires_at"), timestamp(expiresAt)},
            {QStringLiteral("size_vram"), 0},
            {QStringLiteral("context_length"), m.contextLength}};
}

QJsonObject OllamaEncoder::show(const ModelInfo &m, const QString &requested, bool copilot)
{
    const QString name = listedName(m.name);
    const QString arch = m.family.isEmpty() ? QStringLiteral("llm") : m.family;
    QJsonObject info{{QStringLiteral("general.architecture"), arch},
                     {QStringLiteral("general.basename"), copilot ? requested : m.name}};
    if (m.contextLength > 0)
        info.insert(arch + QStringLiteral(".context_length"), m.contextLength);
    if (m.embeddingLength > 0)
        info.insert(arch + QStringLiteral(".embedding_length"), m.embeddingLength);

    // Continue parses `parameters` line by line (Go's "%-30s %v") for num_ctx, and
    // enables fill-in-the-middle only when the template mentions .Suffix.
    const QString parameters = m.contextLength > 0
                                   ? QStringLiteral("num_ctx") + QString(30 - 7 + 1, u' ') +
                                         QString::number(m.contextLength)
                                   : QString();
    const QString tmpl = m.has(QStringLiteral("insert"))
                             ? QStringLiteral("{{ .Prompt }}{{ if .Suffix }}{{ .Suffix }}{{ end }}")
                             : QStringLiteral("{{ .Prompt }}");
    QString modelfile = QStringLiteral("# Modelfile generated by \"ollama show\"\n"
                                       "# To build a new Modelfile based on this, replace FROM "
                                       "with:\n# FROM %1\n\nFROM %1\nTEMPLATE \"\"\"%2\"\"\"\n")
                            .arg(name, tmpl);
    if (m.contextLength > 0)
        modelfile += QStringLiteral("PARAMETER num_ctx %1\n").arg(m.contextLength);

    QJsonObject o{{QStringLiteral("modelfile"), modelfile},
                  {QStringLiteral("template"), tmpl},
                  {QStringLiteral("details"), details(m)},
                  {QStringLiteral("model_info"), info},
                  {QStringLiteral("capabilities"), QJsonArray::fromStringList(m.capabilities)},
                  {QStringLiteral("modified_at"), timestamp(m.modifiedAt)}};
    if (!parameters.isEmpty())
        o.insert(QStringLiteral("parameters"), parameters);
    insertRemote(o, m);
    return o;
}

QJsonObject OllamaEncoder::toolCall(const ToolCall &call)
{
    QJsonObject fn{{QStringLiteral("index"), call.index},
                   {QStringLiteral("name"), call.name},
                   {QStringLiteral("arguments"), call.arguments}};
    QJsonObject o{{QStringLiteral("function"), fn}};
    if (!call.id.isEmpty())
        o.insert(QStringLiteral("id"), call.id);
    return o;
}

QJsonObject OllamaEncoder::recommendation(const ModelInfo &m)
{
    // Ollama's api.ModelRecommendation; a remote entry needs both limits (Ollama drops cloud
    // recommendations without them).
    QJsonObject o{
        {QStringLiteral("model"), m.name},
        {QStringLiteral("description"),
         m.upstreamModel == m.name
             ? QStringLiteral("%1 via %2").arg(m.upstreamModel, m.provider)
             : QStringLiteral("%1 (%2 via %3)").arg(m.name, m.upstreamModel, m.provider)}};
    if (m.contextLength > 0)
        o.insert(QStringLiteral("context_length"), m.contextLength);
    if (m.maxOutputTokens > 0)
        o.insert(QStringLiteral("max_output_tokens"), m.maxOutputTokens);
    return o;
}

QByteArray OllamaEncoder::error(const QString &message)
{
    QByteArray out("{\"error\":");
    json::appendString(out, message);
    out += '}';
    return out;
}

const char *OllamaEncoder::doneReason(FinishReason r)
{
    // Ollama has no tool_calls or content_filter reason: such turns end with "stop".
    return r == FinishReason::Length ? "length" : "stop";
}

} // namespace gw
