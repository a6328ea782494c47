#pragma once

#include "embedrequest.h"

#include <QObject>

#include <functional>

namespace gw {

// One embeddings call in flight; delivers exactly one result. Deleting it cancels it.
class EmbedJob : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const EmbedResult &)>;

    explicit EmbedJob(QObject *parent = nullptr) : QObject(parent) {}
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    virtual void start() = 0;

protected:
    void deliver(const EmbedResult &result)
    {
        if (m_done)
            return;
        m_done = true;
        if (m_handler)
            m_handler(result);
    }

private:
    Handler m_handler;
    bool m_done = false;
};

class FailedEmbedJob : public EmbedJob
{
    Q_OBJECT
public:
    explicit FailedEmbedJob(ChatFailure failure, QObject *parent = nullptr)
        : EmbedJob(parent), m_result(EmbedResult::failed(std::move(failure)))
    {}
    void start() override { deliver(m_result); }

private:
    EmbedResult m_result;
};

} // namespace gw
