#pragma once

#include "toolcall.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace gw {

enum class Role { System, User, Assistant, Tool };

QString roleName(Role role);
std::optional<Role> roleFromName(const QString &name); // case-insensitive; "developer" = system

// An image attached to a message: inline base64 data with its mime type, or a URL.
struct ImagePart
{
    QString mime;      // e.g. "image/png"; sniffed from the bytes when the client gave none
    QByteArray base64; // bare base64, no data: prefix
    QString url;       // set instead of base64 for remote images

    static ImagePart fromBase64(QByteArray base64); // strips a data: URL prefix, sniffs the mime
    QString dataUrl() const;
};

struct ChatMessage
{
    Role role = Role::User;
    QString content;
    QString thinking;
    QString thinkingSignature; // provider-specific proof that lets thinking round-trip
    QList<ImagePart> images;
    QList<ToolCall> toolCalls; // assistant turns
    QString toolCallId;        // tool results
    QString toolName;          // tool results
};

} // namespace gw
