#include "upstreamcall.h"

#include "networkpool.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QRandomGenerator>

#include <array>

namespace gw {

static constexpr int kDrainMs = 5000; // bodyComplete(): how long the rest may take

UpstreamCall::UpstreamCall(NetworkPool &pool, QNetworkRequest request, QByteArray verb,
                           QByteArray body, UpstreamOptions options, QObject *parent)
    : QObject(parent), m_pool(pool), m_request(std::move(request)), m_verb(std::move(verb)),
      m_body(std::move(body)), m_options(std::move(options))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &UpstreamCall::onTimeout);
}

void UpstreamCall::prepareForManager()
{
    if (m_preparedForManager)
        return;
    m_preparedForManager = true;
    // Qt's own transfer timeout would fire on slow first tokens; we time each phase ourselves.
    m_request.setTransferTimeout(0);
    m_request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                           QNetworkRequest::AlwaysNetwork);
    // HTTP/2 where the provider offers it over TLS (ALPN): Qt 6 allows it by default; said
    // here so that it stays so.
    m_request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    // Only the manager's path can need TLS (https); the configuration
    // with its roots is made then, not for plain-http calls.
    if (m_options.transport && m_options.transport->customTls())
        m_request.setSslConfiguration(m_options.transport->sslConfiguration(&m_tlsFilesError));
}

UpstreamCall::~UpstreamCall()
{
    abort();
}

void UpstreamCall::start()
{
    attempt();
}

void UpstreamCall::abort()
{
    m_timer.stop();
    m_phase = Phase::Done;
    endReply();
}

QByteArray UpstreamCall::responseHeader(const QByteArray &name) const
{
    if (m_lean)
        return m_lean->response().header(name.toLower());
    return m_reply ? m_reply->rawHeader(name) : QByteArray();
}

void UpstreamCall::attempt()
{
    ++m_attempt;
    m_timedOut = false;
    m_success = false;
    m_status = 0;
    m_errorBody.clear();
    m_tlsFault = UpstreamError::TlsFault::Other;
    m_tlsDetail.clear();
    m_encrypted = false;
    const QUrl url = m_request.url();
    if (m_pool.goesDirect(url, m_options.transport.get())) {
        if (m_wire.isEmpty())
            m_wire = leanWire();
        auto *x = new HttpExchange(m_pool, url.host(), quint16(url.port(80)), m_wire,
                                   m_verb == "HEAD", this);
        m_lean = x;
        connect(x, &HttpExchange::requestSent, this, [this] { arm(Phase::WaitingFirstByte); });
        connect(x, &HttpExchange::headersReceived, this, &UpstreamCall::onLeanHeaders);
        connect(x, &HttpExchange::bodyPiece, this, &UpstreamCall::onLeanPiece);
        connect(x, &HttpExchange::completed, this, &UpstreamCall::onLeanCompleted);
        connect(x, &HttpExchange::failed, this, &UpstreamCall::onLeanFailed);
        arm(Phase::Connecting);
        x->start();
        return;
    }
    prepareForManager();
    if (!m_tlsFilesError.isEmpty()) {
        // A TLS file of the provider's that cannot be used (it changed since the config was
        // checked): the call fails as a TLS failure would, from the event loop like any other.
        UpstreamError e;
        e.kind = UpstreamError::Kind::Tls;
        e.message = m_tlsFilesError;
        m_phase = Phase::Done;
        QMetaObject::invokeMethod(
            this, [this, e] { fail(e); }, Qt::QueuedConnection);
        return;
    }
    m_manager = m_pool.acquire(m_request.url(), m_options.transport.get());
    QNetworkReply *reply = m_manager->sendCustomRequest(m_request, m_verb, m_body);
    m_reply = reply;
    connect(reply, &QNetworkReply::requestSent, this, [this] { arm(Phase::WaitingFirstByte); });
    connect(reply, &QNetworkReply::metaDataChanged, this, &UpstreamCall::onMetaData);
    connect(reply, &QNetworkReply::readyRead, this, &UpstreamCall::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &UpstreamCall::onFinished);
    connect(reply, &QNetworkReply::sslErrors, this, &UpstreamCall::noteSslErrors);
    connect(reply, &QNetworkReply::encrypted, this, [this] { m_encrypted = true; });
    arm(Phase::Connecting);
}

void UpstreamCall::arm(Phase phase)
{
    m_phase = phase;
    switch (phase) {
    case Phase::Connecting:
        m_timer.start(m_options.connectTimeoutMs);
        break;
    case Phase::WaitingFirstByte:
        m_timer.start(m_options.firstByteTimeoutMs);
        break;
    case Phase::Streaming:
        m_timer.start(m_options.idleTimeoutMs);
        break;
    default:
        m_timer.stop();
    }
}

