#include "autostart.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>

namespace gw::autostart {

namespace {

// The program to start: an AppImage runs from a temporary mount, so its own path is the one
// that survives a reboot.
QString program()
{
    const QString appImage = qEnvironmentVariable("APPIMAGE");
    return appImage.isEmpty() ? QCoreApplication::applicationFilePath() : appImage;
}

#if !defined(Q_OS_WIN)
bool writeFile(const QString &path, const QByteArray &content, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        if (error)
            *error = QCoreApplication::translate("autostart", "cannot create the folder %1")
                         .arg(QFileInfo(path).absolutePath());
        return false;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size() || !f.commit()) {
        if (error)
            *error = QCoreApplication::translate("autostart", "cannot write %1: %2")
                         .arg(path, f.errorString());
        return false;
    }
    return true;
}

bool removeFile(const QString &path, QString *error)
{
    if (!QFile::exists(path) || QFile::remove(path))
        return true;
    if (error)
        *error = QCoreApplication::translate("autostart", "cannot remove %1").arg(path);
    return false;
}
#endif

#if defined(Q_OS_MACOS)
QString xmlEscaped(QString s)
{
    return s.replace(u'&', QStringLiteral("&amp;"))
        .replace(u'<', QStringLiteral("&lt;"))
        .replace(u'>', QStringLiteral("&gt;"));
}
#elif !defined(Q_OS_WIN)
// Desktop Entry "Exec": reserved characters force quoting, and inside quotes `"`, `` ` ``, `$`
// and `\` are backslash-escaped. `%` is doubled everywhere.
QString execQuoted(QString path)
{
    path.replace(u'%', QStringLiteral("%%"));
    static const QString reserved = QStringLiteral(" \t\n\"'\\><~|&;$*?#()`");
    bool quote = false;
    for (const QChar c : path)
        quote = quote || reserved.contains(c);
    if (!quote)
        return path;
    QString out;
    for (const QChar c : path) {
        if (c == u'"' || c == u'`' || c == u'$' || c == u'\\')
            out += u'\\';
        out += c;
    }
    return u'"' + out + u'"';
}
#endif

#if defined(Q_OS_WIN)
const QString kRunKey =
    QStringLiteral("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");
const QString kValueName = QStringLiteral("llm-gateway");
#endif

} // namespace

QString entryPath()
{
#if defined(Q_OS_WIN)
    return kRunKey + u'\\' + kValueName;
#elif defined(Q_OS_MACOS)
    return QDir::homePath() + QStringLiteral("/Library/LaunchAgents/io.github.llm-gateway.plist");
#else
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty() || !QDir::isAbsolutePath(config))
        config = QDir::homePath() + QStringLiteral("/.config");
    return config + QStringLiteral("/autostart/llm-gateway.desktop");
#endif
}

bool isEnabled()
{
#if defined(Q_OS_WIN)
    return QSettings(kRunKey, QSettings::NativeFormat).contains(kValueName);
#elif defined(Q_OS_MACOS)
    return QFile::exists(entryPath());
#else
    // A user (or the desktop's own settings) may have switched the entry off without removing it.
    QFile f(entryPath());
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = f.readAll();
    return !text.contains("\nHidden=true") && !text.contains("\nX-GNOME-Autostart-enabled=false");
#endif
}

bool setEnabled(bool enabled, QString *error)
{
#if defined(Q_OS_WIN)
    QSettings run(kRunKey, QSettings::NativeFormat);
    if (enabled)
        run.setValue(kValueName, QStringLiteral("\"%1\"").arg(QDir::toNativeSeparators(program())));
    else
        run.remove(kValueName);
    run.sync();
    if (run.status() != QSettings::NoError) {
        if (error)
            *error = QCoreApplication::translate("autostart", "cannot change %1").arg(kRunKey);
        return false;
    }
    return true;
#elif defined(Q_OS_MACOS)
    if (!enabled)
        return removeFile(entryPath(), error);
    const QByteArray plist =
        QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                       "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                       "<plist version=\"1.0\">\n<dict>\n"
                       "  <key>Label</key>\n  <string>io.github.llm-gateway</string>\n"
                       "  <key>ProgramArguments</key>\n  <array>\n"
                       "    <string>%1</string>\n  </array>\n"
                       "  <key>RunAtLoad</key>\n  <true/>\n"
                       "  <key>ProcessType</key>\n  <string>Interactive</string>\n"
                       "</dict>\n</plist>\n")
            .arg(xmlEscaped(program()))
            .toUtf8();
    return writeFile(entryPath(), plist, error);
#else
    if (!enabled)
        return removeFile(entryPath(), error);
    const QByteArray entry =
        QStringLiteral("[Desktop Entry]\n"
                       "Type=Application\n"
                       "Name=llm-gateway\n"
                       "Comment=Local Ollama-compatible gateway to cloud LLMs\n"
                       "Exec=%1\n"
                       "Icon=llm-gateway\n"
                       "Terminal=false\n"
                       "Categories=Development;Network;\n"
                       "X-GNOME-Autostart-enabled=true\n")
            .arg(execQuoted(program()))
            .toUtf8();
    return writeFile(entryPath(), entry, error);
#endif
}

} // namespace gw::autostart
