#include "openaifields.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrl>

namespace gw::openai {

QString kindOf(const QJsonValue &v)
{
    return JsonFields::kindOf(v);
}

std::optional<QJsonObject> parseBody(const QByteArray &body, QString &err)
{
    return JsonFields::parseRequestBody(body, err);
}

namespace {

QString mimeFromExtension(const QString &url)
{
    const QString path = QUrl(url).path().toLower();
    static const std::pair<QLatin1StringView, QLatin1StringView> types[] = {
        {QLatin1StringView(".png"), QLatin1StringView("image/png")},
        {QLatin1StringView(".jpg"), QLatin1StringView("image/jpeg")},
        {QLatin1StringView(".jpeg"), QLatin1StringView("image/jpeg")},
        {QLatin1StringView(".gif"), QLatin1StringView("image/gif")},
        {QLatin1StringView(".webp"), QLatin1StringView("image/webp")},
    };
    for (const auto &[ext, mime] : types)
        if (path.endsWith(ext))
            return mime;
    return {};
}

} // namespace

bool decodeImage(const QJsonValue &v, const QString &path, QList<ImagePart> &out, QString &err)
{
    QString url;
    QString urlPath = path;
    if (v.isString()) {
        url = v.toString();
    } else if (v.isObject()) {
        urlPath = path + QStringLiteral(".url");
        const QJsonValue u = v.toObject().value(QLatin1StringView("url"));
        if (!u.isString()) {
            err = QStringLiteral("%1 must be a string, not %2").arg(urlPath, kindOf(u));
            return false;
        }
        url = u.toString();
    } else {
        err = QStringLiteral("%1 must be an object {\"url\": ...}, not %2").arg(path, kindOf(v));
        return false;
    }
    if (url.startsWith(u"data:")) {
        const qsizetype comma = url.indexOf(u',');
        if (comma < 0 || !url.left(comma).endsWith(u";base64", Qt::CaseInsensitive)) {
            err = QStringLiteral("%1 must be a base64 data URL (data:image/png;base64,...)")
                      .arg(urlPath);
            return false;
        }
        const QByteArray data = url.toLatin1();
        if (!QByteArray::fromBase64Encoding(data.mid(comma + 1),
                                            QByteArray::AbortOnBase64DecodingErrors)) {
            err = QStringLiteral("%1 holds invalid base64 data").arg(urlPath);
            return false;
        }
        out.append(ImagePart::fromBase64(data));
        return true;
    }
    if (url.startsWith(u"http://", Qt::CaseInsensitive) ||
        url.startsWith(u"https://", Qt::CaseInsensitive)) {
        // Left for the provider to fetch or pass on: most cloud APIs take image URLs directly.
        ImagePart part;
        part.url = url;
        part.mime = mimeFromExtension(url);
        out.append(part);
        return true;
    }
    err = QStringLiteral("%1 must be an http(s) URL or a data: URL").arg(urlPath);
    return false;
}

bool parseArguments(const QJsonValue &args, const QString &path, QJsonObject &out, QString &err)
{
    if (args.isUndefined() || args.isNull())
        return true;
    if (args.isObject()) { // not OpenAI's wire, but what an Ollama-minded client sends
        out = args.toObject();
        return true;
    }
    if (!args.isString()) {
        err = QStringLiteral("invalid tool call arguments: %1 must be a JSON string, not %2")
                  .arg(path, kindOf(args));
        return false;
    }
    const QString text = args.toString();
    if (text.trimmed().isEmpty())
        return true; // a call without arguments
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        err = QStringLiteral("invalid tool call arguments: %1 must hold a JSON object").arg(path);
        return false;
    }
    out = doc.object();
    return true;
}

bool decodeFunction(const QJsonObject &fn, const QString &path, QList<ToolSpec> &out, QString &err)
{
    Fields f(fn, path);
    ToolSpec spec;
    if (!f.string(QLatin1StringView("name"), spec.name) ||
        !f.string(QLatin1StringView("description"), spec.description) ||
        !f.object(QLatin1StringView("parameters"), spec.parameters)) {
        err = f.error();
        return false;
    }
    if (spec.name.isEmpty()) {
        err = QStringLiteral("%1.name is required").arg(path);
        return false;
    }
    // A function without parameters is still a schema for every provider: an empty object.
    if (spec.parameters.isEmpty())
        spec.parameters = QJsonObject{{QStringLiteral("type"), QStringLiteral("object")},
                                      {QStringLiteral("properties"), QJsonObject()}};
    out.append(std::move(spec));
    return true;
}

bool decodeEffort(const QString &effort, const QString &key, Thinking &out, QString &err)
{
    static const std::pair<QLatin1StringView, Thinking> levels[] = {
        {QLatin1StringView("none"), Thinking::Off},
        {QLatin1StringView("minimal"), Thinking::Minimal},
        {QLatin1StringView("low"), Thinking::Low},
        {QLatin1StringView("medium"), Thinking::Medium},
        {QLatin1StringView("high"), Thinking::High},
        {QLatin1StringView("xhigh"), Thinking::Max},
        {QLatin1StringView("max"), Thinking::Max},
    };
    for (const auto &[name, level] : levels) {
        if (effort == name) {
            out = level;
            return true;
        }
    }
    err = QStringLiteral("%1 '%2' is not supported (expected none, minimal, low, medium, high, "
                         "xhigh or max)")
              .arg(key, effort);
    return false;
}

bool checkTopLogprobs(std::optional<int> top, QString &err)
{
    if (!top || (*top >= 0 && *top <= 20))
        return true;
    err = QStringLiteral("Invalid 'top_logprobs': integer %1 the range. Expected a value between "
                         "0 and 20, but got %2 instead.")
              .arg(*top < 0 ? QStringLiteral("below") : QStringLiteral("above"))
              .arg(*top);
    return false;
}

} // namespace gw::openai