void UpstreamCall::onMetaData()
{
    if (!m_reply || m_status != 0)
        return;
    const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_status = status.toInt();
    if (m_reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool())
        m_pool.noteHttp2(m_request.url());
    arm(Phase::Streaming);
    if (m_status >= 200 && m_status < 300) {
        m_success = true;
        emit responseStarted(m_status);
    }
}

void UpstreamCall::onReadyRead()
{
    if (!m_reply)
        return;
    if (m_status == 0)
        onMetaData();
    arm(Phase::Streaming);
    const QByteArray piece = m_reply->readAll();
    if (!m_success) {
        m_errorBody += piece.left(64 * 1024 - m_errorBody.size());
        return;
    }
    if (!piece.isEmpty())
        emit bodyData(piece); // may delete or abort us
}

void UpstreamCall::onFinished()
{
    QPointer<QNetworkReply> reply = m_reply;
    if (!reply || m_phase == Phase::Done)
        return;
    if (reply->bytesAvailable() > 0) {
        QPointer<UpstreamCall> self(this);
        onReadyRead();
        if (!self || !m_reply)
            return;
    }
    const QNetworkReply::NetworkError code = reply->error();
    if (m_status == 0)
        onMetaData();

    if (m_success) {
        if (code == QNetworkReply::NoError || code >= QNetworkReply::ProtocolUnknownError) {
            // A complete 2xx (protocol-level complaints after the body are not the client's
            // problem).
            succeed();
            return;
        }
        failMidStream(networkError(code), reply->errorString());
        return;
    }
    settle(m_status != 0 ? httpError() : networkError(code));
}

void UpstreamCall::succeed()
{
    m_phase = Phase::Done;
    m_timer.stop();
    endReply();
    emit finished();
}

void UpstreamCall::failMidStream(UpstreamError e, const QString &detail)
{
    if (e.kind != UpstreamError::Kind::Timeout)
        e.kind = UpstreamError::Kind::Reset;
    if (!m_timedOut)
        e.message =
            QStringLiteral("the connection closed in the middle of the response (%1)").arg(detail);
    fail(e); // never retried: the client may already have part of the answer
}

UpstreamError UpstreamCall::httpError() const
{
    UpstreamError e;
    e.kind = UpstreamError::Kind::Http;
    e.httpStatus = m_status;
    e.body = m_errorBody;
    e.retryAfterSeconds =
        parseRetryAfter(responseHeader("retry-after"), responseHeader("retry-after-ms"));
    e.message = QStringLiteral("HTTP %1").arg(m_status);
    return e;
}

void UpstreamCall::settle(UpstreamError e)
{
    e.attempts = m_attempt;
    const bool retryable = defaultRetryable(e) && (!m_options.retryable || m_options.retryable(e));
    if (retryable && m_attempt <= m_options.maxRetries &&
        e.retryAfterSeconds <= m_options.maxRetryAfterSeconds) {
        endReply();
        const int exp = qMin(m_options.backoffMaxMs, m_options.backoffBaseMs << (m_attempt - 1));
        // Full jitter between half and all of the backoff, so clients that failed together do
        // not retry together.
        int delay = exp / 2 + int(QRandomGenerator::global()->bounded(exp / 2 + 1));
        delay = qMax(delay, e.retryAfterSeconds * 1000);
        m_phase = Phase::Idle;
        m_timer.stop();
        QTimer::singleShot(delay, this, [this] {
            if (m_phase == Phase::Idle)
                attempt();
        });
        return;
    }
    fail(e);
}

void UpstreamCall::onLeanHeaders()
{
    if (!m_lean || m_phase == Phase::Done)
        return;
    m_status = m_lean->response().status();
    arm(Phase::Streaming);
    if (m_status >= 200 && m_status < 300) {
        m_success = true;
        emit responseStarted(m_status);
    }
}

void UpstreamCall::onLeanPiece(const QByteArray &piece)
{
    if (m_phase == Phase::Done)
        return;
    arm(Phase::Streaming);
    if (!m_success) {
        m_errorBody += piece.left(64 * 1024 - m_errorBody.size());
        return;
    }
    emit bodyData(piece); // may delete or abort us
}

void UpstreamCall::onLeanCompleted()
{
    if (m_phase == Phase::Done)
        return;
    if (m_success)
        succeed();
    else
        settle(httpError());
}

