// ProviderRegistry: every provider type of this build is registered and can be built, and each
// is described once (key, key variables, presets and their base URLs, model listing).

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

    void registryDescribesEachTypeOnce()
    {
        using R = ProviderRegistry;
        // Whether a key is needed: one answer for the gateway, the providers and the window.
        QVERIFY(!R::needsKey(QStringLiteral("echo"), {}));
        QVERIFY(R::needsKey(QStringLiteral("openai"), {}));
        QVERIFY(R::needsKey(QStringLiteral("openai"), QStringLiteral("https://api.groq.com/v1")));
        QVERIFY(!R::needsKey(QStringLiteral("openai"), QStringLiteral("http://localhost:1234/v1")));
        QVERIFY(!R::needsKey(QStringLiteral("openai"), QStringLiteral("http://192.168.1.5:8000")));
        QVERIFY(
            R::needsKey(QStringLiteral("openai"), QStringLiteral("http://127.0.0.1:8000"), true));
        QVERIFY(!R::needsKey(QStringLiteral("openai"), QStringLiteral("https://x.example"), false));
        QVERIFY(!R::needsKey(QStringLiteral("ollama"), {})); // its default is local
        QVERIFY(!R::needsKey(QStringLiteral("tgi"), {}));
        QVERIFY(R::needsKey(QStringLiteral("anthropic"), {}));
        // The preset's base URL, filled in one place, only for the preset's own type.
        QCOMPARE(R::baseUrl(QStringLiteral("Groq"), QStringLiteral("openai"), {}),
                 QStringLiteral("https://api.groq.com/openai/v1"));
        QVERIFY(R::baseUrl(QStringLiteral("groq"), QStringLiteral("anthropic"), {}).isEmpty());
        QCOMPARE(R::baseUrl(QStringLiteral("groq"), QStringLiteral("openai"),
                            QStringLiteral("http://mine")),
                 QStringLiteral("http://mine"));
        // Key variables: the name's own, then the type's where they apply.
        QCOMPARE(R::keyVariables(QStringLiteral("gemini"), QStringLiteral("gemini")),
                 (QStringList{QStringLiteral("GEMINI_API_KEY"), QStringLiteral("GOOGLE_API_KEY")}));
        QCOMPARE(R::keyVariables(QStringLiteral("my-groq"), QStringLiteral("openai")),
                 QStringList{QStringLiteral("MY_GROQ_API_KEY")});
        QCOMPARE(R::keyVariables(QStringLiteral("hf2"), QStringLiteral("tgi")),
                 (QStringList{QStringLiteral("HF2_API_KEY"), QStringLiteral("HUGGINGFACE_API_KEY"),
                              QStringLiteral("HF_TOKEN")}));
        QVERIFY(!R::canListModels(QStringLiteral("tgi")));
        QVERIFY(R::canListModels(QStringLiteral("openai")));
        // Every preset is of a known type.
        for (const ProviderPreset &p : R::presets())
            QVERIFY2(R::known(QString::fromLatin1(p.type)), p.name);
    }
};

QTEST_GUILESS_MAIN(TstProviderRegistry)
#include "tst_providerregistry.moc"
