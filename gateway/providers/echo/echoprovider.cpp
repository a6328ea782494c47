#include "echoprovider.h"

#include "echojob.h"

namespace gw {

ChatJob *EchoProvider::chat(const ChatRequest &request, QObject *parent)
{
    const int delay = m_settings.options.value(QLatin1StringView("delay_ms")).toInt(20);
    return new EchoJob(request, qMax(0, delay), parent);
}

} // namespace gw
