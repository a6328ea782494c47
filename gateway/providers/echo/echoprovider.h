#pragma once

#include "providers/provider.h"

namespace gw {

// The built-in model that needs no key and no network. It answers from the request itself, so a
// new user can check that a client works before entering any key, and tests get deterministic
// answers. docs/architecture.md lists its behaviours (echo, thinking, tool calls, errors).
// Options: "delay_ms" between streamed words (default 20).
class EchoProvider : public Provider
{
public:
    EchoProvider(ProviderSettings settings, NetworkPool &) : Provider(std::move(settings)) {}
    ChatJob *chat(const ChatRequest &request, QObject *parent) override;
    // Deterministic bag-of-words vectors (64 dimensions unless asked otherwise): texts that
    // share words are close, which is enough to exercise embedding clients.
    EmbedJob *embed(const EmbedRequest &request, QObject *parent) override;
    static EmbedResult vectors(const EmbedRequest &request);
};

} // namespace gw
