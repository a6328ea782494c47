// Prompt caching that saves money: for Anthropic upstreams the gateway places cache breakpoints
// itself when the client set none (after the tools, after the system text, at the end of the
// previous user turn and of the conversation), at most four, only where the prefix reaches the
// model's minimum; a client's own cache_control goes as it was sent; the provider option
// auto_cache turns it off. Asserted at a fake Anthropic upstream over real sockets.

#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace gw;
using namespace gwtest;

namespace {

QJsonObject obj(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

Reply answer()
{
    const auto ev = [](const char *name, const QJsonObject &o) {
        QJsonObject d = o;
        d.insert(QStringLiteral("type"), QLatin1StringView(name));
        return FakeServer::sseEvent(name, d);
    };
    return Reply::sse(
        {ev("message_start",
            {{"message", QJsonObject{{"id", "msg_1"},
                                     {"usage", QJsonObject{{"input_tokens", 10},
                                                           {"cache_read_input_tokens", 2000},
                                                           {"output_tokens", 1}}}}}}),
         ev("content_block_start",
            {{"index", 0}, {"content_block", QJsonObject{{"type", "text"}, {"text", ""}}}}),
         ev("content_block_delta",
            {{"index", 0}, {"delta", QJsonObject{{"type", "text_delta"}, {"text", "ok"}}}}),
         ev("content_block_stop", {{"index", 0}}),
         ev("message_delta", {{"delta", QJsonObject{{"stop_reason", "end_turn"}}},
                              {"usage", QJsonObject{{"output_tokens", 2}}}}),
         ev("message_stop", {})});
}

// Where the upstream body carries cache_control: "tools[2]", "system[0]", "messages[3][1]".
QStringList breakpoints(const QJsonObject &body)
{
    QStringList out;
    const auto has = [](const QJsonValue &v) {
        return v.toObject().contains(QLatin1StringView("cache_control"));
    };
    const QJsonArray tools = body.value(QLatin1StringView("tools")).toArray();
    for (qsizetype i = 0; i < tools.size(); ++i)
        if (has(tools.at(i)))
            out.append(QStringLiteral("tools[%1]").arg(i));
    const QJsonArray system = body.value(QLatin1StringView("system")).toArray();
    for (qsizetype i = 0; i < system.size(); ++i)
        if (has(system.at(i)))
            out.append(QStringLiteral("system[%1]").arg(i));
    const QJsonArray messages = body.value(QLatin1StringView("messages")).toArray();
    for (qsizetype m = 0; m < messages.size(); ++m) {
        const QJsonArray content =
            messages.at(m).toObject().value(QLatin1StringView("content")).toArray();
        for (qsizetype b = 0; b < content.size(); ++b)
            if (has(content.at(b)))
                out.append(QStringLiteral("messages[%1][%2]").arg(m).arg(b));
    }
    return out;
}

// ~1,500 tokens by the gateway's estimate (four characters a token).
QString longText(const char *word)
{
    QString s;
    while (s.size() < 6000)
        s += QLatin1StringView(word) + u' ';
    return s;
}

QJsonObject tool(const QString &name, const QString &description)
{
    return {{"name", name},
            {"description", description},
            {"input_schema", QJsonObject{{"type", "object"}, {"properties", QJsonObject()}}}};
}

// An agent's turn: tools, a long system prompt, and a conversation with a tool round trip.
QJsonObject agentRequest(const QString &model)
{
    return {{"model", model},
            {"max_tokens", 256},
            {"system", longText("rules")},
            {"tools", QJsonArray{tool("read", "Read a file."), tool("write", longText("write"))}},
            {"messages",
             QJsonArray{
                 QJsonObject{{"role", "user"}, {"content", "Fix the bug in main.cpp"}},
                 QJsonObject{{"role", "assistant"},
                             {"content", QJsonArray{QJsonObject{{"type", "tool_use"},
                                                                {"id", "toolu_1"},
                                                                {"name", "read"},
                                                                {"input", QJsonObject{}}}}}},
                 QJsonObject{{"role", "user"},
                             {"content", QJsonArray{QJsonObject{{"type", "tool_result"},
                                                                {"tool_use_id", "toolu_1"},
                                                                {"content", longText("code")}}}}},
                 QJsonObject{{"role", "assistant"}, {"content", "Found it."}},
                 QJsonObject{{"role", "user"}, {"content", "Go on"}}}}};
}

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

class TestPromptCache : public QObject
{
    Q_OBJECT

    FakeServer m_upstream;
    GatewayFixture m_gw;

    QJsonObject sent(const QByteArray &path, const QByteArray &body)
    {
        m_upstream.clear();
        const auto r = m_gw.post(path, body);
        if (r->status != 200)
            qWarning("status %d: %s", r->status, r->body.constData());
        return m_upstream.last().json();
    }

private slots:
    void initTestCase()
    {
        qputenv("CLAUDE_API_KEY", "sk-ant-test");
        qputenv("MANUAL_API_KEY", "sk-ant-test");
        m_upstream.on("POST", "/v1/messages", [](const Received &) { return answer(); });
        const QByteArray url = m_upstream.url().toUtf8();
        QVERIFY2(m_gw.setUp(R"({"providers":[
            {"name":"claude","type":"anthropic","base_url":")" +
                            url + R"("},
            {"name":"manual","type":"anthropic","base_url":")" +
                            url +
                            R"(","options":{"auto_cache":false}}],
          "models":[{"name":"sonnet","provider":"claude","model":"claude-sonnet-4-5"},
                    {"name":"haiku","provider":"claude","model":"claude-haiku-4-5"},
                    {"name":"off","provider":"manual","model":"claude-sonnet-4-5"}]})"),
                 qPrintable(m_gw.error()));
    }

