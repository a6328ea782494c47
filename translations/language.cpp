#include "language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace gw::language {

QStringList shipped()
{
    return {QStringLiteral("de"), QStringLiteral("zh_CN")};
}

namespace {

// Same language and script: de_AT reads de, zh_SG and zh-Hans read zh_CN, zh_TW (Traditional)
// does not.
bool sameLanguage(const QLocale &a, const QLocale &b)
{
    return a.language() == b.language() && a.script() == b.script();
}

} // namespace

QString resolve(const QString &setting, const QStringList &uiLanguages)
{
    if (setting == u"en")
        return {};
    if (shipped().contains(setting))
        return setting;
    for (const QString &ui : uiLanguages) {
        const QLocale wanted(QString(ui).replace(u'-', u'_'));
        if (wanted.language() == QLocale::C)
            continue;
        if (wanted.language() == QLocale::English)
            return {};
        for (const QString &code : shipped()) {
            if (sameLanguage(wanted, QLocale(code)))
                return code;
        }
    }
    return {};
}

bool install(const QString &language)
{
    auto *app = QCoreApplication::instance();
    const QString ours = language.isEmpty() ? QStringLiteral("en") : language;
    auto *translator = new QTranslator(app);
    if (!translator->load(QStringLiteral(":/i18n/llm-gateway_%1.qm").arg(ours))) {
        delete translator;
        return false;
    }
    QCoreApplication::installTranslator(translator);
    if (!language.isEmpty()) {
        QLocale::setDefault(QLocale(language));
        // Qt's own strings (standard buttons, context menus), from qt6-translations-l10n.
        auto *qt = new QTranslator(app);
        if (qt->load(QStringLiteral("qtbase_") + language,
                     QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(qt);
        else
            delete qt;
    }
    return true;
}

} // namespace gw::language
