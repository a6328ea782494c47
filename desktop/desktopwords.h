#pragma once

#include "chat/adjustment.h"
#include "chat/chatfailure.h"
#include "config/config.h"
#include "config/keychain.h"
#include "usage/budgettracker.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace gw {

// The desktop's words for the core's facts: failures (ChatFailure), the result of a connection
// test, keychain outcomes. Every sentence goes through tr() (context "DesktopWords"), so the
// settings window shows it in the user's language; the core below says nothing in words.
class DesktopWords
{
    Q_DECLARE_TR_FUNCTIONS(DesktopWords)
public:
    // One sentence for a failure, naming the provider and adding the upstream's own words or
    // the transport detail when there are any: "Could not connect to groq: Connection refused".
    static QString failure(const ChatFailure &failure);
    // The verdict of "Test connection", naming the provider: `ok` false for a failure and for a
    // provider type that cannot list its models.
    static QString connection(const ProviderConfig &provider, const QStringList &ids,
                              const std::optional<ChatFailure> &failure, bool *ok);

    // What a provider changed in a request for the model's rules ("top_p left out: the model
    // takes temperature or top_p, not both; temperature wins").
    static QString adjustment(const Adjustment &adjustment);

    // Why the keychain cannot be used ("no keychain available on this system (…)").
    static QString keychainProblem(const Keychain::Result &result);
    // The answer to storing (`stored` true) or deleting a key. `envName`: where the key can go
    // instead when there is no keychain.
    static QString keyOperation(const Keychain::Result &result, bool stored,
                                const QString &envName);

    // --- usage (issue 16) ---
    // Dollars in the user's number format ("$1.23", "$0.0042"); "–" when not known (never $0).
    static QString money(const std::optional<double> &dollars);
    // "the monthly budget for openai" / "the daily budget for all providers"
    static QString budgetName(const Budget &budget);
    // A budget alert's title and message for a notification.
    static QString budgetAlertTitle(const BudgetAlert &alert);
    static QString budgetAlertMessage(const BudgetAlert &alert);
};

} // namespace gw