    // Tools, system, the previous user turn and the end: four breakpoints, Anthropic's limit.
    void agentTurnGetsFour()
    {
        const QJsonObject body = sent("/v1/messages", json(agentRequest("sonnet")));
        QCOMPARE(breakpoints(body),
                 (QStringList{"tools[1]", "system[0]", "messages[2][0]", "messages[4][0]"}));
        // The system prompt went as a block with its text unchanged.
        QCOMPARE(body.value("system").toArray().at(0).toObject().value("text").toString(),
                 longText("rules"));
        QCOMPARE(body.value("system").toArray().at(0).toObject().value("cache_control").toObject(),
                 (QJsonObject{{"type", "ephemeral"}}));
    }

    // A prefix shorter than the model's minimum is not cached, so it gets no breakpoint there.
    void belowTheMinimum()
    {
        QJsonObject r = agentRequest("sonnet");
        r.remove("tools");
        r.insert("system", "Be brief.");
        // system ~2 tokens, messages up to [2] ~1,500: only the two message breakpoints.
        QCOMPARE(breakpoints(sent("/v1/messages", json(r))),
                 (QStringList{"messages[2][0]", "messages[4][0]"}));
        // Haiku 4.5 caches from 4,096 tokens: tools and system (~3,000) stay below it.
        QCOMPARE(breakpoints(sent("/v1/messages", json(agentRequest("haiku")))),
                 (QStringList{"messages[2][0]", "messages[4][0]"}));
        // A short chat: none at all.
        QCOMPARE(breakpoints(sent("/v1/messages",
                                  R"({"model":"sonnet","max_tokens":10,
                                      "messages":[{"role":"user","content":"hi"}]})")),
                 QStringList());
    }

    // The client's own cache_control is kept as sent, and nothing is added to it.
    void clientMarksAreKept()
    {
        QJsonObject r = agentRequest("sonnet");
        QJsonArray messages = r.value("messages").toArray();
        messages[0] = QJsonObject{
            {"role", "user"},
            {"content", QJsonArray{QJsonObject{{"type", "text"},
                                               {"text", "Fix the bug in main.cpp"},
                                               {"cache_control", QJsonObject{{"type", "ephemeral"},
                                                                             {"ttl", "1h"}}}}}}};
        r.insert("messages", messages);
        const QJsonObject body = sent("/v1/messages", json(r));
        QCOMPARE(breakpoints(body), QStringList{"messages[0][0]"});
        QCOMPARE(body.value("messages")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value("content")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value("cache_control")
                     .toObject(),
                 (QJsonObject{{"type", "ephemeral"}, {"ttl", "1h"}}));
    }

    // Switched off per provider.
    void offForTheProvider()
    {
        QCOMPARE(breakpoints(sent("/v1/messages", json(agentRequest("off")))), QStringList());
    }

    // Clients of the other dialects, which cannot say cache_control, get the breakpoints too,
    // and see the cache hits in their own usage fields.
    void otherDialects()
    {
        const QString system = longText("rules");
        const QByteArray chat =
            json({{"model", "sonnet"},
                  {"messages", QJsonArray{QJsonObject{{"role", "system"}, {"content", system}},
                                          QJsonObject{{"role", "user"}, {"content", "hi"}}}}});
        m_upstream.clear();
        const auto r = m_gw.post("/v1/chat/completions", chat);
        QCOMPARE(r->status, 200);
        QCOMPARE(breakpoints(m_upstream.last().json()),
                 (QStringList{"system[0]", "messages[0][0]"}));
        const QJsonObject usage = obj(r->body).value("usage").toObject();
        QCOMPARE(usage.value("prompt_tokens_details").toObject().value("cached_tokens").toInt(),
                 2000);
        QVERIFY(m_gw.waitIdle());
        QCOMPARE(m_gw.records().last().cachedTokens, 2000);

        m_upstream.clear();
        QCOMPARE(m_gw.post("/api/chat",
                           json({{"model", "sonnet"},
                                 {"stream", false},
                                 {"messages",
                                  QJsonArray{QJsonObject{{"role", "system"}, {"content", system}},
                                             QJsonObject{{"role", "user"}, {"content", "hi"}}}}}))
                     ->status,
                 200);
        QCOMPARE(breakpoints(m_upstream.last().json()),
                 (QStringList{"system[0]", "messages[0][0]"}));
    }
};

QTEST_GUILESS_MAIN(TestPromptCache)
#include "tst_promptcache.moc"
