#include "Format.h"

#include "core/Clock.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

namespace rootline::fmt {

namespace {
// Read and written on the UI thread only (View → Local time); workers format nothing.
Zone g_zone = Zone::Utc;
QDateTime utc(Timestamp t) { return toDateTime(t); }
} // namespace

void setZone(Zone z) { g_zone = z; }
Zone zone() { return g_zone; }

QString zoneName()
{
    if (g_zone == Zone::Utc)
        return QStringLiteral("UTC");
    // The zone's name now (CET or CEST), from the one injectable clock.
    const QString abbreviation = QTimeZone::systemTimeZone().abbreviation(
        QDateTime::fromMSecsSinceEpoch(Clock::current().now().millis(), QTimeZone::utc()));
    return abbreviation.isEmpty() ? QStringLiteral("local") : abbreviation;
}

QDateTime toDateTime(Timestamp t)
{
    return g_zone == Zone::Utc ? QDateTime::fromMSecsSinceEpoch(t.millis(), QTimeZone::utc())
                               : QDateTime::fromMSecsSinceEpoch(t.millis(), QTimeZone::systemTimeZone());
}

QString time(Timestamp t) { return utc(t).toString(QStringLiteral("HH:mm:ss.zzz")); }

QString dateTime(Timestamp t) { return utc(t).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")); }

QString timeWithZone(Timestamp t) { return time(t) + QLatin1Char(' ') + zoneName(); }

QString window(const TimeWindow& w)
{
    if (w == TimeWindow::all() || !w.isValid())
        return QStringLiteral("all time");
    const QDateTime from = utc(w.from), to = utc(w.to);
    const QString toText = from.date() == to.date() ? to.toString(QStringLiteral("HH:mm:ss"))
                                                    : to.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    // Windows are half-open, [from, to): the sample at `to` belongs to the next window. The
    // brackets say so wherever a window is shown.
    return QLatin1Char('[') + from.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" – ") + toText
           + QStringLiteral(") ") + zoneName() + QStringLiteral(" (") + duration(w.length()) + QLatin1Char(')');
}

QString duration(Duration d)
{
    const double ms = d.toMillis();
    if (ms < 1)
        return QString::number(double(d.count()) / 1e3, 'f', 0) + QStringLiteral(" µs");
    if (ms < 1000)
        return QString::number(ms, 'f', ms < 10 ? 2 : (ms < 100 ? 1 : 0)) + QStringLiteral(" ms");
    const double s = d.toSeconds();
    if (s < 60)
        return QString::number(s, 'f', 2) + QStringLiteral(" s");
    const qint64 total = qint64(s);
    if (total < 3600)
        return QStringLiteral("%1m %2s").arg(total / 60).arg(total % 60);
    return QStringLiteral("%1h %2m").arg(total / 3600).arg((total % 3600) / 60);
}

QString count(qint64 n) { return QLocale(QLocale::English).toString(n); }

QString shortTraceId(const TraceId& id)
{
    if (!id.isValid())
        return {};
    return QString::fromStdString(id.toHex().substr(0, 12)) + QChar(0x2026);
}

QColor severityColor(int severity)
{
    if (severity >= int(Severity::Error))
        return QColor(0xd3, 0x2f, 0x2f);
    if (severity >= int(Severity::Warn))
        return QColor(0xc7, 0x7c, 0x02);
    if (severity > 0 && severity < int(Severity::Info))
        return QColor(0x80, 0x80, 0x80);
    return {};
}

QColor errorTint() { return QColor(0xd3, 0x2f, 0x2f, 30); }

} // namespace rootline::fmt
