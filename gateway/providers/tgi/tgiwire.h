#pragma once

#include "chat/chatrequest.h"

#include <QJsonObject>

namespace gw {

// Text Generation Inference's own API (/generate_stream): a prompt in (TgiStreamDecoder reads
// the SSE tokens out). Chat turns are rendered with the model family's template, since
// /generate takes plain text; TGI's OpenAI-style /v1/chat/completions is served by type
// "openai" instead.
class TgiWire
{
public:
    enum class Template { ChatMl, Llama2, Mistral, Zephyr };

    static Template templateFor(const QString &model, const QString &configured);
    static QString prompt(const ChatRequest &request, Template t);
    static QJsonObject generateBody(const ChatRequest &request, Template t,
                                    qint64 defaultMaxTokens);
};

} // namespace gw
