#include "worker.h"

#include "api/anthropic/anthropicapi.h"
#include "api/ollama/ollamaapi.h"
#include "api/openai/openaiapi.h"
#include "api/responses/responsesapi.h"
#include "chat/chatjob.h"
#include "http/httpserver.h"
#include "log/requestlog.h"
#include "net/networkpool.h"
#include "providers/providerregistry.h"
#include "version.h"

#include <utility>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace gw {

Worker::Worker(int index, const WorkerShared &shared, QObject *parent)
    : QObject(parent), m_index(index), m_pool(new NetworkPool(this)),
      m_clientSlots(shared.clientSlots), m_budgets(shared.budgets), m_records(shared.records),
      m_reportTimer(this)
{
    m_reportTimer.setSingleShot(true);
    m_reportTimer.setInterval(kReportMs);
    connect(&m_reportTimer, &QTimer::timeout, this, &Worker::recordsWaiting);
    m_dispatcher.setShared(shared.dispatcher);
    m_dispatcher.setBudgetCheck(shared.budgetCheck);
    m_ollama = std::make_unique<OllamaApi>(m_dispatcher, QStringLiteral(LLMGW_OLLAMA_VERSION));
    m_openai = std::make_unique<OpenAiApi>(m_dispatcher);
    m_responses = std::make_unique<ResponsesApi>(m_dispatcher);
    m_anthropic = std::make_unique<AnthropicApi>(m_dispatcher);
}

Worker::~Worker()
{
    stop();
}

void Worker::configure(const WorkerSetup &setup)
{
    m_ollama->setLimits(setup.limits);
    m_openai->setLimits(setup.limits);
    m_responses->setLimits(setup.limits);
    m_anthropic->setLimits(setup.limits);
    m_config = setup.config;
    m_dispatcher.clearProviders();
    m_dispatcher.setCatalog(setup.catalog);
    for (const ProviderSettings &settings : setup.providers)
        if (auto provider = ProviderRegistry::create(settings, *m_pool))
            m_dispatcher.setProvider(settings.name, std::move(provider));
}

bool Worker::listen(const ServerOptions &options, const QHostAddress &address, quint16 port,
                    qintptr descriptor, QString *error)
{
    stop();
    m_draining = false;
    auto *server = new HttpServer(options, this);
    if (m_clientSlots)
        server->setClientSlots(m_clientSlots);
    server->addDialect(m_ollama->dialect());
    server->addDialect(m_openai->dialect());
    server->addDialect(m_responses->dialect());
    server->addDialect(m_anthropic->dialect());
    const bool ok = descriptor < 0 ? server->listen(address, port, error)
                                   : server->listenOnDescriptor(descriptor, error);
    if (!ok) {
#ifdef Q_OS_UNIX
        if (descriptor >= 0)
            ::close(int(descriptor));
#endif
        delete server;
        return false;
    }
    connect(server, &HttpServer::requestFinished, this, &Worker::finished);
    connect(server, &HttpServer::activityChanged, this, [this] {
        if (m_draining)
            emit activity(m_index, activeRequests(), openConnections());
    });
    m_server = server;
    return true;
}

void Worker::finished(const RequestRecord &record)
{
    // Client bodies may carry keys (a key pasted into a prompt, an echoed header): mask them
    // here, on the worker's thread, before the record reaches the log, its file or a window.
    RequestRecord r = RequestLog::redacted(record);
    r.worker = m_index;
    if (r.modelCall && m_config) {
        const Cost c = costOf(*m_config, r);
        r.cost = c.cost.value_or(-1);
        r.saved = c.saved.value_or(-1);
        if (c.cost && !r.provider.isEmpty() && m_budgets) {
            const QList<BudgetAlert> alerts =
                m_budgets->add(r.provider, *c.cost, r.started.toLocalTime().date());
            if (!alerts.isEmpty())
                emit budgetAlerts(alerts);
        }
    }
    m_records->append(std::move(r));
    if (!m_reportTimer.isActive())
        m_reportTimer.start();
}

Cost Worker::costOf(const Config &config, const RequestRecord &r)
{
    const TokenCounts tokens{r.promptTokens, r.completionTokens, r.cachedTokens, r.cacheWriteTokens,
                             r.reasoningTokens};
    // A refused request without any token counts was not billed.
    if (r.status >= 400 && tokens.input < 0 && tokens.output < 0)
        return {0.0, std::nullopt};
    QString type;
    if (const ProviderConfig *p = config.provider(r.provider))
        type = p->type;
    else if (const ProviderPreset *preset = ProviderRegistry::preset(r.provider))
        type = QString::fromLatin1(preset->type);
    else if (r.provider.compare(u"echo", Qt::CaseInsensitive) == 0)
        type = QStringLiteral("echo");
    return PriceTable::cost(PriceTable::forRequest(config, type, r.model, r.upstreamModel), tokens);
}

void Worker::stop()
{
    // Cleared first: aborting the connections reports activity, which may stop again.
    HttpServer *server = std::exchange(m_server, nullptr);
    m_draining = false;
    if (!server)
        return;
    server->shutdown();
    server->deleteLater();
}

void Worker::beginDrain()
{
    m_draining = true;
    if (m_server)
        m_server->beginDrain();
    emit activity(m_index, activeRequests(), openConnections());
}

void Worker::failAll()
{
    if (!m_server)
        return;
    for (ChatJob *job : m_server->findChildren<ChatJob *>())
        job->fail(ChatFailure{FailureCause::ShuttingDown, 503});
}

int Worker::activeRequests() const
{
    return m_server ? m_server->activeRequests() : 0;
}

int Worker::openConnections() const
{
    return m_server ? m_server->openConnections() : 0;
}

} // namespace gw
