// failureText: the one English wording of a failure that every dialect (and the request log)
// gives clients. The sentences name the cause, the provider, the upstream's words and the fix.

#include "api/failuretext.h"

#include <QTest>

using namespace gw;

Q_DECLARE_METATYPE(gw::ChatFailure)

namespace {

ChatFailure upstream(FailureCause cause, int http, const QString &said)
{
    ChatFailure f;
    f.cause = cause;
    f.provider = QStringLiteral("openai");
    f.model = QStringLiteral("gpt-9");
    f.upstreamStatus = http;
    f.upstreamMessage = said;
    return f;
}

ChatFailure transport(FailureCause cause, const QString &detail, int attempts = 1)
{
    ChatFailure f;
    f.cause = cause;
    f.provider = QStringLiteral("openai");
    f.detail = detail;
    f.attempts = attempts;
    return f;
}

} // namespace

class TstFailureText : public QObject
{
    Q_OBJECT

private slots:
    void sentences_data()
    {
        QTest::addColumn<ChatFailure>("failure");
        QTest::addColumn<QString>("text");

        ChatFailure missing;
        missing.cause = FailureCause::KeyMissing;
        missing.provider = QStringLiteral("openai");
        missing.keyHints = QStringList{QStringLiteral("OPENAI_API_KEY")};
        QTest::newRow("key missing") << missing
                                     << "no API key for provider 'openai': add it in Settings → "
                                        "Providers or set OPENAI_API_KEY";
        ChatFailure rejected = upstream(FailureCause::KeyRejected, 401, QStringLiteral("bad key"));
        rejected.keySource = QStringLiteral("OPENAI_API_KEY");
        QTest::newRow("key rejected") << rejected
                                      << "the provider rejected the API key for 'openai' (bad "
                                         "key): check the key in Settings → Providers (it came "
                                         "from OPENAI_API_KEY)";
        QTest::newRow("model at provider")
            << upstream(FailureCause::ModelNotFound, 404, QStringLiteral("no such model"))
            << "model 'gpt-9' not found at provider 'openai': no such model";
        ChatFailure unknown;
        unknown.cause = FailureCause::ModelNotFound;
        unknown.model = QStringLiteral("x");
        QTest::newRow("model unknown here") << unknown << "model 'x' not found";
        ChatFailure quota = upstream(FailureCause::QuotaExhausted, 429, QStringLiteral("empty"));
        quota.upstreamCode = QStringLiteral("insufficient_quota");
        QTest::newRow("quota") << quota
                               << "provider 'openai' says the account is out of quota "
                                  "(insufficient_quota), which retrying will not fix: empty";
        ChatFailure limited = upstream(FailureCause::RateLimited, 429, QStringLiteral("slow"));
        limited.attempts = 3;
        limited.retryAfterSeconds = 120;
        QTest::newRow("rate limited") << limited
                                      << "provider 'openai' is rate limiting requests (after 3 "
                                         "attempts): slow; retry after 120 s";
        QTest::newRow("context")
            << upstream(FailureCause::ContextTooLong, 400, QStringLiteral("prompt is too long"))
            << "provider 'openai' rejected the request (HTTP 400): prompt is too long";
        QTest::newRow("overloaded")
            << upstream(FailureCause::Overloaded, 529, QStringLiteral("Overloaded"))
            << "provider 'openai' failed (HTTP 529): Overloaded";
        QTest::newRow("unreachable")
            << transport(FailureCause::Unreachable, QStringLiteral("connection refused"), 3)
            << "cannot reach provider 'openai': connection refused (after 3 attempts)";
        QTest::newRow("timeout") << transport(FailureCause::Timeout,
                                              QStringLiteral("no response within 300 s"))
                                 << "provider 'openai' timed out: no response within 300 s";
        QTest::newRow("in stream")
            << upstream(FailureCause::UpstreamFault, 200, QStringLiteral("overloaded"))
            << "provider 'openai' reported an error: overloaded";
        ChatFailure broken = transport(FailureCause::UpstreamFault,
                                       QStringLiteral("the provider sent malformed data"));
        broken.upstreamStatus = 200;
        QTest::newRow("broken answer")
            << broken << "provider 'openai' reported an error: the provider sent malformed data";
        ChatFailure unsupported =
            transport(FailureCause::Unsupported, QStringLiteral("(type 'anthropic') does not offer "
                                                                "embeddings"));
        QTest::newRow("unsupported")
            << unsupported << "provider 'openai' (type 'anthropic') does not offer embeddings";
        ChatFailure simulated;
        simulated.cause = FailureCause::Overloaded;
        simulated.upstreamStatus = 503;
        simulated.upstreamMessage = QStringLiteral("upstream down");
        QTest::newRow("no provider: the words alone") << simulated << "upstream down";
        QTest::newRow("shutting down")
            << ChatFailure{FailureCause::ShuttingDown, 503} << "llm-gateway is shutting down";
        ChatFailure last = simulated;
        last.earlier.push_back({QStringLiteral("first"), unknown});
        last.earlier.push_back({QStringLiteral("second"),
                                transport(FailureCause::Timeout, QStringLiteral("stalled"))});
        QTest::newRow("after fallbacks")
            << last
            << "upstream down (after fallbacks failed: first: model 'x' not found; second: "
               "provider 'openai' timed out: stalled)";
    }
    void sentences()
    {
        QFETCH(ChatFailure, failure);
        QFETCH(QString, text);
        QCOMPARE(failureText(failure), text);
    }
};

QTEST_GUILESS_MAIN(TstFailureText)
#include "tst_failuretext.moc"
