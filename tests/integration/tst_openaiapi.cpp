// The OpenAI-compatible /v1 surface over real loopback sockets, answered by the echo provider:
// SSE framing and chunk shapes, whole objects, legacy completions, models, embeddings, errors
// before and during a stream, and disconnects.

#include "chat/chatjob.h"
#include "checkedlist.h"
#include "fakeserver.h"
#include "gatewayfixture.h"
#include "providers/echo/echoprovider.h"
#include "rawhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QtEndian>

#include <cmath>
#include <cstring>

using namespace gw;

class TstOpenAiApi : public QObject
{
    Q_OBJECT

    gwtest::GatewayFixture m_gw;
    quint16 m_port = 0;

    static QJsonObject obj(const QByteArray &json)
    {
        QJsonParseError pe;
        const QJsonDocument d = QJsonDocument::fromJson(json, &pe);
        if (pe.error != QJsonParseError::NoError)
            qWarning("not a JSON object: %s", json.constData());
        return d.object();
    }
    static QJsonObject at(const QJsonObject &o, const char *key)
    {
        return o.value(QLatin1StringView(key)).toObject();
    }
    static QJsonObject choice(const QJsonObject &chunk)
    {
        return chunk.value(QStringLiteral("choices")).toArray().first().toObject();
    }
    static QJsonObject delta(const QJsonObject &chunk) { return at(choice(chunk), "delta"); }

    // The payloads of an SSE body, checking the framing on the way: every event is exactly one
    // "data: " line followed by a blank line, with no event: or comment lines.
    static gwtest::CheckedList<QByteArray> frames(const QByteArray &body)
    {
        QList<QByteArray> out;
        qsizetype pos = 0;
        while (pos < body.size()) {
            const qsizetype end = body.indexOf("\n\n", pos);
            if (end < 0) {
                qWarning("unterminated frame: %s", body.mid(pos).constData());
                out.append("<unterminated>");
                break;
            }
            const QByteArray frame = body.mid(pos, end - pos);
            if (!frame.startsWith("data: ") || frame.contains('\n')) {
                qWarning("bad frame: %s", frame.constData());
                out.append("<bad frame>");
            } else {
                out.append(frame.mid(6));
            }
            pos = end + 2;
        }
        return out;
    }
    // The JSON chunks of a stream that ended properly: [DONE] last and only there.
    static gwtest::CheckedList<QJsonObject> chunks(const QByteArray &body, bool *done)
    {
        const gwtest::CheckedList<QByteArray> fs = frames(body);
        *done = !fs.isEmpty() && fs.last() == "[DONE]";
        QList<QJsonObject> out;
        for (qsizetype i = 0; i < fs.size(); ++i) {
            if (fs[i] == "[DONE]") {
                if (i != fs.size() - 1)
                    qWarning("[DONE] before the end");
                continue;
            }
            out.append(obj(fs[i]));
        }
        return out;
    }

    Response post(const QByteArray &path, const QByteArray &body) { return m_gw.post(path, body); }
    Response get(const QByteArray &path) { return m_gw.get(path); }
    static QByteArray userChat(const QByteArray &text, const QByteArray &extra = {},
                               const QByteArray &model = "echo")
    {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" +
               text + "\"}]" + (extra.isEmpty() ? QByteArray() : ',' + extra) + '}';
    }
    bool idle() { return m_gw.waitIdle(5000); }
    static void checkError(const Response &r, int status, const QString &type,
                           const QString &messageStart, const QJsonValue &code = QJsonValue())
    {
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonObject root = obj(r->body);
        QCOMPARE(root.size(), 1);
        const QJsonObject e = at(root, "error");
        QVERIFY2(e.value(QStringLiteral("message")).toString().startsWith(messageStart),
                 qPrintable(e.value(QStringLiteral("message")).toString()));
        QCOMPARE(e.value(QStringLiteral("type")).toString(), type);
        QVERIFY(e.contains(QStringLiteral("param")));
        QVERIFY(e.value(QStringLiteral("param")).isNull());
        QVERIFY(e.contains(QStringLiteral("code")));
        QCOMPARE(e.value(QStringLiteral("code")), code);
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(
            m_gw.setUp(
                "{\"providers\":[{\"name\":\"echo\",\"type\":\"echo\",\"options\":{\"delay_ms\":2}}"
                ","
                "{\"name\":\"slowecho\",\"type\":\"echo\",\"options\":{\"delay_ms\":300}}],"
                "\"models\":[{\"name\":\"slow\",\"provider\":\"slowecho\",\"model\":\"echo\"},"
                "{\"name\":\"plain\",\"provider\":\"echo\",\"model\":\"acme-1\",\"capabilities\":["
                "\"completion\"]}]}"),
            qPrintable(m_gw.error()));
        m_port = m_gw.port();
    }

