// The Responses API request decoder: input as a string or items (messages with their parts,
// function calls and their outputs, reasoning), tools (functions, namespaces flattened, custom
// tools, hosted ones ignored), tool_choice, text.format, reasoning.effort and the sampling
// fields; and every refusal as a 400 that names the field.

#include "api/responses/responsesdecoder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace gw;

class TstResponsesDecoder : public QObject
{
    Q_OBJECT

    // JSON written with single quotes, to keep the tests readable.
    static QByteArray body(const char *singleQuoted)
    {
        QByteArray b(singleQuoted);
        b.replace('\'', '"');
        return b;
    }
    static ResponsesCall decode(const char *singleQuoted)
    {
        ApiError error;
        auto call = ResponsesDecoder::decode(body(singleQuoted), error);
        if (!call)
            qWarning("refused: %s", qPrintable(error.message));
        return call.value_or(ResponsesCall{});
    }

private slots:
    void stringInputAndInstructions()
    {
        const ResponsesCall c = decode("{'model':'gpt-4o','input':'hello','instructions':'be "
                                       "brief','max_output_tokens':50,'temperature':0.2,"
                                       "'top_p':0.9,'store':false}");
        const ChatRequest &r = c.request;
        QCOMPARE(r.model, QStringLiteral("gpt-4o"));
        QCOMPARE(r.messages.size(), 2);
        QCOMPARE(r.messages[0].role, Role::System);
        QCOMPARE(r.messages[0].content, QStringLiteral("be brief"));
        QCOMPARE(r.messages[1].role, Role::User);
        QCOMPARE(r.messages[1].content, QStringLiteral("hello"));
        QVERIFY(!r.stream); // the Responses API streams only when asked
        QCOMPARE(r.sampling.maxTokens, std::optional<qint64>(50));
        QCOMPARE(r.sampling.temperature, std::optional<double>(0.2));
        QCOMPARE(r.sampling.topP, std::optional<double>(0.9));
        QCOMPARE(c.echo.instructions.toString(), QStringLiteral("be brief"));
        QVERIFY(!c.echo.store);
        QCOMPARE(r.toolChoice.mode, ToolChoice::Mode::Unset);
    }

    void itemsBuildOneAssistantTurnPerToolLoop()
    {
        const ResponsesCall c = decode(
            "{'model':'m','stream':true,'input':["
            "{'type':'message','role':'developer','content':[{'type':'input_text','text':'rules'}]}"
            ","
            "{'role':'user','content':[{'type':'input_text','text':'look'},{'type':'input_image',"
            "'image_url':'data:image/png;base64,iVBORw0KGgo='}]},"
            "{'type':'reasoning','id':'rs_1','summary':[{'type':'summary_text','text':'hmm'}]},"
            "{'type':'message','role':'assistant','content':[{'type':'output_text','text':'ok'}]},"
            "{'type':'function_call','call_id':'call_1','name':'get_weather','arguments':"
            "'{\\'city\\':\\'Oslo\\'}'},"
            "{'type':'function_call','call_id':'call_2','name':'close','namespace':'agents',"
            "'arguments':''},"
            "{'type':'function_call_output','call_id':'call_1','output':'3C'},"
            "{'type':'function_call_output','call_id':'call_2','output':[{'type':'input_text',"
            "'text':'closed'}]},"
            "{'type':'web_search_call','id':'ws_1','status':'completed'}]}");
        const QList<ChatMessage> &m = c.request.messages;
        QVERIFY(c.request.stream);
        QCOMPARE(m.size(), 5);
        QCOMPARE(m[0].role, Role::System);
        QCOMPARE(m[1].images.size(), 1);
        QCOMPARE(m[1].images[0].mime, QStringLiteral("image/png"));
        QCOMPARE(m[2].role, Role::Assistant);
        QCOMPARE(m[2].content, QStringLiteral("ok"));
        QCOMPARE(m[2].thinking, QStringLiteral("hmm"));
        QCOMPARE(m[2].toolCalls.size(), 2);
        QCOMPARE(m[2].toolCalls[0].id, QStringLiteral("call_1"));
        QCOMPARE(m[2].toolCalls[0].arguments.value(QStringLiteral("city")).toString(),
                 QStringLiteral("Oslo"));
        QCOMPARE(m[2].toolCalls[1].name, QStringLiteral("agents__close"));
        QCOMPARE(m[3].role, Role::Tool);
        QCOMPARE(m[3].toolCallId, QStringLiteral("call_1"));
        QCOMPARE(m[3].toolName, QStringLiteral("get_weather"));
        QCOMPARE(m[3].content, QStringLiteral("3C"));
        QCOMPARE(m[4].toolName, QStringLiteral("agents__close"));
        QCOMPARE(m[4].content, QStringLiteral("closed"));
    }

