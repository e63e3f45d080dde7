#include "FetchResult.h"

#include "Format.h"

#include <QCoreApplication>
#include <QStringList>

namespace rootline {
namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("FetchResult", text);
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString windowsText(const std::vector<TimeWindow>& windows) {
    QStringList parts;
    for (const auto& w : windows)
        parts << fmt::window(w);
    return parts.join(QStringLiteral("; "));
}

} // namespace

WriteStats FetchRunResult::storedTotal() const {
    WriteStats total;
    if (report)
        total += report->stored;
    for (const auto& c : companions)
        if (c.report)
            total += c.report->stored;
    return total;
}

bool FetchRunResult::cancelled() const {
    if (report)
        return report->partialReason.find("cancelled") != std::string::npos;
    return cancelRequested;
}

QString byteCountText(int64_t bytes) {
    if (bytes < 1024)
        return tr("%1 B").arg(bytes);
    if (bytes < (int64_t(1) << 20))
        return tr("%1 KiB").arg(double(bytes) / 1024, 0, 'f', 1);
    return tr("%1 MiB").arg(double(bytes) / (1 << 20), 0, 'f', 1);
}

QString rowsText(const WriteStats& s) {
    QStringList parts;
    auto add = [&](int64_t n, const char* one, const char* many) {
        if (n > 0)
            parts << fmt::count(n) + QLatin1Char(' ') + (n == 1 ? tr(one) : tr(many));
    };
    add(s.logs, "log", "logs");
    add(s.spans, "span", "spans");
    if (s.series > 0)
        parts << tr("%1 series (%2 samples)").arg(fmt::count(s.series), fmt::count(s.samples));
    add(s.histograms, "histogram point", "histogram points");
    add(s.exemplars, "exemplar", "exemplars");
    add(s.alerts, "alert", "alerts");
    return parts.isEmpty() ? tr("no rows") : parts.join(QStringLiteral(" · "));
}

QString progressText(const FetchProgress& p, double seconds) {
    QStringList parts;
    if (!p.stage.empty())
        parts << qs(p.stage);
    else if (p.requestsPlanned > 0)
        parts << tr("request %1 of %2").arg(p.requestsDone).arg(p.requestsPlanned);
    else
        parts << tr("waiting for the server");
    if (p.bytes > 0)
        parts << byteCountText(p.bytes);
    if (p.records > 0)
        parts << tr("%1 records").arg(fmt::count(p.records));
    parts << tr("%1 s").arg(qint64(seconds));
    return parts.join(QStringLiteral(" · "));
}

FetchMessage describeFetch(const FetchRunResult& r) {
    FetchMessage m;
    if (!r.report) {
        const Error e = r.error.value_or(Error{"fetch", "no result", {}});
        if (r.cancelRequested) {
            m.level = FetchMessage::Level::Cancelled;
            m.text = tr("Cancelled — nothing was stored.");
            m.details = qs(e.message());
            return m;
        }
        m.level = FetchMessage::Level::Failed;
        m.text = tr("Failed: %1").arg(qs(e.what));
        if (!e.hint.empty())
            m.text += QStringLiteral(" — ") + qs(e.hint);
        m.details = tr("Where: %1\nWhat: %2").arg(qs(e.where), qs(e.what));
        if (!e.hint.empty())
            m.details += tr("\nHint: %1").arg(qs(e.hint));
        m.details += tr("\nNothing was stored: the cache is as it was.");
        return m;
    }
    const FetchReport& rep = *r.report;
    // The rows of the whole action. A companion's series are only the holders of its exemplars
    // (no samples): counting them would claim series the query did not return.
    WriteStats all = rep.stored;
    bool allFromCache = rep.fromCache();
    QStringList warnings; // companions that failed or came back partial, for the one line
    QStringList companionDetails;
    for (const auto& c : r.companions) {
        const QString label = qs(c.label);
        if (!c.report) {
            const Error e = c.error.value_or(Error{label.toStdString(), "no result", {}});
            warnings << tr("%1 failed: %2").arg(label, qs(e.what));
            companionDetails << tr("%1 failed — where: %2; what: %3%4")
                                    .arg(label, qs(e.where), qs(e.what),
                                         e.hint.empty() ? QString() : tr("; hint: %1").arg(qs(e.hint)));
            continue;
        }
        WriteStats s = c.report->stored;
        if (s.samples == 0 && s.histograms == 0)
            s.series = 0;
        all += s;
        allFromCache = allFromCache && c.report->fromCache();
        if (!c.report->complete)
            warnings << tr("%1 PARTIAL (%2)").arg(label, qs(c.report->partialReason));
        QString line = tr("%1: %2").arg(label, s.total() > 0 ? rowsText(s) : tr("none in the window"));
        if (c.report->fromCache())
            line += tr(" (already in the cache)");
        line += tr(", %1 requests, %2").arg(c.report->requests).arg(byteCountText(c.report->bytes));
        companionDetails << line;
        for (const auto& w : c.report->warnings)
            companionDetails << tr("Server warning (%1): %2").arg(label, qs(w));
    }
    const QString rows = rowsText(all);
    QString origin;
    if (allFromCache)
        origin = tr("already in the cache (nothing fetched)");
    else if (rep.cached.empty())
        origin = tr("from the network");
    else
        origin = tr("from the network, the rest already in the cache");
    QStringList details;
    details << tr("Query: %1").arg(qs(rep.request.provenanceQuery()));
    if (!rep.fetched.empty())
        details << tr("Network: %1").arg(windowsText(rep.fetched));
    if (!rep.cached.empty())
        details << tr("Cache: %1").arg(windowsText(rep.cached));
    details << tr("%1 requests, %2").arg(rep.requests).arg(byteCountText(rep.bytes));
    if (rep.stored.rejected > 0)
        details << tr("%1 records rejected (rootline-cli stats lists them)")
                       .arg(fmt::count(rep.stored.rejected));
    for (const auto& w : rep.warnings)
        details << tr("Server warning: %1").arg(qs(w));
    details << companionDetails;

    if (r.cancelled()) {
        m.level = FetchMessage::Level::Cancelled;
        m.text =
            all.total() > 0
                ? tr("Cancelled — kept %1 fetched before the cancel, marked PARTIAL.").arg(rows)
                : tr("Cancelled — nothing was stored.");
    } else if (!rep.complete || rep.stored.rejected > 0) {
        m.level = FetchMessage::Level::Partial;
        const QString reason = rep.partialReason.empty()
                                   ? tr("%1 records rejected").arg(fmt::count(rep.stored.rejected))
                                   : qs(rep.partialReason);
        m.text = tr("PARTIAL (%1): %2 %3.").arg(reason, rows, origin);
    } else {
        m.level = FetchMessage::Level::Complete;
        m.text = allFromCache ? tr("Complete: already in the cache, nothing new to fetch.")
                              : tr("Complete: %1 %2.").arg(rows, origin);
    }
    if (!warnings.isEmpty())
        m.text += QStringLiteral(" ") + tr("Warning: %1.").arg(warnings.join(QStringLiteral("; ")));
    m.details = details.join(QLatin1Char('\n'));
    return m;
}

} // namespace rootline