    void chatNonStreaming()
    {
        m_gw.clearRecords();
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        const auto r = post("/v1/chat/completions", userChat("hello there"));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonObject o = obj(r->body);
        QVERIFY(o.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("chatcmpl-")));
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("chat.completion"));
        const qint64 created = o.value(QStringLiteral("created")).toInteger();
        QVERIFY(created >= before && created <= QDateTime::currentSecsSinceEpoch());
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("echo"));
        QCOMPARE(o.value(QStringLiteral("system_fingerprint")).toString(),
                 QStringLiteral("fp_llm_gateway"));
        const QJsonArray choices = o.value(QStringLiteral("choices")).toArray();
        QCOMPARE(choices.size(), 1);
        const QJsonObject c = choices.first().toObject();
        QCOMPARE(c.value(QStringLiteral("index")).toInt(), 0);
        QVERIFY(c.value(QStringLiteral("logprobs")).isNull());
        QCOMPARE(c.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("stop"));
        const QJsonObject m = at(c, "message");
        QCOMPARE(m.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        QCOMPARE(m.value(QStringLiteral("content")).toString(), QStringLiteral("hello there"));
        QVERIFY(!m.contains(QStringLiteral("tool_calls")));
        QVERIFY(!m.contains(QStringLiteral("reasoning_content")));
        const QJsonObject u = at(o, "usage");
        const qint64 p = u.value(QStringLiteral("prompt_tokens")).toInteger();
        const qint64 n = u.value(QStringLiteral("completion_tokens")).toInteger();
        QVERIFY(p > 0);
        QCOMPARE(n, 2);
        QCOMPARE(u.value(QStringLiteral("total_tokens")).toInteger(), p + n);

        QTRY_COMPARE(m_gw.records().size(), 1);
        const RequestRecord &rec = m_gw.records()[0];
        QCOMPARE(rec.dialect, QStringLiteral("openai"));
        QCOMPARE(rec.model, QStringLiteral("echo"));
        QCOMPARE(rec.provider, QStringLiteral("echo"));
        QCOMPARE(rec.streamed, false);
        QCOMPARE(rec.status, 200);
        QCOMPARE(rec.completionTokens, 2);
        QVERIFY(rec.firstTokenMs >= 0);
    }

    void chatStreaming()
    {
        m_gw.clearRecords();
        const auto r = post("/v1/chat/completions", userChat("a b c", "\"stream\":true"));
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
        QVERIFY(r->chunked);
        QVERIFY(!r->body.contains("event:"));
        bool done = false;
        const gwtest::CheckedList<QJsonObject> cs = chunks(r->body, &done);
        QVERIFY(done);
        QCOMPARE(cs.size(), 5); // role, three words, finish
        const QString id = cs[0].value(QStringLiteral("id")).toString();
        QVERIFY(id.startsWith(QStringLiteral("chatcmpl-")));
        QString text;
        for (qsizetype i = 0; i < cs.size(); ++i) {
            const QJsonObject &c = cs[i];
            QCOMPARE(c.value(QStringLiteral("id")).toString(), id);
            QCOMPARE(c.value(QStringLiteral("object")).toString(),
                     QStringLiteral("chat.completion.chunk"));
            QCOMPARE(c.value(QStringLiteral("model")).toString(), QStringLiteral("echo"));
            QVERIFY(c.value(QStringLiteral("created")).toInteger() > 0);
            QCOMPARE(c.value(QStringLiteral("system_fingerprint")).toString(),
                     QStringLiteral("fp_llm_gateway"));
            QVERIFY(!c.contains(QStringLiteral("usage"))); // only with include_usage
            QCOMPARE(choice(c).value(QStringLiteral("index")).toInt(), 0);
            QVERIFY(choice(c).value(QStringLiteral("logprobs")).isNull());
            QCOMPARE(choice(c).value(QStringLiteral("finish_reason")).isNull(), i != cs.size() - 1);
            text += delta(c).value(QStringLiteral("content")).toString();
        }
        QCOMPARE(delta(cs[0]), (QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                            {QStringLiteral("content"), QString()}}));
        for (qsizetype i = 1; i < cs.size(); ++i)
            QVERIFY(!delta(cs[i]).contains(QStringLiteral("role")));
        QCOMPARE(text, QStringLiteral("a b c"));
        QCOMPARE(delta(cs.last()), QJsonObject());
        QCOMPARE(choice(cs.last()).value(QStringLiteral("finish_reason")).toString(),
                 QStringLiteral("stop"));

        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].streamed, true);
        QCOMPARE(m_gw.records()[0].completionTokens, 3);
        QVERIFY(m_gw.records()[0].promptTokens > 0);
    }

    void includeUsage()
    {
        const auto r = post("/v1/chat/completions",
                            userChat("x y", "\"stream\":true,\"stream_options\":{\"include_usage\":"
                                            "true}"));
        bool done = false;
        const gwtest::CheckedList<QJsonObject> cs = chunks(r->body, &done);
        QVERIFY(done);
        QCOMPARE(cs.size(), 5); // role, two words, finish, usage
        for (qsizetype i = 0; i < cs.size() - 1; ++i) {
            QVERIFY(cs[i].contains(QStringLiteral("usage")));
            QVERIFY(cs[i].value(QStringLiteral("usage")).isNull());
            QCOMPARE(cs[i].value(QStringLiteral("choices")).toArray().size(), 1);
        }
        const QJsonObject &last = cs.last();
        QCOMPARE(last.value(QStringLiteral("choices")).toArray(), QJsonArray());
        QCOMPARE(last.value(QStringLiteral("id")), cs[0].value(QStringLiteral("id")));
        const QJsonObject u = at(last, "usage");
        QCOMPARE(u.value(QStringLiteral("completion_tokens")).toInt(), 2);
        QVERIFY(u.value(QStringLiteral("prompt_tokens")).toInt() > 0);
        QCOMPARE(u.value(QStringLiteral("total_tokens")).toInt(),
                 u.value(QStringLiteral("prompt_tokens")).toInt() + 2);

        // Not streaming: stream_options changes nothing.
        const auto whole = post("/v1/chat/completions",
                                userChat("x y", "\"stream_options\":{\"include_usage\":true}"));
        QCOMPARE(at(obj(whole->body), "usage").value(QStringLiteral("completion_tokens")).toInt(),
                 2);
    }

    void reasoning()
    {
        auto r = post("/v1/chat/completions",
                      userChat("one two three", "\"stream\":true,\"reasoning_effort\":\"low\""));
        bool done = false;
        const gwtest::CheckedList<QJsonObject> cs = chunks(r->body, &done);
        QVERIFY(done);
        QString reasoning, reasoningContent, content;
        for (const QJsonObject &c : cs) {
            const QJsonObject d = delta(c);
            reasoning += d.value(QStringLiteral("reasoning")).toString();
            reasoningContent += d.value(QStringLiteral("reasoning_content")).toString();
            content += d.value(QStringLiteral("content")).toString();
            // A chunk carries reasoning or content, not both.
            QVERIFY(!(d.contains(QStringLiteral("reasoning")) &&
                      d.contains(QStringLiteral("content"))));
        }
        QCOMPARE(reasoning, QStringLiteral("The user wrote 3 words; I will echo them back."));
        QCOMPARE(reasoningContent, reasoning);
        QCOMPARE(content, QStringLiteral("one two three"));

        r = post("/v1/chat/completions",
                 userChat("one two", "\"reasoning\":{\"effort\":\"high\"}"));
        const QJsonObject m = at(choice(obj(r->body)), "message");
        QCOMPARE(m.value(QStringLiteral("reasoning_content")).toString(),
                 QStringLiteral("The user wrote 2 words; I will echo them back."));
        QCOMPARE(m.value(QStringLiteral("reasoning")),
                 m.value(QStringLiteral("reasoning_content")));
        QCOMPARE(m.value(QStringLiteral("content")).toString(), QStringLiteral("one two"));

        // "none" turns thinking off.
        r = post("/v1/chat/completions", userChat("one", "\"reasoning_effort\":\"none\""));
        QVERIFY(!at(choice(obj(r->body)), "message").contains(QStringLiteral("reasoning_content")));
    }

    void toolCallsStreamed()
    {
        const QByteArray tools =
            "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"
            "}}]";
        const QByteArray ask = "call get_weather {\\\"city\\\":\\\"Tokyo\\\"}";
        auto r = post("/v1/chat/completions", userChat(ask, "\"stream\":true," + tools));
        QCOMPARE(r->status, 200);
        bool done = false;
        const gwtest::CheckedList<QJsonObject> cs = chunks(r->body, &done);
        QVERIFY(done);
        QCOMPARE(cs.size(), 3); // role, the call, finish
        const QJsonArray calls = delta(cs[1]).value(QStringLiteral("tool_calls")).toArray();
        QCOMPARE(calls.size(), 1);
        const QJsonObject call = calls.first().toObject();
        QCOMPARE(call.value(QStringLiteral("index")).toInt(), 0);
        QVERIFY(call.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("call_")));
        QCOMPARE(call.value(QStringLiteral("type")).toString(), QStringLiteral("function"));
        const QJsonObject fn = at(call, "function");
        QCOMPARE(fn.value(QStringLiteral("name")).toString(), QStringLiteral("get_weather"));
        QVERIFY(fn.value(QStringLiteral("arguments")).isString());
        const QJsonObject tokyo{{QStringLiteral("city"), QStringLiteral("Tokyo")}};
        QCOMPARE(obj(fn.value(QStringLiteral("arguments")).toString().toUtf8()), tokyo);
        QCOMPARE(choice(cs.last()).value(QStringLiteral("finish_reason")).toString(),
                 QStringLiteral("tool_calls"));

        // Whole: content is null when the answer is only tool calls.
        r = post("/v1/chat/completions", userChat(ask, tools + ",\"tool_choice\":\"auto\""));
        const QJsonObject c = choice(obj(r->body));
        QCOMPARE(c.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("tool_calls"));
        const QJsonObject m = at(c, "message");
        QVERIFY(m.value(QStringLiteral("content")).isNull());
        const QJsonObject whole =
            m.value(QStringLiteral("tool_calls")).toArray().first().toObject();
        QCOMPARE(obj(at(whole, "function").value(QStringLiteral("arguments")).toString().toUtf8()),
                 tokyo);
        const QString callId = whole.value(QStringLiteral("id")).toString();

        // The result goes back with the call's id only; the tool's name is found from it.
        r = post("/v1/chat/completions",
                 "{\"model\":\"echo\"," + tools +
                     ",\"messages\":[{\"role\":\"user\",\"content\":\"" + ask +
                     "\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"" +
                     callId.toUtf8() +
                     "\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                     "\"arguments\":\"{\\\"city\\\":\\\"Tokyo\\\"}\"}}]},{\"role\":\"tool\","
                     "\"tool_call_id\":\"" +
                     callId.toUtf8() + "\",\"content\":\"18C\"}]}");
        QCOMPARE(r->status, 200);
        QCOMPARE(at(choice(obj(r->body)), "message").value(QStringLiteral("content")).toString(),
                 QStringLiteral("Tool get_weather returned: 18C"));
    }

    void lengthJsonAndImages()
    {
        auto r = post("/v1/chat/completions", userChat("one two three four", "\"max_tokens\":2"));
        QCOMPARE(choice(obj(r->body)).value(QStringLiteral("finish_reason")).toString(),
                 QStringLiteral("length"));
        QCOMPARE(at(choice(obj(r->body)), "message").value(QStringLiteral("content")).toString(),
                 QStringLiteral("one two"));
        r = post("/v1/chat/completions",
                 userChat("one two three four", "\"stream\":true,\"max_completion_tokens\":1"));
        bool done = false;
        const gwtest::CheckedList<QJsonObject> cs = chunks(r->body, &done);
        QCOMPARE(choice(cs.last()).value(QStringLiteral("finish_reason")).toString(),
                 QStringLiteral("length"));

        r = post("/v1/chat/completions",
                 userChat("give json", "\"response_format\":{\"type\":\"json_object\"}"));
        const QString content =
            at(choice(obj(r->body)), "message").value(QStringLiteral("content")).toString();
        QCOMPARE(obj(content.toUtf8()),
                 (QJsonObject{{QStringLiteral("echo"), QStringLiteral("give json")}}));

        r = post("/v1/chat/completions",
                 "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                 "\"text\",\"text\":\"what is this\"},{\"type\":\"image_url\",\"image_url\":{"
                 "\"url\":\"data:image/webp;base64,iVBORw0KGgo=\"}}]}]}");
        QCOMPARE(r->status, 200);
        QCOMPARE(at(choice(obj(r->body)), "message").value(QStringLiteral("content")).toString(),
                 QStringLiteral("[1 image(s): image/webp] what is this"));
    }

    void completionsWhole()
    {
        const auto r = post("/v1/completions",
                            "{\"model\":\"echo\",\"prompt\":\"def add(a, b):\",\"max_tokens\":2}");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonObject o = obj(r->body);
        QVERIFY(o.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("cmpl-")));
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("text_completion"));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("echo"));
        QVERIFY(o.value(QStringLiteral("created")).toInteger() > 0);
        const QJsonObject c = choice(o);
        QCOMPARE(c.value(QStringLiteral("text")).toString(), QStringLiteral("def add(a,"));
        QCOMPARE(c.value(QStringLiteral("index")).toInt(), 0);
        QVERIFY(c.value(QStringLiteral("logprobs")).isNull());
        QCOMPARE(c.value(QStringLiteral("finish_reason")).toString(), QStringLiteral("length"));
        QVERIFY(!c.contains(QStringLiteral("message")));
        QCOMPARE(at(o, "usage").value(QStringLiteral("completion_tokens")).toInt(), 2);
    }

    void completionsStreamed()
    {
        const auto r =
            post("/v1/completions", "{\"model\":\"echo\",\"prompt\":[\"x y z\"],\"stream\":true,"
                                    "\"stream_options\":{\"include_usage\":true}}");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
        bool done = false;
        const gwtest::CheckedList<QJsonObject> cs = chunks(r->body, &done);
        QVERIFY(done);
        QCOMPARE(cs.size(), 5); // three words, finish, usage: no role chunk here
        QString text;
        for (qsizetype i = 0; i < 4; ++i) {
            QCOMPARE(cs[i].value(QStringLiteral("object")).toString(),
                     QStringLiteral("text_completion"));
            QVERIFY(
                cs[i].value(QStringLiteral("id")).toString().startsWith(QStringLiteral("cmpl-")));
            QVERIFY(cs[i].value(QStringLiteral("usage")).isNull());
            QVERIFY(cs[i].contains(QStringLiteral("usage")));
            const QJsonObject c = choice(cs[i]);
            QVERIFY(!c.contains(QStringLiteral("delta")));
            QVERIFY(c.value(QStringLiteral("logprobs")).isNull());
            QCOMPARE(c.value(QStringLiteral("finish_reason")).isNull(), i < 3);
            text += c.value(QStringLiteral("text")).toString();
        }
        QCOMPARE(text, QStringLiteral("x y z"));
        QCOMPARE(choice(cs[3]).value(QStringLiteral("finish_reason")).toString(),
                 QStringLiteral("stop"));
        QCOMPARE(cs[4].value(QStringLiteral("choices")).toArray(), QJsonArray());
        QCOMPARE(at(cs[4], "usage").value(QStringLiteral("completion_tokens")).toInt(), 3);
    }

    void modelsList()
    {
        const auto r = get("/v1/models");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QJsonObject o = obj(r->body);
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QHash<QString, QString> owners;
        for (const QJsonValue &v : o.value(QStringLiteral("data")).toArray()) {
            const QJsonObject m = v.toObject();
            QCOMPARE(m.value(QStringLiteral("object")).toString(), QStringLiteral("model"));
            QVERIFY(m.value(QStringLiteral("created")).isDouble());
            owners.insert(m.value(QStringLiteral("id")).toString(),
                          m.value(QStringLiteral("owned_by")).toString());
        }
        // Names as listed, no ":latest" added.
        for (auto it = owners.cbegin(); it != owners.cend(); ++it)
            QVERIFY2(!it.key().endsWith(QStringLiteral(":latest")), qPrintable(it.key()));
        QVERIFY(owners.size() >= 3);
        QCOMPARE(owners.value(QStringLiteral("echo")), QStringLiteral("echo"));
        QCOMPARE(owners.value(QStringLiteral("slow")), QStringLiteral("slowecho"));
        QCOMPARE(owners.value(QStringLiteral("plain")), QStringLiteral("echo"));
    }

    void oneModel()
    {
        auto r = get("/v1/models/echo");
        QCOMPARE(r->status, 200);
        QJsonObject m = obj(r->body);
        QCOMPARE(m.value(QStringLiteral("id")).toString(), QStringLiteral("echo"));
        QCOMPARE(m.value(QStringLiteral("object")).toString(), QStringLiteral("model"));
        QCOMPARE(m.value(QStringLiteral("owned_by")).toString(), QStringLiteral("echo"));
        QVERIFY(m.value(QStringLiteral("created")).isDouble());

        // Case-insensitive, :latest implied.
        r = get("/v1/models/SLOW:latest");
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("id")).toString(), QStringLiteral("slow"));

        // Ids with '/' (provider/model), plain or percent-encoded.
        for (const QByteArray &path :
             {QByteArray("/v1/models/echo/tiny-1"), QByteArray("/v1/models/echo%2Ftiny-1")}) {
            r = get(path);
            QCOMPARE(r->status, 200);
            m = obj(r->body);
            QCOMPARE(m.value(QStringLiteral("id")).toString(), QStringLiteral("echo/tiny-1"));
            QCOMPARE(m.value(QStringLiteral("owned_by")).toString(), QStringLiteral("echo"));
        }

        checkError(get("/v1/models/ghost"), 404, QStringLiteral("invalid_request_error"),
                   QStringLiteral("The model 'ghost' does not exist"),
                   QStringLiteral("model_not_found"));
    }

    void embeddingsFloat()
    {
        m_gw.clearRecords();
        const auto r =
            post("/v1/embeddings", "{\"model\":\"echo\",\"input\":[\"hello world\",\"other words "
                                   "here\"]}");
        QCOMPARE(r->status, 200);
        const QJsonObject o = obj(r->body);
        QCOMPARE(o.value(QStringLiteral("object")).toString(), QStringLiteral("list"));
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("echo"));
        const QJsonArray data = o.value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 2);

        EmbedRequest req;
        req.inputs = {QStringLiteral("hello world"), QStringLiteral("other words here")};
        const EmbedResult raw = EchoProvider::vectors(req);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject d = data[i].toObject();
            QCOMPARE(d.value(QStringLiteral("object")).toString(), QStringLiteral("embedding"));
            QCOMPARE(d.value(QStringLiteral("index")).toInt(), i);
            const QJsonArray v = d.value(QStringLiteral("embedding")).toArray();
            QCOMPARE(v.size(), 64);
            double rawNorm = 0;
            for (double x : raw.vectors[i])
                rawNorm += x * x;
            rawNorm = std::sqrt(rawNorm);
            double norm = 0;
            for (int k = 0; k < v.size(); ++k) {
                norm += v[k].toDouble() * v[k].toDouble();
                // The same direction as the provider's vector, scaled to unit length.
                QVERIFY(std::fabs(v[k].toDouble() - raw.vectors[i][k] / rawNorm) < 1e-12);
            }
            QVERIFY2(std::fabs(norm - 1) < 1e-9, qPrintable(QString::number(norm)));
        }
        const QJsonObject u = at(o, "usage");
        QCOMPARE(u.value(QStringLiteral("prompt_tokens")).toInt(), 5);
        QCOMPARE(u.value(QStringLiteral("total_tokens")).toInt(), 5);
        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].dialect, QStringLiteral("openai"));
        QCOMPARE(m_gw.records()[0].provider, QStringLiteral("echo"));
        QCOMPARE(m_gw.records()[0].promptTokens, 5);
    }

    // The echo model's vectors are the same on every machine, and never all zero: words whose
    // signs cancel still give a direction (a zero vector cannot be normalised).
    void echoVectorsAreStableAndNeverZero()
    {
        EmbedRequest req;
        req.inputs = {QStringLiteral("the cat")};
        QList<double> expected(64, 0.0);
        expected[60] = -1.0; // FNV-1a of "the"
        expected[39] = -1.0; // FNV-1a of "cat"
        QCOMPARE(EchoProvider::vectors(req).vectors.value(0), expected);

        req.inputs = {QStringLiteral("cat dog"), QString()};
        req.dimensions = 1; // "cat" counts -1 and "dog" +1 in the one dimension
        const EmbedResult r = EchoProvider::vectors(req);
        QCOMPARE(r.vectors.value(0), QList<double>{1.0});
        QCOMPARE(r.vectors.value(1), QList<double>{1.0});
    }

    void embeddingsBase64AndDimensions()
    {
        const auto f = post("/v1/embeddings", "{\"model\":\"echo\",\"input\":\"a b c d\"}");
        const auto b =
            post("/v1/embeddings", "{\"model\":\"echo\",\"input\":\"a b c d\",\"encoding_format\":"
                                   "\"base64\"}");
        QCOMPARE(b->status, 200);
        const QJsonArray floats = obj(f->body)
                                      .value(QStringLiteral("data"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QStringLiteral("embedding"))
                                      .toArray();
        const QJsonValue encoded = obj(b->body)
                                       .value(QStringLiteral("data"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QStringLiteral("embedding"));
        QVERIFY(encoded.isString());
        const QByteArray bytes = QByteArray::fromBase64(encoded.toString().toLatin1());
        QCOMPARE(bytes.size(), 64 * 4);
        for (int k = 0; k < 64; ++k) {
            const quint32 bits = qFromLittleEndian<quint32>(bytes.constData() + 4 * k);
            float x = 0;
            std::memcpy(&x, &bits, 4);
            QCOMPARE(x, float(floats[k].toDouble()));
        }

        // Dimensions: vectors of that length, unit length again.
        const auto d = post("/v1/embeddings",
                            "{\"model\":\"echo\",\"input\":[\"a b c d e f\"],\"dimensions\":8}");
        QCOMPARE(d->status, 200);
        const QJsonArray v = obj(d->body)
                                 .value(QStringLiteral("data"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("embedding"))
                                 .toArray();
        QCOMPARE(v.size(), 8);
        double norm = 0;
        for (const QJsonValue &x : v)
            norm += x.toDouble() * x.toDouble();
        QVERIFY(std::fabs(norm - 1) < 1e-9);
    }

    void embeddingErrors()
    {
        checkError(post("/v1/embeddings", "{\"model\":\"echo\",\"input\":[]}"), 400,
                   QStringLiteral("invalid_request_error"), QStringLiteral("input must not be"));
        checkError(post("/v1/embeddings", "{\"model\":\"echo\",\"input\":[1,2,3]}"), 400,
                   QStringLiteral("invalid_request_error"),
                   QStringLiteral("token arrays are not supported; send text"));
        checkError(post("/v1/embeddings",
                        "{\"model\":\"echo\",\"input\":\"a\",\"encoding_format\":\"hex\"}"),
                   400, QStringLiteral("invalid_request_error"),
                   QStringLiteral("encoding_format must be float or base64"));
        checkError(post("/v1/embeddings", "{\"model\":\"nomic\",\"input\":\"a\"}"), 404,
                   QStringLiteral("invalid_request_error"),
                   QStringLiteral("The model 'nomic' does not exist or you do not have access to "
                                  "it."),
                   QStringLiteral("model_not_found"));
    }

    void errorsBeforeTheStream_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("code");
        const QString invalid = QStringLiteral("invalid_request_error");
        QTest::newRow("empty body") << QByteArray("/v1/chat/completions") << QByteArray() << 400
                                    << invalid << "missing request body" << QString();
        QTest::newRow("malformed")
            << QByteArray("/v1/chat/completions") << QByteArray("{\"model\":") << 400 << invalid
            << "invalid JSON" << QString();
        QTest::newRow("no messages") << QByteArray("/v1/chat/completions")
                                     << QByteArray("{\"model\":\"echo\",\"messages\":[]}") << 400
                                     << invalid << "[] is too short - 'messages'" << QString();
        QTest::newRow("wrong type")
            << QByteArray("/v1/chat/completions")
            << QByteArray("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":1}]}")
            << 400 << invalid << "messages[0].content must be a string or an array of content parts"
            << QString();
        QTest::newRow("n") << QByteArray("/v1/chat/completions") << userChat("x", "\"n\":3") << 400
                           << invalid << "n > 1 is not supported" << QString();
        QTest::newRow("unknown model")
            << QByteArray("/v1/chat/completions") << userChat("x", {}, "gpt-9") << 404 << invalid
            << "The model 'gpt-9' does not exist or you do not have access to it."
            << "model_not_found";
        QTest::newRow("unknown model, completions")
            << QByteArray("/v1/completions") << QByteArray("{\"model\":\"x\",\"prompt\":\"p\"}")
            << 404 << invalid << "The model 'x' does not exist"
            << "model_not_found";
        QTest::newRow("no tools on plain")
            << QByteArray("/v1/chat/completions")
            << userChat("x", "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]",
                        "plain")
            << 400 << invalid << "model 'plain' does not support tools" << QString();
        QTest::newRow("no reasoning on plain")
            << QByteArray("/v1/chat/completions")
            << userChat("x", "\"reasoning_effort\":\"high\"", "plain") << 400 << invalid
            << "model 'plain' does not support reasoning" << QString();
        QTest::newRow("upstream 429")
            << QByteArray("/v1/chat/completions") << userChat("/fail 429 slow down") << 429
            << "rate_limit_error"
            << "slow down" << QString();
        QTest::newRow("upstream 429 while streaming")
            << QByteArray("/v1/chat/completions")
            << userChat("/fail 429 slow down", "\"stream\":true") << 429 << "rate_limit_error"
            << "slow down" << QString();
        QTest::newRow("upstream 401")
            << QByteArray("/v1/chat/completions")
            << userChat("/fail 401 bad key", "\"stream\":true") << 401 << "authentication_error"
            << "bad key" << QString();
        QTest::newRow("upstream 403") << QByteArray("/v1/completions")
                                      << QByteArray("{\"model\":\"echo\",\"prompt\":\"/fail 403 "
                                                    "no access\",\"stream\":true}")
                                      << 403 << "permission_error"
                                      << "no access" << QString();
        QTest::newRow("upstream 503") << QByteArray("/v1/chat/completions")
                                      << userChat("/fail 503 overloaded") << 503 << "api_error"
                                      << "overloaded" << QString();
    }
    void errorsBeforeTheStream()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, type);
        QFETCH(QString, message);
        QFETCH(QString, code);
        checkError(post(path, body), status, type, message,
                   code.isEmpty() ? QJsonValue() : QJsonValue(code));
    }

    // An OpenAI-compatible upstream's own error code reaches the OpenAI client's error.code,
    // on every /v1 route that calls it, streamed or not. Before failures were typed, the
    // encoder guessed the code from the words of a flattened sentence (only "model" was
    // recognised): insufficient_quota, context_length_exceeded and rate_limit_exceeded came
    // back as code null, which the checkError() below refuses.
    void upstreamCodesReachErrorCode_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("code");
        QTest::newRow("quota") << 429
                               << QByteArray("{\"error\":{\"message\":\"You exceeded your current "
                                             "quota\",\"type\":\"insufficient_quota\",\"param\":"
                                             "null,\"code\":\"insufficient_quota\"}}")
                               << "insufficient_quota"
                               << "insufficient_quota";
        QTest::newRow("context") << 400
                                 << QByteArray("{\"error\":{\"message\":\"This model's maximum "
                                               "context length is 128000 tokens.\",\"type\":"
                                               "\"invalid_request_error\",\"param\":\"messages\","
                                               "\"code\":\"context_length_exceeded\"}}")
                                 << "invalid_request_error"
                                 << "context_length_exceeded";
        QTest::newRow("rate limit") << 429
                                    << QByteArray("{\"error\":{\"message\":\"Rate limit reached "
                                                  "for requests\",\"type\":\"requests\",\"param\":"
                                                  "null,\"code\":\"rate_limit_exceeded\"}}")
                                    << "rate_limit_error"
                                    << "rate_limit_exceeded";
    }
    void upstreamCodesReachErrorCode()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, type);
        QFETCH(QString, code);
        gwtest::FakeServer fake;
        fake.on("POST", "/v1/*",
                [=](const gwtest::Received &) { return gwtest::Reply::json(status, body); });
        gwtest::GatewayFixture g;
        QVERIFY2(g.setUp("{\"providers\":[{\"name\":\"up\",\"type\":\"openai\",\"base_url\":\"" +
                         fake.url(QStringLiteral("/v1")).toUtf8() +
                         "\",\"options\":{\"max_retries\":0,\"requires_key\":false}}],"
                         "\"models\":[{\"name\":\"m\",\"provider\":\"up\",\"model\":\"gpt-4o\"},"
                         "{\"name\":\"e\",\"provider\":\"up\",\"model\":"
                         "\"text-embedding-3-small\"}]}"),
                 qPrintable(g.error()));
        const QList<QPair<QByteArray, QByteArray>> calls{
            {"/v1/chat/completions", userChat("hi", {}, "m")},
            {"/v1/chat/completions", userChat("hi", "\"stream\":true", "m")},
            {"/v1/completions", "{\"model\":\"m\",\"prompt\":\"hi\"}"},
            {"/v1/completions", "{\"model\":\"m\",\"prompt\":\"hi\",\"stream\":true}"},
            {"/v1/embeddings", "{\"model\":\"e\",\"input\":\"hi\"}"}};
        for (const auto &[path, request] : calls) {
            fake.clear();
            const Response r = g.post(path, request);
            checkError(r, status, type, QString(), code);
            if (QTest::currentTestFailed())
                qWarning("on %s with %s", path.constData(), request.constData());
            QVERIFY(!QTest::currentTestFailed());
            QCOMPARE(fake.requestCount(), 1);
        }
    }

    void midStreamErrorFrame()
    {
        m_gw.clearRecords();
        const auto r = post("/v1/chat/completions",
                            userChat("/fail-after 2 upstream broke", "\"stream\":true"));
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("text/event-stream"));
        const gwtest::CheckedList<QByteArray> fs = frames(r->body);
        QCOMPARE(fs.size(), 4); // role, two words, the error: no [DONE]
        QVERIFY(!r->body.contains("[DONE]"));
        QCOMPARE(delta(obj(fs[1])).value(QStringLiteral("content")).toString(),
                 QStringLiteral("word"));
        const QJsonObject e = obj(fs.last());
        QCOMPARE(e.size(), 1);
        QCOMPARE(at(e, "error"),
                 (QJsonObject{{QStringLiteral("message"), QStringLiteral("upstream broke")},
                              {QStringLiteral("type"), QStringLiteral("api_error")}}));
        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].error, QStringLiteral("upstream broke"));
        QCOMPARE(m_gw.records()[0].status, 200);

        // Legacy completions break off the same way.
        const auto c = post("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"/fail-after 1 "
                                               "gone\",\"stream\":true}");
        const gwtest::CheckedList<QByteArray> cf = frames(c->body);
        QCOMPARE(cf.size(), 2);
        QCOMPARE(at(obj(cf.last()), "error").value(QStringLiteral("message")).toString(),
                 QStringLiteral("gone"));
    }

    void streamArrivesIncrementallyAndDisconnectCancels()
    {
        m_gw.clearRecords();
        {
            RawHttp c(m_port);
            c.send("POST", "/v1/chat/completions",
                   userChat("a b c d e f g h i j", "\"stream\":true", "slow"));
            const auto head = c.readHead();
            QVERIFY(head);
            QCOMPARE(head->status, 200);
            QVERIFY(head->chunked);
            const auto role = c.readChunk();
            QVERIFY(role);
            QVERIFY(role->startsWith("data: "));
            QCOMPARE(delta(obj(role->mid(6).trimmed())).value(QStringLiteral("role")).toString(),
                     QStringLiteral("assistant"));
            const auto first = c.readChunk();
            QVERIFY(first);
            QCOMPARE(
                delta(obj(first->mid(6).trimmed())).value(QStringLiteral("content")).toString(),
                QStringLiteral("a"));
            // 300 ms between words: the first word was flushed on its own.
            QVERIFY(!c.hasBufferedData());
            QVERIFY(!m_gw->findChildren<ChatJob *>().isEmpty()); // in flight
            c.close();
        }
        QVERIFY(idle()); // the job behind the stream was destroyed, not left running
        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].error, QStringLiteral("client closed the connection"));
        QCOMPARE(m_gw.records()[0].dialect, QStringLiteral("openai"));
        QCOMPARE(get("/v1/models")->status, 200); // still serving
    }

    void disconnectBeforeOutput()
    {
        m_gw.clearRecords();
        {
            RawHttp c(m_port);
            c.send("POST", "/v1/chat/completions", userChat("a b", {}, "slow"));
            QTRY_VERIFY(!m_gw->findChildren<ChatJob *>().isEmpty());
            c.close();
        }
        QVERIFY(idle());
        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].status, 499);
    }

    void wrongMethods()
    {
        QCOMPARE(get("/v1/chat/completions")->status, 405);
        RawHttp c(m_port);
        QCOMPARE(c.request("POST", "/v1/models", "{}")->status, 405);
    }
};

QTEST_GUILESS_MAIN(TstOpenAiApi)
#include "tst_openaiapi.moc"
