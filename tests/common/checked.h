#pragma once

// Reading what a test expects to be there, without undefined behaviour when it is not: the
// check that follows then fails that one test function instead of crashing the binary.

#include <QtGlobal>

#include <optional>

namespace gwtest {

// The value `o` holds; T{} and a warning when it holds none.
template <typename T> T valueOf(const std::optional<T> &o)
{
    if (o)
        return *o;
    qWarning("an optional the test expected to hold a value is empty");
    return T{};
}

} // namespace gwtest
