// The OpenAI encoding side: error bodies, tool calls, model entries, embedding vectors
// (normalisation, truncation, base64 float32), and OpenAiStream driven by scripted event
// sequences that no built-in provider produces.

#include "api/openai/openaiencoder.h"
#include "api/openai/openaistream.h"
#include "http/responder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <memory>

using namespace gw;

namespace {

// Captures what a dialect sends instead of writing to a socket.
class FakeResponder : public Responder
{
public:
    int status = 0;
    QByteArray contentType;
    QByteArray body;
    Headers headers;
    bool ended = false;
    bool started = false;

    void send(int s, const QByteArray &type, const QByteArray &b, const Headers &extra) override
    {
        status = s;
        contentType = type;
        body = b;
        headers = extra;
        started = ended = true;
    }
    void beginStream(int s, const QByteArray &type, const Headers &extra) override
    {
        status = s;
        contentType = type;
        headers = extra;
        started = true;
    }
    void write(const QByteArray &piece) override { body += piece; }
    void end() override { ended = true; }
    bool hasStarted() const override { return started; }
};

// Delivers a fixed list of events at start().
class ScriptedJob : public ChatJob
{
public:
    explicit ScriptedJob(QList<ChatEvent> events) : m_events(std::move(events)) {}
    void start() override
    {
        for (const ChatEvent &e : std::as_const(m_events))
            deliver(e);
    }

private:
    QList<ChatEvent> m_events;
};

ToolCall makeCall(const QString &id, const QString &name)
{
    ToolCall c;
    c.id = id;
    c.name = name;
    c.arguments = QJsonObject{{QStringLiteral("n"), 1}};
    return c;
}

} // namespace

class TstOpenAiEncoder : public QObject
{
    Q_OBJECT

