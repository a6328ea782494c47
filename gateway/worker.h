#pragma once

#include "config/config.h"
#include "config/modelcatalog.h"
#include "dispatcher.h"
#include "http/serveroptions.h"
#include "log/requestrecord.h"
#include "providers/provider.h"
#include "usage/budgettracker.h"
#include "usage/pricetable.h"

#include <QHostAddress>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QTimer>

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
    std::shared_ptr<const Config> config; // what a finished request cost (its prices)
};

// The records of finished requests, from every worker to the gateway's thread, in the order the
// answers ended. A worker appends at once and wakes the gateway's thread at most every
// Worker::kReportMs; the gateway takes them all. A wake-up of the gateway's thread per request
// landed just as the client sent its next request, and cost that request's first chunk
// 0.1-0.2 ms on a 2-core machine (issue #15).
class RecordQueue
{
public:
    void append(RequestRecord record)
    {
        const QMutexLocker lock(&m_mutex);
        m_records.append(std::move(record));
    }
    QList<RequestRecord> take()
    {
        const QMutexLocker lock(&m_mutex);
        return std::exchange(m_records, {});
    }

private:
    QMutex m_mutex;
    QList<RequestRecord> m_records;
};

// What stays one across the workers: /api/ps and the model lists, the per-client limit of
// answers in progress, the hard budgets (checked through `budgetCheck`, which must be
// thread-safe; each finished request's cost is added to `budgets`, thread-safe too, by the
// worker that answered it, so that the next request is checked against it), and the queue of
// finished requests' records.
struct WorkerShared
{
    std::shared_ptr<DispatcherShared> dispatcher = std::make_shared<DispatcherShared>();
    std::shared_ptr<ClientSlots> clientSlots;
    Dispatcher::BudgetCheck budgetCheck;
    BudgetTracker *budgets = nullptr;
    std::shared_ptr<RecordQueue> records = std::make_shared<RecordQueue>();
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

    // How long a finished request's record may wait in the queue for others before the
    // gateway's thread is woken to take them.
    static constexpr int kReportMs = 50;

    // What `record` cost by the prices of `config`; a refused request that used no tokens, 0.
    static Cost costOf(const Config &config, const RequestRecord &record);

signals:
    // Records are waiting in WorkerShared::records (each redacted, with its worker and cost).
    void recordsWaiting();
    // A finished request's cost took budgets past 80 % or 100 %.
    void budgetAlerts(const QList<gw::BudgetAlert> &alerts);
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
    BudgetTracker *m_budgets;
    std::shared_ptr<RecordQueue> m_records;
    std::shared_ptr<const Config> m_config;
    QTimer m_reportTimer;

    void finished(const RequestRecord &record);
};

} // namespace gw
