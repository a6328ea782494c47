#pragma once

#include "chat/chatevent.h"
#include "chat/modelinfo.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

#include <optional>

namespace gw {

// The OpenAI API's response shapes that are not part of a stream.
class OpenAiEncoder
{
public:
    // "chatcmpl-" + 24 random letters and digits: unique enough for clients that key on ids.
    static QByteArray newId(const char *prefix);

    // {"error":{"message","type","param":null,"code"}}; the type follows the status as OpenAI
    // assigns it, code is null unless given.
    static QByteArray error(int status, const QString &message, const QByteArray &code = {});
    static const char *errorType(int status);
    // "model_not_found" for a 404 that is about a model, else empty (JSON null).
    static QByteArray errorCode(int status, const QString &message);

    static const char *finishReason(FinishReason reason);
    // {"index":n,"id":..,"type":"function","function":{"name":..,"arguments":"<JSON string>"}}
    static void appendToolCall(QByteArray &out, const ToolCall &call, int index);

    static QJsonObject model(const ModelInfo &m);

    // L2-normalises a vector as OpenAI returns them, cut to `dimensions` first when longer.
    static QList<double> normalized(QList<double> vector, std::optional<int> dimensions);
    // The vector as little-endian float32 bytes in base64: encoding_format "base64".
    static QByteArray float32Base64(const QList<double> &vector);
};

} // namespace gw