    static QJsonObject obj(const QByteArray &json)
    {
        QJsonParseError pe;
        const QJsonDocument d = QJsonDocument::fromJson(json, &pe);
        if (pe.error != QJsonParseError::NoError)
            qWarning("not JSON: %s", json.constData());
        return d.object();
    }
    // Runs the events through an OpenAiStream and returns what the client would have got.
    static FakeResponder *run(OpenAiStream::Kind kind, bool stream, bool includeUsage,
                              const QList<ChatEvent> &events)
    {
        auto *r = new FakeResponder;
        auto *s = new OpenAiStream(kind, r, QStringLiteral("m"), stream, includeUsage, 0);
        s->run(new ScriptedJob(events));
        return r;
    }
    static QList<QJsonObject> sseChunks(const QByteArray &body)
    {
        QList<QJsonObject> out;
        for (const QByteArray &frame : body.split('\n'))
            if (frame.startsWith("data: {"))
                out.append(obj(frame.mid(6)));
        return out;
    }
    static double norm(const QList<double> &v)
    {
        double n = 0;
        for (double x : v)
            n += x * x;
        return std::sqrt(n);
    }

private slots:
    void errorBodies_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::newRow("400") << 400 << "invalid_request_error";
        QTest::newRow("404") << 404 << "invalid_request_error";
        QTest::newRow("413") << 413 << "invalid_request_error";
        QTest::newRow("401") << 401 << "authentication_error";
        QTest::newRow("403") << 403 << "permission_error";
        QTest::newRow("429") << 429 << "rate_limit_error";
        QTest::newRow("500") << 500 << "api_error";
        QTest::newRow("502") << 502 << "api_error";
        QTest::newRow("503") << 503 << "api_error";
    }
    void errorBodies()
    {
        QFETCH(int, status);
        QFETCH(QString, type);
        const QJsonObject e = obj(OpenAiEncoder::error(status, QStringLiteral("it \"broke\"\n")))
                                  .value(QStringLiteral("error"))
                                  .toObject();
        QCOMPARE(e.value(QStringLiteral("message")).toString(), QStringLiteral("it \"broke\"\n"));
        QCOMPARE(e.value(QStringLiteral("type")).toString(), type);
        QVERIFY(e.value(QStringLiteral("param")).isNull());
        QVERIFY(e.value(QStringLiteral("code")).isNull());
        QCOMPARE(e.size(), 4);
    }

    void errorCode()
    {
        const QJsonObject e = obj(OpenAiEncoder::error(404, QStringLiteral("x"), "model_not_found"))
                                  .value(QStringLiteral("error"))
                                  .toObject();
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("model_not_found"));
        // From the failure's facts, never its words: the upstream's own code first, else the
        // code OpenAI uses for the cause where the type does not tell it.
        ChatFailure f;
        f.cause = FailureCause::ModelNotFound;
        QCOMPARE(OpenAiEncoder::errorCode(f), QByteArray("model_not_found"));
        f.cause = FailureCause::ContextTooLong;
        QCOMPARE(OpenAiEncoder::errorCode(f), QByteArray("context_length_exceeded"));
        f.upstreamCode = QStringLiteral("string_above_max_length");
        QCOMPARE(OpenAiEncoder::errorCode(f), QByteArray("string_above_max_length"));
        f = ChatFailure{FailureCause::BadRequest, 400};
        f.detail = QStringLiteral("the model is bad"); // no word search
        QCOMPARE(OpenAiEncoder::errorCode(f), QByteArray());
        QCOMPARE(OpenAiEncoder::errorType(FailureCause::QuotaExhausted), "insufficient_quota");
        QCOMPARE(OpenAiEncoder::errorType(FailureCause::KeyMissing), "authentication_error");
        QCOMPARE(OpenAiEncoder::errorType(FailureCause::ContextTooLong), "invalid_request_error");
        QCOMPARE(OpenAiEncoder::errorType(FailureCause::Timeout), "api_error");
    }

    void finishReasons()
    {
        QCOMPARE(OpenAiEncoder::finishReason(FinishReason::Stop), "stop");
        QCOMPARE(OpenAiEncoder::finishReason(FinishReason::Length), "length");
        QCOMPARE(OpenAiEncoder::finishReason(FinishReason::ToolCalls), "tool_calls");
        QCOMPARE(OpenAiEncoder::finishReason(FinishReason::ContentFilter), "content_filter");
    }

    void toolCallArgumentsAreAString()
    {
        ToolCall c;
        c.id = QStringLiteral("call_9");
        c.name = QStringLiteral("get_weather");
        c.arguments = QJsonObject{{QStringLiteral("city"), QStringLiteral("Paris \"FR\"")}};
        QByteArray out;
        OpenAiEncoder::appendToolCall(out, c, 3);
        const QJsonObject o = obj(out);
        QCOMPARE(o.value(QStringLiteral("index")).toInt(), 3);
        QCOMPARE(o.value(QStringLiteral("id")).toString(), QStringLiteral("call_9"));
        QCOMPARE(o.value(QStringLiteral("type")).toString(), QStringLiteral("function"));
        const QJsonObject fn = o.value(QStringLiteral("function")).toObject();
        QCOMPARE(fn.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QVERIFY(fn.value(QStringLiteral("arguments")).isString());
        QCOMPARE(obj(fn.value(QStringLiteral("arguments")).toString().toUtf8()), c.arguments);

        // No id from the provider: one is made up, since clients answer calls by id.
        c.id.clear();
        c.arguments = {};
        out.clear();
        OpenAiEncoder::appendToolCall(out, c, 0);
        const QJsonObject o2 = obj(out);
        QVERIFY(o2.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("call-")));
        QCOMPARE(o2.value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toString(),
                 QStringLiteral("{}"));
    }

    void ids()
    {
        const QByteArray a = OpenAiEncoder::newId("chatcmpl");
        const QByteArray b = OpenAiEncoder::newId("chatcmpl");
        QVERIFY(a.startsWith("chatcmpl-"));
        QCOMPARE(a.size(), 9 + 24);
        QVERIFY(a != b);
    }

    void modelEntry()
    {
        ModelInfo m;
        m.name = QStringLiteral("openai/gpt-4o");
        m.provider = QStringLiteral("openai");
        m.modifiedAt = QDateTime::fromSecsSinceEpoch(1700000000);
        const QJsonObject o = OpenAiEncoder::model(m);
        QCOMPARE(o.value(QStringLiteral("id")).toString(), QStringLiteral("openai/gpt-4o"));
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("model"));
        QCOMPARE(o.value(QStringLiteral("created")).toInteger(), 1700000000);
        QCOMPARE(o.value(QStringLiteral("owned_by")).toString(), QStringLiteral("openai"));
    }

    void normalisation()
    {
        const QList<double> v = OpenAiEncoder::normalized({3, 4}, std::nullopt);
        QCOMPARE(v, (QList<double>{0.6, 0.8}));
        // Truncated first, then normalised again.
        const QList<double> cut = OpenAiEncoder::normalized({3, 0, 4, 100}, 3);
        QCOMPARE(cut.size(), 3);
        QVERIFY(std::fabs(norm(cut) - 1) < 1e-12);
        QCOMPARE(cut[0], 0.6);
        // Shorter than asked: left as long as it is.
        QCOMPARE(OpenAiEncoder::normalized({1, 0}, 8).size(), 2);
        // A zero vector stays zero rather than becoming NaN.
        QCOMPARE(OpenAiEncoder::normalized({0, 0}, std::nullopt), (QList<double>{0, 0}));
    }

    void base64Float32()
    {
        const QList<double> v{1.0, -0.5, 0.25};
        const QByteArray bytes = QByteArray::fromBase64(OpenAiEncoder::float32Base64(v));
        QCOMPARE(bytes.size(), 12);
        for (int i = 0; i < 3; ++i) {
            const quint32 bits = qFromLittleEndian<quint32>(bytes.constData() + 4 * i);
            float f = 0;
            std::memcpy(&f, &bits, 4);
            QCOMPARE(double(f), v[i]);
        }
        // 1.0f is 0x3f800000: little-endian means the low byte first.
        QCOMPARE(bytes.left(4), QByteArray("\x00\x00\x80\x3f", 4));
    }

    void stopAfterToolCallsBecomesToolCalls()
    {
        const QList<ChatEvent> events{
            ChatEvent::call(makeCall(QStringLiteral("a"), QStringLiteral("f"))),
            ChatEvent::call(makeCall(QStringLiteral("b"), QStringLiteral("g"))),
            ChatEvent::finished(FinishReason::Stop)};
        std::unique_ptr<FakeResponder> r(run(OpenAiStream::Kind::Chat, true, false, events));
        QVERIFY(r->ended);
        QCOMPARE(r->contentType, QByteArray("text/event-stream"));
        QVERIFY(r->body.endsWith("data: [DONE]\n\n"));
        const QList<QJsonObject> cs = sseChunks(r->body);
        QCOMPARE(cs.size(), 4);
        // Calls are numbered within the response, whatever index the provider gave.
        for (int i = 0; i < 2; ++i) {
            const QJsonObject call = cs[1 + i]
                                         .value(QStringLiteral("choices"))
                                         .toArray()
                                         .first()
                                         .toObject()
                                         .value(QStringLiteral("delta"))
                                         .toObject()
                                         .value(QStringLiteral("tool_calls"))
                                         .toArray()
                                         .first()
                                         .toObject();
            QCOMPARE(call.value(QStringLiteral("index")).toInt(), i);
        }
        QCOMPARE(cs.last()
                     .value(QStringLiteral("choices"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("finish_reason"))
                     .toString(),
                 QStringLiteral("tool_calls"));

        std::unique_ptr<FakeResponder> whole(run(OpenAiStream::Kind::Chat, false, false, events));
        const QJsonObject c =
            obj(whole->body).value(QStringLiteral("choices")).toArray().first().toObject();
        QCOMPARE(c.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("tool_calls"));
        QCOMPARE(c.value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("tool_calls"))
                     .toArray()
                     .size(),
                 2);
        // Length stays length even after a call.
        std::unique_ptr<FakeResponder> cut(
            run(OpenAiStream::Kind::Chat, false, false,
                {ChatEvent::call(makeCall(QStringLiteral("a"), QStringLiteral("f"))),
                 ChatEvent::finished(FinishReason::Length)}));
        QCOMPARE(obj(cut->body)
                     .value(QStringLiteral("choices"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("finish_reason"))
                     .toString(),
                 QStringLiteral("length"));
    }

    void unknownUsageIsZero()
    {
        std::unique_ptr<FakeResponder> r(run(OpenAiStream::Kind::Completion, false, false,
                                             {ChatEvent::textDelta(QStringLiteral("hi")),
                                              ChatEvent::finished(FinishReason::ContentFilter)}));
        QCOMPARE(r->status, 200);
        const QJsonObject o = obj(r->body);
        QCOMPARE(o.value(QStringLiteral("usage")).toObject(),
                 (QJsonObject{{QStringLiteral("prompt_tokens"), 0},
                              {QStringLiteral("completion_tokens"), 0},
                              {QStringLiteral("total_tokens"), 0}}));
        QCOMPARE(o.value(QStringLiteral("choices"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("finish_reason"))
                     .toString(),
                 QStringLiteral("content_filter"));
        QCOMPARE(r->record().completionTokens, -1);
    }

    void emptyAnswerStillHasRoleAndFinish()
    {
        std::unique_ptr<FakeResponder> r(
            run(OpenAiStream::Kind::Chat, true, true,
                {ChatEvent::usage(4, 0), ChatEvent::finished(FinishReason::Stop)}));
        const QList<QJsonObject> cs = sseChunks(r->body);
        QCOMPARE(cs.size(), 3); // role, finish, usage
        QCOMPARE(cs[2]
                     .value(QStringLiteral("usage"))
                     .toObject()
                     .value(QStringLiteral("prompt_tokens"))
                     .toInt(),
                 4);
        QVERIFY(r->body.endsWith("data: [DONE]\n\n"));
    }

    void errorBeforeOutput()
    {
        ChatFailure f{FailureCause::RateLimited, 429};
        f.upstreamMessage = QStringLiteral("slow down");
        f.retryAfterSeconds = 7;
        const ChatEvent e = ChatEvent::error(f);
        std::unique_ptr<FakeResponder> r(run(OpenAiStream::Kind::Chat, true, false, {e}));
        QCOMPARE(r->status, 429);
        QCOMPARE(r->contentType, QByteArray("application/json; charset=utf-8"));
        QCOMPARE(r->headers, (Responder::Headers{{"Retry-After", "7"}}));
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
                 QStringLiteral("rate_limit_error"));
        QCOMPARE(r->record().error, QStringLiteral("slow down"));

        // No status: 500. A model that is not there: model_not_found.
        std::unique_ptr<FakeResponder> d(
            run(OpenAiStream::Kind::Chat, false, false, {ChatEvent::error(ChatFailure{})}));
        QCOMPARE(d->status, 500);
        QVERIFY(d->headers.isEmpty());
        ChatFailure missing{FailureCause::ModelNotFound, 404};
        missing.model = QStringLiteral("x");
        std::unique_ptr<FakeResponder> m(
            run(OpenAiStream::Kind::Completion, false, false, {ChatEvent::error(missing)}));
        QCOMPARE(m->status, 404);
        QCOMPARE(obj(m->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("code"))
                     .toString(),
                 QStringLiteral("model_not_found"));
    }

    void thinkingIsDroppedFromCompletions()
    {
        std::unique_ptr<FakeResponder> r(run(OpenAiStream::Kind::Completion, true, false,
                                             {ChatEvent::thinkingDelta(QStringLiteral("hmm")),
                                              ChatEvent::textDelta(QStringLiteral("x")),
                                              ChatEvent::finished(FinishReason::Stop)}));
        QVERIFY(!r->body.contains("hmm"));
        QCOMPARE(sseChunks(r->body).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TstOpenAiEncoder)
#include "tst_openaiencoder.moc"
