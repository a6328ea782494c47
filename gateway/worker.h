#pragma once

#include "config/modelcatalog.h"
#include "dispatcher.h"
#include "http/serveroptions.h"
#include "log/requestrecord.h"
#include "providers/provider.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>

namespace gw {

class AnthropicApi;
class ClientSlots;
class HttpServer;
class NetworkPool;
class OllamaApi;
class OpenAiApi;
class ResponsesApi;

// An immutable snapshot of what a worker serves: made once by the gateway per configure(),
// copied to every worker (Qt's containers share it), which builds its providers from it on its
// own thread.
struct WorkerSetup
{
    ApiLimits limits;
    ModelCatalog catalog;
    QList<ProviderSettings> providers;
};

// What stays one across the workers: /api/ps and the model lists, the per-client limit of
// answers in progress, the hard budgets (checked through `budgetCheck`, which must be
// thread-safe).
struct WorkerShared
{
    std::shared_ptr<DispatcherShared> dispatcher = std::make_shared<DispatcherShared>();
    std::shared_ptr<ClientSlots> clientSlots;
    Dispatcher::BudgetCheck budgetCheck;
};

// One event-loop worker: its own HTTP server (and listening socket), dialects, dispatcher with
// its providers and network pool. Worker 0 lives on the gateway's thread; the others each on a
// thread of their own, reached only through queued calls. Everything here is used on the
// worker's thread alone.
class Worker : public QObject
{
    Q_OBJECT
public:
    Worker(int index, const WorkerShared &shared, QObject *parent = nullptr);
    ~Worker() override;

    int index() const { return m_index; }
    Dispatcher &dispatcher() { return m_dispatcher; }
    NetworkPool &pool() { return *m_pool; }
    HttpServer *server() const { return m_server; }

    // Rebuilds the providers from `setup`; requests in flight keep the provider they started
    // with.
    void configure(const WorkerSetup &setup);
    // A server with `options`, listening on `address` (descriptor < 0) or on the bound and
    // listening socket `descriptor`. On failure says why, and has no server.
    bool listen(const ServerOptions &options, const QHostAddress &address, quint16 port,
                qintptr descriptor, QString *error);
    // Ends every connection and deletes the server.
    void stop();
    // Stops accepting; answers in flight go on (activity() reports them).
    void beginDrain();
    // Ends every answer still going with a "shutting down" error in its dialect.
    void failAll();
    int activeRequests() const;
    int openConnections() const;

signals:
    void requestFinished(const gw::RequestRecord &record); // record.worker set
    // After beginDrain: what is still going, on every change.
    void activity(int worker, int activeRequests, int openConnections);

private:
    int m_index;
    NetworkPool *m_pool; // child
    Dispatcher m_dispatcher;
    std::shared_ptr<ClientSlots> m_clientSlots;
    std::unique_ptr<OllamaApi> m_ollama;
    std::unique_ptr<OpenAiApi> m_openai;
    std::unique_ptr<ResponsesApi> m_responses;
    std::unique_ptr<AnthropicApi> m_anthropic;
    QPointer<HttpServer> m_server;
    bool m_draining = false; // activity() is reported only then
};

} // namespace gw
