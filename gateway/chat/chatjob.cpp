#include "chatjob.h"

namespace gw {

void ChatJob::deliver(const ChatEvent &event)
{
    if (m_finished)
        return;
    if (event.type == ChatEvent::Type::Finish || event.type == ChatEvent::Type::Error)
        m_finished = true;
    if (m_handler)
        m_handler(event);
}

} // namespace gw
