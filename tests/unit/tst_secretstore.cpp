// SecretStore: where a provider's key comes from, in order: the keychain, the environment, .env.

#include "config/secretstore.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

using namespace gw;

class TstSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void secretLookupOrder()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral(".env")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("# comment\nexport ANTHROPIC_API_KEY=\"from-dotenv\"\nGROQ_API_KEY=groq-dotenv # "
                "note\nHF_TOKEN='hf-dotenv'\n");
        f.close();
        QProcessEnvironment env;
        env.insert(QStringLiteral("OPENAI_API_KEY"), QStringLiteral("from-env"));
        env.insert(QStringLiteral("GROQ_API_KEY"), QStringLiteral(" groq-env "));
        SecretStore store(env, f.fileName());
        QCOMPARE(store.lookup(QStringLiteral("openai"), QStringLiteral("openai")).value,
                 QStringLiteral("from-env"));
        QCOMPARE(store.lookup(QStringLiteral("openai"), QStringLiteral("openai")).source,
                 QStringLiteral("OPENAI_API_KEY"));
        QCOMPARE(store.lookup(QStringLiteral("groq"), QStringLiteral("openai")).value,
                 QStringLiteral("groq-env")); // env before .env, trimmed
        QCOMPARE(store.lookup(QStringLiteral("anthropic"), QStringLiteral("anthropic")).value,
                 QStringLiteral("from-dotenv"));
        QCOMPARE(store.lookup(QStringLiteral("anthropic"), QStringLiteral("anthropic")).source,
                 QStringLiteral(".env (ANTHROPIC_API_KEY)"));
        QCOMPARE(store.lookup(QStringLiteral("huggingface"), QStringLiteral("huggingface")).value,
                 QStringLiteral("hf-dotenv"));
        // A provider of type openai under another name does not borrow OPENAI_API_KEY.
        QVERIFY(store.lookup(QStringLiteral("together"), QStringLiteral("openai")).value.isEmpty());
        store.setKeychainKey(QStringLiteral("OpenAI"), QStringLiteral("from-keychain"));
        QCOMPARE(store.lookup(QStringLiteral("openai"), QStringLiteral("openai")).value,
                 QStringLiteral("from-keychain"));
        QCOMPARE(store.lookup(QStringLiteral("openai"), QStringLiteral("openai")).source,
                 QStringLiteral("keychain"));
        store.removeKeychainKey(QStringLiteral("openai"));
        QCOMPARE(store.lookup(QStringLiteral("openai"), QStringLiteral("openai")).value,
                 QStringLiteral("from-env"));
        QCOMPARE(SecretStore::envNames(QStringLiteral("my-groq"), QStringLiteral("openai")),
                 QStringList{QStringLiteral("MY_GROQ_API_KEY")});
    }
};

QTEST_GUILESS_MAIN(TstSecretStore)
#include "tst_secretstore.moc"
