#pragma once

// A list parsed from a response (NDJSON lines, SSE frames, request records) that may hold
// fewer items than the test expects. Reading past its end gives an empty item and a warning
// instead of undefined behaviour, so the check that follows fails that one test function
// rather than crashing the whole binary. Only reading is offered.

#include <QList>
#include <QtGlobal>

namespace gwtest {

template <typename T> class CheckedList : public QList<T>
{
public:
    CheckedList() = default;
    CheckedList(const QList<T> &list) : QList<T>(list) {}
    CheckedList(QList<T> &&list) : QList<T>(std::move(list)) {}

    const T &at(qsizetype i) const
    {
        if (i >= 0 && i < this->size())
            return QList<T>::at(i);
        qWarning("reading item %lld of a list of %lld: an empty item instead", qlonglong(i),
                 qlonglong(this->size()));
        return m_none;
    }
    const T &operator[](qsizetype i) const { return at(i); }
    const T &first() const { return at(0); }
    const T &last() const { return at(this->size() - 1); }
    const T &front() const { return first(); }
    const T &back() const { return last(); }

private:
    T m_none{};
};

} // namespace gwtest