    void tools()
    {
        const ResponsesCall c =
            decode("{'model':'m','input':'x','tools':["
                   "{'type':'function','name':'get_weather','description':'Weather','parameters':"
                   "{'type':'object','properties':{'city':{'type':'string'}}},'strict':false},"
                   "{'type':'namespace','name':'multi_agent','description':'agents','tools':["
                   "{'type':'function','name':'spawn','parameters':{'type':'object'}},"
                   "{'type':'custom','name':'note'}]},"
                   "{'type':'custom','name':'apply_patch','description':'Patch files','format':"
                   "{'type':'grammar','syntax':'lark','definition':'start: x'}},"
                   "{'type':'web_search','external_web_access':false}],"
                   "'tool_choice':{'type':'function','name':'get_weather'}}");
        const QList<ToolSpec> &t = c.request.tools;
        QCOMPARE(t.size(), 4);
        QCOMPARE(t[0].name, QStringLiteral("get_weather"));
        QCOMPARE(t[0].description, QStringLiteral("Weather"));
        QCOMPARE(t[1].name, QStringLiteral("multi_agent__spawn"));
        QCOMPARE(c.echo.names.namespaced.value(QStringLiteral("multi_agent__spawn")),
                 std::make_pair(QStringLiteral("multi_agent"), QStringLiteral("spawn")));
        QCOMPARE(t[2].name, QStringLiteral("multi_agent__note"));
        QVERIFY(c.echo.names.custom.contains(QStringLiteral("multi_agent__note")));
        QCOMPARE(c.echo.names.namespaced.value(QStringLiteral("multi_agent__note")).second,
                 QStringLiteral("note"));
        QCOMPARE(t[3].name, QStringLiteral("apply_patch"));
        QVERIFY(c.echo.names.custom.contains(QStringLiteral("apply_patch")));
        const QJsonObject input = t[3].parameters.value(QStringLiteral("properties"))
                                      .toObject()
                                      .value(QStringLiteral("input"))
                                      .toObject();
        QCOMPARE(input.value(QStringLiteral("type")).toString(), QStringLiteral("string"));
        QVERIFY(input.value(QStringLiteral("description")).toString().contains(u"start: x"));
        QCOMPARE(c.echo.tools.size(), 4); // echoed as sent
        QCOMPARE(c.request.toolChoice, ToolChoice::named(QStringLiteral("get_weather")));
    }

    void customToolCallsRoundTrip()
    {
        const ResponsesCall c =
            decode("{'model':'m','input':[{'type':'custom_tool_call','call_id':'c1','name':"
                   "'apply_patch','input':'*** Begin Patch'},{'type':'custom_tool_call_output',"
                   "'call_id':'c1','output':'done'}]}");
        const QList<ChatMessage> &m = c.request.messages;
        QCOMPARE(m.size(), 2);
        QCOMPARE(m[0].toolCalls.size(), 1);
        QCOMPARE(m[0].toolCalls[0].arguments.value(QStringLiteral("input")).toString(),
                 QStringLiteral("*** Begin Patch"));
        QCOMPARE(m[1].toolName, QStringLiteral("apply_patch"));
    }

