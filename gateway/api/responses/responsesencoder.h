#pragma once

#include "chat/chataccumulator.h"
#include "chat/chatfailure.h"
#include "responsesdecoder.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace gw {

// The Responses API's objects: the response itself and its output items. Each item is built by
// one function for both the stream's events and the whole answer, so the two cannot differ.
class ResponsesEncoder
{
public:
    // "resp_" / "msg_" / "fc_" / "rs_" + 24 random letters and digits.
    static QByteArray newId(const char *prefix);

    // What the response object says besides its output.
    struct Head
    {
        QByteArray id;
        qint64 createdAt = 0;
        QString model;
    };
    // status: in_progress, completed, incomplete or failed. `incompleteReason` (with
    // incomplete) is max_output_tokens or content_filter; `error` (with failed) is
    // {"code","message"}; `usage` empty = null.
    static QJsonObject response(const Head &head, const ResponsesEcho &echo, const QString &status,
                                const QJsonArray &output, const QJsonObject &usage = {},
                                const QJsonObject &error = {},
                                const QString &incompleteReason = {});
    static QJsonObject usage(const ChatAccumulator &acc);
    static QJsonObject error(const ChatFailure &failure); // {"code","message"} for failed

    static QJsonObject textPart(const QString &text, const QJsonArray &logprobs = {});
    static QJsonObject message(const QByteArray &id, const QString &text, const QString &status,
                               const QJsonArray &logprobs = {});
    static QJsonObject reasoning(const QByteArray &id, const QString &summary);
    // A function_call (name + namespace for namespaced tools) or a custom_tool_call item;
    // `call.id` must be set.
    static QJsonObject call(const QByteArray &id, const ToolCall &call,
                            const ResponsesToolNames &names, const QString &status);
    static bool isCustom(const ToolCall &call, const ResponsesToolNames &names)
    {
        return names.custom.contains(call.name);
    }
    // The arguments as OpenAI sends them: a JSON string; a custom tool's input as it is.
    static QString arguments(const ToolCall &call, const ResponsesToolNames &names);
};

} // namespace gw