void UpstreamCall::onLeanFailed()
{
    if (!m_lean || m_phase == Phase::Done)
        return;
    if (m_success) {
        failMidStream(leanError(), m_lean->errorString());
        return;
    }
    settle(m_status != 0 ? httpError() : leanError());
}

QString UpstreamCall::where() const
{
    const QUrl url = m_request.url();
    return url.host() + u':' + QString::number(url.port(url.scheme() == u"https" ? 443 : 80));
}

UpstreamError UpstreamCall::leanError() const
{
    UpstreamError e;
    const QString detail = m_lean ? m_lean->errorString() : QString();
    switch (m_lean ? m_lean->failure() : HttpExchange::Failure::Other) {
    case HttpExchange::Failure::HostNotFound:
        e.kind = UpstreamError::Kind::Dns;
        e.message = QStringLiteral("host %1 not found (DNS)").arg(m_request.url().host());
        break;
    case HttpExchange::Failure::Refused:
        e.kind = UpstreamError::Kind::Connect;
        e.message = QStringLiteral("connection to %1 refused").arg(where());
        break;
    case HttpExchange::Failure::Closed:
        e.kind = UpstreamError::Kind::Reset;
        e.message = QStringLiteral("%1 closed the connection").arg(where());
        break;
    case HttpExchange::Failure::Malformed:
        e.kind = UpstreamError::Kind::Connect;
        e.message = QStringLiteral("%1 did not answer in HTTP/1.1: %2").arg(where(), detail);
        break;
    default:
        e.kind = UpstreamError::Kind::Connect;
        e.message = QStringLiteral("cannot reach %1: %2").arg(where(), detail);
    }
    return e;
}

namespace {

// Headers HttpExchange writes itself (framing) or that are hop-by-hop.
bool framingHeader(const QByteArray &name)
{
    const auto is = [&name](const char *h) { return name.compare(h, Qt::CaseInsensitive) == 0; };
    switch (name.size()) {
    case 2:
        return is("te");
    case 4:
        return is("host");
    case 7:
        return is("upgrade");
    case 10:
        return is("connection") || is("keep-alive");
    case 14:
        return is("content-length");
    case 17:
        return is("transfer-encoding");
    default:
        return false;
    }
}

bool hasLineBreak(const QByteArray &text)
{
    for (const char c : text)
        if (c == '\r' || c == '\n')
            return true;
    return false;
}

} // namespace

QByteArray UpstreamCall::leanWire() const
{
    // The request line and headers are the same for a provider's every request (its request is
    // made once and copied): made once per thread, then looked up (~11 K instructions a request
    // before, issue #15).
    struct Head
    {
        QNetworkRequest request;
        QByteArray verb;
        QByteArray bytes;
    };
    static constexpr size_t kHeads = 8;
    thread_local std::array<Head, kHeads> heads;
    thread_local size_t nextHead = 0;
    const Head *found = nullptr;
    for (const Head &h : heads)
        if (!h.bytes.isEmpty() && h.verb == m_verb && h.request == m_request) {
            found = &h;
            break;
        }
    if (!found) {
        Head &h = heads[nextHead++ % kHeads];
        h = {m_request, m_verb, leanHead()};
        found = &h;
    }
    QByteArray w;
    w.reserve(found->bytes.size() + 40 + m_body.size());
    w += found->bytes;
    if (!m_body.isEmpty() || m_verb == "POST" || m_verb == "PUT" || m_verb == "PATCH") {
        w += "Content-Length: ";
        w += QByteArray::number(m_body.size());
        w += "\r\n";
    }
    w += "\r\n";
    w += m_body;
    return w;
}

QByteArray UpstreamCall::leanHead() const
{
    const QUrl url = m_request.url();
    QByteArray w;
    w.reserve(512);
    w += m_verb;
    w += ' ';
    const QString path = url.path(QUrl::FullyEncoded);
    w += path.isEmpty() ? QByteArray("/") : path.toLatin1();
    if (url.hasQuery()) {
        w += '?';
        w += url.query(QUrl::FullyEncoded).toLatin1();
    }
    w += " HTTP/1.1\r\nHost: ";
    const QString host = url.host(QUrl::FullyEncoded);
    w += host.contains(u':') ? '[' + host.toLatin1() + ']' : host.toLatin1();
    if (url.port(80) != 80) {
        w += ':';
        w += QByteArray::number(url.port());
    }
    w += "\r\n";
    for (const QByteArray &name : m_request.rawHeaderList()) {
        // Framing and hop-by-hop headers are ours to write; an empty value removes a header
        // (as with QNetworkAccessManager); CR or LF would split the request.
        if (framingHeader(name))
            continue;
        const QByteArray value = m_request.rawHeader(name);
        if (value.isEmpty() || hasLineBreak(name) || hasLineBreak(value))
            continue;
        w += name;
        w += ": ";
        w += value;
        w += "\r\n";
    }
    return w;
}

