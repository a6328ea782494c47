#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

namespace gw {

struct ListenAddress
{
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 11434;

    static constexpr quint16 kDefaultPort = 11434;

    // "HOST:PORT", "HOST", ":PORT" (all interfaces), "[::1]:PORT", with an optional http://.
    static std::optional<ListenAddress> parse(const QString &text, QString *error);
    // OLLAMA_HOST as `ollama serve` reads it: quotes stripped, http:// means port 80, https://
    // 443, no scheme 11434; an unparsable port falls back to the default.
    static std::optional<ListenAddress> fromOllamaHost(const QString &value, QString *error);

    bool isLoopback() const { return host.isLoopback(); }
    QString toString() const; // "127.0.0.1:11434", "[::1]:11434", "0.0.0.0:11434"
    QString url() const;      // what a client should use: http://127.0.0.1:11434
};

} // namespace gw
