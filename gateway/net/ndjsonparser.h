#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace gw {

// Incremental newline-delimited JSON splitter: bytes in as they arrive, complete non-blank lines
// out (without the line end; a trailing CR is dropped). finish() returns an unterminated last line.
class NdjsonParser
{
public:
    explicit NdjsonParser(qsizetype maxLineBytes = 16 * 1024 * 1024) : m_max(maxLineBytes) {}

    QList<QByteArray> feed(const QByteArray &bytes);
    QList<QByteArray> finish();

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }

private:
    QByteArray m_buf;
    qsizetype m_max;
    QString m_error;
};

} // namespace gw
