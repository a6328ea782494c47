#pragma once

#include "chat/chatevent.h"
#include "providers/ssestreamdecoder.h"
#include "providers/thinkingcache.h"

#include <QJsonArray>
#include <QMap>
#include <memory>

namespace gw {

// Messages API stream → canonical events. message_start gives the input tokens; text and
// thinking deltas go out at once; tool input fragments are assembled per block and emitted at
// content_block_stop; signed thinking blocks are remembered under the tool-use ids that follow
// them, and each thinking block's signature (or a redacted block's data) goes out as an event
// of its own so that Anthropic clients get it back; message_delta gives the stop reason and output
// tokens; message_stop ends it.
class AnthropicStreamDecoder : public SseStreamDecoder
{
public:
    AnthropicStreamDecoder(std::shared_ptr<ThinkingCache> cache, bool jsonViaTool)
        : m_cache(std::move(cache)), m_jsonViaTool(jsonViaTool)
    {}

protected:
    void onEvent(const SseEvent &event, QList<ChatEvent> &out) override;
    void onBody(const QByteArray &body, QList<ChatEvent> &out) override;
    void onEnd(QList<ChatEvent> &out) override;

private:
    void onEvent(const QByteArray &type, const QJsonObject &data, QList<ChatEvent> &out);
    void replayBlock(int index, const QJsonObject &block, QList<ChatEvent> &out);
    void onBlockStop(int index, QList<ChatEvent> &out);
    void readUsage(const QJsonObject &usage);
    void complete(QList<ChatEvent> &out);

    struct Block
    {
        QString type, id, name, json, thinking, signature, data;
    };
    std::shared_ptr<ThinkingCache> m_cache;
    bool m_jsonViaTool;
    QMap<int, Block> m_blocks;
    QJsonArray m_thinking; // signed thinking blocks of this message, for the cache
    int m_calls = 0;
    bool m_stopped = false;
    FinishReason m_finish = FinishReason::Stop;
    QString m_stopSequence; // the one that fired, from message_delta
    qint64 m_input = -1;
    qint64 m_output = -1;
    qint64 m_cacheRead = -1;
    qint64 m_cacheWrite = -1;
};

} // namespace gw
