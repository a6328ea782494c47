// The Responses API's answers: ResponsesStream driven by scripted event sequences, streamed
// (named events, their order and sequence numbers, the items they carry) and not (the
// response object), failures before and during a stream, and the tool-name mapping back to
// namespaces and custom tools.

#include "api/responses/responsesencoder.h"
#include "api/responses/responsesstream.h"
#include "checkedlist.h"
#include "http/responder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;

namespace {

class FakeResponder : public Responder
{
public:
    int status = 0;
    QByteArray body;
    Headers headers;
    bool ended = false;
    bool started = false;

    void send(int s, const QByteArray &, const QByteArray &b, const Headers &extra) override
    {
        status = s;
        body = b;
        headers = extra;
        started = ended = true;
    }
    void beginStream(int s, const QByteArray &, const Headers &extra) override
    {
        status = s;
        headers = extra;
        started = true;
    }
    void write(const QByteArray &piece) override { body += piece; }
    void end() override { ended = true; }
    bool hasStarted() const override { return started; }
};

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

ToolCall makeCall(const QString &id, const QString &name, QJsonObject args)
{
    ToolCall c;
    c.id = id;
    c.name = name;
    c.arguments = std::move(args);
    return c;
}

struct Event
{
    QByteArray name;
    QJsonObject data;
};

} // namespace

class TstResponsesEncoder : public QObject
{
    Q_OBJECT

