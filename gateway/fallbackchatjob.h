#pragma once

#include "chat/chatjob.h"
#include "chat/chatrequest.h"

#include <QPointer>
#include <QStringList>

#include <functional>

namespace gw {

// Tries a model and, when it fails before any output, the next one of its fallback chain
// ("fallbacks" in the config). Once anything has been sent on, the answer is that model's:
// output is never mixed or repeated.
class FallbackChatJob : public ChatJob
{
    Q_OBJECT
public:
    using StartOne = std::function<ChatJob *(ChatRequest request, QObject *parent)>;

    FallbackChatJob(ChatRequest request, QStringList chain, StartOne startOne, QObject *parent);
    void start() override;

    // A failure worth another model: not the client's own mistake, nor the client gone.
    static bool worthFallingBack(const ChatFailure &failure);

private:
    void startAt(qsizetype index);

    ChatRequest m_request;
    QStringList m_chain;
    StartOne m_startOne;
    QPointer<ChatJob> m_current;
    qsizetype m_index = 0;
    bool m_output = false;
    std::vector<EarlierFailure> m_failures;
};

} // namespace gw
