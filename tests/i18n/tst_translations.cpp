// The translations the app embeds: which language a user gets (their setting, else their
// system's languages), and that the catalogues compiled into :/i18n/ really translate the UI,
// plural forms included. Completeness is checked by ctest's translations_complete.

#include "gatewayhost.h"
#include "language.h"
#include "traycontroller.h"

#include <QApplication>
#include <QFile>
#include <QTest>
#include <QTranslator>

using namespace gw;

class TstTranslations : public QObject
{
    Q_OBJECT

    static void uninstallAll()
    {
        for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
        QLocale::setDefault(QLocale::c());
    }

    static QString tray(const char *text, int n = -1)
    {
        return QCoreApplication::translate("gw::TrayController", text, nullptr, n);
    }

private slots:
    void cleanup() { uninstallAll(); }

    void resolveFollowsTheSettingThenTheSystem_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QStringList>("system");
        QTest::addColumn<QString>("expected");
        const QStringList german{QStringLiteral("de-DE"), QStringLiteral("de")};
        QTest::newRow("setting de") << "de" << QStringList{QStringLiteral("en-US")} << "de";
        QTest::newRow("setting zh_CN") << "zh_CN" << german << "zh_CN";
        QTest::newRow("setting en beats a German system") << "en" << german << "";
        QTest::newRow("system German") << "" << german << "de";
        QTest::newRow("system Austrian German")
            << "" << QStringList{QStringLiteral("de-AT")} << "de";
        QTest::newRow("system Chinese, Simplified script")
            << "" << QStringList{QStringLiteral("zh-Hans-CN")} << "zh_CN";
        QTest::newRow("system zh-CN") << "" << QStringList{QStringLiteral("zh-CN")} << "zh_CN";
        QTest::newRow("Singapore reads Simplified")
            << "" << QStringList{QStringLiteral("zh-SG")} << "zh_CN";
        QTest::newRow("Taiwan's Traditional script is not shipped")
            << "" << QStringList{QStringLiteral("zh-TW")} << "";
        QTest::newRow("first shipped one of several")
            << "" << QStringList{QStringLiteral("fr-FR"), QStringLiteral("de-CH")} << "de";
        QTest::newRow("English preferred before German")
            << "" << QStringList{QStringLiteral("en-GB"), QStringLiteral("de-DE")} << "";
        QTest::newRow("nothing shipped") << "" << QStringList{QStringLiteral("fr-FR")} << "";
        QTest::newRow("unknown setting follows the system") << "xx" << german << "de";
        QTest::newRow("C locale") << "" << QStringList{QStringLiteral("C")} << "";
    }

    void resolveFollowsTheSettingThenTheSystem()
    {
        QFETCH(QString, setting);
        QFETCH(QStringList, system);
        QFETCH(QString, expected);
        QCOMPARE(language::resolve(setting, system), expected);
    }

    void everyShippedCatalogueIsEmbedded()
    {
        for (const QString &code : language::shipped() + QStringList{QStringLiteral("en")}) {
            QFile qm(QStringLiteral(":/i18n/llm-gateway_%1.qm").arg(code));
            QVERIFY2(qm.open(QIODevice::ReadOnly), qPrintable(qm.fileName()));
            QVERIFY(qm.size() > 16);
        }
    }

    void germanTrayMenu()
    {
        QVERIFY(language::install(QStringLiteral("de")));
        QCOMPARE(tray("Quit"), QStringLiteral("Beenden"));
        QCOMPARE(tray("%n request(s)", 1), QStringLiteral("1 Anfrage"));
        QCOMPARE(tray("%n request(s)", 3), QStringLiteral("3 Anfragen"));
        QCOMPARE(QLocale().language(), QLocale::German);
        // The real tray builds its menu in German.
        GatewayHost host;
        TrayController controller(host, ListenAddress{});
        QStringList texts;
        for (QAction *a : controller.menu()->actions())
            texts.append(a->text());
        QVERIFY2(texts.contains(QStringLiteral("Beenden")), qPrintable(texts.join(u'|')));
        QVERIFY2(!texts.contains(QStringLiteral("Quit")), qPrintable(texts.join(u'|')));
    }

    void simplifiedChinese()
    {
        QVERIFY(language::install(QStringLiteral("zh_CN")));
        QCOMPARE(tray("Quit"), QStringLiteral("退出"));
        QCOMPARE(tray("%n request(s)", 5), QStringLiteral("5 个请求"));
        QCOMPARE(tray("Running on %1"), QStringLiteral("运行于 %1"));
    }

    void englishPluralsWithoutOtherChanges()
    {
        QCOMPARE(tray("%n request(s)", 1), QStringLiteral("1 request(s)")); // no catalogue
        QVERIFY(language::install(QString()));
        QCOMPARE(tray("%n request(s)", 1), QStringLiteral("1 request"));
        QCOMPARE(tray("%n request(s)", 2), QStringLiteral("2 requests"));
        QCOMPARE(tray("Quit"), QStringLiteral("Quit"));
    }

    void aLanguageWithoutCatalogueIsRefused()
    {
        QVERIFY(!language::install(QStringLiteral("fr")));
        QCOMPARE(tray("Quit"), QStringLiteral("Quit"));
    }
};

QTEST_MAIN(TstTranslations)
#include "tst_translations.moc"
