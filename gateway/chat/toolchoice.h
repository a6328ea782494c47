#pragma once

#include <QString>

namespace gw {

// Which tools the model may or must call, decoded once from the dialect's own form (OpenAI's
// "auto" / "none" / "required" / {"type":"function",...}, Anthropic's auto / any / tool / none,
// the Responses API's forms) and read by providers as a value.
struct ToolChoice
{
    enum class Mode { Unset, Auto, None, Required, Named };
    Mode mode = Mode::Unset; // Unset: the provider's default
    QString name;            // Named: the tool that must be called

    static ToolChoice named(QString tool) { return {Mode::Named, std::move(tool)}; }
    bool operator==(const ToolChoice &) const = default;
};

} // namespace gw
