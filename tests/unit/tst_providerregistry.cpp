// ProviderRegistry: every provider type of this build is registered and can be built.

#include "net/networkpool.h"
#include "providers/providerregistry.h"

#include <QTest>

using namespace gw;

class TstProviderRegistry : public QObject
{
    Q_OBJECT

private slots:
    void everyProviderTypeIsRegistered()
    {
        const QStringList types = ProviderRegistry::types();
        NetworkPool pool;
        for (const char *t : {"echo", "openai", "anthropic", "gemini", "huggingface", "ollama",
                              "azure-openai", "tgi"}) {
            const QString type = QString::fromLatin1(t);
            QVERIFY2(types.contains(type), t);
            ProviderSettings s;
            s.name = type;
            s.type = type;
            QVERIFY2(ProviderRegistry::create(s, pool), t);
        }
        ProviderSettings unknown;
        unknown.type = QStringLiteral("nope");
        QVERIFY(!ProviderRegistry::create(unknown, pool));
    }
};

QTEST_GUILESS_MAIN(TstProviderRegistry)
#include "tst_providerregistry.moc"
