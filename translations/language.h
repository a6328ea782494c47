#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace gw::language {

// The languages the app is translated into, as the codes of the `ui/language` setting and of
// the .ts files: {"de", "zh_CN"}. English is the source language.
QStringList shipped();

// The language to show: `setting` when it names a shipped language ("en" = English), else the
// first of the user's UI languages (QLocale::uiLanguages(), most preferred first) that is
// shipped or English. Returns "" for English.
QString resolve(const QString &setting, const QStringList &uiLanguages);

// Installs on the application the translators for `language` (a result of resolve()): ours
// from :/i18n/ and Qt's own qtbase_*.qm from QLibraryInfo::TranslationsPath when present. For
// English, only our plural forms ("1 request"). Returns false when our catalogue is missing.
bool install(const QString &language);

} // namespace gw::language
