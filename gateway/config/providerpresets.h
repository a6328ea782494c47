#pragma once

#include <QList>
#include <QString>

namespace gw {

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

class ProviderPresets
{
public:
    static const QList<ProviderPreset> &all();
    static const ProviderPreset *find(const QString &name);
};

} // namespace gw
