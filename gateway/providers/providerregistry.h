#pragma once

#include "provider.h"

#include <QList>
#include <QStringList>

#include <memory>
#include <optional>

namespace gw {

class JsonFields;

// Well-known services with their real base URLs, so a user only adds a key: a provider entry
// named after a preset needs no type or base_url, and a preset whose key is found (keychain,
// environment, .env) is available as "name/model" without any entry at all.
struct ProviderPreset
{
    const char *name;
    const char *type;
    const char *baseUrl;
    const char *label; // for the settings window
};

// The provider types this build knows, each described once: its factory, whether it needs a
// key, the variables its own SDKs read the key from, whether it can list its models; and the
// presets, which are services of those types. The config, the secret store, the gateway and the
// settings window ask here instead of comparing type strings. Adding a provider is one folder
// and one line in the .cpp's table.
class ProviderRegistry
{
public:
    enum class KeyNeed {
        Never,  // echo
        Remote, // needed unless the base URL is on this machine or the LAN (or requires_key)
    };

    static QStringList types();
    static bool known(const QString &type);
    static KeyNeed keyNeed(const QString &type); // Remote for a type nothing here knows
    static std::unique_ptr<Provider> create(const ProviderSettings &settings, NetworkPool &pool);
    // Config::OptionsCheck: reads a provider's options as the provider will (ProviderOptions).
    static bool checkOptions(const QString &type, JsonFields &options);

    static const QList<ProviderPreset> &presets();
    static const ProviderPreset *preset(const QString &name); // case-insensitive
    // The base URL a provider uses: the configured one, else its preset's when the provider is
    // named after a preset of its type, else empty (the type's default). The one place the
    // preset's URL is filled in.
    static QString baseUrl(const QString &name, const QString &type, const QString &configured);

    // Whether a provider of `type` at `baseUrl` needs a key; `requiresKey` is the option that
    // overrides it for OpenAI-compatible servers.
    static bool needsKey(const QString &type, const QString &baseUrl,
                         std::optional<bool> requiresKey = std::nullopt);
    // The environment variables tried for a provider's key, in order: NAME_API_KEY, then the
    // type's own (OPENAI_API_KEY …) when the provider carries the type's name, or always for
    // types whose variables are not per-service (HF_TOKEN).
    static QStringList keyVariables(const QString &name, const QString &type);
    static bool canListModels(const QString &type); // listing without list_models (TGI, Azure)
};

} // namespace gw
