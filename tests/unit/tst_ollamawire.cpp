// The request side of a real Ollama server as upstream (providers/ollama/OllamaWire).
#include "providers/ollama/ollamawire.h"

#include <QJsonArray>
#include <QTest>

using namespace gw;

class TstOllamaWire : public QObject
{
    Q_OBJECT

    static ChatRequest withTools(ToolChoice choice)
    {
        ChatRequest r;
        r.upstreamModel = QStringLiteral("llama3.2");
        r.messages.append(ChatMessage{Role::User, QStringLiteral("hi")});
        r.tools.append(ToolSpec{QStringLiteral("get_weather"), QStringLiteral("Weather"), {}});
        r.tools.append(ToolSpec{QStringLiteral("get_time"), QStringLiteral("Time"), {}});
        r.toolChoice = std::move(choice);
        return r;
    }
    static QStringList toolNames(const QJsonObject &body)
    {
        QStringList names;
        for (const QJsonValue &t : body.value(QStringLiteral("tools")).toArray())
            names.append(t.toObject()
                             .value(QStringLiteral("function"))
                             .toObject()
                             .value(QStringLiteral("name"))
                             .toString());
        return names;
    }

private slots:
    void toolChoiceFromTheTypedValue()
    {
        // Ollama has no tool_choice: none withholds the tools, a named tool is offered alone.
        const QStringList both{QStringLiteral("get_weather"), QStringLiteral("get_time")};
        QCOMPARE(toolNames(OllamaWire::chatBody(withTools({}))), both);
        QCOMPARE(toolNames(OllamaWire::chatBody(withTools({ToolChoice::Mode::Auto, {}}))), both);
        QCOMPARE(toolNames(OllamaWire::chatBody(withTools({ToolChoice::Mode::Required, {}}))),
                 both);
        const QJsonObject none = OllamaWire::chatBody(withTools({ToolChoice::Mode::None, {}}));
        QVERIFY(!none.contains(QStringLiteral("tools")));
        QVERIFY(!none.contains(QStringLiteral("tool_choice")));
        QCOMPARE(toolNames(OllamaWire::chatBody(
                     withTools(ToolChoice::named(QStringLiteral("get_time"))))),
                 QStringList{QStringLiteral("get_time")});
    }
};

QTEST_GUILESS_MAIN(TstOllamaWire)
#include "tst_ollamawire.moc"
