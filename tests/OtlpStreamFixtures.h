#pragma once

// OTLP/JSON metric documents for the stream-identity and temporality tests (issue 12 items 1 and
// 5), written out from small readable parts, and a helper that imports one into a cache.

#include "CacheTestUtil.h"
#include "import/OtlpJson.h"
#include "import/WriterSink.h"

#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <utility>
#include <vector>

namespace rootline::otlptest {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// Bounds of every histogram here (seconds): buckets (-Inf,0.1] (0.1,0.25] (0.25,0.5] (0.5,1] (1,+Inf].
inline const char* kBounds = "[0.1,0.25,0.5,1]";

inline std::string attributes(const KeyValues& kvs)
{
    std::string out = "[";
    for (const auto& [k, v] : kvs) {
        if (out.size() > 1)
            out += ',';
        out += R"({"key":")" + k + R"(","value":{"stringValue":")" + v + R"("}})";
    }
    return out + "]";
}

inline std::string nanos(int seconds) { return "\"" + std::to_string(int64_t(seconds) * 1000000000) + "\""; }

struct HistogramPoint {
    int second;
    std::vector<int> counts; // one per bucket, five
};

inline std::string histogramPoint(const HistogramPoint& p, const KeyValues& attrs)
{
    int count = 0;
    std::string counts;
    for (int c : p.counts) {
        count += c;
        counts += (counts.empty() ? "\"" : ",\"") + std::to_string(c) + "\"";
    }
    return R"({"timeUnixNano":)" + nanos(p.second) + R"(,"count":")" + std::to_string(count) + R"(","sum":)" + std::to_string(count)
        + R"(,"bucketCounts":[)" + counts + R"(],"explicitBounds":)" + kBounds + R"(,"attributes":)" + attributes(attrs) + "}";
}

// temporality: 1 delta, 2 cumulative.
inline std::string histogramMetric(const std::string& name, int temporality, const std::vector<HistogramPoint>& points,
                                   const KeyValues& attrs = {{"http.route", "/"}})
{
    std::string dps;
    for (const auto& p : points)
        dps += (dps.empty() ? "" : ",") + histogramPoint(p, attrs);
    return R"({"name":")" + name + R"(","unit":"s","histogram":{"aggregationTemporality":)" + std::to_string(temporality)
        + R"(,"dataPoints":[)" + dps + "]}}";
}

struct SumPoint {
    int second;
    int value;
    KeyValues attrs;
};

inline std::string sumMetric(const std::string& name, int temporality, const std::vector<SumPoint>& points)
{
    std::string dps;
    for (const auto& p : points)
        dps += std::string(dps.empty() ? "" : ",") + R"({"timeUnixNano":)" + nanos(p.second) + R"(,"asInt":")" + std::to_string(p.value)
            + R"(","attributes":)" + attributes(p.attrs) + "}";
    return R"({"name":")" + name + R"(","unit":"1","sum":{"isMonotonic":true,"aggregationTemporality":)" + std::to_string(temporality)
        + R"(,"dataPoints":[)" + dps + "]}}";
}

struct Block {
    KeyValues resource;
    std::string scopeName = "io.opentelemetry.http";
    std::string scopeVersion = "1.0.0";
    std::vector<std::string> metrics;
};

inline std::string document(const std::vector<Block>& blocks)
{
    std::string out = R"({"resourceMetrics":[)";
    for (size_t i = 0; i < blocks.size(); ++i) {
        const Block& b = blocks[i];
        std::string metrics;
        for (const auto& m : b.metrics)
            metrics += (metrics.empty() ? "" : ",") + m;
        out += std::string(i ? "," : "") + R"({"resource":{"attributes":)" + attributes(b.resource) + R"(},"scopeMetrics":[{"scope":{"name":")"
            + b.scopeName + R"(","version":")" + b.scopeVersion + R"("},"metrics":[)" + metrics + "]}]}";
    }
    return out + "]}";
}

