#pragma once

#include "sseevent.h"

#include <QList>
#include <QString>

namespace gw {

// Incremental Server-Sent Events parser (WHATWG rules): bytes in as they arrive, complete
// events out. Lines end in CRLF, LF or CR (a CR at the end of one read may pair with an LF at
// the start of the next); comments are skipped; "data" lines accumulate. finish() returns a
// last event the stream did not end with a blank line (Gemini does that).
class SseParser
{
public:
    explicit SseParser(qsizetype maxEventBytes = 16 * 1024 * 1024) : m_max(maxEventBytes) {}

    QList<SseEvent> feed(const QByteArray &bytes);
    QList<SseEvent> finish();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

private:
    void line(QByteArrayView l, QList<SseEvent> &out);
    void dispatch(QList<SseEvent> &out);

    QByteArray m_buf;
    qsizetype m_pos = 0;
    bool m_skipLf = false;
    bool m_started = false;
    bool m_hasData = false;
    SseEvent m_event;
    qsizetype m_max;
    QString m_error;
};

} // namespace gw
