#include "echojob.h"

#include "providers/providererror.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QRegularExpression>

namespace gw {

namespace {

// An upstream failure as the client asked for it: the status it named and its words, shown as
// they are (no provider is named, so the dialects print the words alone).
ChatFailure simulated(int status, const QString &words)
{
    UpstreamErrorBody body;
    body.message = words;
    ChatFailure f;
    f.cause = ProviderError::causeOf(status, body);
    f.status = status;
    f.upstreamStatus = status;
    f.upstreamMessage = words;
    return f;
}

// Words with their leading white space, so that concatenating the pieces gives the text back.
QStringList pieces(const QString &text)
{
    static const QRegularExpression word(QStringLiteral("\\s*\\S+"));
    QStringList out;
    auto it = word.globalMatch(text);
    while (it.hasNext())
        out.append(it.next().captured());
    return out;
}

qint64 estimateTokens(const QString &text)
{
    return (text.size() + 3) / 4; // the usual ~4 characters a token
}

QString toolCallId(const QString &seed)
{
    const QByteArray h = QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha1).toHex();
    return QStringLiteral("call_") + QString::fromLatin1(h.left(8));
}

} // namespace

EchoJob::EchoJob(const ChatRequest &request, int delayMs, QObject *parent)
    : ChatJob(parent), m_events(plan(request))
{
    m_timer.setInterval(delayMs);
    connect(&m_timer, &QTimer::timeout, this, &EchoJob::step);
}

void EchoJob::start()
{
    m_timer.start();
}

void EchoJob::step()
{
    if (m_next >= m_events.size()) {
        m_timer.stop();
        return;
    }
    // Text and thinking are paced one piece per tick; the rest goes out with the next piece.
    while (m_next < m_events.size()) {
        const ChatEvent &e = m_events.at(m_next++);
        deliver(e);
        if (e.type == ChatEvent::Type::Text || e.type == ChatEvent::Type::Thinking)
            break;
    }
    if (m_next >= m_events.size())
        m_timer.stop();
}

namespace {

// "/fail STATUS message": an upstream error before any output.
// "/fail-after N message": N words, then an error in the middle of the stream.
bool failCommand(const QString &said, QList<ChatEvent> &events)
{
    static const QRegularExpression failCmd(QStringLiteral("^/fail\\s+(\\d{3})\\s*(.*)$"));
    static const QRegularExpression failAfterCmd(QStringLiteral("^/fail-after\\s+(\\d+)\\s*(.*)$"));
    if (const auto m = failCmd.match(said); m.hasMatch()) {
        events.append(ChatEvent::error(
            simulated(m.captured(1).toInt(),
                      m.captured(2).isEmpty() ? QStringLiteral("echo failure") : m.captured(2))));
        return true;
    }
    if (const auto m = failAfterCmd.match(said); m.hasMatch()) {
        const int n = m.captured(1).toInt();
        for (int i = 0; i < n; ++i)
            events.append(
                ChatEvent::textDelta(i ? QStringLiteral(" word") : QStringLiteral("word")));
        events.append(ChatEvent::error(
            simulated(502, m.captured(2).isEmpty() ? QStringLiteral("echo failure mid-stream")
                                                   : m.captured(2))));
        return true;
    }
    return false;
}

// The thinking pieces, when thinking was asked for; returns how many.
qint64 thinkingEvents(const ChatRequest &request, const QString &said, QList<ChatEvent> &events)
{
    if (request.thinking == Thinking::Unset || request.thinking == Thinking::Off)
        return 0;
    const QString thought =
        QStringLiteral("The user wrote %1 words; I will echo them back.").arg(pieces(said).size());
    const QStringList parts = pieces(thought);
    for (const QString &p : parts)
        events.append(ChatEvent::thinkingDelta(p));
    return parts.size();
}

// "call NAME {json}" with that tool offered: a tool call, as a model would make it.
std::optional<ToolCall> callCommand(const ChatRequest &request, const QString &said)
{
    static const QRegularExpression callCmd(QStringLiteral("^call\\s+(\\S+)\\s*(\\{.*\\})?\\s*$"),
                                            QRegularExpression::DotMatchesEverythingOption);
    const auto m = callCmd.match(said);
    if (request.tools.isEmpty() || !m.hasMatch())
        return std::nullopt;
    const QString name = m.captured(1);
    const bool offered = std::any_of(request.tools.begin(), request.tools.end(),
                                     [&](const ToolSpec &t) { return t.name == name; });
    if (!offered)
        return std::nullopt;
    ToolCall call;
    call.name = name;
    call.id = toolCallId(said + QString::number(request.messages.size()));
    call.arguments = QJsonDocument::fromJson(m.captured(2).toUtf8()).object();
    return call;
}

QString answerFor(const ChatRequest &request, const ChatMessage *last, const QString &said)
{
    QString answer;
    if (!last)
        answer = QStringLiteral("Hello from the echo model of llm-gateway. Send a message and I "
                                "will repeat it.");
    else if (last->role == Role::Tool)
        answer =
            QStringLiteral("Tool %1 returned: %2")
                .arg(last->toolName.isEmpty() ? QStringLiteral("result") : last->toolName, said);
    else
        answer = said.isEmpty() ? QStringLiteral("(empty message)") : said;
    if (last && !last->images.isEmpty())
        answer = QStringLiteral("[%1 image(s): %2] ")
                     .arg(last->images.size())
                     .arg(last->images.first().mime) +
                 answer;
    if (request.format != OutputFormat::Text)
        answer = QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("echo"), answer}})
                                       .toJson(QJsonDocument::Compact));
    return answer;
}