// Parses `doc` into one unit of the cache at `path`; false (with a warning) when anything failed
// or a record was rejected.
inline bool importDocument(const std::string& path, const std::string& doc, const std::string& name = "metrics.json")
{
    auto writer = testutil::openWriter(path);
    if (!writer)
        return false;
    FetchRecord fetch;
    fetch.source = "file";
    fetch.kind = "import";
    fetch.query = name;
    auto unit = writer->begin(fetch);
    WriterSink sink(*unit);
    ParseContext ctx;
    ctx.origin = name;
    ctx.singleValue = true;
    if (auto s = parseOtlpJson(doc, ctx, sink); !s) {
        qWarning("parse: %s", s.error().message().c_str());
        return false;
    }
    if (sink.rejected) {
        qWarning("%lld records rejected", static_cast<long long>(sink.rejected));
        return false;
    }
    auto stats = unit->commit();
    if (!stats) {
        qWarning("commit: %s", stats.error().message().c_str());
        return false;
    }
    return true;
}

// Cumulative histogram rows at 60 s and 120 s, and error counts, per service: each service's
// numbers differ, so a series holding another service's points shows.
struct ServiceData {
    std::string name;
    std::vector<int> at60, at120;
    int errors60, errors120;
};

inline const std::vector<ServiceData>& fourServices()
{
    static const std::vector<ServiceData> services = {
        {"frontend", {10, 20, 5, 0, 0}, {30, 50, 15, 5, 0}, 0, 1},
        {"checkout", {1, 2, 3, 4, 0}, {1, 6, 13, 30, 0}, 2, 8},
        {"payment", {5, 5, 0, 0, 0}, {25, 15, 10, 0, 0}, 0, 0},
        {"cart", {2, 2, 2, 2, 2}, {12, 12, 12, 12, 12}, 1, 1},
    };
    return services;
}

inline std::string fourServiceDocument()
{
    std::vector<Block> blocks;
    for (const auto& s : fourServices()) {
        Block b;
        b.resource = {{"service.name", s.name}, {"service.version", "2.1.0"}, {"telemetry.sdk.language", "go"}};
        b.metrics = {histogramMetric("http.server.request.duration", 2, {{60, s.at60}, {120, s.at120}}),
                     sumMetric("http.server.errors", 2, {{60, s.errors60, {{"http.route", "/"}}}, {120, s.errors120, {{"http.route", "/"}}}})};
        blocks.push_back(std::move(b));
    }
    return document(blocks);
}

// Service "pay"'s request latency as a delta histogram: each row counts only its own minute.
inline std::string deltaHistogramDocument()
{
    Block b;
    b.resource = {{"service.name", "pay"}};
    b.metrics = {histogramMetric("http.server.request.duration", 1, {{60, {4, 3, 2, 1, 0}}, {120, {10, 5, 3, 2, 0}}, {180, {0, 2, 4, 3, 1}}})};
    return document({b});
}

// Service "pay"'s requests by status as a delta sum, in two exports: the later one first.
inline std::vector<std::string> deltaSumDocuments()
{
    const KeyValues ok = {{"status", "200"}}, failed = {{"status", "500"}};
    Block later, earlier;
    later.resource = earlier.resource = {{"service.name", "pay"}};
    later.metrics = {sumMetric("http.server.requests", 1, {{120, 20, ok}, {120, 2, failed}, {180, 30, ok}, {180, 3, failed}})};
    earlier.metrics = {sumMetric("http.server.requests", 1, {{60, 10, ok}, {60, 1, failed}})};
    return {document({later}), document({earlier})};
}

// A temporary cache holding `documents`, each imported as its own unit in order, and its series.
struct Cache {
    QTemporaryDir dir;
    std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
    std::unique_ptr<CacheReader> reader;
    std::vector<SeriesInfo> series;

    bool load(const std::vector<std::string>& documents)
    {
        for (size_t i = 0; i < documents.size(); ++i)
            if (!importDocument(path, documents[i], "part" + std::to_string(i) + ".json"))
                return false;
        reader = testutil::openReader(path);
        if (!reader)
            return false;
        auto list = reader->listSeries();
        if (!list) {
            qWarning("%s", list.error().message().c_str());
            return false;
        }
        series = std::move(*list);
        return true;
    }
};

} // namespace rootline::otlptest
