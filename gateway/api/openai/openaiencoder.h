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
    static QByteArray error(const QString &message, const char *type, const QByteArray &code);
    // A model call's failure: failureText's words, the type from the cause, the code below.
    static QByteArray error(const ChatFailure &failure);
    static const char *errorType(int status);
    static const char *errorType(FailureCause cause);
    // The upstream's own code when it gave one (insufficient_quota, context_length_exceeded,
    // rate_limit_exceeded…), else one OpenAI uses for the cause (model_not_found…), else empty
    // (JSON null).
    static QByteArray errorCode(const ChatFailure &failure);

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
