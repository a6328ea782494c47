#pragma once

#include "log/requestrecord.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

namespace gw {

// The request log on disk: one JSON object per line (JSONL), secrets redacted, user-only
// permissions (file 0600, folder 0700), rotated by size (requests.jsonl, .1, .2 …). Records are
// buffered and written in batches from a short timer, so the thread that appends (the gateway
// thread) never waits on the disk for each request.
class RequestLogFile : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 maxBytes = 10 * 1024 * 1024; // rotate once the file would grow past this
        int files = 3;                      // the current file and files-1 older ones
        int flushMs = 500;                  // how long a record may wait in memory
        qsizetype flushBytes = 64 * 1024;   // write at once when this much is waiting
    };

    explicit RequestLogFile(const QString &path, QObject *parent = nullptr);
    RequestLogFile(const QString &path, const Options &options, QObject *parent = nullptr);
    ~RequestLogFile() override; // writes what is still buffered

    void append(const RequestRecord &record);
    bool flush();

    QString path() const { return m_path; }
    QString lastError() const { return m_error; }
    // The path of rotated file n (1 = the most recent).
    QString rotatedPath(int n) const;

    // The default place: <GenericDataLocation>/llm-gateway/logs/requests.jsonl.
    static QString defaultPath();
    // One line, without the newline; bodies and error text redacted (once: see
    // RequestRecord::redacted).
    static QByteArray toJsonLine(const RequestRecord &record);

signals:
    void writeFailed(const QString &error);

private:
    bool ensureDir();
    void rotate();

    QString m_path;
    Options m_options;
    QByteArray m_buffer;
    QTimer m_timer;
    qint64 m_size = -1; // of the current file, -1 until known
    QString m_error;
};

} // namespace gw
