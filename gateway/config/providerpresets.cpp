#include "providerpresets.h"

namespace gw {

const QList<ProviderPreset> &ProviderPresets::all()
{
    static const QList<ProviderPreset> presets = {
        {"openai", "openai", "https://api.openai.com/v1", "OpenAI"},
        {"anthropic", "anthropic", "https://api.anthropic.com", "Anthropic"},
        {"gemini", "gemini", "https://generativelanguage.googleapis.com/v1beta", "Google Gemini"},
        {"huggingface", "huggingface", "https://router.huggingface.co/v1", "Hugging Face"},
        {"openrouter", "openai", "https://openrouter.ai/api/v1", "OpenRouter"},
        {"groq", "openai", "https://api.groq.com/openai/v1", "Groq"},
        {"deepseek", "openai", "https://api.deepseek.com/v1", "DeepSeek"},
        {"mistral", "openai", "https://api.mistral.ai/v1", "Mistral"},
        {"together", "openai", "https://api.together.xyz/v1", "Together AI"},
    };
    return presets;
}

const ProviderPreset *ProviderPresets::find(const QString &name)
{
    for (const ProviderPreset &p : all())
        if (name.compare(QLatin1StringView(p.name), Qt::CaseInsensitive) == 0)
            return &p;
    return nullptr;
}

} // namespace gw
