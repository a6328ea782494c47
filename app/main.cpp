// llm-gateway: the tray app, or `llm-gateway serve` headless.

#include "config/config.h"
#include "gateway.h"
#include "language.h"
#include "log/requestlogfile.h"
#include "providers/providerregistry.h"
#include "usage/usagedb.h"
#include "usagecommand.h"
#ifndef LLMGW_SERVE_EXE
#include "connectpage.h"
#include "gatewayhost.h"
#include "logwindow.h"
#include "serverpage.h"
#include "settingswindow.h"
#include "singleinstance.h"
#include "traycontroller.h"
#include "usagewindow.h"

#include <QApplication>
#endif
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonObject>
#include <QLocale>
#include <QProcess>
#include <QSettings>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <csignal>
#ifdef LLMGW_SERVE_EXE
#include <dlfcn.h>
#include <string>
#endif
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalFd[2] = {-1, -1};

void onSignal(int)
{
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFd[0], &c, 1);
}

// SIGINT/SIGTERM end the event loop from a socket notifier: nothing but write() is safe inside
// a signal handler.
void quitOnSignals(std::function<void()> action = [] { QCoreApplication::quit(); })
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFd) != 0)
        return;
    auto *notifier =
        new QSocketNotifier(g_signalFd[1], QSocketNotifier::Read, QCoreApplication::instance());
    QObject::connect(notifier, &QSocketNotifier::activated, QCoreApplication::instance(),
                     [action, count = 0]() mutable {
                         char c;
                         [[maybe_unused]] const auto n = ::read(g_signalFd[1], &c, 1);
                         // A second signal means "now".
                         if (++count > 1)
                             QCoreApplication::quit();
                         else
                             action();
                     });
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

void err(const QString &message)
{
    std::fprintf(stderr, "llm-gateway: %s\n", qPrintable(message));
}

// Is this a run that needs no display (serve, --help, --version)? Decided before any
// application object exists, since a QApplication aborts without a display.
bool headless(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--listen" || a == "--config" || a == "-l" || a == "-c" || a == "--show" ||
            a == "--log-file" || a == "--usage-db" || a == "--since" || a == "--by") {
            ++i;
            continue;
        }
        if (a == "serve" || a == "usage" || a == "--help" || a == "-h" || a == "--help-all" ||
            a == "--version" || a == "-v")
            return true;
        if (!a.startsWith('-'))
            return false;
    }
    return false;
}

struct Options
{
    bool serve = false;
    QString listen;
    QString configPath;
    bool configExplicit = false;
    QString show;    // tray app: what to show once running (or ask the running one to show)
    QString logFile; // JSONL request log
    int threads = 0; // serve --threads: 0, the config (server.threads) decides
    // --- usage (issue 16) ---
    QString usageDb; // empty: UsageDb::defaultPath()
    bool noUsage = false;
    bool usageCommand = false; // `llm-gateway usage`
    gw::UsageCommand usage;
};

