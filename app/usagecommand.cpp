#include "usagecommand.h"

#include "usage/pricetable.h"
#include "usage/usagedb.h"

#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

namespace gw {
namespace {

std::optional<QDateTime> parseSince(const QString &since)
{
    const QDateTime now = QDateTime::currentDateTime();
    const QDate today = now.date();
    if (since == u"today")
        return QDateTime(today, QTime());
    if (since == u"month")
        return QDateTime(QDate(today.year(), today.month(), 1), QTime());
    static const QRegularExpression rel(QStringLiteral("^(\\d{1,5})([dh])$"));
    if (const auto m = rel.match(since); m.hasMatch()) {
        const int n = m.captured(1).toInt();
        // Days count whole local days, today included: 7d is today and the 6 before it.
        return m.captured(2) == u"h" ? now.addSecs(-3600LL * n)
                                     : QDateTime(today.addDays(1 - qMax(1, n)), QTime());
    }
    const QDate d = QDate::fromString(since, Qt::ISODate);
    if (d.isValid())
        return QDateTime(d, QTime());
    return std::nullopt;
}

QString tokens(qint64 n)
{
    return n < 0 ? QStringLiteral("unknown")
                 : QLocale(QLocale::English, QLocale::UnitedStates).toString(n);
}

QString money(const std::optional<double> &v)
{
    if (!v)
        return QStringLiteral("–");
    return QStringLiteral("$") + QString::number(*v, 'f', *v != 0 && *v < 1 ? 4 : 2);
}

QString csvField(QString s)
{
    if (s.contains(u',') || s.contains(u'"') || s.contains(u'\n'))
        s = u'"' + s.replace(u'"', QStringLiteral("\"\"")) + u'"';
    return s;
}

} // namespace

int UsageCommand::run(FILE *out, FILE *err) const
{
    const auto from = parseSince(since);
    if (!from) {
        std::fprintf(err,
                     "llm-gateway: --since '%s': expected Nd, Nh, today, month or a date "
                     "(yyyy-MM-dd)\n",
                     qUtf8Printable(since));
        return 2;
    }
    UsageDb::By group = UsageDb::By::Model;
    if (by == u"provider")
        group = UsageDb::By::Provider;
    else if (by == u"day")
        group = UsageDb::By::Day;
    else if (by != u"model") {
        std::fprintf(err, "llm-gateway: --by takes model, provider or day, not '%s'\n",
                     qUtf8Printable(by));
        return 2;
    }
    UsageDb db;
    QString error;
    if (!db.open(database, &error, true)) {
        std::fprintf(err, "llm-gateway: %s\n", qUtf8Printable(error));
        return 1;
    }
    const QDateTime to = QDateTime::currentDateTime().addYears(100);
    const QList<UsageTotal> rows = db.totals(*from, to, group);
    const QList<UsageTotal> all = db.totals(*from, to, UsageDb::By::All);
    const QString keyName = group == UsageDb::By::Model      ? QStringLiteral("model")
                            : group == UsageDb::By::Provider ? QStringLiteral("provider")
                                                             : QStringLiteral("day");
    if (csv) {
        std::fprintf(out,
                     "%s,requests,input_tokens,output_tokens,cached_tokens,"
                     "cache_write_tokens,reasoning_tokens,cost_usd,unpriced_requests,"
                     "saved_usd\n",
                     qUtf8Printable(keyName));
        const auto num = [](qint64 n) { return n < 0 ? QString() : QString::number(n); };
        const auto usd = [](const std::optional<double> &v) {
            return v ? QString::number(*v, 'f', 6) : QString();
        };
        for (const UsageTotal &t : rows) {
            const QStringList fields{csvField(t.key),
                                     QString::number(t.requests),
                                     num(t.input),
                                     num(t.output),
                                     num(t.cachedRead),
                                     num(t.cacheWrite),
                                     num(t.reasoning),
                                     usd(t.cost),
                                     QString::number(t.unpriced),
                                     usd(t.saved)};
            std::fprintf(out, "%s\n", qUtf8Printable(fields.join(u',')));
        }
        return 0;
    }
    std::fprintf(out, "Usage since %s, by %s (built-in prices of %s)\n",
                 qUtf8Printable(from->toString(QStringLiteral("yyyy-MM-dd HH:mm"))),
                 qUtf8Printable(keyName), PriceTable::kDate);
    QList<QStringList> table{{keyName.toUpper(), QStringLiteral("REQUESTS"),
                              QStringLiteral("INPUT"), QStringLiteral("OUTPUT"),
                              QStringLiteral("CACHED"), QStringLiteral("REASONING"),
                              QStringLiteral("COST"), QStringLiteral("SAVED")}};
    const auto line = [](const QString &key, const UsageTotal &t) {
        QString cost = money(t.cost);
        if (t.unpriced > 0 && t.cost)
            cost += QStringLiteral(" +%1 unpriced").arg(t.unpriced);
        return QStringList{key,
                           QString::number(t.requests),
                           tokens(t.input),
                           tokens(t.output),
                           tokens(t.cachedRead),
                           tokens(t.reasoning),
                           cost,
                           money(t.saved)};
    };
    for (const UsageTotal &t : rows)
        table.append(line(t.key.isEmpty() ? QStringLiteral("(none)") : t.key, t));
    if (all.isEmpty())
        table.append(line(QStringLiteral("total"), UsageTotal{}));
    else
        table.append(line(QStringLiteral("total"), all.first()));
    QList<qsizetype> width(table.first().size(), 0);
    for (const QStringList &r : table)
        for (qsizetype i = 0; i < r.size(); ++i)
            width[i] = qMax(width[i], r.at(i).size());
    for (const QStringList &r : table) {
        QString s;
        for (qsizetype i = 0; i < r.size(); ++i) {
            if (i)
                s += QStringLiteral("  ");
            s += i == 0 ? r.at(i).leftJustified(width[i]) : r.at(i).rightJustified(width[i]);
        }
        std::fprintf(out, "%s\n", qUtf8Printable(s.trimmed()));
    }
    return 0;
}

} // namespace gw
