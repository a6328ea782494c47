#pragma once

#include "chat/chatjob.h"
#include "chat/chatrequest.h"

#include <QList>
#include <QTimer>

namespace gw {

class EchoJob : public ChatJob
{
    Q_OBJECT
public:
    EchoJob(const ChatRequest &request, int delayMs, QObject *parent);
    void start() override;

    // The answer as a list of events, before pacing: exposed for unit tests.
    static QList<ChatEvent> plan(const ChatRequest &request);

private:
    void step();

    QList<ChatEvent> m_events;
    qsizetype m_next = 0;
    QTimer m_timer;
};

} // namespace gw