std::optional<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A local Ollama-compatible gateway to cloud LLMs (OpenAI, Anthropic, Gemini, "
        "HuggingFace and OpenAI-compatible services).\n\n"
        "Without a command it runs as a tray app. `serve [HOST:PORT]` runs headless. `usage` "
        "prints the tokens and cost recorded in the usage database."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("command"),
                                 QStringLiteral("serve: run headless (no tray, no window); "
                                                "usage: print the usage and spend"),
                                 QStringLiteral("[serve [HOST:PORT] | usage]"));
    const QCommandLineOption listen(
        QStringList{QStringLiteral("l"), QStringLiteral("listen")},
        QStringLiteral("Address to listen on (default: OLLAMA_HOST, the config, or "
                       "127.0.0.1:11434)."),
        QStringLiteral("HOST:PORT"));
    const QCommandLineOption config(
        QStringList{QStringLiteral("c"), QStringLiteral("config")},
        QStringLiteral("Config file (default: LLM_GATEWAY_CONFIG or %1).")
            .arg(gw::Config::defaultPath()),
        QStringLiteral("FILE"));
    const QCommandLineOption logFile(
        QStringLiteral("log-file"),
        QStringLiteral("Append every request as a JSON line to FILE (rotated at 10 MB, 3 files "
                       "kept). The tray app logs to %1 unless this is given; serve logs to a "
                       "file only with it.")
            .arg(gw::RequestLogFile::defaultPath()),
        QStringLiteral("FILE"));
    const QCommandLineOption show(
        QStringLiteral("show"),
        QStringLiteral(
            "Tray app: open WHAT once running: settings, settings:providers, "
            "settings:models, settings:server, settings:connect, settings:welcome, log, "
            "usage, tray-menu. If the app is already running, the running one shows it."),
        QStringLiteral("WHAT"));
    const QCommandLineOption threads(
        QStringLiteral("threads"),
        QStringLiteral("serve: worker threads serving requests, 1 to %1 (default: server.threads "
                       "in the config, else one per core).")
            .arg(gw::ServerSettings::kMaxThreads),
        QStringLiteral("N"));
    parser.addOption(threads);
    parser.addOption(listen);
    parser.addOption(config);
    parser.addOption(logFile);
    parser.addOption(show);
    const QCommandLineOption usageDb(
        QStringLiteral("usage-db"),
        QStringLiteral("The usage database (SQLite) that every request's tokens and cost go to, "
                       "and that `usage` reads (default: %1).")
            .arg(gw::UsageDb::defaultPath()),
        QStringLiteral("FILE"));
    const QCommandLineOption noUsage(QStringLiteral("no-usage"),
                                     QStringLiteral("serve: record no usage."));
    const QCommandLineOption since(
        QStringLiteral("since"),
        QStringLiteral("usage: from when (Nd, Nh, today, month or yyyy-MM-dd; default 7d)."),
        QStringLiteral("WHEN"));
    const QCommandLineOption by(QStringLiteral("by"),
                                QStringLiteral("usage: one line per model, provider or day."),
                                QStringLiteral("model|provider|day"));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("usage: print CSV."));
    parser.addOption(usageDb);
    parser.addOption(noUsage);
    parser.addOption(since);
    parser.addOption(by);
    parser.addOption(csv);
    parser.process(app);

    Options o;
    const QStringList args = parser.positionalArguments();
    o.usageDb = parser.value(usageDb);
    o.noUsage = parser.isSet(noUsage);
    if (!args.isEmpty() && args.first() == u"usage") {
        if (args.size() > 1) {
            err(QStringLiteral("usage takes no arguments (try --help)"));
            return std::nullopt;
        }
        o.usageCommand = true;
        o.usage.database = o.usageDb.isEmpty() ? gw::UsageDb::defaultPath() : o.usageDb;
        if (parser.isSet(since))
            o.usage.since = parser.value(since);
        if (parser.isSet(by))
            o.usage.by = parser.value(by);
        o.usage.csv = parser.isSet(csv);
        return o;
    }
    if (!args.isEmpty()) {
        if (args.first() != u"serve") {
            err(QStringLiteral("unknown command '%1' (try --help)").arg(args.first()));
            return std::nullopt;
        }
        o.serve = true;
        if (args.size() > 2) {
            err(QStringLiteral("serve takes at most one address (try --help)"));
            return std::nullopt;
        }
        if (args.size() == 2)
            o.listen = args.at(1);
    }
    if (parser.isSet(listen))
        o.listen = parser.value(listen);
    if (parser.isSet(threads)) {
        bool ok = false;
        o.threads = parser.value(threads).toInt(&ok);
        if (!ok || o.threads < 1 || o.threads > gw::ServerSettings::kMaxThreads) {
            err(QStringLiteral("--threads takes a number from 1 to %1, not '%2'")
                    .arg(gw::ServerSettings::kMaxThreads)
                    .arg(parser.value(threads)));
            return std::nullopt;
        }
    }
    o.logFile = parser.value(logFile);
    o.show = parser.value(show);
    static const QStringList shows = {QStringLiteral("settings"),
                                      QStringLiteral("settings:providers"),
                                      QStringLiteral("settings:models"),
                                      QStringLiteral("settings:server"),
                                      QStringLiteral("settings:connect"),
                                      QStringLiteral("settings:welcome"),
                                      QStringLiteral("log"),
                                      QStringLiteral("usage"),
                                      QStringLiteral("tray-menu"),
                                      QStringLiteral("window")};
    if (!o.show.isEmpty() && !shows.contains(o.show)) {
        err(QStringLiteral("--show takes one of: %1").arg(shows.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    o.configPath = parser.value(config);
    if (o.configPath.isEmpty())
        o.configPath = qEnvironmentVariable("LLM_GATEWAY_CONFIG");
    o.configExplicit = !o.configPath.isEmpty();
    if (o.configPath.isEmpty())
        o.configPath = gw::Config::defaultPath();
    return o;
}

// A missing default config is a fresh install (echo only); a missing named one is a mistake.
std::optional<gw::Config> loadConfig(const Options &o, QDateTime *modified,
                                     QString *errorOut = nullptr)
{
    const QFileInfo fi(o.configPath);
    if (!fi.exists() && !o.configExplicit) {
        *modified = QDateTime::currentDateTime();
        return gw::Config{};
    }
    QString error;
    auto config = gw::Config::load(o.configPath, gw::Gateway::configRules(), &error);
    if (!config) {
        err(error);
        if (errorOut)
            *errorOut = error;
    }
    *modified = fi.lastModified();
    return config;
}

int serve(const Options &o)
{
    QDateTime modified;
    const auto config = loadConfig(o, &modified);
    if (!config)
        return 2;
    QString error;
    const auto address = gw::Gateway::chooseListenAddress(
        o.listen, qEnvironmentVariable("OLLAMA_HOST"), config->listen, &error);
    if (!address) {
        err(error);
        return 2;
    }
    gw::Gateway gateway;
    gateway.setDefaultThreads(QThread::idealThreadCount());
    gateway.setThreads(o.threads);
    gateway.configure(*config, modified);
    // --- usage (issue 16): every request's tokens and cost into the usage database ---
    if (!o.noUsage) {
        const QString path = o.usageDb.isEmpty() ? gw::UsageDb::defaultPath() : o.usageDb;
        if (!gateway.setUsageDatabase(path, &error))
            err(QStringLiteral("usage is not recorded: %1").arg(error));
        QObject::connect(&gateway, &gw::Gateway::usageWriteFailed,
                         [](const QString &e) { err(e); });
        QObject::connect(&gateway, &gw::Gateway::budgetAlert, [](const gw::BudgetAlert &a) {
            err(QStringLiteral("%1 %2 budget for %3: $%4 of $%5 spent (%6 %)%7")
                    .arg(a.budget.hard ? QStringLiteral("hard") : QStringLiteral("soft"),
                         a.budget.period == gw::Budget::Period::Day ? QStringLiteral("daily")
                                                                    : QStringLiteral("monthly"),
                         a.budget.provider.isEmpty() ? QStringLiteral("all providers")
                                                     : a.budget.provider,
                         QString::number(a.spent, 'f', 2), QString::number(a.budget.limit, 'f', 2))
                    .arg(a.percent)
                    .arg(a.percent >= 100 && a.budget.hard
                             ? QStringLiteral("; its requests get 429 until the period ends")
                             : QString()));
        });
    }
    // --- settings (S): keys from the OS keychain; without one (headless) env/.env as before ---
    gateway.useKeychain();
    if (!gateway.start(*address, &error)) {
        err(error);
        return 1;
    }
    // Providers whose certificate is not verified are marked in red wherever they appear.
    const bool colour = isatty(STDERR_FILENO) != 0;
    const char *red = colour ? "\033[31m" : "";
    const char *plain = colour ? "\033[0m" : "";
    QStringList insecure;
    for (const gw::ProviderConfig &p : config->providers)
        if (p.options.value(QStringLiteral("tls"))
                .toObject()
                .value(QStringLiteral("insecure_skip_verify"))
                .toBool())
            insecure.append(p.name);
    QObject::connect(&gateway, &gw::Gateway::requestFinished,
                     [insecure, red, plain](const gw::RequestRecord &r) {
                         // One conversion and one write a request.
                         QByteArray out;
                         const QString line = gw::RequestLog::line(r);
                         out.reserve(line.size() + 64);
                         const bool warn = !insecure.isEmpty() && insecure.contains(r.provider);
                         if (warn)
                             out.append(red);
                         out.append(line.toUtf8());
                         if (warn)
                             out.append(" (TLS not verified)").append(plain);
                         out.append('\n');
                         std::fwrite(out.constData(), 1, size_t(out.size()), stderr);
                     });
    // Declared after the gateway, so it is destroyed (and writes what it holds) first.
    std::unique_ptr<gw::RequestLogFile> logFile;
    if (!o.logFile.isEmpty()) {
        logFile = std::make_unique<gw::RequestLogFile>(o.logFile);
        QObject::connect(&gateway, &gw::Gateway::requestFinished, logFile.get(),
                         &gw::RequestLogFile::append);
        QObject::connect(logFile.get(), &gw::RequestLogFile::writeFailed,
                         [](const QString &e) { err(e); });
    }
    QStringList names;
    for (const gw::ModelInfo &m : gateway.backend().models())
        names.append(m.name);
    std::fprintf(stderr,
                 "llm-gateway %s listening on %s (Ollama API %s; %d worker thread%s; models: "
                 "%s)\n",
                 qPrintable(gw::Gateway::version()), qPrintable(gateway.address().url()),
                 qPrintable(gw::Gateway::ollamaVersion()), gateway.runningWorkers(),
                 gateway.runningWorkers() == 1 ? "" : "s",
                 qPrintable(names.join(QStringLiteral(", "))));
    for (const QString &name : std::as_const(insecure))
        std::fprintf(stderr,
                     "%swarning: provider '%s' does not verify TLS certificates "
                     "(tls.insecure_skip_verify): anyone on the network path can read and change "
                     "its traffic, API key included%s\n",
                     red, qPrintable(name), plain);
    // SIGINT/SIGTERM: finish what is in flight (up to 10 s), then exit.
    quitOnSignals([&gateway] {
        std::fprintf(stderr, "llm-gateway stopping: finishing requests in flight\n");
        gateway.stopGracefully(10000, [] { QCoreApplication::quit(); });
    });
    const int rc = QCoreApplication::exec();
    gateway.stop();
    std::fprintf(stderr, "llm-gateway stopped\n");
    return rc;
}

#ifndef LLMGW_SERVE_EXE
int tray(const Options &o)
{
    // One tray app per user and config: a second launch hands its request to the first.
    gw::SingleInstance instance(gw::SingleInstance::keyFor(o.configPath));
    // A restart (the Server page's "Restart Now") waits for the old instance to let go.
    const bool restarted = qEnvironmentVariableIsSet("LLMGW_RESTARTED");
    if (restarted)
        qunsetenv("LLMGW_RESTARTED");
    if (!instance.claim(restarted ? 15000 : 100)) {
        const QByteArray message =
            "show " + (o.show.isEmpty() ? QByteArray("window") : o.show.toUtf8());
        if (instance.send(message)) {
            std::fprintf(stderr, "llm-gateway is already running; asked it to show %s\n",
                         message.mid(5).constData());
            return 0;
        }
        err(QStringLiteral("another llm-gateway holds %1 but does not answer; if it hangs, end "
                           "it and start again")
                .arg(instance.lockPath()));
        return 1;
    }

    const bool hasTray = gw::TrayController::trayAvailable();
    // With a tray the app lives on in it; without one, its window is the app.
    QApplication::setQuitOnLastWindowClosed(!hasTray);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/llm-gateway.svg")));
    QDateTime modified;
    QString error;
    const auto config = loadConfig(o, &modified, &error);
    const auto address = gw::Gateway::chooseListenAddress(
        o.listen, qEnvironmentVariable("OLLAMA_HOST"), config ? config->listen : QString(), &error);
    gw::GatewayHost host;
    host.setListenOverrides(o.listen, qEnvironmentVariable("OLLAMA_HOST"));
    const QString logPath = o.logFile.isEmpty() ? gw::RequestLogFile::defaultPath() : o.logFile;
    host.setLogFile(logPath);
    // --- usage (issue 16): the usage database, the tray's spend and the Usage window ---
    if (!o.noUsage)
        host.setUsageDatabase(o.usageDb.isEmpty() ? gw::UsageDb::defaultPath() : o.usageDb);
    gw::TrayController tray(host, address.value_or(gw::ListenAddress{}));
    tray.reloadSpentToday();
    gw::UsageWindow usageWindow(host);
    QObject::connect(&host, &gw::GatewayHost::usageFailed, &tray, [](const QString &e) { err(e); });
    const auto showUsage = [&usageWindow] {
        usageWindow.show();
        usageWindow.raise();
        usageWindow.activateWindow();
    };
    QObject::connect(&tray, &gw::TrayController::usageRequested, &usageWindow, showUsage);
    gw::LogWindow logWindow(host);
    logWindow.setLogFolder(QFileInfo(logPath).absolutePath());
    QObject::connect(&host, &gw::GatewayHost::logFileFailed, &tray,
                     [](const QString &e) { err(e); });

    // Keys from the OS keychain, then the config file, applied live and watched for hand edits.
    host.useKeychain();
    host.setConfigPath(o.configPath);
    gw::SettingsWindow settings(host);
    settings.connectPage()->loadHistory(logPath);
    const auto showSettings = [&settings](const QString &page) {
        if (page == u"models")
            settings.showPage(gw::SettingsWindow::Page::Models);
        else if (page == u"server")
            settings.showPage(gw::SettingsWindow::Page::Server);
        else if (page == u"providers")
            settings.showPage(gw::SettingsWindow::Page::Providers);
        else if (page == u"connect")
            settings.showPage(gw::SettingsWindow::Page::Connect);
        else if (page == u"welcome")
            settings.showPage(gw::SettingsWindow::Page::Welcome);
        settings.show();
        settings.raise();
        settings.activateWindow();
    };
    const auto showLog = [&logWindow] {
        logWindow.show();
        logWindow.raise();
        logWindow.activateWindow();
    };
    const auto showWhat = [&](const QString &what) {
        std::fprintf(stderr, "llm-gateway: showing %s\n", qPrintable(what));
        if (what == u"log")
            showLog();
        else if (what == u"usage")
            showUsage();
        else if (what == u"tray-menu")
            tray.popupMenu();
        else if (what.startsWith(u"settings"))
            showSettings(what.section(u':', 1));
        else if (hasTray)
            showSettings(QString());
        else
            tray.showStatusWindow();
    };
    QObject::connect(&tray, &gw::TrayController::settingsRequested, &tray,
                     [showSettings] { showSettings(QString()); });
    QObject::connect(&tray, &gw::TrayController::logRequested, &logWindow, showLog);
    // Restart for a new language: the same command line, started once this one has quit.
    QObject::connect(settings.serverPage(), &gw::ServerPage::restartRequested, &tray, [] {
        QProcess next;
        next.setProgram(QCoreApplication::applicationFilePath());
        next.setArguments(QCoreApplication::arguments().mid(1) +
                          QStringList{QStringLiteral("--show"), QStringLiteral("settings:server")});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LLMGW_RESTARTED"), QStringLiteral("1"));
        next.setProcessEnvironment(env);
        if (next.startDetached())
            QCoreApplication::quit();
        else
            err(QStringLiteral("could not restart: %1").arg(next.errorString()));
    });
    QObject::connect(&tray, &gw::TrayController::connectRequested, &tray,
                     [showSettings] { showSettings(QStringLiteral("connect")); });
    // A fresh install opens on the welcome (no provider yet, never dismissed).
    if (o.show.isEmpty())
        settings.offerWelcome();
    QObject::connect(&instance, &gw::SingleInstance::messageReceived, &tray,
                     [showWhat](const QByteArray &m) {
                         if (m.startsWith("show "))
                             showWhat(QString::fromUtf8(m.mid(5)));
                     });

    if (!tray.show())
        tray.showStatusWindow(); // no system tray: the window is the app
    const bool startOnLaunch =
        QSettings().value(QStringLiteral("app/startGatewayOnLaunch"), true).toBool();
    // setConfigPath() above has applied the config (on the gateway thread, before the start
    // queued here); it is not applied a second time.
    if (!config || !address)
        tray.reportStartupError(error);
    else if (startOnLaunch)
        tray.toggleAction()->trigger();
    if (!o.show.isEmpty())
        QTimer::singleShot(0, &tray, [showWhat, what = o.show] { showWhat(what); });
    quitOnSignals();
    return QApplication::exec();
}
#else
// On Linux the executable holds only the gateway: `serve` then never loads the widget stack
// (Qt's libraries bind every symbol at load time: about 7 MB of RSS and 30 ms of start-up).
// The tray app is this same file built as a module with everything, loaded for tray mode.
int runTrayModule(int argc, char **argv)
{
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir = n > 0 ? std::string(self, size_t(n)) : std::string(argv[0]);
    dir = dir.substr(0, dir.find_last_of('/') + 1);
    std::string tried;
    for (const char *rel : {"llm-gateway-tray.so", "../lib/llm-gateway/llm-gateway-tray.so"}) {
        if (void *lib = ::dlopen((dir + rel).c_str(), RTLD_NOW | RTLD_LOCAL)) {
            using Entry = int (*)(int, char **);
            if (auto entry = reinterpret_cast<Entry>(::dlsym(lib, "llmgw_tray_main")))
                return entry(argc, argv);
        }
        tried += std::string("\n  ") + ::dlerror();
    }
    std::fprintf(stderr,
                 "llm-gateway: cannot load the tray app (llm-gateway serve runs without it):%s\n",
                 tried.c_str());
    return 1;
}
#endif

#ifndef LLMGW_SERVE_EXE
// Translations (translations/README.md): QSettings ui/language, "" = follow the system locale.
void installTranslations()
{
    const QString setting = QSettings().value(QStringLiteral("ui/language")).toString();
    gw::language::install(gw::language::resolve(setting, QLocale::system().uiLanguages()));
}
#endif

} // namespace

#ifdef LLMGW_TRAY_MODULE
extern "C" Q_DECL_EXPORT int llmgw_tray_main(int argc, char **argv)
#else
int main(int argc, char **argv)
#endif
{
    QCoreApplication::setApplicationName(QStringLiteral("llm-gateway"));
    QCoreApplication::setOrganizationName(QStringLiteral("llm-gateway"));
    QCoreApplication::setApplicationVersion(gw::Gateway::version());

    if (headless(argc, argv)) {
        QCoreApplication app(argc, argv);
        const auto o = parseOptions(app);
        if (!o)
            return 2;
        if (o->usageCommand)
            return o->usage.run(stdout, stderr);
        if (!o->serve) {
            err(QStringLiteral("nothing to do (try --help)"));
            return 2;
        }
        return serve(*o);
    }
#ifdef LLMGW_SERVE_EXE
    return runTrayModule(argc, argv);
#else
    QApplication app(argc, argv);
    installTranslations();
    const auto o = parseOptions(app);
    if (!o)
        return 2;
    return o->serve ? serve(*o) : tray(*o);
#endif
}
