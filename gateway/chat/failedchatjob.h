#pragma once

#include "chatjob.h"

namespace gw {

// A job that fails at once: routing errors and missing keys answer through the same path as
// upstream errors, so every dialect reports them the same way.
class FailedChatJob : public ChatJob
{
    Q_OBJECT
public:
    explicit FailedChatJob(ChatFailure failure, QObject *parent = nullptr)
        : ChatJob(parent), m_failure(std::move(failure))
    {}
    void start() override { deliver(ChatEvent::error(m_failure)); }

private:
    ChatFailure m_failure;
};

} // namespace gw
