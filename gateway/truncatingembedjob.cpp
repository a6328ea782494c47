#include "truncatingembedjob.h"

namespace gw {

TruncatingEmbedJob::TruncatingEmbedJob(EmbedRequest request, qint64 contextLength, Start start,
                                       QObject *parent)
    : EmbedJob(parent), m_request(std::move(request)), m_context(contextLength),
      m_start(std::move(start))
{}

void TruncatingEmbedJob::start()
{
    m_sent = m_request.inputs;
    attempt();
}

QStringList TruncatingEmbedJob::cut(const QStringList &inputs, qint64 contextLength, int step)
{
    QStringList out;
    out.reserve(inputs.size());
    for (const QString &in : inputs) {
        if (step == 1) {
            out.append(in.left(qsizetype(qMin<qint64>(contextLength * 2, in.size()))));
            continue;
        }
        QByteArray utf8 = in.toUtf8();
        if (utf8.size() > contextLength) {
            utf8.truncate(qsizetype(contextLength));
            // Not in the middle of a character: drop continuation bytes and their lead byte.
            while (!utf8.isEmpty() && (uchar(utf8.back()) & 0xC0) == 0x80)
                utf8.chop(1);
            if (!utf8.isEmpty() && uchar(utf8.back()) >= 0xC0)
                utf8.chop(1);
        }
        out.append(QString::fromUtf8(utf8));
    }
    return out;
}

void TruncatingEmbedJob::attempt()
{
    EmbedRequest request = m_request;
    request.inputs = m_sent;
    m_job = m_start(request, this);
    m_job->setHandler([this](const EmbedResult &result) {
        const bool tooLong = !result.ok() && result.failure->cause == FailureCause::ContextTooLong;
        if (tooLong && m_request.truncate && m_context > 0) {
            // The next cut that changes the inputs; none left: the failure stands.
            while (m_step < 2) {
                const QStringList next = cut(m_request.inputs, m_context, ++m_step);
                if (next != m_sent) {
                    m_sent = next;
                    if (m_job)
                        m_job->deleteLater();
                    return attempt();
                }
            }
        }
        deliver(result);
    });
    m_job->start();
}

} // namespace gw
