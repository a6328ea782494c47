#include "echoprovider.h"

#include "echojob.h"

#include <QHash>
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
            const size_t h = qHash(t, 0x9e3779b9u);
            v[int(h % size_t(dims))] += (h >> 31) & 1 ? 1.0 : -1.0;
        }
        if (tokens.isEmpty())
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
