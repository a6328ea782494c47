#pragma once

#include "log/requestrecord.h"

#include <QList>
#include <QObject>

namespace gw {

// How many recent requests the log, and the desktop's log window, keep.
inline constexpr qsizetype kRecentRequests = 2000;

// The most recent requests, in a ring buffer of fixed size so memory stays bounded however long
// the gateway runs.
class RequestLog : public QObject
{
    Q_OBJECT
public:
    explicit RequestLog(qsizetype capacity = kRecentRequests, QObject *parent = nullptr);

    void append(const RequestRecord &record);
    QList<RequestRecord> records() const; // oldest first
    qsizetype capacity() const { return m_capacity; }
    quint64 total() const { return m_total; }
    void clear();

    // The one-line form printed by `serve`: time, client, method, path, model, status, timings.
    static QString line(const RequestRecord &record);
    // The record with anything key-like masked in its bodies and error text: what the log, its
    // file and its window may hold. A record already redacted is returned as it is, so a record
    // is masked once however many sinks it passes.
    static RequestRecord redacted(RequestRecord record);

signals:
    void appended(const gw::RequestRecord &record);

private:
    qsizetype m_capacity;
    QList<RequestRecord> m_ring;
    qsizetype m_head = 0; // next slot to overwrite once full
    quint64 m_total = 0;
};

} // namespace gw
