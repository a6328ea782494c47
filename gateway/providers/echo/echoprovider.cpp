#include "echoprovider.h"

#include "echojob.h"

#include <algorithm>

#include <QRegularExpression>
#include <QTimer>

namespace gw {

ChatJob *EchoProvider::chat(const ChatRequest &request, QObject *parent)
{
    return new EchoJob(request, m_providerOptions.delayMs.value_or(20), parent);
}

namespace {

class EchoEmbedJob : public EmbedJob
{
public:
    EchoEmbedJob(EmbedResult result, QObject *parent)
        : EmbedJob(parent), m_result(std::move(result))
    {}
    // Answer from the event loop, like any upstream would.
    void start() override
    {
        QTimer::singleShot(0, this, [this] { deliver(m_result); });
    }

private:
    EmbedResult m_result;
};

// The same vectors on every machine: qHash of a string uses AES instructions where the CPU has
// them, so its values differ from one machine to the next.
quint64 fnv1a(const QString &word)
{
    quint64 h = 14695981039346656037ull;
    for (const char c : word.toUtf8()) {
        h ^= quint8(c);
        h *= 1099511628211ull;
    }
    return h;
}

} // namespace

EmbedResult EchoProvider::vectors(const EmbedRequest &request)
{
    static const QRegularExpression words(QStringLiteral("\\W+"));
    const int dims = qBound(1, request.dimensions.value_or(64), 4096);
    EmbedResult result;
    result.promptTokens = 0;
    for (const QString &input : request.inputs) {
        QList<double> v(dims, 0.0);
        const QStringList tokens = input.toLower().split(words, Qt::SkipEmptyParts);
        for (const QString &t : tokens) {
            const quint64 h = fnv1a(t);
            v[int(h % quint64(dims))] += (h >> 31) & 1 ? 1.0 : -1.0;
        }
        // Words whose signs cancel (or no words) still give a vector with a direction.
        if (std::all_of(v.cbegin(), v.cend(), [](double x) { return x == 0.0; }))
            v[0] = 1.0;
        result.promptTokens += tokens.size();
        result.vectors.append(v);
    }
    return result;
}

EmbedJob *EchoProvider::embed(const EmbedRequest &request, QObject *parent)
{
    return new EchoEmbedJob(vectors(request), parent);
}

} // namespace gw
