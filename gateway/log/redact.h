#pragma once

#include <QString>

namespace gw {

// Masks anything that looks like a credential: "Bearer …", "x-api-key: …", "key=…", and keys
// by their well-known prefixes (sk-…, sk-ant-…, hf_…, AIza…). Used on every text that leaves
// the gateway or reaches a log: upstream error messages, request logs, error lines.
QString redact(QString text);
QByteArray redact(const QByteArray &text);

} // namespace gw
