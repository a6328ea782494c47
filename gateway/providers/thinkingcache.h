#pragma once

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QMutex>
#include <QString>

namespace gw {

// Provider-side memory of what Ollama and OpenAI clients never send back: Anthropic's signed
// thinking blocks and Gemini's thought signatures, keyed by the id of the tool call they came
// with, so the next turn of a tool loop can restore them. Bounded: the oldest entries go first.
// Thread-safe: one cache per provider name serves every worker thread (the next turn may land
// on another one), kept across config changes by the gateway.
class ThinkingCache
{
public:
    explicit ThinkingCache(qsizetype capacity = 2000) : m_capacity(capacity) {}

    void put(const QString &toolCallId, const QJsonArray &blocks)
    {
        if (toolCallId.isEmpty())
            return;
        const QMutexLocker lock(&m_mutex);
        if (!m_items.contains(toolCallId))
            m_order.append(toolCallId);
        m_items.insert(toolCallId, blocks);
        while (m_order.size() > m_capacity)
            m_items.remove(m_order.takeFirst());
    }
    QJsonArray get(const QString &toolCallId) const
    {
        const QMutexLocker lock(&m_mutex);
        return m_items.value(toolCallId);
    }
    bool contains(const QString &toolCallId) const
    {
        const QMutexLocker lock(&m_mutex);
        return m_items.contains(toolCallId);
    }
    qsizetype size() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_items.size();
    }

private:
    mutable QMutex m_mutex;
    qsizetype m_capacity;
    QHash<QString, QJsonArray> m_items;
    QList<QString> m_order;
};

} // namespace gw
