// ProviderError: what each provider's error answers and transport failures become, as facts
// (cause, client status, upstream code and words, Retry-After, attempts), read from realistic
// error bodies of each upstream. (Parsing the Retry-After header itself: tst_upstreamcall.)

#include "providers/anthropic/anthropicwire.h"
#include "providers/gemini/geminiwire.h"
#include "providers/ollama/ollamawire.h"
#include "providers/openai/openaiwire.h"
#include "providers/providererror.h"

#include <QTest>

using namespace gw;

Q_DECLARE_METATYPE(gw::FailureCause)

namespace {

ProviderSettings settings()
{
    return {QStringLiteral("up"),
            QStringLiteral("openai"),
            {},
            QStringLiteral("sk-secret-abcdefgh1234"),
            QStringLiteral("UP_API_KEY"),
            {QStringLiteral("UP_API_KEY")},
            {}};
}

UpstreamErrorBody read(const QString &wire, const QByteArray &body)
{
    if (wire == u"anthropic")
        return AnthropicWire::errorBody(body);
    if (wire == u"gemini")
        return GeminiWire::errorBody(body);
    if (wire == u"ollama")
        return OllamaWire::errorBody(body);
    return OpenAiWire::errorBody(body);
}

UpstreamError http(int status, const QByteArray &body, int retryAfter = 0)
{
    UpstreamError e;
    e.kind = UpstreamError::Kind::Http;
    e.httpStatus = status;
    e.body = body;
    e.retryAfterSeconds = retryAfter;
    e.message = QStringLiteral("HTTP %1").arg(status);
    return e;
}

} // namespace

