#pragma once

#include "chat/modelinfo.h"
#include "config.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace gw {

// Model names → routes. Names match case-insensitively with ":latest" implied; "provider/model"
// routes straight to a configured provider; the built-in "echo" model is always there.
class ModelCatalog
{
public:
    ModelCatalog() = default;
    ModelCatalog(const Config &config, const QDateTime &modifiedAt);

    QList<ModelInfo> models() const { return m_models; }
    std::optional<ModelInfo> resolve(const QString &name) const;
    // Models discovered from a provider's model list, listed as "provider/model".
    void setDiscovered(const QString &provider, const QStringList &modelIds);

private:
    ModelInfo describe(const QString &name, const ProviderConfig &provider, const QString &model,
                       qint64 contextLength, const QStringList &capabilities) const;

    Config m_config;
    QDateTime m_modifiedAt;
    QList<ModelInfo> m_models;
};

} // namespace gw