// The answer's words, cut by stop sequences and max tokens as a model's sampler would; returns
// how many and why it ended.
std::pair<qint64, FinishReason> answerEvents(const ChatRequest &request, QString answer,
                                             QList<ChatEvent> &events)
{
    FinishReason reason = FinishReason::Stop;
    for (qsizetype i = 0; i < request.sampling.stop.size(); ++i) {
        const QString &stop = request.sampling.stop.at(i);
        const qsizetype at = stop.isEmpty() ? -1 : answer.indexOf(stop);
        if (at >= 0)
            answer.truncate(at);
    }
    QStringList words = pieces(answer);
    const qint64 limit = request.sampling.maxTokens.value_or(-1);
    if (limit >= 0 && words.size() > limit) {
        words = words.mid(0, limit);
        reason = FinishReason::Length;
    }
    for (const QString &w : std::as_const(words))
        events.append(ChatEvent::textDelta(w));
    return {words.size(), reason};
}

} // namespace

QList<ChatEvent> EchoJob::plan(const ChatRequest &request)
{
    QList<ChatEvent> events;
    qint64 promptTokens = 0;
    const ChatMessage *last = nullptr;
    for (const ChatMessage &m : request.messages) {
        promptTokens += estimateTokens(m.content) + 4 + m.images.size() * 85;
        if (m.role != Role::System)
            last = &m;
    }
    const QString said = last ? last->content.trimmed() : QString();
    const bool fromUser = last && last->role == Role::User;
    if (fromUser && failCommand(said, events))
        return events;

    const qint64 thought = thinkingEvents(request, said, events);
    if (const auto call = fromUser ? callCommand(request, said) : std::nullopt) {
        events.append(ChatEvent::call(*call));
        events.append(ChatEvent::usage(promptTokens, thought + 8));
        events.append(ChatEvent::finished(FinishReason::ToolCalls));
        return events;
    }
    const auto [words, reason] = answerEvents(request, answerFor(request, last, said), events);
    events.append(ChatEvent::usage(promptTokens, thought + words));
    events.append(ChatEvent::finished(reason));
    return events;
}

} // namespace gw
