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

// A prompt-cache breakpoint (Anthropic's cache_control): the provider may cache the prompt up to
// and including the part that carries it. Providers without explicit caching ignore it.
struct CacheMark
{
    bool set = false;
    QString ttl; // "5m", "1h"; empty: the provider's default

    bool operator==(const CacheMark &) const = default;
};

// One block of a model's reasoning as its provider signed it, kept so that it can go back
// verbatim: Anthropic refuses a tool loop with thinking on whose thinking blocks are missing or
// changed. Providers that do not sign thinking ignore these.
struct ThinkingBlock
{
    QString text;
    QString signature;
    QString redacted; // a redacted_thinking block's opaque data (text and signature empty)

    bool operator==(const ThinkingBlock &) const = default;
};

struct ChatMessage
{
    Role role = Role::User;
    QString content;
    QString thinking;
    QString thinkingSignature; // provider-specific proof that lets thinking round-trip
    QList<ImagePart> images;
    QList<ToolCall> toolCalls;           // assistant turns
    QString toolCallId;                  // tool results
    QString toolName;                    // tool results
    QList<ThinkingBlock> thinkingBlocks; // assistant turns, in order; `thinking` is their text
    bool toolError = false;              // tool results: the tool reported a failure
    CacheMark cache;                     // a cache breakpoint at the end of this message
};

} // namespace gw
