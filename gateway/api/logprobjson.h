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
// The legacy completions' choices[].logprobs: {"tokens","token_logprobs","top_logprobs" (one
// {token: logprob} object per position),"text_offset"}; `offset` is where the tokens start in
// the completion's text, advanced past them.
void appendLegacyLogprobs(QByteArray &out, const QList<Logprob> &logprobs, qint64 &offset);
// The Responses API's output_text logprobs: the array alone, entries as in OpenAI's content.
void appendLogprobArray(QByteArray &out, const QList<Logprob> &logprobs);

} // namespace gw::json
