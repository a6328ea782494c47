// libFuzzer target: the config loader on arbitrary bytes, with the provider registry's check of
// the options. A config that loads must validate as a typed value, save and load back equal.
#include "fuzzsupport.h"

#include "config/config.h"
#include "gateway.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const gw::Config::ProviderRules rules = gw::Gateway::configRules();
    QString error;
    const auto c =
        gw::Config::fromJson(fuzz::bytes(data, size), QStringLiteral("config.json"), rules, &error);
    if (!c) {
        if (!error.startsWith(QStringLiteral("config.json")))
            fuzz::fail("a refusal that does not name the file");
        return 0;
    }
    if (!c->validate(rules, &error))
        fuzz::fail("a loaded config that does not validate as a value");
    const auto back = gw::Config::fromJson(c->toJson(), QString(), rules, &error);
    if (!back || back->providers != c->providers || back->models != c->models ||
        back->server != c->server || back->listen != c->listen)
        fuzz::fail("a loaded config that does not round-trip");
    return 0;
}
