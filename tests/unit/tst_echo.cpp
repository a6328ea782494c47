#include "checkedlist.h"
#include "providers/echo/echojob.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace gw;

class TstEcho : public QObject
{
    Q_OBJECT

    static ChatRequest ask(const QString &text)
    {
        ChatRequest r;
        r.model = QStringLiteral("echo");
        r.messages.append(ChatMessage{Role::System, QStringLiteral("be nice")});
        r.messages.append(ChatMessage{Role::User, text});
        return r;
    }
    static QString text(const QList<ChatEvent> &events,
                        ChatEvent::Type type = ChatEvent::Type::Text)
    {
        QString s;
        for (const ChatEvent &e : events)
            if (e.type == type)
                s += e.text;
        return s;
    }

private slots:
    void echoesWordByWord()
    {
        const gwtest::CheckedList<ChatEvent> events =
            EchoJob::plan(ask(QStringLiteral("  hello  big world ")));
        QCOMPARE(text(events), QStringLiteral("hello  big world"));
        QCOMPARE(events[0].text, QStringLiteral("hello"));
        QCOMPARE(events[1].text, QStringLiteral("  big"));
        QCOMPARE(events.last().type, ChatEvent::Type::Finish);
        QCOMPARE(events.last().finish, FinishReason::Stop);
        const ChatEvent &usage = events[events.size() - 2];
        QCOMPARE(usage.type, ChatEvent::Type::Usage);
        QCOMPARE(usage.completionTokens, 3);
        QVERIFY(usage.promptTokens > 8);
    }

    void numPredictStopsWithLength()
    {
        ChatRequest r = ask(QStringLiteral("one two three four"));
        r.sampling.maxTokens = 2;
        const gwtest::CheckedList<ChatEvent> events = EchoJob::plan(r);
        QCOMPARE(text(events), QStringLiteral("one two"));
        QCOMPARE(events.last().finish, FinishReason::Length);
    }

    void stopSequenceCuts()
    {
        ChatRequest r = ask(QStringLiteral("one two STOP three"));
        r.sampling.stop = {QStringLiteral("STOP")};
        QCOMPARE(text(EchoJob::plan(r)), QStringLiteral("one two"));
    }

    void thinkingComesFirst()
    {
        ChatRequest r = ask(QStringLiteral("a b"));
        r.thinking = Thinking::On;
        const gwtest::CheckedList<ChatEvent> events = EchoJob::plan(r);
        QCOMPARE(events[0].type, ChatEvent::Type::Thinking);
        QCOMPARE(text(events, ChatEvent::Type::Thinking),
                 QStringLiteral("The user wrote 2 words; I will echo them back."));
        QCOMPARE(text(events), QStringLiteral("a b"));
    }

    void toolCallWhenOffered()
    {
        ChatRequest r = ask(QStringLiteral("call get_weather {\"city\": \"Tokyo\"}"));
        QCOMPARE(gwtest::CheckedList<ChatEvent>(EchoJob::plan(r))[0].type,
                 ChatEvent::Type::Text); // no tools offered: echo
        r.tools.append(ToolSpec{QStringLiteral("get_weather"), {}, {}});
        const gwtest::CheckedList<ChatEvent> events = EchoJob::plan(r);
        QCOMPARE(events[0].type, ChatEvent::Type::ToolCall);
        QCOMPARE(events[0].toolCall.name, QStringLiteral("get_weather"));
        QCOMPARE(events[0].toolCall.arguments.value(QStringLiteral("city")).toString(),
                 QStringLiteral("Tokyo"));
        QVERIFY(events[0].toolCall.id.startsWith(QStringLiteral("call_")));
        QCOMPARE(events.last().finish, FinishReason::ToolCalls);
    }

    void toolResultIsReported()
    {
        ChatRequest r = ask(QStringLiteral("x"));
        ChatMessage tool{Role::Tool, QStringLiteral("18C")};
        tool.toolName = QStringLiteral("get_weather");
        r.messages.append(tool);
        QCOMPARE(text(EchoJob::plan(r)), QStringLiteral("Tool get_weather returned: 18C"));
    }

    void jsonFormat()
    {
        ChatRequest r = ask(QStringLiteral("hi \"you\""));
        r.format = OutputFormat::Json;
        QCOMPARE(text(EchoJob::plan(r)), QStringLiteral("{\"echo\":\"hi \\\"you\\\"\"}"));
    }

    void imagesAreCounted()
    {
        ChatRequest r = ask(QStringLiteral("what is this"));
        r.messages.last().images.append(ImagePart::fromBase64("/9j/4AAQSkZJRg=="));
        QCOMPARE(text(EchoJob::plan(r)), QStringLiteral("[1 image(s): image/jpeg] what is this"));
    }

    void failures()
    {
        gwtest::CheckedList<ChatEvent> events =
            EchoJob::plan(ask(QStringLiteral("/fail 429 slow down")));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events[0].type, ChatEvent::Type::Error);
        QCOMPARE(events[0].failure.status, 429);
        QCOMPARE(int(events[0].failure.cause), int(FailureCause::RateLimited));
        QCOMPARE(events[0].failure.upstreamMessage, QStringLiteral("slow down"));
        events = EchoJob::plan(ask(QStringLiteral("/fail-after 2 boom")));
        QCOMPARE(text(events), QStringLiteral("word word"));
        QCOMPARE(events.last().type, ChatEvent::Type::Error);
        QCOMPARE(events.last().failure.upstreamMessage, QStringLiteral("boom"));
    }

    void jobPacesAndEndsOnce()
    {
        EchoJob job(ask(QStringLiteral("a b c")), 1, nullptr);
        QList<ChatEvent> got;
        job.setHandler([&](const ChatEvent &e) { got.append(e); });
        job.start();
        QTRY_VERIFY(job.isFinished());
        QCOMPARE(text(got), QStringLiteral("a b c"));
        QCOMPARE(got.last().type, ChatEvent::Type::Finish);
        const qsizetype n = got.size();
        QTest::qWait(20);
        QCOMPARE(got.size(), n); // nothing after the terminal event
    }
};

QTEST_GUILESS_MAIN(TstEcho)
#include "tst_echo.moc"
