#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace gw {

// The OS keychain through QtKeychain (Secret Service on Linux, Keychain on macOS, Credential
// Manager on Windows): service "llm-gateway", account = provider name. Every call is
// asynchronous and answers exactly once, on the calling thread, through `done`. QtKeychain runs
// its jobs one at a time through a process-wide executor, so use one thread for all calls (the
// gateway thread).
//
// When there is no keychain (no Secret Service, no session bus: QtKeychain error 7 or
// NoBackendAvailable) or it is locked / refuses access (error 3/4), the result says so; nothing
// is ever written anywhere else instead. A job that does not answer within the timeout (a
// keyring waiting on an unlock prompt nobody sees) counts as unavailable.
class Keychain : public QObject
{
    Q_OBJECT
public:
    enum class Status { Ok, NotFound, Unavailable, Denied, Failed };
    struct Result
    {
        Status status = Status::Failed;
        QString account;
        QString secret;  // read: the stored value
        QString message; // for Unavailable / Denied / Failed: what went wrong, in words
        bool ok() const { return status == Status::Ok; }
    };
    using Callback = std::function<void(const Result &)>;

    static constexpr const char *kDefaultService = "llm-gateway";

    explicit Keychain(QString service = QString::fromLatin1(kDefaultService),
                      QObject *parent = nullptr);

    QString service() const { return m_service; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    // `context` going away drops the answer (the job still ends in the keychain).
    void read(const QString &account, QObject *context, Callback done);
    void write(const QString &account, const QString &secret, QObject *context, Callback done);
    void remove(const QString &account, QObject *context, Callback done);

    // "no keychain available on this system — set OPENAI_API_KEY instead"
    static QString unavailableText(const QString &envName);

private:
    enum class Op { Read, Write, Remove };
    void run(Op op, const QString &account, const QString &secret, QObject *context, Callback done);

    QString m_service;
    int m_timeoutMs = 8000;
};

} // namespace gw
