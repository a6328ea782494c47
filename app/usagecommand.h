#pragma once

#include <QString>

#include <cstdio>

namespace gw {

// `llm-gateway usage [--since 7d] [--by model|provider|day] [--csv]`: the usage database's
// figures in a terminal, or as CSV. Returns the exit code; errors go to `err`.
struct UsageCommand
{
    QString database;
    QString since = QStringLiteral("7d"); // Nd, Nh, today, month, or a date (yyyy-MM-dd)
    QString by = QStringLiteral("model");
    bool csv = false;

    int run(FILE *out, FILE *err) const;
};

} // namespace gw