    static std::unique_ptr<FakeResponder> run(bool stream, const QList<ChatEvent> &events,
                                              ResponsesEcho echo = {})
    {
        auto r = std::make_unique<FakeResponder>();
        auto *s =
            new ResponsesStream(r.get(), QStringLiteral("gpt-4o"), stream, std::move(echo), 0);
        s->run(new ScriptedJob(events));
        return r;
    }
    static QJsonObject obj(const QByteArray &json)
    {
        return QJsonDocument::fromJson(json).object();
    }
    static gwtest::CheckedList<Event> events(const QByteArray &body)
    {
        QList<Event> out;
        for (const QByteArray &frame : body.split('\n')) {
            if (frame.startsWith("event: "))
                out.append({frame.mid(7), {}});
            else if (frame.startsWith("data: ") && !out.isEmpty())
                out.last().data = obj(frame.mid(6));
        }
        return out;
    }
    static QList<ChatEvent> fullAnswer()
    {
        return {ChatEvent::thinkingDelta(QStringLiteral("Let me ")),
                ChatEvent::thinkingDelta(QStringLiteral("think.")),
                ChatEvent::textDelta(QStringLiteral("Hello ")),
                ChatEvent::textDelta(QStringLiteral("world")),
                ChatEvent::call(makeCall(QStringLiteral("call_1"), QStringLiteral("get_weather"),
                                         {{QStringLiteral("city"), QStringLiteral("Oslo")}})),
                ChatEvent::usage(10, 5, 3, -1, 2),
                ChatEvent::finished(FinishReason::ToolCalls)};
    }

private slots:
    void wholeResponse()
    {
        const auto r = run(false, fullAnswer());
        QCOMPARE(r->status, 200);
        const QJsonObject o = obj(r->body);
        QVERIFY(o.value(QStringLiteral("id")).toString().startsWith(u"resp_"));
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("response"));
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o"));
        QCOMPARE(o.value(QStringLiteral("output_text")).toString(), QStringLiteral("Hello world"));
        const QJsonArray out = o.value(QStringLiteral("output")).toArray();
        QCOMPARE(out.size(), 3);
        const QJsonObject reasoning = out[0].toObject();
        QCOMPARE(reasoning.value(QStringLiteral("type")).toString(), QStringLiteral("reasoning"));
        QVERIFY(reasoning.value(QStringLiteral("id")).toString().startsWith(u"rs_"));
        QCOMPARE(reasoning.value(QStringLiteral("summary"))[0][QStringLiteral("text")].toString(),
                 QStringLiteral("Let me think."));
        const QJsonObject message = out[1].toObject();
        QCOMPARE(message.value(QStringLiteral("type")).toString(), QStringLiteral("message"));
        QCOMPARE(message.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(message.value(QStringLiteral("content"))[0][QStringLiteral("text")].toString(),
                 QStringLiteral("Hello world"));
        const QJsonObject call = out[2].toObject();
        QCOMPARE(call.value(QStringLiteral("type")).toString(), QStringLiteral("function_call"));
        QCOMPARE(call.value(QStringLiteral("call_id")).toString(), QStringLiteral("call_1"));
        QCOMPARE(call.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QCOMPARE(call.value(QStringLiteral("arguments")).toString(),
                 QStringLiteral("{\"city\":\"Oslo\"}"));
        const QJsonObject usage = o.value(QStringLiteral("usage")).toObject();
        QCOMPARE(usage.value(QStringLiteral("input_tokens")).toInt(), 10);
        QCOMPARE(usage.value(QStringLiteral("output_tokens")).toInt(), 5);
        QCOMPARE(usage.value(QStringLiteral("total_tokens")).toInt(), 15);
        QCOMPARE(
            usage[QStringLiteral("input_tokens_details")][QStringLiteral("cached_tokens")].toInt(),
            3);
        QCOMPARE(usage[QStringLiteral("output_tokens_details")][QStringLiteral("reasoning_tokens")]
                     .toInt(),
                 2);
        QCOMPARE(r->record().promptTokens, 10);
    }

    void streamedEvents()
    {
        const auto r = run(true, fullAnswer());
        QCOMPARE(r->status, 200);
        QVERIFY(r->ended);
        const gwtest::CheckedList<Event> ev = events(r->body);
        QStringList names;
        for (int i = 0; i < ev.size(); ++i) {
            names.append(QString::fromLatin1(ev[i].name));
            // Every event says its own type and carries the next sequence number.
            QCOMPARE(ev[i].data.value(QStringLiteral("type")).toString(),
                     QString::fromLatin1(ev[i].name));
            QCOMPARE(ev[i].data.value(QStringLiteral("sequence_number")).toInt(), i);
        }
        const QStringList expected = {
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.reasoning_summary_part.added",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done",
            "response.reasoning_summary_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed",
        };
        QCOMPARE(names, expected);
        // Output indexes follow the items; deltas name their item.
        QCOMPARE(ev[2].data.value(QStringLiteral("output_index")).toInt(), 0);
        QCOMPARE(ev[9].data.value(QStringLiteral("output_index")).toInt(), 1);
        QCOMPARE(ev[11].data.value(QStringLiteral("item_id")),
                 ev[9].data[QStringLiteral("item")][QStringLiteral("id")]);
        QCOMPARE(ev[11].data.value(QStringLiteral("delta")).toString(), QStringLiteral("Hello "));
        QCOMPARE(ev[13].data.value(QStringLiteral("text")).toString(),
                 QStringLiteral("Hello world"));
        QCOMPARE(ev[16].data.value(QStringLiteral("output_index")).toInt(), 2);
        QCOMPARE(ev[18].data.value(QStringLiteral("arguments")).toString(),
                 QStringLiteral("{\"city\":\"Oslo\"}"));
        const QJsonObject done = ev.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(done.value(QStringLiteral("output")).toArray().size(), 3);
        QCOMPARE(done[QStringLiteral("usage")][QStringLiteral("total_tokens")].toInt(), 15);
        QCOMPARE(ev[0].data[QStringLiteral("response")][QStringLiteral("status")].toString(),
                 QStringLiteral("in_progress"));
    }

    void lengthIsIncomplete()
    {
        const QList<ChatEvent> cut = {ChatEvent::textDelta(QStringLiteral("a")),
                                      ChatEvent::finished(FinishReason::Length)};
        const QJsonObject o = obj(run(false, cut)->body);
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("incomplete"));
        QCOMPARE(o[QStringLiteral("incomplete_details")][QStringLiteral("reason")].toString(),
                 QStringLiteral("max_output_tokens"));
        const gwtest::CheckedList<Event> ev = events(run(true, cut)->body);
        QCOMPARE(ev.last().name, QByteArray("response.incomplete"));
    }

    void emptyAnswerStillHasAMessage()
    {
        const QJsonObject o = obj(run(false, {ChatEvent::finished(FinishReason::Stop)})->body);
        const QJsonArray out = o.value(QStringLiteral("output")).toArray();
        QCOMPARE(out.size(), 1);
        QCOMPARE(out[0][QStringLiteral("content")][0][QStringLiteral("text")].toString(),
                 QString());
    }