class TstProviderError : public QObject
{
    Q_OBJECT

private slots:
    void upstreamBodies_data()
    {
        QTest::addColumn<QString>("wire");
        QTest::addColumn<int>("http");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<FailureCause>("cause");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");

        // OpenAI: {"error":{"message","type","param","code"}}
        QTest::newRow("openai quota")
            << "openai" << 429
            << QByteArray("{\"error\":{\"message\":\"You exceeded your current quota, please check "
                          "your plan and billing details.\",\"type\":\"insufficient_quota\","
                          "\"param\":null,\"code\":\"insufficient_quota\"}}")
            << FailureCause::QuotaExhausted << 429 << "insufficient_quota"
            << "You exceeded your current quota, please check your plan and billing details.";
        QTest::newRow("openai rate limit")
            << "openai" << 429
            << QByteArray("{\"error\":{\"message\":\"Rate limit reached for gpt-4o in organization "
                          "org-x on tokens per min (TPM): Limit 30000, Used 29000, Requested "
                          "2000.\",\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_"
                          "exceeded\"}}")
            << FailureCause::RateLimited << 429 << "rate_limit_exceeded"
            << "Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): "
               "Limit 30000, Used 29000, Requested 2000.";
        QTest::newRow("openai context")
            << "openai" << 400
            << QByteArray("{\"error\":{\"message\":\"This model's maximum context length is 128000 "
                          "tokens. However, your messages resulted in 130000 tokens.\",\"type\":"
                          "\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_"
                          "length_exceeded\"}}")
            << FailureCause::ContextTooLong << 400 << "context_length_exceeded"
            << "This model's maximum context length is 128000 tokens. However, your messages "
               "resulted in 130000 tokens.";
        QTest::newRow("openai model")
            << "openai" << 404
            << QByteArray(
                   "{\"error\":{\"message\":\"The model `gpt-9` does not exist or you do not "
                   "have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
                   "\"code\":\"model_not_found\"}}")
            << FailureCause::ModelNotFound << 404 << "model_not_found"
            << "The model `gpt-9` does not exist or you do not have access to it.";
        QTest::newRow("openai key (masked)")
            << "openai" << 401
            << QByteArray("{\"error\":{\"message\":\"Incorrect API key provided: "
                          "sk-secret-abcdefgh1234.\",\"type\":\"invalid_request_error\",\"param\":"
                          "null,\"code\":\"invalid_api_key\"}}")
            << FailureCause::KeyRejected << 401 << "invalid_api_key"
            << "Incorrect API key provided: [redacted].";
        QTest::newRow("openai 500") << "openai" << 500
                                    << QByteArray("{\"error\":{\"message\":\"boom\",\"type\":"
                                                  "\"server_error\",\"code\":null}}")
                                    << FailureCause::UpstreamFault << 502 << "server_error"
                                    << "boom";
        QTest::newRow("hf credits") << "openai" << 402
                                    << QByteArray("{\"error\":\"You have exceeded your monthly "
                                                  "included credits\"}")
                                    << FailureCause::PaymentRequired << 402 << ""
                                    << "You have exceeded your monthly included credits";

        // Anthropic: {"type":"error","error":{"type","message"},"request_id"}
        QTest::newRow("anthropic overloaded")
            << "anthropic" << 529
            << QByteArray(
                   "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
                   "\"Overloaded\"},\"request_id\":\"req_011\"}")
            << FailureCause::Overloaded << 503 << "overloaded_error"
            << "Overloaded";
        QTest::newRow("anthropic rate limit")
            << "anthropic" << 429
            << QByteArray(
                   "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":"
                   "\"Number of request tokens has exceeded your per-minute rate limit\"}}")
            << FailureCause::RateLimited << 429 << "rate_limit_error"
            << "Number of request tokens has exceeded your per-minute rate limit";
        QTest::newRow("anthropic model")
            << "anthropic" << 404
            << QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":"
                          "\"model: claude-foo\"}}")
            << FailureCause::ModelNotFound << 404 << "not_found_error"
            << "model: claude-foo";
        QTest::newRow("anthropic prompt too long")
            << "anthropic" << 400
            << QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                          "\"message\":\"prompt is too long: 215000 tokens > 200000 maximum\"}}")
            << FailureCause::ContextTooLong << 400 << "invalid_request_error"
            << "prompt is too long: 215000 tokens > 200000 maximum";
        QTest::newRow("anthropic bad request")
            << "anthropic" << 400
            << QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                          "\"message\":\"max_tokens: Field required\"}}")
            << FailureCause::BadRequest << 400 << "invalid_request_error"
            << "max_tokens: Field required";

        // Gemini: {"error":{"code","message","status","details":[...]}}
        QTest::newRow("gemini key")
            << "gemini" << 400
            << QByteArray(
                   "{\"error\":{\"code\":400,\"message\":\"API key not valid. Please pass a "
                   "valid API key.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"@type\":"
                   "\"type.googleapis.com/google.rpc.ErrorInfo\",\"reason\":\"API_KEY_"
                   "INVALID\",\"domain\":\"googleapis.com\"}]}}")
            << FailureCause::KeyRejected << 401 << "API_KEY_INVALID"
            << "API key not valid. Please pass a valid API key.";
        QTest::newRow("gemini exhausted")
            << "gemini" << 429
            << QByteArray(
                   "{\"error\":{\"code\":429,\"message\":\"You exceeded your current quota.\","
                   "\"status\":\"RESOURCE_EXHAUSTED\",\"details\":[{\"@type\":\"type."
                   "googleapis.com/google.rpc.QuotaFailure\",\"violations\":[]},{\"@type\":"
                   "\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"31s\"}]}}")
            << FailureCause::RateLimited << 429 << "RESOURCE_EXHAUSTED"
            << "You exceeded your current quota.";
        QTest::newRow("gemini model")
            << "gemini" << 404
            << QByteArray("{\"error\":{\"code\":404,\"message\":\"models/gemini-9 is not found for "
                          "API version v1beta\",\"status\":\"NOT_FOUND\"}}")
            << FailureCause::ModelNotFound << 404 << "NOT_FOUND"
            << "models/gemini-9 is not found for API version v1beta";
        QTest::newRow("gemini too long")
            << "gemini" << 400
            << QByteArray("{\"error\":{\"code\":400,\"message\":\"The input token count (1200000) "
                          "exceeds the maximum number of tokens allowed (1048576).\",\"status\":"
                          "\"INVALID_ARGUMENT\"}}")
            << FailureCause::ContextTooLong << 400 << "INVALID_ARGUMENT"
            << "The input token count (1200000) exceeds the maximum number of tokens allowed "
               "(1048576).";
        QTest::newRow("gemini unavailable")
            << "gemini" << 503
            << QByteArray("{\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please "
                          "try again later.\",\"status\":\"UNAVAILABLE\"}}")
            << FailureCause::Overloaded << 503 << "UNAVAILABLE"
            << "The model is overloaded. Please try again later.";
        QTest::newRow("gemini wrapped")
            << "gemini" << 400
            << QByteArray("[{\"error\":{\"code\":400,\"message\":\"wrapped\",\"status\":\"INVALID_"
                          "ARGUMENT\"}}]")
            << FailureCause::BadRequest << 400 << "INVALID_ARGUMENT"
            << "wrapped";

        // Ollama: {"error":"..."}
        QTest::newRow("ollama model")
            << "ollama" << 404 << QByteArray("{\"error\":\"model 'llama9' not found\"}")
            << FailureCause::ModelNotFound << 404 << ""
            << "model 'llama9' not found";
        QTest::newRow("ollama 500") << "ollama" << 500
                                    << QByteArray("{\"error\":\"llama runner process has "
                                                  "terminated\"}")
                                    << FailureCause::UpstreamFault << 502 << ""
                                    << "llama runner process has terminated";
        QTest::newRow("proxy page") << "ollama" << 502 << QByteArray("<html>Bad Gateway</html>")
                                    << FailureCause::UpstreamFault << 502 << ""
                                    << "<html>Bad Gateway</html>";
    }
    void upstreamBodies()
    {
        QFETCH(QString, wire);
        QFETCH(int, http);
        QFETCH(QByteArray, body);
        QFETCH(FailureCause, cause);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QString, message);
        UpstreamError e = ::http(http, body);
        e.attempts = 2;
        const ChatFailure f =
            ProviderError::classify(settings(), QStringLiteral("m-1"), e, read(wire, body));
        QCOMPARE(int(f.cause), int(cause));
        QCOMPARE(f.status, status);
        QCOMPARE(f.upstreamStatus, http);
        QCOMPARE(f.upstreamCode, code);
        QCOMPARE(f.upstreamMessage, message);
        QCOMPARE(f.provider, QStringLiteral("up"));
        QCOMPARE(f.model, QStringLiteral("m-1"));
        QCOMPARE(f.attempts, 2);
        QCOMPARE(f.keySource,
                 cause == FailureCause::KeyRejected ? QStringLiteral("UP_API_KEY") : QString());
    }

    void retryAfterFromHeaderOrBody()
    {
        const QByteArray body =
            "{\"error\":{\"code\":429,\"message\":\"slow\",\"status\":\"RESOURCE_"
            "EXHAUSTED\",\"details\":[{\"@type\":\"type.googleapis.com/"
            "google.rpc.RetryInfo\",\"retryDelay\":\"1.5s\"}]}}";
        ChatFailure f =
            ProviderError::classify(settings(), {}, http(429, body), GeminiWire::errorBody(body));
        QCOMPARE(f.retryAfterSeconds, 2); // RetryInfo, rounded up, when no header says
        f = ProviderError::classify(settings(), {}, http(429, body, 7),
                                    GeminiWire::errorBody(body));
        QCOMPARE(f.retryAfterSeconds, 7); // the header wins
    }

    void transport_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<FailureCause>("cause");
        QTest::addColumn<int>("status");
        QTest::newRow("refused") << int(UpstreamError::Kind::Connect) << FailureCause::Unreachable
                                 << 502;
        QTest::newRow("dns") << int(UpstreamError::Kind::Dns) << FailureCause::Unreachable << 502;
        QTest::newRow("tls") << int(UpstreamError::Kind::Tls) << FailureCause::Tls << 502;
        QTest::newRow("timeout") << int(UpstreamError::Kind::Timeout) << FailureCause::Timeout
                                 << 504;
        QTest::newRow("reset") << int(UpstreamError::Kind::Reset) << FailureCause::ConnectionLost
                               << 502;
        QTest::newRow("canceled") << int(UpstreamError::Kind::Canceled) << FailureCause::ClientGone
                                  << 499;
    }
    void transport()
    {
        QFETCH(int, kind);
        QFETCH(FailureCause, cause);
        QFETCH(int, status);
        UpstreamError e;
        e.kind = UpstreamError::Kind(kind);
        e.message = QStringLiteral("connection to 127.0.0.1:9 refused, key sk-secret-abcdefgh1234");
        e.attempts = 3;
        const ChatFailure f = ProviderError::classify(settings(), {}, e, {});
        QCOMPARE(int(f.cause), int(cause));
        QCOMPARE(f.status, status);
        QCOMPARE(f.upstreamStatus, 0);
        QCOMPARE(f.attempts, 3);
        QVERIFY2(!f.detail.contains(QStringLiteral("abcdefgh1234")), qPrintable(f.detail));
    }

    // Errors inside a 200 stream, as the decoders hand them over.
    void reportedInStream()
    {
        ChatFailure f = ProviderError::reported(AnthropicWire::errorBody(
            QByteArray("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
                       "\"Overloaded\"}}")));
        QCOMPARE(int(f.cause), int(FailureCause::Overloaded));
        QCOMPARE(f.status, 503);
        QCOMPARE(f.upstreamStatus, 200);
        f = ProviderError::reported(
            OpenAiWire::errorBody("{\"error\":{\"message\":\"oops\",\"type\":\"server_error\"}}"));
        QCOMPARE(int(f.cause), int(FailureCause::UpstreamFault));
        QCOMPARE(f.status, 502);
        QCOMPARE(f.upstreamMessage, QStringLiteral("oops"));
        f = ProviderError::attribute(f, settings(), QStringLiteral("m"));
        QCOMPARE(f.provider, QStringLiteral("up"));
        QCOMPARE(f.model, QStringLiteral("m"));
    }

    void missingKey()
    {
        const ChatFailure f = ProviderError::missingKey(settings());
        QCOMPARE(int(f.cause), int(FailureCause::KeyMissing));
        QCOMPARE(f.status, 401);
        QCOMPARE(f.keyHints, QStringList{QStringLiteral("UP_API_KEY")});
    }
};

QTEST_GUILESS_MAIN(TstProviderError)
#include "tst_providererror.moc"
