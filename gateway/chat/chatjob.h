#pragma once

#include "chatevent.h"

#include <QObject>

#include <functional>

namespace gw {

// One model call in flight. The owner sets a handler and calls start(); events follow (possibly
// before start() returns), ending with exactly one Finish or Error. Deleting the job cancels it:
// a subclass aborts its upstream request in its destructor.
class ChatJob : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const ChatEvent &)>;

    explicit ChatJob(QObject *parent = nullptr) : QObject(parent) {}

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    virtual void start() = 0;
    bool isFinished() const { return m_finished; }
    // Ends the answer with an error from outside (the gateway shutting down); the client gets it
    // the way it gets an upstream error.
    void fail(const ChatFailure &failure) { deliver(ChatEvent::error(failure)); }

protected:
    // Events after the terminal one are dropped, so a provider's late upstream noise is harmless.
    void deliver(const ChatEvent &event);

private:
    Handler m_handler;
    bool m_finished = false;
};

} // namespace gw
