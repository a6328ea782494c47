#include "fallbackchatjob.h"

namespace gw {

FallbackChatJob::FallbackChatJob(ChatRequest request, QStringList chain, StartOne startOne,
                                 QObject *parent)
    : ChatJob(parent), m_request(std::move(request)), m_chain(std::move(chain)),
      m_startOne(std::move(startOne))
{}

bool FallbackChatJob::worthFallingBack(int status)
{
    return status != 400 && status != 413 && status != 499;
}

void FallbackChatJob::start()
{
    startAt(0);
}

void FallbackChatJob::startAt(qsizetype index)
{
    m_index = index;
    ChatRequest r = m_request;
    r.model = m_chain.at(index);
    ChatJob *job = m_startOne(r, this);
    m_current = job;
    job->setHandler([this, job](const ChatEvent &e) {
        if (e.type == ChatEvent::Type::Error && !m_output && m_index + 1 < m_chain.size() &&
            worthFallingBack(e.status)) {
            m_failures.append(QStringLiteral("%1: %2").arg(m_chain.at(m_index), e.text));
            job->deleteLater();
            startAt(m_index + 1);
            return;
        }
        if (e.type != ChatEvent::Type::Error)
            m_output = true;
        if (e.type == ChatEvent::Type::Error && !m_failures.isEmpty()) {
            ChatEvent all = e;
            all.text = QStringLiteral("%1 (after fallbacks failed: %2)")
                           .arg(e.text, m_failures.join(QStringLiteral("; ")));
            deliver(all);
            return;
        }
        deliver(e);
    });
    job->start();
}

} // namespace gw
