#include "redact.h"

#include <QRegularExpression>

namespace gw {

QString redact(QString text)
{
    static const QRegularExpression patterns[] = {
        // header values and query parameters
        QRegularExpression(QStringLiteral(
            "(?i)(authorization\"?\\s*[:=]\\s*\"?(?:bearer|basic)?\\s*)[^\\s\",}]+")),
        QRegularExpression(QStringLiteral("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{6,}")),
        QRegularExpression(QStringLiteral(
            "(?i)((?:x-api-key|x-goog-api-key|api-key)\"?\\s*[:=]\\s*\"?)[^\\s\",}]+")),
        QRegularExpression(
            QStringLiteral("(?i)([?&](?:key|api_key|apikey|access_token)=)[^&\\s\"]+")),
        // keys by their prefixes: keep the prefix so a user can tell which key it was
        QRegularExpression(QStringLiteral("\\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_*-]{8,}")),
        QRegularExpression(QStringLiteral("\\b(hf_)[A-Za-z0-9]{8,}")),
        QRegularExpression(QStringLiteral("\\b(AIza)[0-9A-Za-z_-]{20,}")),
        QRegularExpression(QStringLiteral("\\b(gsk_)[A-Za-z0-9]{8,}")),
        // the password of credentials in a URL (proxies: http://user:password@host)
        QRegularExpression(
            QStringLiteral("\\b([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s\"]+:)[^@\\s\"/]+(?=@)")),
    };
    for (const QRegularExpression &re : patterns)
        text.replace(re, QStringLiteral("\\1[redacted]"));
    return text;
}

QByteArray redact(const QByteArray &text)
{
    return redact(QString::fromUtf8(text)).toUtf8();
}

} // namespace gw
