#pragma once

#include "chatjob.h"

namespace gw {

// A job that fails at once: routing errors and missing keys answer through the same path as
// upstream errors, so every dialect reports them the same way.
class FailedChatJob : public ChatJob
{
    Q_OBJECT
public:
    FailedChatJob(int status, QString message, QObject *parent = nullptr)
        : ChatJob(parent), m_status(status), m_message(std::move(message))
    {}
    void start() override { deliver(ChatEvent::error(m_status, m_message)); }

private:
    int m_status;
    QString m_message;
};

} // namespace gw