    void failureBeforeOutputIsAnHttpError()
    {
        ChatFailure f;
        f.cause = FailureCause::RateLimited;
        f.status = 429;
        f.retryAfterSeconds = 7;
        f.provider = QStringLiteral("openai");
        const auto r = run(true, {ChatEvent::error(f)});
        QCOMPARE(r->status, 429);
        const QJsonObject e = obj(r->body).value(QStringLiteral("error")).toObject();
        QCOMPARE(e.value(QStringLiteral("type")).toString(), QStringLiteral("rate_limit_error"));
        QVERIFY(!e.value(QStringLiteral("message")).toString().isEmpty());
        QCOMPARE(r->headers.size(), 1);
        QCOMPARE(r->headers[0].second, QByteArray("7"));
        QVERIFY(!r->record().error.isEmpty());
    }

    void failureMidStreamIsResponseFailed()
    {
        ChatFailure f;
        f.cause = FailureCause::ContextTooLong;
        f.status = 400;
        const auto r =
            run(true, {ChatEvent::textDelta(QStringLiteral("par")), ChatEvent::error(f)});
        QCOMPARE(r->status, 200);
        QVERIFY(r->ended);
        const gwtest::CheckedList<Event> ev = events(r->body);
        QCOMPARE(ev.last().name, QByteArray("response.failed"));
        const QJsonObject resp = ev.last().data.value(QStringLiteral("response")).toObject();
        QCOMPARE(resp.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(resp[QStringLiteral("error")][QStringLiteral("code")].toString(),
                 QStringLiteral("context_length_exceeded"));
        QVERIFY(!resp[QStringLiteral("error")][QStringLiteral("message")].toString().isEmpty());
    }

    void toolNamesGoBack()
    {
        ResponsesEcho echo;
        echo.names.namespaced.insert(QStringLiteral("agents__spawn"),
                                     {QStringLiteral("agents"), QStringLiteral("spawn")});
        echo.names.custom.insert(QStringLiteral("apply_patch"));
        const QList<ChatEvent> calls = {
            ChatEvent::call(makeCall(QString(), QStringLiteral("agents__spawn"), {})),
            ChatEvent::call(makeCall(QStringLiteral("c2"), QStringLiteral("apply_patch"),
                                     {{QStringLiteral("input"), QStringLiteral("*** Begin")}})),
            ChatEvent::finished(FinishReason::ToolCalls)};
        const QJsonArray out =
            obj(run(false, calls, echo)->body).value(QStringLiteral("output")).toArray();
        QCOMPARE(out.size(), 2);
        QCOMPARE(out[0][QStringLiteral("name")].toString(), QStringLiteral("spawn"));
        QCOMPARE(out[0][QStringLiteral("namespace")].toString(), QStringLiteral("agents"));
        QVERIFY(out[0][QStringLiteral("call_id")].toString().startsWith(u"call_"));
        QCOMPARE(out[1][QStringLiteral("type")].toString(), QStringLiteral("custom_tool_call"));
        QCOMPARE(out[1][QStringLiteral("input")].toString(), QStringLiteral("*** Begin"));
        const gwtest::CheckedList<Event> ev = events(run(true, calls, echo)->body);
        QVERIFY(std::any_of(ev.cbegin(), ev.cend(), [](const Event &e) {
            return e.name == "response.custom_tool_call_input.done" &&
                   e.data.value(QStringLiteral("input")).toString() == u"*** Begin";
        }));
    }

    void echoesTheRequest()
    {
        ResponsesEcho echo;
        echo.instructions = QStringLiteral("be brief");
        echo.temperature = 0.5;
        echo.maxOutputTokens = 99;
        echo.reasoning = {{QStringLiteral("effort"), QStringLiteral("low")}};
        const QJsonObject o = ResponsesEncoder::response({"resp_x", 1, QStringLiteral("m")}, echo,
                                                         QStringLiteral("in_progress"), {});
        QCOMPARE(o.value(QStringLiteral("instructions")).toString(), QStringLiteral("be brief"));
        QCOMPARE(o.value(QStringLiteral("temperature")).toDouble(), 0.5);
        QCOMPARE(o.value(QStringLiteral("top_p")).toDouble(), 1.0);
        QCOMPARE(o.value(QStringLiteral("max_output_tokens")).toInt(), 99);
        QCOMPARE(o[QStringLiteral("reasoning")][QStringLiteral("effort")].toString(),
                 QStringLiteral("low"));
        QVERIFY(o[QStringLiteral("reasoning")][QStringLiteral("summary")].isNull());
        QVERIFY(o.value(QStringLiteral("usage")).isNull());
        QVERIFY(o.value(QStringLiteral("previous_response_id")).isNull());
    }
};

QTEST_GUILESS_MAIN(TstResponsesEncoder)
#include "tst_responsesencoder.moc"
