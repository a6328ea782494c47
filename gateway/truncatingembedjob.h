#pragma once

#include "chat/embedjob.h"

#include <QPointer>

#include <functional>

namespace gw {

// Ollama's "truncate" for providers that refuse long inputs (OpenAI's embeddings, compatible
// servers): with truncate on (Ollama's default) an input too long for the model is cut and
// sent again, as Ollama cuts it to the context; with truncate off the failure stands (the
// dialect words it as Ollama does). Cloud APIs give no tokenizer, so the cut is in two steps,
// each only after the upstream said the input is too long: to two characters per token of the
// context, then to one UTF-8 byte per token, which byte-level BPE tokenizers can never exceed.
class TruncatingEmbedJob : public EmbedJob
{
    Q_OBJECT
public:
    using Start = std::function<EmbedJob *(const EmbedRequest &, QObject *parent)>;

    TruncatingEmbedJob(EmbedRequest request, qint64 contextLength, Start start,
                       QObject *parent = nullptr);
    void start() override;

    // The inputs cut for attempt `step` (1: characters, 2: bytes); unchanged when none is longer.
    static QStringList cut(const QStringList &inputs, qint64 contextLength, int step);

private:
    void attempt();

    EmbedRequest m_request;
    qint64 m_context;
    Start m_start;
    int m_step = 0;
    QStringList m_sent; // the inputs of the last attempt
    QPointer<EmbedJob> m_job;
};

} // namespace gw
