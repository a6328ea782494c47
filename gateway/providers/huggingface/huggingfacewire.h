#pragma once

#include "chat/embedrequest.h"

#include <QByteArray>
#include <QJsonObject>

namespace gw {

// HF Inference's feature-extraction pipeline (embeddings); chat goes through the router's
// Chat Completions, which is the OpenAI wire format.
class HuggingFaceWire
{
public:
    static QJsonObject featuresBody(const EmbedRequest &request);
    // number[] / number[][] / number[][][] (per token) → one vector per input, mean-pooled.
    static EmbedResult parseFeatures(const QByteArray &body, qsizetype inputs);
};

} // namespace gw
