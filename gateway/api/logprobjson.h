#pragma once

#include "chat/logprob.h"

#include <QByteArray>
#include <QList>

namespace gw::json {

// Log probabilities in the two shapes clients read, each token with its UTF-8 bytes.
// Ollama's (api/types.go Logprob): [{"token","logprob","bytes","top_logprobs"?}, …].
void appendOllamaLogprobs(QByteArray &out, const QList<Logprob> &logprobs);
// OpenAI's choices[].logprobs: {"content":[{"token","logprob","bytes","top_logprobs"}],
// "refusal":null}.
void appendOpenAiLogprobs(QByteArray &out, const QList<Logprob> &logprobs);
// The Responses API's output_text logprobs: the array alone, entries as in OpenAI's content.
void appendLogprobArray(QByteArray &out, const QList<Logprob> &logprobs);

} // namespace gw::json
