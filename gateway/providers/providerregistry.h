#pragma once

#include "provider.h"

#include <QStringList>

#include <memory>

namespace gw {

class JsonFields;

// The provider types this build knows. Adding a provider is one folder and one line in the
// .cpp's table.
class ProviderRegistry
{
public:
    static QStringList types();
    static std::unique_ptr<Provider> create(const ProviderSettings &settings, NetworkPool &pool);
    // Config::OptionsCheck: reads a provider's options as the provider will (ProviderOptions).
    static bool checkOptions(const QString &type, JsonFields &options);
};

} // namespace gw
