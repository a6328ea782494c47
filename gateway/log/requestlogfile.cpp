#include "requestlogfile.h"

#include "log/adjustmenttext.h"
#include "log/requestlog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

namespace gw {

namespace {

constexpr auto kFilePermissions = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr auto kDirPermissions =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;

} // namespace

RequestLogFile::RequestLogFile(const QString &path, QObject *parent)
    : RequestLogFile(path, Options{}, parent)
{}

RequestLogFile::RequestLogFile(const QString &path, const Options &options, QObject *parent)
    : QObject(parent), m_path(path), m_options(options)
{
    m_options.files = qMax(1, m_options.files);
    m_timer.setSingleShot(true);
    m_timer.setInterval(m_options.flushMs);
    connect(&m_timer, &QTimer::timeout, this, &RequestLogFile::flush);
}

RequestLogFile::~RequestLogFile()
{
    flush();
}

QString RequestLogFile::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/llm-gateway/logs/requests.jsonl");
}

QString RequestLogFile::rotatedPath(int n) const
{
    return m_path + u'.' + QString::number(n);
}

QByteArray RequestLogFile::toJsonLine(const RequestRecord &record)
{
    // The Gateway's records come redacted (then this is a no-op); others are masked here.
    const RequestRecord r = RequestLog::redacted(record);
    QJsonObject o;
    o.insert(QStringLiteral("id"), qint64(r.id));
    // With the UTC offset, so lines from different machines or seasons compare.
    o.insert(QStringLiteral("time"),
             r.started.toOffsetFromUtc(r.started.offsetFromUtc()).toString(Qt::ISODateWithMs));
    o.insert(QStringLiteral("client"), r.client);
    o.insert(QStringLiteral("method"), r.method);
    o.insert(QStringLiteral("path"), r.path);
    o.insert(QStringLiteral("dialect"), r.dialect);
    if (r.app != ClientApp::Unknown)
        o.insert(QStringLiteral("app"), clientAppId(r.app));
    o.insert(QStringLiteral("model"), r.model);
    o.insert(QStringLiteral("provider"), r.provider);
    o.insert(QStringLiteral("upstream_model"), r.upstreamModel);
    o.insert(QStringLiteral("status"), r.status);
    o.insert(QStringLiteral("streamed"), r.streamed);
    if (r.firstTokenMs >= 0)
        o.insert(QStringLiteral("ttft_ms"), r.firstTokenMs);
    o.insert(QStringLiteral("duration_ms"), r.durationMs);
    if (r.promptTokens >= 0)
        o.insert(QStringLiteral("prompt_tokens"), r.promptTokens);
    if (r.completionTokens >= 0)
        o.insert(QStringLiteral("completion_tokens"), r.completionTokens);
    if (r.cachedTokens >= 0)
        o.insert(QStringLiteral("cached_tokens"), r.cachedTokens);
    if (r.cacheWriteTokens >= 0)
        o.insert(QStringLiteral("cache_write_tokens"), r.cacheWriteTokens);
    if (r.reasoningTokens >= 0)
        o.insert(QStringLiteral("reasoning_tokens"), r.reasoningTokens);
    if (r.cost >= 0)
        o.insert(QStringLiteral("cost_usd"), r.cost);
    if (r.saved >= 0)
        o.insert(QStringLiteral("saved_usd"), r.saved);
    if (!r.error.isEmpty())
        o.insert(QStringLiteral("error"), r.error);
    if (!r.adjustments.isEmpty()) {
        QJsonArray adjusted;
        for (const Adjustment &a : r.adjustments)
            adjusted.append(adjustmentText(a));
        o.insert(QStringLiteral("adjusted"), adjusted);
    }
    if (!r.requestBody.isEmpty())
        o.insert(QStringLiteral("request_body"), QString::fromUtf8(r.requestBody));
    if (!r.responseBody.isEmpty())
        o.insert(QStringLiteral("response_body"), QString::fromUtf8(r.responseBody));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void RequestLogFile::append(const RequestRecord &record)
{
    m_buffer += toJsonLine(record);
    m_buffer += '\n';
    if (m_buffer.size() >= m_options.flushBytes)
        flush();
    else if (!m_timer.isActive())
        m_timer.start();
}

bool RequestLogFile::ensureDir()
{
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(dir)) {
        m_error = tr("cannot create the log folder %1").arg(dir);
        return false;
    }
    QFile::setPermissions(dir, kDirPermissions);
    return true;
}

void RequestLogFile::rotate()
{
    QFile::remove(rotatedPath(m_options.files - 1));
    for (int n = m_options.files - 2; n >= 1; --n)
        QFile::rename(rotatedPath(n), rotatedPath(n + 1));
    if (m_options.files > 1)
        QFile::rename(m_path, rotatedPath(1));
    else
        QFile::remove(m_path);
    m_size = 0;
}

bool RequestLogFile::flush()
{
    m_timer.stop();
    if (m_buffer.isEmpty())
        return true;
    if (m_size < 0) {
        if (!ensureDir()) {
            m_buffer.clear();
            emit writeFailed(m_error);
            return false;
        }
        m_size = QFileInfo(m_path).size();
    }
    // Rotate at line boundaries: a batch that would cross the limit starts a new file (a single
    // batch larger than the limit still goes whole into one file).
    if (m_size > 0 && m_size + m_buffer.size() > m_options.maxBytes)
        rotate();
    QFile f(m_path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append, kFilePermissions)) {
        m_error = tr("cannot write the request log %1: %2").arg(m_path, f.errorString());
        m_buffer.clear();
        m_size = -1;
        emit writeFailed(m_error);
        return false;
    }
    // A file made before (or by someone else) keeps user-only permissions too.
    f.setPermissions(kFilePermissions);
    const qint64 written = f.write(m_buffer);
    f.close();
    m_buffer.clear();
    if (written < 0) {
        m_error = tr("cannot write the request log %1: %2").arg(m_path, f.errorString());
        m_size = -1;
        emit writeFailed(m_error);
        return false;
    }
    m_size += written;
    return true;
}

} // namespace gw