void UpstreamCall::onTimeout()
{
    m_timedOut = true;
    UpstreamError e;
    e.kind = UpstreamError::Kind::Timeout;
    e.attempts = m_attempt;
    const Phase phase = m_phase;
    switch (phase) {
    case Phase::Connecting:
        e.message = QStringLiteral("could not connect within %1 s")
                        .arg(m_options.connectTimeoutMs / 1000.0);
        break;
    case Phase::WaitingFirstByte:
        e.message =
            QStringLiteral("no response within %1 s").arg(m_options.firstByteTimeoutMs / 1000.0);
        break;
    default:
        e.message = QStringLiteral("the response stalled: nothing for %1 s")
                        .arg(m_options.idleTimeoutMs / 1000.0);
    }
    // A connect timeout is worth another try; a slow or stalled answer is not.
    if (phase == Phase::Connecting && m_attempt <= m_options.maxRetries) {
        endReply();
        m_phase = Phase::Idle;
        QTimer::singleShot(m_options.backoffBaseMs, this, [this] {
            if (m_phase == Phase::Idle)
                attempt();
        });
        return;
    }
    fail(e);
}

void UpstreamCall::fail(UpstreamError error)
{
    m_phase = Phase::Done;
    m_timer.stop();
    endReply();
    error.attempts = m_attempt;
    emit failed(error);
}

void UpstreamCall::endReply()
{
    if (m_lean) {
        HttpExchange *x = m_lean;
        m_lean = nullptr;
        disconnect(x, nullptr, this, nullptr);
        if (!x->isFinished() && m_drain && m_success) {
            x->drain(kDrainMs); // the pool keeps the connection when the rest has been read
        } else {
            x->abort(); // closes the upstream connection at once, unless it went back
            x->deleteLater();
        }
    }
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    if (!reply->isFinished() && m_drain && m_success) {
        // Read the rest and drop it; a server that does not end the body soon is cut off.
        connect(reply, &QNetworkReply::readyRead, reply, [reply] { reply->readAll(); });
        connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
        QTimer::singleShot(kDrainMs, reply, [reply] { reply->abort(); });
    } else {
        if (!reply->isFinished())
            reply->abort(); // closes the upstream connection at once
        reply->deleteLater();
    }
    if (m_manager)
        m_pool.release(m_manager, m_request.url());
    m_manager = nullptr;
}

UpstreamError UpstreamCall::networkError(QNetworkReply::NetworkError code) const
{
    UpstreamError e;
    const QUrl url = m_request.url();
    const QString where = this->where();
    const QString detail = m_reply ? m_reply->errorString() : QString();
    switch (code) {
    case QNetworkReply::HostNotFoundError:
        e.kind = UpstreamError::Kind::Dns;
        e.message = QStringLiteral("host %1 not found (DNS)").arg(url.host());
        break;
    case QNetworkReply::ConnectionRefusedError:
        e.kind = UpstreamError::Kind::Connect;
        e.message = QStringLiteral("connection to %1 refused").arg(where);
        break;
    case QNetworkReply::SslHandshakeFailedError:
        e.kind = UpstreamError::Kind::Tls;
        e.tlsFault = m_tlsFault;
        // Certificate checks passed (or none ran): the server broke the handshake off.
        if (m_tlsDetail.isEmpty())
            e.tlsFault = detail.contains(QLatin1StringView("alert"), Qt::CaseInsensitive)
                             ? UpstreamError::TlsFault::HandshakeRefused
                             : UpstreamError::TlsFault::Other;
        e.message = QStringLiteral("TLS with %1 failed: %2")
                        .arg(where, m_tlsDetail.isEmpty() ? detail : m_tlsDetail);
        break;
    case QNetworkReply::InsecureRedirectError:
        e.kind = UpstreamError::Kind::Tls;
        e.message = QStringLiteral("TLS with %1 failed: %2").arg(where, detail);
        break;
    case QNetworkReply::TimeoutError:
        e.kind = UpstreamError::Kind::Timeout;
        e.message = QStringLiteral("%1 timed out").arg(where);
        break;
    case QNetworkReply::OperationCanceledError:
        e.kind = m_timedOut ? UpstreamError::Kind::Timeout : UpstreamError::Kind::Canceled;
        e.message = QStringLiteral("the request to %1 was cancelled").arg(where);
        break;
    case QNetworkReply::RemoteHostClosedError:
        if (m_encrypted && m_status == 0) {
            // TLS 1.3 servers check a client certificate after the client thinks the handshake
            // is done: a new secure connection closed before any answer is that refusal.
            e.kind = UpstreamError::Kind::Tls;
            e.tlsFault = UpstreamError::TlsFault::HandshakeRefused;
            e.message = QStringLiteral("TLS with %1: the server closed the new connection "
                                       "before answering")
                            .arg(where);
            break;
        }
        e.kind = UpstreamError::Kind::Reset;
        e.message = QStringLiteral("%1 closed the connection").arg(where);
        break;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        e.kind = UpstreamError::Kind::Connect;
        e.message = QStringLiteral("the proxy failed: %1").arg(detail);
        break;
    default:
        e.kind = UpstreamError::Kind::Connect;
        e.message = QStringLiteral("cannot reach %1: %2").arg(where, detail);
    }
    return e;
}

