#pragma once

// The regular expressions gw::redact was first written with, kept as the reference its scanner
// must agree with (tst_redact on generated input, fuzz_redact on any input).

#include <QRegularExpression>
#include <QString>

namespace oracle {

inline QString redact(QString text)
{
    static const QRegularExpression patterns[] = {
        QRegularExpression(QStringLiteral(
            "(?i)(authorization\"?\\s*[:=]\\s*\"?(?:bearer|basic)?\\s*)[^\\s\",}]+")),
        QRegularExpression(QStringLiteral("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{6,}")),
        QRegularExpression(QStringLiteral(
            "(?i)((?:x-api-key|x-goog-api-key|api-key)\"?\\s*[:=]\\s*\"?)[^\\s\",}]+")),
        QRegularExpression(
            QStringLiteral("(?i)([?&](?:key|api_key|apikey|access_token)=)[^&\\s\"]+")),
        QRegularExpression(QStringLiteral("\\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_*-]{8,}")),
        QRegularExpression(QStringLiteral("\\b(hf_)[A-Za-z0-9]{8,}")),
        QRegularExpression(QStringLiteral("\\b(AIza)[0-9A-Za-z_-]{20,}")),
        QRegularExpression(QStringLiteral("\\b(gsk_)[A-Za-z0-9]{8,}")),
        QRegularExpression(
            QStringLiteral("\\b([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s\"]+:)[^@\\s\"/]+(?=@)")),
    };
    for (const QRegularExpression &re : patterns)
        text.replace(re, QStringLiteral("\\1[redacted]"));
    return text;
}

inline QByteArray redact(const QByteArray &text)
{
    return redact(QString::fromUtf8(text)).toUtf8();
}

} // namespace oracle
