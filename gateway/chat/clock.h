#pragma once

#include <QtGlobal>

#include <chrono>

namespace gw {

// Monotonic nanoseconds, for Ollama's *_duration fields and the log's timings.
inline qint64 monotonicNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace gw
