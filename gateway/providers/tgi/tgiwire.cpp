#include "tgiwire.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace gw {

TgiWire::Template TgiWire::templateFor(const QString &model, const QString &configured)
{
    const QString t = (configured.isEmpty() ? model : configured).toLower();
    if (t.contains(u"llama-2") || t.contains(u"llama2"))
        return Template::Llama2;
    if (t.contains(u"zephyr"))
        return Template::Zephyr;
    if (t.contains(u"mistral") || t.contains(u"mixtral"))
        return Template::Mistral;
    return Template::ChatMl;
}

QString TgiWire::prompt(const ChatRequest &r, Template t)
{
    if (r.rawCompletion)
        return r.messages.isEmpty() ? QString() : r.messages.last().content;
    QString system;
    QList<std::pair<Role, QString>> turns;
    for (const ChatMessage &m : r.messages) {
        if (m.role == Role::System)
            system += (system.isEmpty() ? QString() : QStringLiteral("\n\n")) + m.content;
        else if (m.role == Role::Tool) // no tool protocol here: results read as user text
            turns.append(
                {Role::User, QStringLiteral("Result of tool %1: %2").arg(m.toolName, m.content)});
        else
            turns.append({m.role, m.content});
    }
    QString out;
    switch (t) {
    case Template::ChatMl:
        if (!system.isEmpty())
            out += QStringLiteral("<|im_start|>system\n%1<|im_end|>\n").arg(system);
        for (const auto &[role, text] : turns)
            out +=
                QStringLiteral("<|im_start|>%1\n%2<|im_end|>\n")
                    .arg(role == Role::User ? QStringLiteral("user") : QStringLiteral("assistant"),
                         text);
        out += QStringLiteral("<|im_start|>assistant\n");
        break;
    case Template::Zephyr:
        if (!system.isEmpty())
            out += QStringLiteral("<|system|>\n%1</s>\n").arg(system);
        for (const auto &[role, text] : turns)
            out +=
                QStringLiteral("<|%1|>\n%2</s>\n")
                    .arg(role == Role::User ? QStringLiteral("user") : QStringLiteral("assistant"),
                         text);
        out += QStringLiteral("<|assistant|>\n");
        break;
    case Template::Llama2:
    case Template::Mistral: {
        // [INST] … [/INST] answer </s>; Llama 2 wraps the system prompt in <<SYS>>, Mistral
        // has none and prepends it to the first user turn. The tokenizer adds the BOS.
        bool first = true;
        for (const auto &[role, text] : turns) {
            if (role == Role::User) {
                QString u = text;
                if (first && !system.isEmpty())
                    u = t == Template::Llama2
                            ? QStringLiteral("<<SYS>>\n%1\n<</SYS>>\n\n%2").arg(system, text)
                            : system + QStringLiteral("\n\n") + text;
                out += QStringLiteral("[INST] %1 [/INST]").arg(u);
                first = false;
            } else {
                out += u' ' + text + QStringLiteral("</s>");
            }
        }
        break;
    }
    }
    return out;
}

QJsonObject TgiWire::generateBody(const ChatRequest &r, Template t, qint64 defaultMaxTokens)
{
    QJsonObject p{
        {QStringLiteral("max_new_tokens"), r.sampling.maxTokens.value_or(defaultMaxTokens)},
        {QStringLiteral("return_full_text"), false},
        {QStringLiteral("details"), true}};
    const Sampling &s = r.sampling;
    // TGI wants temperature > 0 and top_p < 1; greedy decoding is asked for with do_sample.
    if (s.temperature) {
        if (*s.temperature <= 0)
            p.insert(QStringLiteral("do_sample"), false);
        else
            p.insert(QStringLiteral("temperature"), *s.temperature);
    }
    if (s.topP && *s.topP > 0 && *s.topP < 1)
        p.insert(QStringLiteral("top_p"), *s.topP);
    if (s.topK && *s.topK > 0)
        p.insert(QStringLiteral("top_k"), *s.topK);
    if (s.seed)
        p.insert(QStringLiteral("seed"), *s.seed);
    if (s.frequencyPenalty)
        p.insert(QStringLiteral("frequency_penalty"), *s.frequencyPenalty);
    if (!s.stop.isEmpty())
        p.insert(QStringLiteral("stop"), QJsonArray::fromStringList(s.stop));
    if (r.format != OutputFormat::Text)
        p.insert(
            QStringLiteral("grammar"),
            QJsonObject{{QStringLiteral("type"), QStringLiteral("json")},
                        {QStringLiteral("value"),
                         r.format == OutputFormat::JsonSchema && !r.schema.isEmpty()
                             ? r.schema
                             : QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}});
    return {{QStringLiteral("inputs"), prompt(r, t)},
            {QStringLiteral("parameters"), p},
            {QStringLiteral("stream"), true}};
}

} // namespace gw
