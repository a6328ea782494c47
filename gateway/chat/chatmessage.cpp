#include "chatmessage.h"

namespace gw {

QString roleName(Role role)
{
    switch (role) {
    case Role::System:
        return QStringLiteral("system");
    case Role::User:
        return QStringLiteral("user");
    case Role::Assistant:
        return QStringLiteral("assistant");
    case Role::Tool:
        return QStringLiteral("tool");
    }
    return QStringLiteral("user");
}

std::optional<Role> roleFromName(const QString &name)
{
    const QString n = name.toLower();
    if (n == u"system" || n == u"developer")
        return Role::System;
    if (n == u"user")
        return Role::User;
    if (n == u"assistant")
        return Role::Assistant;
    if (n == u"tool")
        return Role::Tool;
    return std::nullopt;
}

static QString sniffMime(const QByteArray &base64)
{
    // Magic numbers of the formats providers accept, compared on the decoded head.
    const QByteArray head = QByteArray::fromBase64(base64.left(24));
    if (head.startsWith("\x89PNG"))
        return QStringLiteral("image/png");
    if (head.startsWith("\xFF\xD8\xFF"))
        return QStringLiteral("image/jpeg");
    if (head.startsWith("GIF8"))
        return QStringLiteral("image/gif");
    if (head.startsWith("RIFF") && head.mid(8, 4) == "WEBP")
        return QStringLiteral("image/webp");
    return QStringLiteral("image/png");
}

ImagePart ImagePart::fromBase64(QByteArray base64)
{
    ImagePart part;
    if (base64.startsWith("data:")) {
        const qsizetype comma = base64.indexOf(',');
        const QByteArray meta = base64.mid(5, comma - 5); // "image/png;base64"
        const qsizetype semi = meta.indexOf(';');
        const QByteArray mime = semi >= 0 ? meta.left(semi) : meta;
        if (!mime.isEmpty())
            part.mime = QString::fromLatin1(mime);
        base64 = comma >= 0 ? base64.mid(comma + 1) : QByteArray();
    }
    part.base64 = std::move(base64);
    if (part.mime.isEmpty())
        part.mime = sniffMime(part.base64);
    return part;
}

QString ImagePart::dataUrl() const
{
    if (!url.isEmpty())
        return url;
    return QStringLiteral("data:") + mime + QStringLiteral(";base64,") +
           QString::fromLatin1(base64);
}

} // namespace gw
