#include "keychain.h"

#include <QPointer>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <memory>

namespace gw {
namespace {

// What a finished QtKeychain job says, as a Result.
Keychain::Result resultOf(bool read, bool remove, const QString &account, QKeychain::Job *j)
{
    using Status = Keychain::Status;
    Keychain::Result r;
    r.account = account;
    switch (j->error()) {
    case QKeychain::NoError:
        r.status = Status::Ok;
        if (read)
            r.secret = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        break;
    case QKeychain::EntryNotFound:
        // Deleting what is not there leaves the wanted state: no entry.
        r.status = remove ? Status::Ok : Status::NotFound;
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        r.status = Status::Denied;
        r.detail = j->errorString();
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        // Error 7 is what QtKeychain reports with no Secret Service or no session bus
        // ("Cannot autolaunch D-Bus without X11 $DISPLAY").
        r.status = Status::Unavailable;
        r.detail = j->errorString();
        break;
    default:
        r.status = Status::Failed;
        r.detail = j->errorString();
        break;
    }
    return r;
}

} // namespace

Keychain::Keychain(QString service, QObject *parent)
    : QObject(parent), m_service(std::move(service))
{}

void Keychain::read(const QString &account, QObject *context, Callback done)
{
    run(Op::Read, account, {}, context, std::move(done));
}

void Keychain::write(const QString &account, const QString &secret, QObject *context, Callback done)
{
    run(Op::Write, account, secret, context, std::move(done));
}

void Keychain::remove(const QString &account, QObject *context, Callback done)
{
    run(Op::Remove, account, {}, context, std::move(done));
}

void Keychain::run(Op op, const QString &account, const QString &secret, QObject *context,
                   Callback done)
{
    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Op::Write: {
        auto *w = new QKeychain::WritePasswordJob(m_service);
        w->setTextData(secret);
        job = w;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    job->setAutoDelete(true);
    // Never the plain-text fallback (QSettings in ~/.config): a key is stored in the keychain
    // or nowhere.
    job->setInsecureFallback(false);
    job->setKey(account);

    // Answered once: by the job, or by the timer when the job hangs.
    auto answered = std::make_shared<bool>(false);
    QPointer<QObject> ctx(context);
    const bool hadContext = context != nullptr;
    const auto answer = [answered, ctx, hadContext, done](const Result &r) {
        if (*answered)
            return;
        *answered = true;
        if (hadContext && !ctx)
            return;
        if (done)
            done(r);
    };
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [timer, answer, account] {
        timer->deleteLater();
        answer(Result{Status::NoAnswer, account, {}, {}});
    });
    timer->start(kTimeoutMs);

    connect(job, &QKeychain::Job::finished, this,
            [op, account, answer, timer = QPointer<QTimer>(timer)](QKeychain::Job *j) {
                if (timer) {
                    timer->stop();
                    timer->deleteLater();
                }
                answer(resultOf(op == Op::Read, op == Op::Remove, account, j));
            });
    job->start();
}

} // namespace gw
