#pragma once

#include "api/answerstream.h"
#include "chat/chatevent.h"
#include "chat/chatjob.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace gw {

class Responder;

// Writes one model answer in the Messages API's shape: named server-sent events as the events
// arrive (message_start, ping, content_block_start / _delta / _stop, message_delta,
// message_stop; an `error` event when the answer fails after the status went out), or one
// message object at the end when the client did not ask to stream. Both build the same content
// blocks in the same order: thinking (with its signature, or a redacted block), text, tool_use.
// Lives as a child of its Responder.
class AnthropicStream : public AnswerStream
{
    Q_OBJECT
public:
    AnthropicStream(Responder *responder, const QString &model, bool stream,
                    qint64 estimatedInputTokens, qint64 receivedNs);

private:
    struct Block
    {
        enum class Kind { Text, Thinking, Redacted, ToolUse } kind = Kind::Text;
        QString text; // text, thinking
        QString signature;
        QString data; // redacted thinking
        ToolCall call;
    };

    void onEvent(const ChatEvent &event) override;
    void onThinking(const ChatEvent &event);
    void begin();
    void write(const char *name, const QByteArray &data);
    // Makes the open block one of `kind`, closing another first; returns its index.
    int ensureOpen(Block::Kind kind);
    void openBlock(Block block);
    void closeBlock();
    void finish(const ChatEvent &event);
    void fail(const ChatEvent &error);
    QByteArray messageObject(const QByteArray &content, const QByteArray &stopReason,
                             const QByteArray &stopSequence, const QByteArray &usage) const;
    static QByteArray blockJson(const Block &block, bool whole);

    QByteArray m_id;
    QString m_model;
    qint64 m_estimatedInput;
    QList<Block> m_blocks;
    bool m_open = false; // the last block of m_blocks is still open
    bool m_toolCalls = false;
    qint64 m_prompt = -1, m_completion = -1, m_cacheRead = -1, m_cacheWrite = -1;
};

} // namespace gw
