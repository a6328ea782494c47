#pragma once

#include <QString>
#include <QStringList>

namespace gw {

// What well-known models can do and how much they read, so /api/show can tell IDE plugins the
// truth without asking a provider (whose model lists carry neither).
struct KnownModel
{
    QString family;
    QStringList capabilities;
    qint64 contextLength = 0;
    qint64 embeddingLength = 0;
};

class KnownModels
{
public:
    // Longest matching prefix of the model id (provider prefixes such as "openai/" or
    // "models/" are ignored); unknown ids get a family from their name, completion and tools,
    // and a conservative 32k context.
    static KnownModel lookup(const QString &modelId);
    // The vendor's published output limit (max output tokens) of a well-known model id, longest
    // prefix; 0 when unknown.
    static qint64 outputLimit(const QString &modelId);
    // details.family as clients read it. Copilot chooses prompts and edit tools by the family's
    // prefix (claude…, gpt-5…, gpt-4.1…, gemini…, o3…), as its own endpoints name them: for
    // OpenAI's, Anthropic's and Google's models that is the vendor's id without a router prefix
    // or a date ("claude-sonnet-4-5-20250929" → "claude-sonnet-4-5"); other models keep their
    // architecture family as Ollama reports it ("llama", "qwen3").
    static QString clientFamily(const QString &modelId, const QString &tableFamily);
};

} // namespace gw
