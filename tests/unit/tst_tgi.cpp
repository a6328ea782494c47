// text-generation-inference: chat templates, /generate parameters, the token stream.

#include "providers/tgi/tgistreamdecoder.h"
#include "providers/tgi/tgiwire.h"

#include <QJsonArray>
#include <QTest>

using namespace gw;

namespace {

ChatRequest chat()
{
    ChatRequest r;
    r.messages << ChatMessage{Role::System, QStringLiteral("S")}
               << ChatMessage{Role::User, QStringLiteral("U1")}
               << ChatMessage{Role::Assistant, QStringLiteral("A1")}
               << ChatMessage{Role::User, QStringLiteral("U2")};
    return r;
}

QString run(const QByteArray &body, bool json = false)
{
    TgiStreamDecoder d;
    d.setJsonBody(json);
    QList<ChatEvent> events = d.feed(body);
    events += d.finish();
    QStringList out;
    for (const ChatEvent &e : events) {
        if (e.type == ChatEvent::Type::Text)
            out << QStringLiteral("text:") + e.text;
        else if (e.type == ChatEvent::Type::Usage)
            out << QStringLiteral("usage:%1/%2").arg(e.promptTokens).arg(e.completionTokens);
        else if (e.type == ChatEvent::Type::Finish)
            out << QStringLiteral("finish:%1").arg(int(e.finish));
        else if (e.type == ChatEvent::Type::Error)
            out << QStringLiteral("error:%1:%2")
                       .arg(e.failure.status)
                       .arg(e.failure.upstreamMessage.isEmpty() ? e.failure.detail
                                                                : e.failure.upstreamMessage);
    }
    return out.join(u'|');
}

} // namespace

class TstTgi : public QObject
{
    Q_OBJECT

private slots:
    void templates()
    {
        QCOMPARE(TgiWire::templateFor(QStringLiteral("meta-llama/Llama-2-7b-chat-hf"), {}),
                 TgiWire::Template::Llama2);
        QCOMPARE(TgiWire::templateFor(QStringLiteral("mistralai/Mistral-7B-Instruct-v0.2"), {}),
                 TgiWire::Template::Mistral);
        QCOMPARE(TgiWire::templateFor(QStringLiteral("HuggingFaceH4/zephyr-7b-beta"), {}),
                 TgiWire::Template::Zephyr);
        QCOMPARE(TgiWire::templateFor(QStringLiteral("Qwen/Qwen2.5-7B"), {}),
                 TgiWire::Template::ChatMl);
        QCOMPARE(TgiWire::templateFor(QStringLiteral("x"), QStringLiteral("zephyr")),
                 TgiWire::Template::Zephyr);

        QCOMPARE(
            TgiWire::prompt(chat(), TgiWire::Template::Llama2),
            QStringLiteral("[INST] <<SYS>>\nS\n<</SYS>>\n\nU1 [/INST] A1</s>[INST] U2 [/INST]"));
        QCOMPARE(TgiWire::prompt(chat(), TgiWire::Template::Mistral),
                 QStringLiteral("[INST] S\n\nU1 [/INST] A1</s>[INST] U2 [/INST]"));
        QCOMPARE(TgiWire::prompt(chat(), TgiWire::Template::Zephyr),
                 QStringLiteral("<|system|>\nS</s>\n<|user|>\nU1</s>\n<|assistant|>\nA1</"
                                "s>\n<|user|>\nU2</s>\n<|assistant|>\n"));
        QCOMPARE(TgiWire::prompt(chat(), TgiWire::Template::ChatMl),
                 QStringLiteral("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU1<|im_end|>\n<"
                                "|im_start|>assistant\nA1<|im_end|>\n"
                                "<|im_start|>user\nU2<|im_end|>\n<|im_start|>assistant\n"));
        ChatRequest raw;
        raw.rawCompletion = true;
        raw.messages << ChatMessage{Role::User, QStringLiteral("[INST] as is [/INST]")};
        QCOMPARE(TgiWire::prompt(raw, TgiWire::Template::Llama2),
                 QStringLiteral("[INST] as is [/INST]"));
    }

    void parameters()
    {
        ChatRequest r = chat();
        QJsonObject p = TgiWire::generateBody(r, TgiWire::Template::ChatMl, 1024)
                            .value(QStringLiteral("parameters"))
                            .toObject();
        QCOMPARE(p.value(QStringLiteral("max_new_tokens")).toInt(),
                 1024); // TGI's own default is tiny
        QCOMPARE(p.value(QStringLiteral("return_full_text")).toBool(), false);
        r.sampling.temperature = 0;
        r.sampling.topP = 1.0;
        r.sampling.maxTokens = 7;
        r.sampling.stop = {QStringLiteral("</s>")};
        r.format = OutputFormat::Json;
        p = TgiWire::generateBody(r, TgiWire::Template::ChatMl, 1024)
                .value(QStringLiteral("parameters"))
                .toObject();
        QCOMPARE(p.value(QStringLiteral("do_sample")).toBool(),
                 false); // greedy instead of temperature 0
        QVERIFY(!p.contains(QStringLiteral("temperature")));
        QVERIFY(!p.contains(QStringLiteral("top_p"))); // must be < 1
        QCOMPARE(p.value(QStringLiteral("max_new_tokens")).toInt(), 7);
        QCOMPARE(p.value(QStringLiteral("stop")).toArray().first().toString(),
                 QStringLiteral("</s>"));
        QCOMPARE(
            p.value(QStringLiteral("grammar")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("json"));
    }

    void tokenStream()
    {
        const QByteArray s =
            "data: {\"index\":1,\"token\":{\"id\":1,\"text\":\" "
            "Hello\",\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
            "data: {\"index\":2,\"token\":{\"id\":2,\"text\":\" "
            "world\",\"special\":false},\"generated_text\":null,\"details\":null}\n\n"
            "data: "
            "{\"index\":3,\"token\":{\"id\":2,\"text\":\"</"
            "s>\",\"special\":true},\"generated_text\":\" Hello world\","
            "\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,\"input_length\":"
            "12}}\n\n";
        QCOMPARE(run(s), QStringLiteral("text: Hello|text: world|usage:12/3|finish:0"));
        {
            TgiStreamDecoder d;
            QList<ChatEvent> events;
            for (char c : s)
                events += d.feed(QByteArray(1, c));
            events += d.finish();
            QCOMPARE(events.size(), 4);
        }
        QCOMPARE(run("data: "
                     "{\"token\":{\"text\":\"a\"},\"details\":{\"finish_reason\":\"length\","
                     "\"generated_tokens\":1}}\n\n"),
                 QStringLiteral("text:a|usage:-1/1|finish:1"));
        QCOMPARE(run("data: {\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}\n\n"),
                 QStringLiteral("error:503:Model is overloaded"));
        QVERIFY(run("data: {\"token\":{\"text\":\"a\"}}\n\n")
                    .endsWith(QStringLiteral(
                        "error:502:the provider's stream ended before the answer was complete")));
        QCOMPARE(run("{\"generated_text\":\"whole\",\"details\":{\"finish_reason\":\"eos_token\","
                     "\"generated_tokens\":1,\"input_length\":2}}",
                     true),
                 QStringLiteral("text:whole|usage:2/1|finish:0"));
    }
};

QTEST_GUILESS_MAIN(TstTgi)
#include "tst_tgi.moc"