    void toolChoice_data()
    {
        // Decoded once into the typed value the providers write their own forms from.
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("name");
        using M = ToolChoice::Mode;
        QTest::newRow("auto") << QByteArray("'auto'") << int(M::Auto) << QString();
        QTest::newRow("none") << QByteArray("'none'") << int(M::None) << QString();
        QTest::newRow("required") << QByteArray("'required'") << int(M::Required) << QString();
        QTest::newRow("function") << QByteArray("{'type':'function','name':'f'}") << int(M::Named)
                                  << QStringLiteral("f");
        QTest::newRow("namespaced") << QByteArray("{'type':'function','name':'f','namespace':'n'}")
                                    << int(M::Named) << QStringLiteral("n__f");
        QTest::newRow("custom") << QByteArray("{'type':'custom','name':'p'}") << int(M::Named)
                                << QStringLiteral("p");
        QTest::newRow("allowed required")
            << QByteArray("{'type':'allowed_tools','mode':'required','tools':[]}")
            << int(M::Required) << QString();
        QTest::newRow("hosted") << QByteArray("{'type':'web_search_preview'}") << int(M::Auto)
                                << QString();
    }
    void toolChoice()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, mode);
        QFETCH(QString, name);
        const ResponsesCall c =
            decode(("{'model':'m','input':'x','tool_choice':" + json + "}").constData());
        QCOMPARE(c.request.toolChoice, (ToolChoice{ToolChoice::Mode(mode), name}));
    }

    void structuredOutputAndReasoning()
    {
        ResponsesCall c = decode("{'model':'m','input':'x','text':{'format':{'type':'json_schema',"
                                 "'name':'r','schema':{'type':'object'},'strict':true}},"
                                 "'reasoning':{'effort':'high','summary':'auto'}}");
        QCOMPARE(c.request.format, OutputFormat::JsonSchema);
        QCOMPARE(c.request.schema.value(QStringLiteral("type")).toString(),
                 QStringLiteral("object"));
        QCOMPARE(c.request.thinking, Thinking::High);
        QCOMPARE(c.echo.textFormat.value(QStringLiteral("name")).toString(), QStringLiteral("r"));
        c = decode("{'model':'m','input':'x','text':{'format':{'type':'json_object'}},"
                   "'reasoning':{'effort':'none'}}");
        QCOMPARE(c.request.format, OutputFormat::Json);
        QCOMPARE(c.request.thinking, Thinking::Off);
        c = decode("{'model':'m','input':'x','reasoning':{'summary':'auto'}}");
        QCOMPARE(c.request.thinking, Thinking::Unset); // a summary alone asks for no thinking
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray("") << "missing request body";
        QTest::newRow("bad json") << QByteArray("{'model':") << "invalid JSON";
        QTest::newRow("array") << QByteArray("[]") << "must be a JSON object";
        QTest::newRow("no model") << QByteArray("{'input':'x'}") << "model parameter";
        QTest::newRow("model type")
            << QByteArray("{'model':3,'input':'x'}") << "model must be a string, not a number";
        QTest::newRow("no input") << QByteArray("{'model':'m'}")
                                  << "Missing required parameter: 'input'";
        QTest::newRow("input number")
            << QByteArray("{'model':'m','input':3}") << "input must be a string or an array";
        QTest::newRow("previous") << QByteArray("{'model':'m','input':'x','previous_response_"
                                                "id':'resp_1'}")
                                  << "stateless";
        QTest::newRow("conversation") << QByteArray("{'model':'m','input':'x','conversation':"
                                                    "'c_1'}")
                                      << "conversation is not supported";
        QTest::newRow("background")
            << QByteArray("{'model':'m','input':'x','background':true}") << "background";
        QTest::newRow("item reference")
            << QByteArray("{'model':'m','input':[{'type':'item_reference','id':'msg_1'}]}")
            << "input[0]: item_reference";
        QTest::newRow("unknown item") << QByteArray("{'model':'m','input':[{'type':'bogus'}]}")
                                      << "input[0].type 'bogus' is not supported";
        QTest::newRow("item not object") << QByteArray("{'model':'m','input':['x']}")
                                         << "input[0] must be an object, not a string";
        QTest::newRow("bad role") << QByteArray("{'model':'m','input':[{'role':'tool',"
                                                "'content':'x'}]}")
                                  << "input[0].role";
        QTest::newRow("bad part") << QByteArray("{'model':'m','input':[{'role':'user',"
                                                "'content':[{'type':'input_audio'}]}]}")
                                  << "input[0].content[0].type 'input_audio'";
        QTest::newRow("file image") << QByteArray("{'model':'m','input':[{'role':'user',"
                                                  "'content':[{'type':'input_image','file_id':"
                                                  "'f'}]}]}")
                                    << "file_id";
        QTest::newRow("bad image") << QByteArray("{'model':'m','input':[{'role':'user',"
                                                 "'content':[{'type':'input_image','image_url':"
                                                 "'ftp://x'}]}]}")
                                   << "input[0].content[0].image_url must be an http(s) URL";
        QTest::newRow("call without name")
            << QByteArray("{'model':'m','input':[{'type':'function_call','call_id':'c'}]}")
            << "input[0].name is required";
        QTest::newRow("bad arguments")
            << QByteArray("{'model':'m','input':[{'type':'function_call','call_id':'c','name':"
                          "'f','arguments':'{nope'}]}")
            << "input[0].arguments must hold a JSON object";
        QTest::newRow("output without id")
            << QByteArray("{'model':'m','input':[{'type':'function_call_output','output':'x'}]}")
            << "input[0].call_id is required";
        QTest::newRow("max tokens") << QByteArray("{'model':'m','input':'x','max_output_tokens':0}")
                                    << "max_output_tokens must be at least 1";
        QTest::newRow("temperature") << QByteArray("{'model':'m','input':'x','temperature':'hot'}")
                                     << "temperature must be a number, not a string";
        QTest::newRow("tools type") << QByteArray("{'model':'m','input':'x','tools':{}}")
                                    << "tools must be an array, not an object";
        QTest::newRow("tool name") << QByteArray("{'model':'m','input':'x','tools':[{'type':"
                                                 "'function'}]}")
                                   << "tools[0].name is required";
        QTest::newRow("namespace member")
            << QByteArray("{'model':'m','input':'x','tools':[{'type':'namespace','name':'n',"
                          "'tools':[3]}]}")
            << "tools[0].tools[0] must be an object";
        QTest::newRow("tool choice") << QByteArray("{'model':'m','input':'x','tool_choice':"
                                                   "'always'}")
                                     << "tool_choice must be";
        QTest::newRow("tool choice name")
            << QByteArray("{'model':'m','input':'x','tool_choice':{'type':'function'}}")
            << "tool_choice.name is required";
        QTest::newRow("format") << QByteArray("{'model':'m','input':'x','text':{'format':"
                                              "{'type':'yaml'}}}")
                                << "text.format.type must be";
        QTest::newRow("schema") << QByteArray("{'model':'m','input':'x','text':{'format':"
                                              "{'type':'json_schema','name':'x'}}}")
                                << "text.format.schema is required";
        QTest::newRow("effort") << QByteArray("{'model':'m','input':'x','reasoning':{'effort':"
                                              "'extreme'}}")
                                << "reasoning.effort 'extreme' is not supported";
    }
    void refusals()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, message);
        ApiError error;
        QByteArray b = json;
        b.replace('\'', '"');
        QVERIFY(!ResponsesDecoder::decode(b, error));
        QCOMPARE(error.status, 400);
        if (!error.message.contains(message))
            QFAIL(qPrintable(error.message));
    }

    void itemLimit()
    {
        ApiLimits limits;
        limits.maxMessages = 2;
        ApiError error;
        QVERIFY(
            !ResponsesDecoder::decode(body("{'model':'m','input':['a','b','c']}"), error, limits));
        QVERIFY(error.message.contains(u"server.max_messages"));
        QVERIFY(ResponsesDecoder::decode(body("{'model':'m','input':[{'role':'user','content':"
                                              "'a'},{'role':'user','content':'b'}]}"),
                                         error, limits));
    }
};

QTEST_GUILESS_MAIN(TstResponsesDecoder)
#include "tst_responsesdecoder.moc"