void UpstreamCall::noteSslErrors(const QList<QSslError> &errors)
{
    // The first error that says what to do about it decides; Qt lists them chain first.
    QStringList words;
    UpstreamError::TlsFault fault = UpstreamError::TlsFault::Other;
    for (const QSslError &error : errors) {
        words.append(error.errorString());
        UpstreamError::TlsFault f = UpstreamError::TlsFault::Other;
        switch (error.error()) {
        case QSslError::UnableToGetIssuerCertificate:
        case QSslError::UnableToGetLocalIssuerCertificate:
        case QSslError::UnableToVerifyFirstCertificate:
        case QSslError::SelfSignedCertificate:
        case QSslError::SelfSignedCertificateInChain:
        case QSslError::CertificateUntrusted:
        case QSslError::CertificateRejected:
            f = UpstreamError::TlsFault::UntrustedIssuer;
            break;
        case QSslError::CertificateExpired:
        case QSslError::CertificateNotYetValid:
            f = UpstreamError::TlsFault::Expired;
            break;
        case QSslError::HostNameMismatch:
            f = UpstreamError::TlsFault::WrongHost;
            break;
        default:
            break;
        }
        if (fault == UpstreamError::TlsFault::Other)
            fault = f;
    }
    m_tlsFault = fault;
    m_tlsDetail = words.join(QStringLiteral("; "));
}

UpstreamCall *UpstreamCall::collect(NetworkPool &pool, QNetworkRequest request, QByteArray verb,
                                    QByteArray body, UpstreamOptions options, QObject *context,
                                    Collected done)
{
    auto *call = new UpstreamCall(pool, std::move(request), std::move(verb), std::move(body),
                                  std::move(options), context);
    auto buffer = std::make_shared<QByteArray>();
    connect(call, &UpstreamCall::bodyData, call,
            [buffer](const QByteArray &piece) { *buffer += piece; });
    connect(call, &UpstreamCall::finished, call, [call, buffer, done] {
        call->deleteLater();
        done(*buffer, nullptr);
    });
    connect(call, &UpstreamCall::failed, call, [call, done](const UpstreamError &e) {
        call->deleteLater();
        done({}, &e);
    });
    call->start();
    return call;
}

bool UpstreamCall::defaultRetryable(const UpstreamError &e)
{
    switch (e.kind) {
    case UpstreamError::Kind::Connect:
    case UpstreamError::Kind::Reset:
        return true;
    case UpstreamError::Kind::Http:
        // Transient by nature; 501, 505 or 508 will answer the same way every time.
        return e.httpStatus == 408 || e.httpStatus == 409 || e.httpStatus == 429 ||
               e.httpStatus == 500 || e.httpStatus == 502 || e.httpStatus == 503 ||
               e.httpStatus == 504 || e.httpStatus == 529;
    default:
        return false; // DNS and TLS failures do not heal in a second; timeouts already waited
    }
}

int UpstreamCall::parseRetryAfter(const QByteArray &retryAfter, const QByteArray &retryAfterMs)
{
    bool ok = false;
    if (!retryAfterMs.isEmpty()) {
        const double ms = retryAfterMs.trimmed().toDouble(&ok);
        if (ok && ms >= 0)
            return int((ms + 999) / 1000);
    }
    if (retryAfter.isEmpty())
        return 0;
    const double seconds = retryAfter.trimmed().toDouble(&ok);
    if (ok)
        return qMax(0, int(seconds + 0.999));
    // An HTTP date.
    const QDateTime at =
        QDateTime::fromString(QString::fromLatin1(retryAfter.trimmed()), Qt::RFC2822Date);
    if (at.isValid())
        return qMax<qint64>(0, QDateTime::currentDateTimeUtc().secsTo(at));
    return 0;
}

} // namespace gw
