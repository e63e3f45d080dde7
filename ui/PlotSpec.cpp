#include "PlotSpec.h"

#include <QMap>
#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace rootline {
namespace {

bool endsWith(const std::string& s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string stripSuffix(const std::string& s, std::initializer_list<std::string_view> suffixes)
{
    for (auto suffix : suffixes)
        if (endsWith(s, suffix))
            return s.substr(0, s.size() - suffix.size());
    return s;
}

QString serviceOf(const Series& s)
{
    for (const char* key : {"service", "service_name"})
        if (const auto* v = s.label(key))
            return QString::fromStdString(*v);
    if (s.resource && !s.resource->serviceName.empty() && s.resource->serviceName != "unknown_service")
        return QString::fromStdString(s.resource->serviceName);
    for (const char* key : {"job", "app"})
        if (const auto* v = s.label(key))
            return QString::fromStdString(*v);
    return {};
}

// Labels that say nothing the service does not already say.
bool isIdentityLabel(const std::string& key)
{
    static const std::set<std::string> keys = {"service", "service_name", "job", "instance", "app", "namespace", "le",
                                               "__name__", "pod", "host", "container", "env", "environment"};
    return keys.count(key) > 0;
}

// A request counter's label that says it failed: status_class="5xx", code="503", outcome="error".
bool isErrorLabel(const std::string& key, const std::string& value)
{
    static const std::set<std::string> keys = {"status_class", "status", "code", "status_code", "http_status_code", "outcome", "result"};
    if (!keys.count(key))
        return false;
    if (value == "5xx" || value == "error" || value == "ERROR" || value == "failure" || value == "fail")
        return true;
    return value.size() == 3 && value[0] == '5' && std::isdigit(static_cast<unsigned char>(value[1]));
}

bool looksLikeSeconds(const Series& s) { return s.unit == "s" || s.unit == "seconds" || s.name.find("_seconds") != std::string::npos; }

PlotSpec& group(std::map<std::string, PlotSpec>& groups, const std::string& key, bool& fresh)
{
    auto [it, inserted] = groups.try_emplace(key);
    fresh = inserted;
    return it->second;
}

} // namespace

std::vector<PlotSpec> buildPlotSpecs(const std::vector<SeriesInfo>& series)
{
    std::set<std::string> histogramBases; // classic bucket groups and native histograms
    for (const auto& info : series)
        if (endsWith(info.series.name, "_bucket") && info.series.label("le"))
            histogramBases.insert(stripSuffix(info.series.name, {"_bucket"}));

    std::map<std::string, PlotSpec> groups; // by a key that orders rows, then services
    for (const auto& info : series) {
        const Series& s = info.series;
        const QString service = serviceOf(s);
        const std::string svc = service.toStdString();
        const std::string base = stripSuffix(s.name, {"_bucket", "_count", "_sum", "_total"});
        const bool seconds = looksLikeSeconds(s);
        bool fresh = false;

        if (const auto* le = s.label("le"); le && endsWith(s.name, "_bucket")) {
            if (info.sampleCount == 0)
                continue;
            PlotSpec& g = group(groups, "q|" + base + "|" + svc, fresh);
            if (fresh) {
                g.id = QString::fromStdString("p95(" + base + ") by " + svc);
                g.transform = PlotTransform::BucketQuantile;
                g.scale = seconds ? 1000 : 1;
                g.unit = seconds ? QStringLiteral("ms") : QString::fromStdString(s.unit);
                g.row = QString::fromStdString(base) + QStringLiteral(" · p95");
                g.service = service;
                g.label = service.isEmpty() ? QString::fromStdString(base) : service;
                g.baseName = QString::fromStdString(base);
            }
            g.seriesIds.push_back(s.rowId);
            g.bounds.push_back(*le == "+Inf" ? std::numeric_limits<double>::infinity() : std::strtod(le->c_str(), nullptr));
            continue;
        }
        if ((endsWith(s.name, "_sum") || endsWith(s.name, "_count")) && histogramBases.count(base))
            continue;
        if (s.kind == MetricKind::Histogram) { // native: its own quantile, one line per series
            PlotSpec& g = group(groups, "h|" + s.name + "|" + s.key(), fresh);
            g.id = QString::fromStdString("p95(" + s.key() + ")");
            g.transform = PlotTransform::HistogramQuantile;
            g.scale = seconds ? 1000 : 1;
            g.unit = seconds ? QStringLiteral("ms") : QString::fromStdString(s.unit);
            g.row = QString::fromStdString(s.name) + QStringLiteral(" · p95");
            g.service = service;
            g.label = service.isEmpty() ? QString::fromStdString(s.name) : service;
            g.baseName = QString::fromStdString(base);
            g.seriesIds = {s.rowId};
            continue;
        }
        if (info.sampleCount == 0 || s.kind == MetricKind::Summary)
            continue;
        if (s.kind == MetricKind::Counter || endsWith(s.name, "_total") || endsWith(s.name, "_count")) {
            // Rate summed by service; the failing part once more as its own row.
            bool error = false;
            for (const auto& [k, v] : s.labels)
                error = error || isErrorLabel(k, v);
            for (int pass = 0; pass < (error ? 2 : 1); ++pass) {
                const bool errorsRow = pass == 1;
                PlotSpec& g = group(groups, std::string(errorsRow ? "r2|" : "r1|") + s.name + "|" + svc, fresh);
                if (fresh) {
                    g.id = QString::fromStdString(std::string(errorsRow ? "errors(" : "rate(") + s.name + ") by " + svc);
                    g.transform = PlotTransform::Rate;
                    g.unit = QStringLiteral("/s");
                    g.row = QString::fromStdString(s.name) + (errorsRow ? QStringLiteral(" · errors /s") : QStringLiteral(" · rate /s"));
                    g.service = service;
                    g.label = service.isEmpty() ? QString::fromStdString(s.name) : service;
                    g.baseName = QString::fromStdString(base);
                }
                g.seriesIds.push_back(s.rowId);
            }
            continue;
        }
        // Gauges and the unknown: as they are, one line per series.
        PlotSpec& g = group(groups, "g|" + s.name + "|" + s.key(), fresh);
        QStringList extra;
        for (const auto& [k, v] : s.labels)
            if (!isIdentityLabel(k))
                extra << QString::fromStdString(k + "=" + v);
        g.id = QString::fromStdString(s.key());
        g.transform = PlotTransform::Raw;
        g.unit = QString::fromStdString(s.unit);
        g.row = QString::fromStdString(s.name);
        g.service = service;
        g.label = service.isEmpty() ? QString::fromStdString(s.name) : service;
        if (!extra.isEmpty())
            g.label += QLatin1Char(' ') + extra.join(QLatin1Char(','));
        g.baseName = QString::fromStdString(base);
        g.seriesIds = {s.rowId};
    }
    std::vector<PlotSpec> specs;
    specs.reserve(groups.size());
    for (auto& [key, g] : groups)
        specs.push_back(std::move(g));
    std::stable_sort(specs.begin(), specs.end(), [](const PlotSpec& a, const PlotSpec& b) {
        return std::tie(a.row, a.label) < std::tie(b.row, b.label);
    });
    return specs;
}

int rowRank(const QString& row)
{
    const QString r = row.toLower();
    const bool rate = r.endsWith(QLatin1String(" /s"));
    if (r.endsWith(QLatin1String("errors /s")) || (rate && (r.contains(QLatin1String("error")) || r.contains(QLatin1String("fail")))))
        return 1;
    if (r.contains(QLatin1String("request")) || r.contains(QLatin1String("calls")) || r.contains(QLatin1String("rpc")))
        return r.contains(QLatin1String("p95")) ? 2 : 0;
    if (r.contains(QLatin1String("p95")))
        return 3;
    if (rate)
        return 4;
    return 5;
}

QStringList defaultPlotSelection(const std::vector<PlotSpec>& specs, int maxRows, int maxLinesPerRow)
{
    QStringList rows;
    for (const auto& s : specs)
        if (!rows.contains(s.row))
            rows << s.row;
    std::stable_sort(rows.begin(), rows.end(), [](const QString& a, const QString& b) { return rowRank(a) < rowRank(b); });
    rows = rows.mid(0, maxRows);
    QStringList chosen;
    QMap<QString, int> perRow;
    for (const auto& s : specs)
        if (rows.contains(s.row) && perRow[s.row]++ < maxLinesPerRow)
            chosen << s.id;
    return chosen;
}

} // namespace rootline
