#pragma once

#include "httpexchange.h"
#include "upstreamerror.h"
#include "upstreamtransport.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>

#include <functional>
#include <memory>

namespace gw {

class NetworkPool;

struct UpstreamOptions
{
    // Until the request has been written (TCP, TLS, proxy).
    int connectTimeoutMs = 10000;
    // Until the response starts: reasoning models can think for minutes before a first token.
    int firstByteTimeoutMs = 300000;
    // Between two pieces of a streamed body.
    int idleTimeoutMs = 120000;
    // Retries on connection errors, 408/409/429/5xx/529, before any byte reached the client.
    int maxRetries = 2;
    int backoffBaseMs = 500;
    int backoffMaxMs = 8000;
    // A Retry-After longer than this is passed on to the client instead of waited for.
    int maxRetryAfterSeconds = 20;
    // Optional veto, e.g. OpenAI's 429 insufficient_quota, which no retry will fix.
    std::function<bool(const UpstreamError &)> retryable;
    // The provider's TLS settings and proxy; null: the defaults.
    std::shared_ptr<const UpstreamTransport> transport;
};

// One HTTP exchange with a provider, including its retries. Emits the body of a 2xx response
// piece by piece as it arrives; any other outcome ends in failed(). Never blocks; deleting it
// (or abort()) closes the upstream connection at once. Plain http:// URLs that no proxy
// applies to go over HttpExchange on this thread (NetworkPool::goesDirect); https:// (TLS,
// HTTP/2 by ALPN) and proxied URLs go through QNetworkAccessManager. Both paths
// give the same signals, timeouts, retries and errors.
class UpstreamCall : public QObject
{
    Q_OBJECT
public:
    UpstreamCall(NetworkPool &pool, QNetworkRequest request, QByteArray verb, QByteArray body,
                 UpstreamOptions options, QObject *parent = nullptr);
    ~UpstreamCall() override;

    void start();
    void abort();
    int attempts() const { return m_attempt; }
    // The 2xx body has said all it will say (the decoder saw its end): deleting the call now
    // lets Qt read what is left (a usage event, the last chunk) in the background, so the
    // connection, and its TLS session, is kept for the next request instead of being closed.
    void bodyComplete() { m_drain = true; }
    QByteArray responseHeader(const QByteArray &name) const;

    // Runs a request whose answer is wanted whole (embeddings, model lists). `done` gets the
    // body, or the error; the call is a child of `context` and dies with it.
    using Collected = std::function<void(const QByteArray &body, const UpstreamError *error)>;
    static UpstreamCall *collect(NetworkPool &pool, QNetworkRequest request, QByteArray verb,
                                 QByteArray body, UpstreamOptions options, QObject *context,
                                 Collected done);

    static bool defaultRetryable(const UpstreamError &e);
    static int parseRetryAfter(const QByteArray &retryAfter, const QByteArray &retryAfterMs);

signals:
    void responseStarted(int status); // 2xx: the body follows
    void bodyData(const QByteArray &piece);
    void finished(); // the 2xx body is complete
    void failed(const gw::UpstreamError &error);

private:
    enum class Phase { Idle, Connecting, WaitingFirstByte, Streaming, Done };

    void attempt();
    void prepareForManager(); // the request's attributes and TLS for QNetworkAccessManager
    void onMetaData();
    void onReadyRead();
    void onFinished();
    void onTimeout();
    void onLeanHeaders();
    void onLeanPiece(const QByteArray &piece);
    void onLeanCompleted();
    void onLeanFailed();
    QByteArray leanWire() const;
    QByteArray leanHead() const; // the request line and headers
    UpstreamError leanError() const;
    UpstreamError httpError() const;
    void succeed();
    void failMidStream(UpstreamError e, const QString &detail);
    void settle(UpstreamError e); // a failure before the body: retry, or fail()
    QString where() const;
    void arm(Phase phase);
    void endReply();
    void fail(UpstreamError error);
    UpstreamError networkError(QNetworkReply::NetworkError code) const;
    void noteSslErrors(const QList<QSslError> &errors);

    NetworkPool &m_pool;
    QNetworkRequest m_request;
    QByteArray m_verb;
    QByteArray m_body;
    UpstreamOptions m_options;
    QPointer<QNetworkReply> m_reply;
    QPointer<HttpExchange> m_lean; // the current attempt, when it goes over HttpExchange
    QByteArray m_wire;             // the request as HttpExchange writes it, made once
    bool m_preparedForManager = false;
    QString m_tlsFilesError; // sslConfiguration() could not use the provider's TLS files
    QNetworkAccessManager *m_manager = nullptr;
    QTimer m_timer;
    Phase m_phase = Phase::Idle;
    bool m_timedOut = false;
    bool m_success = false; // the current reply is a 2xx being streamed
    int m_status = 0;
    int m_attempt = 0;
    QByteArray m_errorBody;
    UpstreamError::TlsFault m_tlsFault = UpstreamError::TlsFault::Other;
    QString m_tlsDetail;      // the certificate errors, as Qt words them
    bool m_encrypted = false; // this attempt made a new TLS connection
    bool m_drain = false;     // bodyComplete()
};

} // namespace gw
