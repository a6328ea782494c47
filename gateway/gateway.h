#pragma once

#include "config/config.h"
#include "config/listenaddress.h"
#include "config/secretstore.h"
#include "dispatcher.h"
#include "log/requestlog.h"
#include "server/serveroptions.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace gw {

class HttpServer;
class NetworkPool;
class OllamaApi;
class OpenAiApi;

// The facade the app and the UI use: configuration in, start/stop, status and the request log
// out. Lives on one thread (the main thread for `serve`, a worker thread for the tray app).
class Gateway : public QObject
{
    Q_OBJECT
public:
    explicit Gateway(QObject *parent = nullptr);
    ~Gateway() override;

    static QString version();
    static QString ollamaVersion();

    // Bind address precedence: --listen/positional, then OLLAMA_HOST, then the config, then
    // 127.0.0.1:11434.
    static std::optional<ListenAddress> chooseListenAddress(const QString &flag,
                                                            const QString &ollamaHost,
                                                            const QString &configured,
                                                            QString *error);

    void configure(const Config &config,
                   const QDateTime &modifiedAt = QDateTime::currentDateTime());
    // Where provider keys come from; configure() again to apply a change.
    SecretStore &secrets() { return m_secrets; }
    const Config &config() const { return m_config; }

    bool start(const ListenAddress &address, QString *error);
    void stop();
    // Stops accepting, lets answers in flight finish for up to graceMs, ends the rest with a
    // "shutting down" error in their dialect, then stops; `done` runs once it has.
    void stopGracefully(int graceMs, std::function<void()> done);
    bool isRunning() const;
    ListenAddress address() const; // with the real port when 0 was asked for

    RequestLog &log() { return m_log; }
    ChatBackend &backend() { return m_dispatcher; }

signals:
    void requestFinished(const gw::RequestRecord &record);
    void runningChanged(bool running);

private:
    Config m_config;
    QDateTime m_configModified;
    SecretStore m_secrets;
    NetworkPool *m_pool; // child: moves with the gateway to its thread
    ServerOptions m_serverOptions;
    Dispatcher m_dispatcher;
    RequestLog m_log;
    std::unique_ptr<OllamaApi> m_ollama;
    std::unique_ptr<OpenAiApi> m_openai;
    QPointer<HttpServer> m_server;
    ListenAddress m_address;
};

} // namespace gw
