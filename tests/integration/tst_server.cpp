// The gateway's HTTP surface over real loopback sockets: every Ollama endpoint, streaming as
// it happens, keep-alive, disconnects, bad and oversized input.

#include "chat/chatjob.h"
#include "chat/instanceid.h"
#include "checkedlist.h"
#include "gatewayfixture.h"
#include "rawhttp.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace gw;

class TstServer : public QObject
{
    Q_OBJECT

    gwtest::GatewayFixture m_gw;
    quint16 m_port = 0;

    static QJsonObject obj(const QByteArray &json)
    {
        return QJsonDocument::fromJson(json).object();
    }
    static gwtest::CheckedList<QJsonObject> lines(const QByteArray &ndjson)
    {
        QList<QJsonObject> out;
        for (const QByteArray &l : ndjson.split('\n'))
            if (!l.isEmpty())
                out.append(obj(l));
        return out;
    }
    Response post(const QByteArray &path, const QByteArray &body) { return m_gw.post(path, body); }
    Response get(const QByteArray &path, const QByteArray &method = "GET")
    {
        return m_gw.request(method, path);
    }
    bool idle() { return m_gw.waitIdle(5000); }

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
                "\"completion\"]}],"
                "\"server\":{\"max_body_bytes\":100000}}"),
            qPrintable(m_gw.error()));
        m_port = m_gw.port();
    }

    // The stop tests start it again at their end; one that failed half-way must not leave the
    // gateway stopped for every test after it.
    void init()
    {
        if (!m_gw->isRunning())
            QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
    }

    void root()
    {
        auto r = get("/");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("Ollama is running"));
        QVERIFY(r->header("content-type").startsWith("text/plain"));
        r = get("/", "HEAD");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-length"), QByteArray("17"));
        QVERIFY(r->body.isEmpty());
    }

    void version()
    {
        const auto r = get("/api/version");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        const QString v = obj(r->body).value(QStringLiteral("version")).toString();
        const QStringList parts = v.split(u'.');
        QCOMPARE(parts.size(), 3);
        QVERIFY(parts[0].toInt() > 0 || parts[1].toInt() >= 7); // Copilot needs >= 0.6.4
        QCOMPARE(get("/api/version", "HEAD")->status, 200);
    }

    void tags()
    {
        const auto r = get("/api/tags");
        QCOMPARE(r->status, 200);
        const QJsonArray models = obj(r->body).value(QStringLiteral("models")).toArray();
        QStringList names;
        for (const QJsonValue &m : models) {
            const QJsonObject o = m.toObject();
            names.append(o.value(QStringLiteral("name")).toString());
            QCOMPARE(o.value(QStringLiteral("model")), o.value(QStringLiteral("name")));
            QVERIFY(o.value(QStringLiteral("details")).isObject());
        }
        QCOMPARE(names, (QStringList{QStringLiteral("slow:latest"), QStringLiteral("plain:latest"),
                                     QStringLiteral("echo:latest")}));
        QCOMPARE(get("/api/tags", "HEAD")->status, 200);
    }

    void show()
    {
        auto r = post("/api/show", "{\"model\":\"SLOW:latest\"}");
        QCOMPARE(r->status, 200);
        const QJsonObject s = obj(r->body);
        QVERIFY(s.value(QStringLiteral("capabilities"))
                    .toArray()
                    .contains(QStringLiteral("completion")));
        QCOMPARE(s.value(QStringLiteral("model_info"))
                     .toObject()
                     .value(QStringLiteral("echo.context_length"))
                     .toInt(),
                 8192);
        r = post("/api/show", "{\"name\":\"plain\"}"); // Continue's legacy key
        QCOMPARE(r->status, 200);
        QCOMPARE(obj(r->body).value(QStringLiteral("capabilities")).toArray(),
                 QJsonArray{QStringLiteral("completion")});
        r = post("/api/show", "{\"model\":\"ghost\"}");
        QCOMPARE(r->status, 404);
        QCOMPARE(r->body, QByteArray("{\"error\":\"model 'ghost:latest' not found\"}"));
        QCOMPARE(post("/api/show", "{}")->body, QByteArray("{\"error\":\"model is required\"}"));
    }

    void chatNonStreaming()
    {
        const auto r = post("/api/chat", "{\"model\":\"echo\",\"stream\":false,\"messages\":[{"
                                         "\"role\":\"user\",\"content\":\"hello there\"}]}");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        QVERIFY(!r->header("content-length").isEmpty());
        const QJsonObject o = obj(r->body);
        QCOMPARE(o.value(QStringLiteral("model")).toString(), QStringLiteral("echo"));
        QCOMPARE(o.value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("hello there"));
        QCOMPARE(
            o.value(QStringLiteral("message")).toObject().value(QStringLiteral("role")).toString(),
            QStringLiteral("assistant"));
        QCOMPARE(o.value(QStringLiteral("done")).toBool(), true);
        QCOMPARE(o.value(QStringLiteral("done_reason")).toString(), QStringLiteral("stop"));
        for (const char *k : {"total_duration", "load_duration", "prompt_eval_count",
                              "prompt_eval_duration", "eval_count", "eval_duration"})
            QVERIFY2(o.value(QLatin1StringView(k)).toDouble() > 0, k);
        QVERIFY(o.value(QStringLiteral("total_duration")).toDouble() >=
                o.value(QStringLiteral("eval_duration")).toDouble());
    }

    void chatStreamingShape()
    {
        const auto r = post(
            "/api/chat",
            "{\"model\":\"echo:latest\",\"messages\":[{\"role\":\"user\",\"content\":\"a b c\"}]}");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/x-ndjson"));
        QVERIFY(r->chunked);
        QVERIFY(!r->body.contains("\n\n")); // ollama-python crashes on blank lines
        const auto ls = lines(r->body);
        QCOMPARE(ls.size(), 4);
        QString text;
        for (qsizetype i = 0; i < ls.size(); ++i) {
            const QJsonObject &l = ls[i];
            QCOMPARE(l.value(QStringLiteral("model")).toString(), QStringLiteral("echo:latest"));
            QVERIFY(l.value(QStringLiteral("created_at")).toString().endsWith(u'Z'));
            QCOMPARE(l.value(QStringLiteral("done")).toBool(), i == ls.size() - 1);
            text += l.value(QStringLiteral("message"))
                        .toObject()
                        .value(QStringLiteral("content"))
                        .toString();
            // Metrics only on the last line: LangChain sums them over every line.
            QCOMPARE(l.contains(QStringLiteral("eval_count")), i == ls.size() - 1);
        }
        QCOMPARE(text, QStringLiteral("a b c"));
        QCOMPARE(ls.last().value(QStringLiteral("done_reason")).toString(), QStringLiteral("stop"));
    }

    void chatThinkingAndTools()
    {
        auto r = post("/api/chat", "{\"model\":\"echo\",\"think\":true,\"stream\":false,"
                                   "\"messages\":[{\"role\":\"user\",\"content\":\"x y\"}]}");
        const QJsonObject m = obj(r->body).value(QStringLiteral("message")).toObject();
        QVERIFY(m.value(QStringLiteral("thinking"))
                    .toString()
                    .startsWith(QStringLiteral("The user wrote 2")));
        QCOMPARE(m.value(QStringLiteral("content")).toString(), QStringLiteral("x y"));

        r = post("/api/chat", "{\"model\":\"echo\",\"tools\":[{\"type\":\"function\",\"function\":{"
                              "\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                              "\"messages\":[{\"role\":\"user\",\"content\":\"call get_weather "
                              "{\\\"city\\\":\\\"Tokyo\\\"}\"}]}");
        const auto ls = lines(r->body);
        QCOMPARE(ls.size(), 2);
        const QJsonObject call = ls[0]
                                     .value(QStringLiteral("message"))
                                     .toObject()
                                     .value(QStringLiteral("tool_calls"))
                                     .toArray()
                                     .first()
                                     .toObject();
        QVERIFY(call.value(QStringLiteral("id")).toString().startsWith(QStringLiteral("call_")));
        const QJsonObject tokyo{{QStringLiteral("city"), QStringLiteral("Tokyo")}};
        QCOMPARE(call.value(QStringLiteral("function"))
                     .toObject()
                     .value(QStringLiteral("arguments"))
                     .toObject(),
                 tokyo);
        QCOMPARE(ls[1].value(QStringLiteral("done_reason")).toString(), QStringLiteral("stop"));
    }

    void capabilityChecks()
    {
        auto r = post("/api/chat", "{\"model\":\"plain\",\"think\":true,\"messages\":[{\"role\":"
                                   "\"user\",\"content\":\"x\"}]}");
        QCOMPARE(r->status, 400);
        QCOMPARE(r->body, QByteArray("{\"error\":\"\\\"plain\\\" does not support thinking\"}"));
        r = post("/api/chat",
                 "{\"model\":\"plain\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":"
                 "\"f\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        QCOMPARE(r->status, 400);
        QCOMPARE(r->body, QByteArray("{\"error\":\"plain:latest does not support tools\"}"));
        r = post("/api/chat", "{\"model\":\"plain\",\"think\":false,\"stream\":false,\"messages\":["
                              "{\"role\":\"user\",\"content\":\"x\"}]}");
        QCOMPARE(r->status, 200);
    }

    void generate()
    {
        auto r = post("/api/generate", "{\"model\":\"echo\",\"prompt\":\"why is the sky "
                                       "blue\",\"options\":{\"num_predict\":3}}");
        QCOMPARE(r->status, 200);
        const auto ls = lines(r->body);
        QString text;
        for (const QJsonObject &l : ls) {
            QVERIFY(!l.contains(QStringLiteral("message")));
            text += l.value(QStringLiteral("response")).toString();
        }
        QCOMPARE(text, QStringLiteral("why is the"));
        QCOMPARE(ls.last().value(QStringLiteral("done_reason")).toString(),
                 QStringLiteral("length"));

        r = post("/api/generate", "{\"model\":\"echo\",\"prompt\":\"hi\",\"stream\":false}");
        QCOMPARE(obj(r->body).value(QStringLiteral("response")).toString(), QStringLiteral("hi"));
    }

    void loadAndUnloadProbesAndPs()
    {
        auto r = post("/api/generate", "{\"model\":\"slow\"}");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("content-type"), QByteArray("application/json; charset=utf-8"));
        QCOMPARE(obj(r->body).value(QStringLiteral("done_reason")).toString(),
                 QStringLiteral("load"));
        QCOMPARE(obj(r->body).value(QStringLiteral("response")).toString(), QString());

        auto ps = obj(get("/api/ps")->body).value(QStringLiteral("models")).toArray();
        QStringList loaded;
        for (const QJsonValue &m : ps)
            loaded.append(m.toObject().value(QStringLiteral("name")).toString());
        QVERIFY2(loaded.contains(QStringLiteral("slow:latest")), qPrintable(loaded.join(u',')));
        QVERIFY(QDateTime::fromString(
                    ps.first().toObject().value(QStringLiteral("expires_at")).toString(),
                    Qt::ISODateWithMs) > QDateTime::currentDateTime());

        r = post("/api/chat", "{\"model\":\"slow\",\"messages\":[],\"keep_alive\":0}");
        QCOMPARE(obj(r->body).value(QStringLiteral("done_reason")).toString(),
                 QStringLiteral("unload"));
        QVERIFY(obj(r->body).value(QStringLiteral("message")).isObject());
        ps = obj(get("/api/ps")->body).value(QStringLiteral("models")).toArray();
        for (const QJsonValue &m : ps)
            QVERIFY(m.toObject().value(QStringLiteral("name")).toString() != u"slow:latest");
        QCOMPARE(post("/api/generate", "{\"model\":\"ghost\"}")->status, 404);
    }

    void modelManagementRoutes()
    {
        auto r = post("/api/pull", "{\"name\":\"echo\",\"stream\":false}");
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("{\"status\":\"success\"}"));
        r = post("/api/pull", "{\"model\":\"echo\"}");
        QCOMPARE(lines(r->body).last().value(QStringLiteral("status")).toString(),
                 QStringLiteral("success"));
        r = post("/api/pull", "{\"model\":\"llama3\"}");
        QCOMPARE(r->status, 404);
        QVERIFY(obj(r->body)
                    .value(QStringLiteral("error"))
                    .toString()
                    .contains(QStringLiteral("does not download models")));
        for (const QByteArray &path :
             {QByteArray("/api/push"), QByteArray("/api/create"), QByteArray("/api/copy")}) {
            r = post(path, "{\"model\":\"echo\"}");
            QCOMPARE(r->status, 501);
            QVERIFY(obj(r->body)
                        .value(QStringLiteral("error"))
                        .toString()
                        .contains(QStringLiteral("does not support")));
        }
        RawHttp c(m_port);
        r = c.request("DELETE", "/api/delete", "{\"model\":\"echo\"}");
        QCOMPARE(r->status, 501);
        r = c.request("HEAD", "/api/blobs/sha256:abc");
        QCOMPARE(r->status, 501);
    }

    void unknownRoutesAndMethods()
    {
        auto r = get("/api/nothing");
        QCOMPARE(r->status, 404);
        QCOMPARE(r->body, QByteArray("404 page not found"));
        QVERIFY(r->header("content-type").startsWith("text/plain"));
        r = get("/api/chat");
        QCOMPARE(r->status, 405);
        QCOMPARE(r->body, QByteArray("405 method not allowed"));
    }

    void errorsNameTheField_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("empty body")
            << QByteArray("/api/chat") << QByteArray() << 400 << "missing request body";
        QTest::newRow("malformed") << QByteArray("/api/chat") << QByteArray("{\"model\": echo}")
                                   << 400 << "invalid JSON at offset";
        QTest::newRow("wrong type") << QByteArray("/api/generate")
                                    << QByteArray("{\"model\":\"echo\",\"prompt\":[\"x\"]}") << 400
                                    << "json: cannot unmarshal array into Go struct field "
                                       "GenerateRequest.prompt of type string";
        QTest::newRow("unknown model")
            << QByteArray("/api/chat")
            << QByteArray("{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
            << 404 << "model 'x' not found";
        QTest::newRow("chat without model")
            << QByteArray("/api/chat") << QByteArray("{\"messages\":[]}") << 400
            << "model is required";
        QTest::newRow("generate without model")
            << QByteArray("/api/generate") << QByteArray("{\"prompt\":\"x\"}") << 404
            << "model '' not found";
        QTest::newRow("upstream error status")
            << QByteArray("/api/chat")
            << QByteArray("{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"/"
                          "fail 429 slow down\"}]}")
            << 429 << "slow down";
    }
    void errorsNameTheField()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, error);
        const auto r = post(path, body);
        QCOMPARE(r->status, status);
        QVERIFY(r->header("content-type").startsWith("application/json"));
        const QString got = obj(r->body).value(QStringLiteral("error")).toString();
        QVERIFY2(got.startsWith(error), qPrintable(got));
    }

    void midStreamErrorIsTheLastLine()
    {
        const auto r = post("/api/chat", "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\","
                                         "\"content\":\"/fail-after 2 upstream broke\"}]}");
        QCOMPARE(r->status, 200);
        const auto ls = lines(r->body);
        QCOMPARE(ls.size(), 3);
        QCOMPARE(ls.last(),
                 (QJsonObject{{QStringLiteral("error"), QStringLiteral("upstream broke")}}));
    }

    void streamArrivesIncrementally()
    {
        RawHttp c(m_port);
        c.send("POST", "/api/chat",
               "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"one two "
               "three\"}]}");
        const auto head = c.readHead();
        QVERIFY(head);
        QCOMPARE(head->status, 200);
        QVERIFY(head->chunked);
        const auto first = c.readChunk();
        QVERIFY(first);
        QCOMPARE(obj(*first)
                     .value(QStringLiteral("message"))
                     .toObject()
                     .value(QStringLiteral("content"))
                     .toString(),
                 QStringLiteral("one"));
        // The echo model waits 300 ms between words: nothing more can be here yet, so the
        // first line was flushed on its own, not held until the end.
        QVERIFY(!c.hasBufferedData());
        int more = 0;
        for (;;) {
            const auto chunk = c.readChunk();
            QVERIFY(chunk);
            if (chunk->isEmpty())
                break;
            ++more;
        }
        QCOMPARE(more, 3); // two words and the final line

        // Keep-alive: the same connection serves the next request after the stream.
        const qintptr fd = c.socket().socketDescriptor();
        const auto again = c.request("POST", "/api/chat",
                                     "{\"model\":\"echo\",\"stream\":false,\"messages\":[{\"role\":"
                                     "\"user\",\"content\":\"again\"}]}");
        QVERIFY(again);
        QCOMPARE(again->status, 200);
        QCOMPARE(c.socket().socketDescriptor(), fd);
        QCOMPARE(c.socket().state(), QAbstractSocket::ConnectedState);
        QVERIFY(idle());
    }

    void clientDisconnectCancelsTheWork()
    {
        m_gw.clearRecords();
        {
            RawHttp c(m_port);
            c.send("POST", "/api/chat",
                   "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f "
                   "g h i j\"}]}");
            QVERIFY(c.readHead());
            QVERIFY(c.readChunk());
            QVERIFY(!m_gw->findChildren<ChatJob *>().isEmpty()); // in flight
            c.close();
        }
        QVERIFY(idle()); // the job behind the stream was destroyed, not left running
        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].error, QStringLiteral("client closed the connection"));
        QCOMPARE(m_gw.records()[0].status, 200);
        // ...and the gateway goes on serving.
        QCOMPARE(get("/api/version")->status, 200);
    }

    void disconnectBeforeAnyOutputIs499()
    {
        m_gw.clearRecords();
        {
            RawHttp c(m_port);
            c.send("POST", "/api/chat",
                   "{\"model\":\"slow\",\"stream\":false,\"messages\":[{\"role\":\"user\","
                   "\"content\":\"a b\"}]}");
            QTRY_VERIFY(!m_gw->findChildren<ChatJob *>().isEmpty());
            c.close();
        }
        QVERIFY(idle());
        QTRY_COMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records()[0].status, 499);
    }

    void connectionCloseIsHonoured()
    {
        RawHttp c(m_port);
        const auto r = c.request("GET", "/api/version", {}, {"Connection: close"});
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(c.waitClosed());
    }

    void http10GetsAPlainStream()
    {
        RawHttp c(m_port);
        c.send("POST", "/api/chat",
               "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"old client\"}]}",
               {}, "HTTP/1.0");
        const auto r = c.read();
        QVERIFY(r);
        QVERIFY(r->statusLine.startsWith("HTTP/1.0 200"));
        QVERIFY(!r->chunked);
        QCOMPARE(lines(r->body).size(), 3);
        QVERIFY(c.waitClosed());
    }

    void oversizeBodyIsRefused()
    {
        // Refused from the header alone, before the body is sent (Expect: 100-continue).
        RawHttp c(m_port);
        c.writeRaw("POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\nExpect: "
                   "100-continue\r\n\r\n");
        auto r = c.read();
        QVERIFY(r);
        QCOMPARE(r->status, 413);
        QVERIFY(obj(r->body)
                    .value(QStringLiteral("error"))
                    .toString()
                    .contains(QStringLiteral("larger than the limit")));
        QCOMPARE(r->header("connection"), QByteArray("close"));

        // A client that sends it all anyway gets the same answer.
        RawHttp d(m_port);
        const QByteArray big(200000, 'x');
        r = d.request("POST", "/api/chat", big);
        QVERIFY(r);
        QCOMPARE(r->status, 413);

        // The OpenAI surface answers in its own shape.
        RawHttp e(m_port);
        r = e.request("POST", "/v1/chat/completions", big);
        QCOMPARE(r->status, 413);
        QVERIFY(obj(r->body)
                    .value(QStringLiteral("error"))
                    .toObject()
                    .contains(QStringLiteral("message")));

        QCOMPARE(get("/api/version")->status, 200); // still serving
    }

    void expectContinueIsAnswered()
    {
        RawHttp c(m_port);
        const QByteArray body = "{\"model\":\"echo\",\"stream\":false,\"messages\":[{\"role\":"
                                "\"user\",\"content\":\"hi\"}]}";
        c.writeRaw("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: "
                   "100-continue\r\nContent-Length: " +
                   QByteArray::number(body.size()) + "\r\n\r\n");
        const auto interim = c.readHead();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        c.writeRaw(body);
        const auto r = c.read();
        QCOMPARE(r->status, 200);
    }

    // A chunked upload, cut in two at every index (and byte by byte): each time the request is
    // answered, and the connection is back between requests (an oversized request after it is
    // refused from its header at once, which a guard stuck in the body would not do).
    void chunkedUploadSplitAnywhere()
    {
        const QByteArray json = "{\"model\":\"echo\",\"stream\":false,\"messages\":[{\"role\":"
                                "\"user\",\"content\":\"split\"}]}";
        QByteArray req = "POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: "
                         "chunked\r\n\r\n";
        for (qsizetype i = 0; i < json.size(); i += 40)
            req +=
                QByteArray::number(json.mid(i, 40).size(), 16) + "\r\n" + json.mid(i, 40) + "\r\n";
        req += "0\r\n\r\n";
        const auto check = [&](RawHttp &c, const QString &where) {
            const auto r = c.read();
            QVERIFY2(r && r->status == 200, qPrintable(where));
            QCOMPARE(obj(r->body)
                         .value(QStringLiteral("message"))
                         .toObject()
                         .value(QStringLiteral("content"))
                         .toString(),
                     QStringLiteral("split"));
            c.writeRaw("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                       "5000000\r\nExpect: 100-continue\r\n\r\n");
            const auto refused = c.read();
            QVERIFY2(refused && refused->status == 413, qPrintable(where));
        };
        const auto deliver = [](RawHttp &c, const QByteArray &part) {
            c.writeRaw(part);
            c.socket().waitForBytesWritten(1000);
            QCoreApplication::processEvents(); // the server reads this part on its own
        };
        for (qsizetype i = 1; i < req.size(); ++i) {
            RawHttp c(m_port);
            QVERIFY(c.connect());
            deliver(c, req.left(i));
            deliver(c, req.mid(i));
            check(c, QStringLiteral("split at %1").arg(i));
        }
        RawHttp c(m_port);
        QVERIFY(c.connect());
        for (qsizetype i = 0; i < req.size(); ++i)
            deliver(c, req.mid(i, 1));
        check(c, QStringLiteral("byte by byte"));
    }

    // Trailers are refused (Qt 6.4's parser would misread them), in the dialect of the path,
    // wherever the reads split the upload: a guard that looked for "0\r\n\r\n" at the end of
    // a read missed the end of such a body and left the connection waiting in the body.
    void chunkedTrailersAreRefusedInTheDialect()
    {
        const QByteArray req = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                               "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-Checksum: "
                               "1\r\n\r\n";
        const auto deliver = [](RawHttp &c, const QByteArray &part) {
            c.writeRaw(part);
            c.socket().waitForBytesWritten(1000);
            QCoreApplication::processEvents(); // the server reads this part on its own
        };
        for (qsizetype i = 0; i < req.size(); ++i) { // 0: in one piece
            const QByteArray where = "split at " + QByteArray::number(i);
            RawHttp c(m_port);
            QVERIFY(c.connect());
            if (i > 0)
                deliver(c, req.left(i));
            deliver(c, req.mid(i));
            const auto r = c.read();
            QVERIFY2(r, where.constData());
            QVERIFY2(r->status == 400, where.constData());
            const QJsonObject err = obj(r->body).value(QStringLiteral("error")).toObject();
            QVERIFY2(
                err.value(QStringLiteral("message")).toString().contains(QStringLiteral("trailer")),
                r->body.constData());
            QCOMPARE(err.value(QStringLiteral("type")).toString(),
                     QStringLiteral("invalid_request_error"));
            // The server closes it once the client has had time to read (connection.cpp).
            QCOMPARE(r->header("connection"), QByteArray("close"));
        }
    }

    void malformedRequestLineGets400()
    {
        RawHttp c(m_port);
        c.writeRaw("NONSENSE\r\n\r\n");
        const auto r = c.read();
        QVERIFY(r);
        QCOMPARE(r->status, 400);
        QVERIFY(obj(r->body).value(QStringLiteral("error")).isString());
    }

    // Requests sent back to back on one connection are answered in order, one after the other,
    // even when the first is a stream still going.
    void pipelinedRequestsAreAnsweredInOrder()
    {
        RawHttp c(m_port);
        const QByteArray chat = "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":"
                                "\"one two\"}]}";
        c.writeRaw("POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                   QByteArray::number(chat.size()) + "\r\n\r\n" + chat +
                   "GET /api/version HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                   "GET /api/tags HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        const auto first = c.read();
        QVERIFY(first);
        QVERIFY(first->chunked);
        QVERIFY(lines(first->body).last().value(QStringLiteral("done")).toBool());
        const auto second = c.read();
        QVERIFY(second);
        QVERIFY(obj(second->body).contains(QStringLiteral("version")));
        const auto third = c.read();
        QVERIFY(third);
        QVERIFY(obj(third->body).contains(QStringLiteral("models")));
    }

    // Errors the server makes itself come in the dialect of the path (they were Ollama's on
    // /v1 for 508 and 503).
    void loopDetectedInTheDialectOfThePath()
    {
        const QByteArray via = "Via: 1.1 llm-gateway-" + instanceId();
        RawHttp c(m_port);
        auto r = c.request("POST", "/v1/chat/completions", "{}", {via});
        QCOMPARE(r->status, 508);
        QVERIFY2(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString()
                     .startsWith(QStringLiteral("loop detected")),
                 r->body.constData());
        r = c.request("POST", "/api/chat", "{}", {via});
        QCOMPARE(r->status, 508);
        QVERIFY(obj(r->body)
                    .value(QStringLiteral("error"))
                    .toString()
                    .startsWith(QStringLiteral("loop detected")));
    }

    void methodNotAllowedInTheDialectOfThePath()
    {
        const auto r = get("/v1/chat/completions");
        QCOMPARE(r->status, 405);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString(),
                 QStringLiteral("405 method not allowed"));
    }

    void oversizeHeadersAreRefused()
    {
        RawHttp c(m_port);
        c.writeRaw("GET /api/tags HTTP/1.1\r\nX-Big: " + QByteArray(70000, 'a') + "\r\n\r\n");
        const auto r = c.read();
        QVERIFY(r);
        QCOMPARE(r->status, 431);
    }

    void manyConcurrentStreams()
    {
        QList<RawHttp *> clients;
        for (int i = 0; i < 40; ++i) {
            auto *c = new RawHttp(m_port);
            c->send("POST", "/api/chat",
                    "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"n " +
                        QByteArray::number(i) + "\"}]}");
            clients.append(c);
        }
        for (int i = 0; i < clients.size(); ++i) {
            const auto r = clients[i]->read();
            QVERIFY(r);
            QString text;
            for (const QJsonObject &l : lines(r->body))
                text += l.value(QStringLiteral("message"))
                            .toObject()
                            .value(QStringLiteral("content"))
                            .toString();
            QCOMPARE(text, QStringLiteral("n %1").arg(i));
        }
        qDeleteAll(clients);
        QVERIFY(idle());
    }

    void portInUseIsExplained()
    {
        Gateway second;
        ListenAddress a;
        a.port = m_port;
        QString error;
        QVERIFY(!second.start(a, &error));
        QVERIFY2(error.contains(QStringLiteral("already in use")), qPrintable(error));
        QVERIFY(error.contains(QString::number(m_port)));
    }

    void gracefulStopLetsStreamsFinish()
    {
        RawHttp c(m_port);
        c.send("POST", "/api/chat",
               "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"one two "
               "three\"}]}");
        QVERIFY(c.readHead());
        RawHttp idleClient(m_port);
        QVERIFY(idleClient.connect());
        bool stopped = false;
        m_gw->stopGracefully(5000, [&] { stopped = true; });
        QVERIFY(idleClient.waitClosed()); // idle connections go at once
        RawHttp late(m_port);
        QVERIFY(!late.connect(300) || !late.request("GET", "/api/version")); // nothing new accepted
        QString text;
        for (;;) { // ...while the stream in flight finishes in full
            const auto chunk = c.readChunk();
            QVERIFY(chunk);
            if (chunk->isEmpty())
                break;
            text += obj(*chunk)
                        .value(QStringLiteral("message"))
                        .toObject()
                        .value(QStringLiteral("content"))
                        .toString();
        }
        QCOMPARE(text, QStringLiteral("one two three"));
        QTRY_VERIFY(stopped);
        QVERIFY(!m_gw->isRunning());
        QVERIFY(c.waitClosed());
        QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
    }

    void gracefulStopDeadlineEndsStreamsWithAnError()
    {
        RawHttp c(m_port);
        c.send("POST", "/api/chat",
               "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"a b c d e f g h "
               "i j k l\"}]}");
        QVERIFY(c.readHead());
        bool stopped = false;
        m_gw->stopGracefully(400, [&] { stopped = true; });
        QByteArray body;
        for (;;) {
            const auto chunk = c.readChunk();
            QVERIFY(chunk);
            if (chunk->isEmpty())
                break; // the stream ends properly, framing and all
            body += *chunk;
        }
        const auto ls = lines(body);
        QVERIFY(ls.size() >= 2);
        QCOMPARE(ls.last().value(QStringLiteral("error")).toString(),
                 QStringLiteral("llm-gateway is shutting down"));
        QTRY_VERIFY(stopped);
        QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
    }

    void drainingAnswersInTheDialectOfThePath()
    {
        // A request that comes in on an open connection while the gateway stops.
        RawHttp c(m_port);
        const QByteArray chat = "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":"
                                "\"user\",\"content\":\"a b c\"}]}";
        c.send("POST", "/v1/chat/completions", chat);
        QVERIFY(c.readHead());
        bool stopped = false;
        m_gw->stopGracefully(5000, [&] { stopped = true; });
        c.writeRaw("GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        for (;;) {
            const auto chunk = c.readChunk();
            QVERIFY(chunk);
            if (chunk->isEmpty())
                break;
        }
        const auto r = c.read();
        QVERIFY(r);
        QCOMPARE(r->status, 503);
        QCOMPARE(obj(r->body)
                     .value(QStringLiteral("error"))
                     .toObject()
                     .value(QStringLiteral("message"))
                     .toString(),
                 QStringLiteral("llm-gateway is shutting down"));
        QTRY_VERIFY(stopped);
        QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
    }

    void stopClosesThePortAndStartReopensIt()
    {
        m_gw->stop();
        QVERIFY(!m_gw->isRunning());
        RawHttp c(m_port);
        QVERIFY(!c.connect(500) || !c.request("GET", "/api/version"));
        QVERIFY2(m_gw.start(), qPrintable(m_gw.error()));
        QCOMPARE(m_gw.port(), m_port);
        QCOMPARE(get("/api/version")->status, 200);
    }

    void theRecordNamesTheClientApp()
    {
        m_gw.clearRecords();
        const auto r = m_gw.request("GET", "/api/tags", {},
                                    {"User-Agent: ollama-js/0.5.18 (x64 linux Node.js/v20)"});
        QCOMPARE(r->status, 200);
        QVERIFY(idle());
        QCOMPARE(m_gw.records().size(), 1);
        QCOMPARE(m_gw.records().at(0).app, ClientApp::OllamaJs);
        QCOMPARE(get("/api/tags")->status, 200);
        QVERIFY(idle());
        QCOMPARE(m_gw.records().at(1).app, ClientApp::Unknown);
    }

    void everyRequestWasLogged()
    {
        QVERIFY(m_gw->log().total() > 30);
        const auto recs = m_gw->log().records();
        QVERIFY(std::any_of(recs.begin(), recs.end(), [](const RequestRecord &r) {
            return r.path == u"/api/chat" && r.model == u"echo" && r.provider == u"echo" &&
                   r.status == 200 && r.completionTokens > 0;
        }));
        QVERIFY(std::all_of(recs.begin(), recs.end(),
                            [](const RequestRecord &r) { return r.status > 0; }));
    }
};

QTEST_GUILESS_MAIN(TstServer)
#include "tst_server.moc"
