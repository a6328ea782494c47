#include "knownmodels.h"

#include <QRegularExpression>

namespace gw {
namespace {

struct Entry
{
    const char *prefix;
    const char *family;
    const char *capabilities;
    qint64 contextLength;
    qint64 embeddingLength;
};

// Context windows as published by each vendor. Longest prefix wins.
const Entry kTable[] = {
    {"echo", "echo", "completion tools vision thinking", 8192, 0},
    // OpenAI
    {"gpt-5", "gpt", "completion tools vision thinking", 400000, 0},
    {"gpt-4.1", "gpt", "completion tools vision", 1047576, 0},
    {"gpt-4o", "gpt", "completion tools vision", 128000, 0},
    {"gpt-4-turbo", "gpt", "completion tools vision", 128000, 0},
    {"gpt-4", "gpt", "completion tools", 8192, 0},
    {"gpt-3.5-turbo", "gpt", "completion tools", 16385, 0},
    {"gpt-oss", "gptoss", "completion tools thinking", 131072, 0},
    {"o1", "gpt", "completion tools vision thinking", 200000, 0},
    {"o3", "gpt", "completion tools vision thinking", 200000, 0},
    {"o4", "gpt", "completion tools vision thinking", 200000, 0},
    {"text-embedding-3-large", "bert", "embedding", 8191, 3072},
    {"text-embedding-3-small", "bert", "embedding", 8191, 1536},
    {"text-embedding-ada-002", "bert", "embedding", 8191, 1536},
    // Anthropic
    {"claude-3-5", "claude", "completion tools vision", 200000, 0},
    {"claude-3-7", "claude", "completion tools vision thinking", 200000, 0},
    {"claude-3", "claude", "completion tools vision", 200000, 0},
    {"claude-sonnet-4", "claude", "completion tools vision thinking", 200000, 0},
    {"claude-opus-4", "claude", "completion tools vision thinking", 200000, 0},
    {"claude-haiku-4", "claude", "completion tools vision thinking", 200000, 0},
    {"claude", "claude", "completion tools vision thinking", 200000, 0},
    // Google
    {"gemini-3", "gemini", "completion tools vision thinking", 1048576, 0},
    {"gemini-2.5", "gemini", "completion tools vision thinking", 1048576, 0},
    {"gemini-2.0", "gemini", "completion tools vision", 1048576, 0},
    {"gemini-1.5-pro", "gemini", "completion tools vision", 2097152, 0},
    {"gemini-1.5", "gemini", "completion tools vision", 1048576, 0},
    {"gemini-embedding", "gemini", "embedding", 2048, 3072},
    {"text-embedding-004", "gemini", "embedding", 2048, 768},
    {"gemma", "gemma", "completion", 32768, 0},
    // Open-weight models served by OpenAI-compatible hosts
    {"deepseek-reasoner", "deepseek", "completion tools thinking", 128000, 0},
    {"deepseek-r1", "deepseek", "completion thinking", 128000, 0},
    {"deepseek", "deepseek", "completion tools", 128000, 0},
    // Fill-in-the-middle: DeepSeek's beta completions take deepseek-chat; coder models on
    // OpenAI-compatible servers (vLLM, llama.cpp, LM Studio) complete with a suffix.
    {"deepseek-chat", "deepseek", "completion tools insert", 128000, 0},
    {"deepseek-coder", "deepseek", "completion insert", 128000, 0},
    {"qwen2.5-coder", "qwen2", "completion tools insert", 32768, 0},
    {"starcoder", "starcoder", "completion insert", 16384, 0},
    {"llama-3", "llama", "completion tools", 131072, 0},
    {"llama3", "llama", "completion tools", 131072, 0},
    {"llama-2", "llama", "completion", 4096, 0},
    {"mistral-large", "mistral", "completion tools", 131072, 0},
    {"mistral-7b", "llama", "completion", 32768, 0},
    {"mistral", "mistral", "completion tools", 32768, 0},
    {"codestral", "mistral", "completion tools insert", 256000, 0},
    {"mixtral", "mistral", "completion tools", 32768, 0},
    {"qwen3", "qwen3", "completion tools thinking", 131072, 0},
    {"qwen2.5", "qwen2", "completion tools", 32768, 0},
    {"qwq", "qwen2", "completion tools thinking", 131072, 0},
    {"zephyr", "llama", "completion", 32768, 0},
    {"kimi", "kimi", "completion tools", 131072, 0},
    {"nomic-embed", "nomic-bert", "embedding", 8192, 768},
    {"bge-", "bert", "embedding", 512, 1024},
    {"all-minilm", "bert", "embedding", 512, 384},
};

// Output limits as published by each vendor (max output tokens). Longest prefix wins.
const struct
{
    const char *prefix;
    qint64 maxOutput;
} kOutputLimits[] = {
    {"gpt-5", 128000},
    {"gpt-4.1", 32768},
    {"gpt-4o", 16384},
    {"gpt-4-turbo", 4096},
    {"gpt-4", 8192},
    {"gpt-3.5-turbo", 4096},
    {"gpt-oss", 131072},
    {"o1", 100000},
    {"o3", 100000},
    {"o4", 100000},
    {"claude-3-5", 8192},
    {"claude-3-7", 64000},
    {"claude-3", 4096},
    {"claude-sonnet-4", 64000},
    {"claude-opus-4-5", 64000},
    {"claude-opus-4", 32000},
    {"claude-haiku-4", 64000},
    {"gemini-3", 65536},
    {"gemini-2.5", 65536},
    {"gemini-2.0", 8192},
    {"gemini-1.5", 8192},
    {"deepseek-chat", 8192},
    {"deepseek-reasoner", 65536},
    {"codestral", 256000},
};

QString bareId(const QString &modelId)
{
    // "meta-llama/Llama-3.1-8B-Instruct:novita" → "llama-3.1-8b-instruct"
    QString id = modelId.toLower();
    id = id.section(u'/', -1);
    if (const qsizetype colon = id.indexOf(u':'); colon > 0)
        id.truncate(colon);
    return id;
}

} // namespace

qint64 KnownModels::outputLimit(const QString &modelId)
{
    const QString id = bareId(modelId);
    qint64 best = 0;
    qsizetype bestLength = 0;
    for (const auto &e : kOutputLimits) {
        const QLatin1StringView prefix(e.prefix);
        if (id.startsWith(prefix) && prefix.size() > bestLength) {
            best = e.maxOutput;
            bestLength = prefix.size();
        }
    }
    return best;
}

QString KnownModels::clientFamily(const QString &modelId, const QString &tableFamily)
{
    if (tableFamily != u"gpt" && tableFamily != u"claude" && tableFamily != u"gemini")
        return tableFamily;
    // Dates and pinned versions: -20250929, -2024-08-06, -latest, -001.
    static const QRegularExpression dated(
        QStringLiteral("-(\\d{8}|\\d{4}-\\d{2}-\\d{2}|latest|\\d{3,4})$"));
    QString id = bareId(modelId);
    id.remove(dated);
    return id.isEmpty() ? tableFamily : id;
}

KnownModel KnownModels::lookup(const QString &modelId)
{
    // "meta-llama/Llama-3.1-8B-Instruct:novita" → "llama-3.1-8b-instruct"
    QString id = modelId.toLower();
    id = id.section(u'/', -1);
    if (const qsizetype colon = id.indexOf(u':'); colon > 0)
        id.truncate(colon);

    const Entry *best = nullptr;
    qsizetype bestLength = 0;
    for (const Entry &e : kTable) {
        const QLatin1StringView prefix(e.prefix);
        if (id.startsWith(prefix) && prefix.size() > bestLength) {
            best = &e;
            bestLength = prefix.size();
        }
    }
    if (best)
        return {QString::fromLatin1(best->family),
                QString::fromLatin1(best->capabilities).split(u' '), best->contextLength,
                best->embeddingLength};

    static const QRegularExpression word(QStringLiteral("^[a-z]+"));
    QString family = word.match(id).captured();
    if (family.isEmpty())
        family = QStringLiteral("llm");
    const bool embedding = id.contains(u"embed");
    return {family,
            embedding ? QStringList{QStringLiteral("embedding")}
                      : QStringList{QStringLiteral("completion"), QStringLiteral("tools")},
            32768, 0};
}

} // namespace gw
