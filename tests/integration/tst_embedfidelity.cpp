// Embedding dimensions and Ollama's truncate over real sockets: /api/embed and /v1/embeddings
// "dimensions" reach OpenAI as dimensions and Gemini as outputDimensionality (fakes of each
// wire check it) and come back cut and normalised; an input too long for the model is cut and
// sent again with truncate on (Ollama's default), and gets Ollama's 400 with truncate off.

#include "fakeserver.h"
#include "gatewayfixture.h"
#include "truncatingembedjob.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <cmath>

using gwtest::FakeServer;
using gwtest::Received;
using gwtest::Reply;

namespace {

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// A vector of `n` values, not normalised.
QJsonArray vector(int n)
{
    QJsonArray v;
    for (int i = 0; i < n; ++i)
        v.append(double(i % 7) + 1);
    return v;
}

double norm(const QJsonArray &v)
{
    double s = 0;
    for (const QJsonValue &x : v)
        s += x.toDouble() * x.toDouble();
    return std::sqrt(s);
}

} // namespace

class TstEmbedFidelity : public QObject
{
    Q_OBJECT

    FakeServer m_openai, m_gemini;
    gwtest::GatewayFixture m_gw;
    static constexpr int kContext = 40; // the "short" model's window, in tokens

private slots:
    void initTestCase()
    {
        // OpenAI: honours dimensions; refuses an input over the window the way it does
        // (400, invalid_request_error, "maximum context length"), counting one token per byte.
        m_openai.on("POST", "/v1/embeddings", [](const Received &r) {
            const QJsonObject body = r.json();
            const bool shortModel =
                body.value(QStringLiteral("model")).toString() == u"short-embed";
            QJsonArray data;
            int i = 0;
            for (const QJsonValue &in : body.value(QStringLiteral("input")).toArray()) {
                if (shortModel && in.toString().toUtf8().size() > kContext)
                    return Reply::json(
                        400, "{\"error\":{\"message\":\"This model's maximum context length is "
                             "40 tokens, however you requested 300 tokens (300 in your prompt; 0 "
                             "for the completion). Please reduce your prompt; or completion "
                             "length.\",\"type\":\"invalid_request_error\",\"param\":null,"
                             "\"code\":null}}");
                data.append(
                    QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                {QStringLiteral("index"), i++},
                                {QStringLiteral("embedding"),
                                 vector(body.value(QStringLiteral("dimensions")).toInt(1536))}});
            }
            return Reply::json(
                200, QJsonDocument(
                         QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                     {QStringLiteral("data"), data},
                                     {QStringLiteral("model"), body.value(QStringLiteral("model"))},
                                     {QStringLiteral("usage"),
                                      QJsonObject{{QStringLiteral("prompt_tokens"), 4},
                                                  {QStringLiteral("total_tokens"), 4}}}})
                         .toJson(QJsonDocument::Compact));
        });
        m_gemini.on("POST", "/v1beta/models/*", [](const Received &r) {
            QJsonArray embeddings;
            for (const QJsonValue &req : r.json().value(QStringLiteral("requests")).toArray())
                embeddings.append(
                    QJsonObject{{QStringLiteral("values"),
                                 vector(req.toObject()
                                            .value(QStringLiteral("outputDimensionality"))
                                            .toInt(3072))}});
            return Reply::json(
                200, QJsonDocument(QJsonObject{{QStringLiteral("embeddings"), embeddings}})
                         .toJson(QJsonDocument::Compact));
        });
        const QByteArray config =
            "{\"providers\":["
            "{\"name\":\"oai\",\"type\":\"openai\",\"base_url\":\"" +
            m_openai.url(QStringLiteral("/v1")).toUtf8() +
            "\",\"options\":{\"max_retries\":0}},"
            "{\"name\":\"gem\",\"type\":\"gemini\",\"base_url\":\"" +
            m_gemini.url(QStringLiteral("/v1beta")).toUtf8() +
            "\",\"options\":{\"max_retries\":0,\"requires_key\":false}}],"
            "\"models\":["
            "{\"name\":\"small\",\"provider\":\"oai\",\"model\":\"text-embedding-3-small\"},"
            "{\"name\":\"short\",\"provider\":\"oai\",\"model\":\"short-embed\",\"capabilities\":"
            "[\"embedding\"],\"context_length\":40},"
            "{\"name\":\"gemb\",\"provider\":\"gem\",\"model\":\"gemini-embedding-001\"}]}";
        QVERIFY2(m_gw.setUp(config), qPrintable(m_gw.error()));
    }

    void dimensionsReachTheProviders_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("model");
        QTest::newRow("ollama → openai") << QByteArray("/api/embed") << QByteArray("small");
        QTest::newRow("openai → openai") << QByteArray("/v1/embeddings") << QByteArray("small");
        QTest::newRow("ollama → gemini") << QByteArray("/api/embed") << QByteArray("gemb");
        QTest::newRow("openai → gemini") << QByteArray("/v1/embeddings") << QByteArray("gemb");
    }
    void dimensionsReachTheProviders()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, model);
        const bool gemini = model == "gemb";
        FakeServer &fake = gemini ? m_gemini : m_openai;
        fake.clear();
        const auto r = m_gw.post(path, "{\"model\":\"" + model +
                                           "\",\"input\":[\"one\",\"two\"],\"dimensions\":256}");
        QCOMPARE(r->status, 200);
        QCOMPARE(fake.requestCount(), 1);
        const QJsonObject sent = fake.last().json();
        if (gemini) {
            for (const QJsonValue &req : sent.value(QStringLiteral("requests")).toArray())
                QCOMPARE(req.toObject().value(QStringLiteral("outputDimensionality")).toInt(), 256);
            QVERIFY(!fake.last().body.contains("\"dimensions\""));
        } else {
            QCOMPARE(sent.value(QStringLiteral("dimensions")).toInt(), 256);
        }
        QList<QJsonArray> vectors;
        if (path == "/api/embed") {
            for (const QJsonValue &v : obj(r->body).value(QStringLiteral("embeddings")).toArray())
                vectors.append(v.toArray());
        } else {
            for (const QJsonValue &d : obj(r->body).value(QStringLiteral("data")).toArray())
                vectors.append(d.toObject().value(QStringLiteral("embedding")).toArray());
        }
        QCOMPARE(vectors.size(), 2);
        for (const QJsonArray &v : vectors) {
            QCOMPARE(v.size(), 256);
            QVERIFY(std::abs(norm(v) - 1.0) < 1e-9);
        }
    }

    // Ollama's truncate (default true): the input is cut to the window and embedded.
    void truncateOnCutsAndRetries()
    {
        m_openai.clear();
        const QString longText = QString(300, u'a');
        auto r = m_gw.post("/api/embed", "{\"model\":\"short\",\"input\":[\"fits\",\"" +
                                             longText.toUtf8() + "\"]}");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("embeddings")).toArray().size(), 2);
        // Refused whole, then cut to 2 characters per token (still too long), then to 1 byte.
        QCOMPARE(m_openai.requestCount(), 3);
        const QJsonArray last = m_openai.last().json().value(QStringLiteral("input")).toArray();
        QCOMPARE(last.at(0).toString(), QStringLiteral("fits"));
        QCOMPARE(last.at(1).toString(), QString(kContext, u'a'));
        QCOMPARE(m_openai.requests()
                     .at(1)
                     .json()
                     .value(QStringLiteral("input"))
                     .toArray()
                     .at(1)
                     .toString()
                     .size(),
                 2 * kContext);

        // OpenAI's own clients have no truncate field: Ollama's /v1 truncates too.
        m_openai.clear();
        r = m_gw.post("/v1/embeddings",
                      "{\"model\":\"short\",\"input\":\"" + QString(60, u'b').toUtf8() + "\"}");
        QCOMPARE(r->status, 200);
        // 60 bytes: refused; the character cut would change nothing (60 ≤ 80): cut to 40 bytes.
        QCOMPARE(m_openai.requestCount(), 2);
        QCOMPARE(m_openai.last().json().value(QStringLiteral("input")).toArray().at(0).toString(),
                 QString(kContext, u'b'));
    }

    void truncateOffIsOllamasError()
    {
        m_openai.clear();
        const auto r =
            m_gw.post("/api/embed", "{\"model\":\"short\",\"truncate\":false,\"input\":\"" +
                                        QString(300, u'a').toUtf8() + "\"}");
        QCOMPARE(r->status, 400);
        QCOMPARE(r->body,
                 QByteArray("{\"error\":\"the input length exceeds the context length\"}"));
        QCOMPARE(m_openai.requestCount(), 1);
    }

    void cutKeepsWholeCharacters()
    {
        const QString e = QString(30, QChar(0xE9)); // é: two bytes each
        QCOMPARE(gw::TruncatingEmbedJob::cut({e}, 5, 2), QStringList{QString(2, QChar(0xE9))});
        QCOMPARE(gw::TruncatingEmbedJob::cut({e}, 5, 1), QStringList{QString(10, QChar(0xE9))});
        QCOMPARE(gw::TruncatingEmbedJob::cut({QStringLiteral("ok")}, 5, 2),
                 QStringList{QStringLiteral("ok")});
        const QString emoji = QString::fromUtf8("\xF0\x9F\x98\x80\xF0\x9F\x98\x80"); // 4 bytes each
        QCOMPARE(gw::TruncatingEmbedJob::cut({emoji}, 6, 2),
                 QStringList{QString::fromUtf8("\xF0\x9F\x98\x80")});
    }
};

QTEST_GUILESS_MAIN(TstEmbedFidelity)
#include "tst_embedfidelity.moc"
