#pragma once

#include "adjustment.h"
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
    // What the provider changed in the request for the model's rules, for the request log; set
    // when the upstream request is built.
    const Adjustments &adjustments() const { return m_adjustments; }
    void setAdjustments(Adjustments adjustments) { m_adjustments = std::move(adjustments); }

protected:
    // Events after the terminal one are dropped, so a provider's late upstream noise is harmless.
    void deliver(const ChatEvent &event);

private:
    Handler m_handler;
    Adjustments m_adjustments;
    bool m_finished = false;
};

} // namespace gw
