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
// keyring waiting on an unlock prompt nobody sees) is NoAnswer. Results are facts, not words:
// the desktop (desktop/desktopwords) says them in the user's language.
class Keychain : public QObject
{
    Q_OBJECT
public:
    enum class Status {
        Ok,
        NotFound,
        Unavailable,  // no keychain on this system (no Secret Service / backend)
        NoSessionBus, // Linux without a D-Bus session bus: not even asked
        NoAnswer,     // the keychain did not answer in time (locked, waiting for a password?)
        Denied,       // locked, or access refused
        Failed,       // anything else
    };
    struct Result
    {
        Status status = Status::Failed;
        QString account;
        QString secret; // read: the stored value
        QString detail; // the keychain's own error text (QtKeychain's), when it gave one
        bool ok() const { return status == Status::Ok; }
        // No keychain to use here: do not ask it again, point to the environment instead.
        bool unusable() const
        {
            return status == Status::Unavailable || status == Status::NoSessionBus ||
                   status == Status::NoAnswer || status == Status::Denied;
        }
    };
    using Callback = std::function<void(const Result &)>;

    static constexpr const char *kDefaultService = "llm-gateway";

    explicit Keychain(QString service = QString::fromLatin1(kDefaultService),
                      QObject *parent = nullptr);

    QString service() const { return m_service; }

    // `context` going away drops the answer (the job still ends in the keychain).
    void read(const QString &account, QObject *context, Callback done);
    void write(const QString &account, const QString &secret, QObject *context, Callback done);
    void remove(const QString &account, QObject *context, Callback done);

private:
    enum class Op { Read, Write, Remove };
    void run(Op op, const QString &account, const QString &secret, QObject *context, Callback done);

    QString m_service;
    static constexpr int kTimeoutMs = 8000;
};

} // namespace gw
