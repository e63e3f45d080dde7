// The sample incident as exported files (issue 3 item 5, `rootline-cli sample --files DIR`):
// generated into a temporary directory, imported through the real importer, and compared with the
// generator's own cache of the same seed — the same logs, spans, traces, series, samples,
// exemplars and alert, nothing rejected. Also: each file has the shape of the API it imitates
// (wire-formats.md), the same seed gives the same bytes, and existing files are not overwritten
// unless asked.
//
// Documented differences (the formats cannot carry them; see the files' README.md):
//  * Jaeger times are whole microseconds: shipping's and email's spans come back truncated to µs.
//  * Prometheus keeps exemplar times in milliseconds, and query_range says nothing of a series'
//    type or unit or of its resource beyond the labels.
//  * Loki lines have no observed time; their severity is Loki's detected_level.
// No series is lost: every series of the sample is expressible as a Prometheus series.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "import/Importer.h"
#include "sample/ForeignSampleFiles.h"
#include "sample/SampleCache.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

using namespace rootline;

namespace {

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::unique_ptr<CacheReader> openReader(const std::string& path) {
    auto r = CacheReader::open(path);
    if (!r)
        qFatal("cannot open %s: %s", path.c_str(), r.error().message().c_str());
    return std::move(*r);
}

// Rows of a query as text, one string per row (columns joined by '|').
std::vector<std::string> rows(CacheReader& reader, const char* sql) {
    std::vector<std::string> out;
    auto stmt = reader.database().prepare(sql);
    if (!stmt)
        qFatal("%s: %s", sql, stmt.error().message().c_str());
    const int columns = sqlite3_column_count(stmt->handle());
    auto s = stmt->forEach([&] {
        std::string row;
        for (int c = 0; c < columns; ++c) {
            if (c)
                row.push_back('|');
            row += stmt->isNull(c) ? std::string("NULL") : std::string(stmt->text(c));
        }
        out.push_back(std::move(row));
    });
    if (!s)
        qFatal("%s: %s", sql, s.error().message().c_str());
    return out;
}

int64_t count(CacheReader& reader, const char* sql) {
    auto n = reader.database().queryInt(sql);
    if (!n)
        qFatal("%s: %s", sql, n.error().message().c_str());
    return *n;
}

QByteArray digest(const std::vector<std::string>& lines) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const auto& l : lines) {
        h.addData(QByteArrayView(l.data(), qsizetype(l.size())));
        h.addData(QByteArrayView("\n", 1));
    }
    return h.result().toHex();
}

nlohmann::json fixture(const std::string& relative) {
    return nlohmann::json::parse(readAll(std::string(ROOTLINE_FIXTURES "/") + relative));
}

std::set<std::string> keysOf(const nlohmann::json& object) {
    std::set<std::string> keys;
    for (const auto& [key, value] : object.items())
        keys.insert(key);
    return keys;
}

std::set<std::string> with(std::set<std::string> keys, std::initializer_list<const char*> more) {
    keys.insert(more.begin(), more.end());
    return keys;
}

bool subset(const std::set<std::string>& a, const std::set<std::string>& b) {
    return std::includes(b.begin(), b.end(), a.begin(), a.end());
}

std::string path(const QTemporaryDir& dir, const char* name) {
    return (std::filesystem::path(dir.path().toStdString()) / name).string();
}

} // namespace

class TestSampleFiles : public QObject {
    Q_OBJECT

private slots:
    void importedFilesMatchTheGeneratorsCache();
    void filesHaveTheShapesOfTheirApis();
    void objectsHaveTheKeysOfRealPayloads();
    void sameSeedGivesSameBytes();
    void existingFilesAreKeptUnlessForced();
};

void TestSampleFiles::importedFilesMatchTheGeneratorsCache() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const SampleOptions options; // the bundled sample: seed 20261123, scale 1
    const std::string filesDir = path(tmp, "files");
    auto written = writeSampleFiles(filesDir, options);
    QVERIFY2(written, written ? "" : written.error().message().c_str());
    QCOMPARE(written->lokiLateEntries, int64_t(0)); // every Loki stream is in time order

    const std::string expectedCache = path(tmp, "generated.rootline");
    auto generated = writeSampleCache(expectedCache, options);
    QVERIFY2(generated, generated ? "" : generated.error().message().c_str());

    // Import the directory through the real importer.
    const std::string importedCache = path(tmp, "imported.rootline");
    ImportSummary summary;
    {
        auto writer = CacheWriter::open(importedCache);
        QVERIFY2(writer, writer ? "" : writer.error().message().c_str());
        Importer importer(**writer);
        summary = importer.run({filesDir});
    }
    const std::map<std::string, std::string> expectedFormats = {
        {sample_files::kOtlpTraces, "otlp-json"},   {sample_files::kJaegerTraces, "jaeger-json"},
        {sample_files::kOtlpLogs, "otlp-json"},     {sample_files::kLokiLogs, "loki-api"},
        {sample_files::kMetrics, "prometheus-api"}, {sample_files::kExemplars, "prometheus-api"},
        {sample_files::kAlerts, "prometheus-api"},
    };
    std::set<std::string> imported;
    for (const auto& f : summary.files) {
        const std::string name = std::filesystem::path(f.path).filename().string();
        // The folder's README.md is documentation: importing the folder passes over it.
        QVERIFY2(name != sample_files::kReadme, "README.md was offered to the importers");
        QVERIFY2(expectedFormats.count(name), name.c_str());
        QVERIFY2(f.outcome == ImportFileResult::Outcome::Imported, (name + ": " + f.note).c_str());
        QCOMPARE(f.format, expectedFormats.at(name));
        QCOMPARE(f.rejected, int64_t(0));
        imported.insert(name);
    }
    QCOMPARE(imported.size(), expectedFormats.size());
    QCOMPARE(summary.totals.rejected, int64_t(0));
    QVERIFY(!summary.anyFailed());

    auto want = openReader(expectedCache);
    auto got = openReader(importedCache);
    auto wantOverview = want->overview();
    auto gotOverview = got->overview();
    QVERIFY(wantOverview && gotOverview);
    QCOMPARE(gotOverview->logs, wantOverview->logs);
    QCOMPARE(gotOverview->spans, wantOverview->spans);
    QCOMPARE(gotOverview->traces, wantOverview->traces);
    QCOMPARE(gotOverview->series,
             wantOverview->series); // no series the Prometheus API cannot express
    QCOMPARE(gotOverview->samples, wantOverview->samples);
    QCOMPARE(gotOverview->exemplars, wantOverview->exemplars);
    QCOMPARE(gotOverview->alerts, wantOverview->alerts);
    QCOMPARE(gotOverview->services, wantOverview->services);
    QCOMPARE(written->logs(), wantOverview->logs);
    QCOMPARE(written->spans(), wantOverview->spans);
    QCOMPARE(written->series, wantOverview->series);
    QVERIFY(wantOverview->logs > 50000 &&
            wantOverview->traces > 1000); // the ×1 sample, not an empty one
    QCOMPARE(count(*got, "SELECT COUNT(*) FROM rejections"), int64_t(0));

    // The same trace ids, and each trace with the same number of spans and errors.
    const char* tracesSql = "SELECT hex(trace_id), span_count, error_count FROM traces ORDER BY 1";
    const auto gotTraces = rows(*got, tracesSql);
    QCOMPARE(int64_t(gotTraces.size()), wantOverview->traces);
    QCOMPARE(gotTraces, rows(*want, tracesSql));

    // Every span: ids, parent, name, kind, status, service; times exact except Jaeger's (µs).
    const char* spansSql = "SELECT hex(t.trace_id), s.span_id, s.parent_span_id, s.name, s.kind, "
                           "s.status, s.status_message, r.service, "
                           "s.start_ts / 1000, s.duration / 1000 "
                           "FROM spans s JOIN traces t ON t.id = s.trace JOIN resources r ON r.id "
                           "= s.resource ORDER BY 1, 2";
    const auto gotSpans = rows(*got, spansSql);
    QCOMPARE(int64_t(gotSpans.size()), wantOverview->spans);
    QCOMPARE(gotSpans, rows(*want, spansSql));
    const char* otlpSpanTimesSql = "SELECT hex(t.trace_id), s.span_id, s.start_ts, s.duration FROM "
                                   "spans s JOIN traces t ON t.id = s.trace "
                                   "JOIN resources r ON r.id = s.resource WHERE r.service NOT IN "
                                   "('shipping', 'email') ORDER BY 1, 2";
    const auto otlpTimes = rows(*got, otlpSpanTimesSql);
    QCOMPARE(otlpTimes, rows(*want, otlpSpanTimesSql)); // nanoseconds kept through OTLP
    QCOMPARE(int64_t(otlpTimes.size()), written->otlpSpans);

    // Every log line: time, body, severity, service, trace id (from the record or found in the
    // text).
    const char* logsSql = "SELECT l.ts, l.severity, r.service, hex(t.trace_id), l.body FROM logs l "
                          "JOIN resources r ON r.id = l.resource "
                          "LEFT JOIN traces t ON t.id = l.trace ORDER BY 1, 5";
    const auto gotLogs = rows(*got, logsSql);
    const auto wantLogs = rows(*want, logsSql);
    QCOMPARE(int64_t(gotLogs.size()), wantOverview->logs);
    QCOMPARE(gotLogs.size(), wantLogs.size());
    QCOMPARE(digest(gotLogs), digest(wantLogs));
    QVERIFY(count(*got, "SELECT COUNT(*) FROM logs WHERE trace IS NOT NULL") > 1000);

    // Series by key with their sample counts and values (NaN included).
    const char* seriesSql = "SELECT key FROM series ORDER BY 1";
    QCOMPARE(rows(*got, seriesSql), rows(*want, seriesSql));
    auto gotSeries = got->listSeries();
    auto wantSeries = want->listSeries();
    QVERIFY(gotSeries && wantSeries);
    std::map<std::string, int64_t> wantIds, wantCounts;
    for (const auto& s : *wantSeries) {
        wantIds[s.series.key()] = s.series.rowId;
        wantCounts[s.series.key()] = s.sampleCount;
    }
    int nanSeries = 0;
    for (const auto& s : *gotSeries) {
        const std::string key = s.series.key();
        QCOMPARE(s.sampleCount, wantCounts[key]);
        if (s.series.name.rfind("slo:", 0) == 0 ||
            key.find("status_class=\"5xx\"") != std::string::npos) {
            auto a = got->samples(s.series.rowId, TimeWindow::all());
            auto b = want->samples(wantIds[key], TimeWindow::all());
            QVERIFY(a && b);
            QCOMPARE(*a, *b);
            nanSeries += std::any_of(a->begin(), a->end(),
                                     [](const Sample& p) { return std::isnan(p.value); });
        }
    }
    QVERIFY(nanSeries > 0); // "NaN" strings came through as NaN

    // Exemplars: the same per series (times in ms), each pointing at a span that exists.
    const char* exemplarsSql =
        "SELECT s.key, e.ts / 1000000, e.value, hex(t.trace_id), e.span_id FROM exemplars e "
        "JOIN series s ON s.id = e.series LEFT JOIN traces t ON t.id = e.trace ORDER BY 1, 2, 4";
    const auto gotExemplars = rows(*got, exemplarsSql);
    QCOMPARE(int64_t(gotExemplars.size()), wantOverview->exemplars);
    QCOMPARE(gotExemplars, rows(*want, exemplarsSql));
    QCOMPARE(count(*got,
                   "SELECT COUNT(*) FROM exemplars e WHERE NOT EXISTS "
                   "(SELECT 1 FROM spans s WHERE s.trace = e.trace AND s.span_id = e.span_id)"),
             int64_t(0));

    // The firing burn-rate alert.
    auto gotAlerts = got->alerts();
    auto wantAlerts = want->alerts();
    QVERIFY(gotAlerts && wantAlerts);
    QCOMPARE(gotAlerts->size(), size_t(1));
    const Alert& a = gotAlerts->front();
    QCOMPARE(a.name, std::string(sample_story::kAlertName));
    QCOMPARE(int(a.state), int(AlertState::Firing));
    QCOMPARE(a.activeSince, sample_story::kAlertActiveSince);
    QCOMPARE(a.value, wantAlerts->front().value);
    QCOMPARE(a.annotations, wantAlerts->front().annotations);
}

void TestSampleFiles::filesHaveTheShapesOfTheirApis() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    SampleOptions options;
    options.scale = 0.05; // a small shop: the shapes, not the volume
    auto written = writeSampleFiles(tmp.path().toStdString(), options);
    QVERIFY2(written, written ? "" : written.error().message().c_str());
    QVERIFY(written->otlpSpans > 0 && written->jaegerSpans > 0 && written->otlpLogs > 0 &&
            written->lokiLogs > 0);
    const std::regex nanos("[0-9]{19}");
    const std::regex hex32("[0-9a-f]{32}"), hex16("[0-9a-f]{16}");

    // OTLP JSON lines: one export request per line, ids hex, ns times and 64-bit ints as strings.
    {
        std::ifstream in(path(tmp, sample_files::kOtlpTraces));
        std::string line;
        int lines = 0;
        while (std::getline(in, line)) {
            ++lines;
            const auto doc = nlohmann::json::parse(line);
            for (const auto& rs : doc.at("resourceSpans")) {
                QVERIFY(rs.at("resource").at("attributes").is_array());
                for (const auto& ss : rs.at("scopeSpans")) {
                    QVERIFY(ss.at("scope").at("name").is_string());
                    for (const auto& span : ss.at("spans")) {
                        QVERIFY(std::regex_match(span.at("traceId").get<std::string>(), hex32));
                        QVERIFY(std::regex_match(span.at("spanId").get<std::string>(), hex16));
                        QVERIFY(std::regex_match(span.at("startTimeUnixNano").get<std::string>(),
                                                 nanos));
                        QVERIFY(span.at("kind").is_number_integer());
                        for (const auto& attr : span.value("attributes", nlohmann::json::array()))
                            if (attr.at("value").contains("intValue"))
                                QVERIFY(attr.at("value").at("intValue").is_string());
                    }
                }
            }
        }
        QCOMPARE(int64_t(lines), written->otlpSpanLines);
    }
    {
        std::ifstream in(path(tmp, sample_files::kOtlpLogs));
        std::string line;
        QVERIFY(std::getline(in, line));
        const auto record = nlohmann::json::parse(line)
                                .at("resourceLogs")
                                .at(0)
                                .at("scopeLogs")
                                .at(0)
                                .at("logRecords")
                                .at(0);
        QVERIFY(std::regex_match(record.at("timeUnixNano").get<std::string>(), nanos));
        QVERIFY(record.at("severityNumber").is_number_integer());
        QVERIFY(record.at("body").at("stringValue").is_string());
    }
    // Jaeger /api/traces: µs integers, CHILD_OF references, processes map.
    {
        const auto doc = nlohmann::json::parse(readAll(path(tmp, sample_files::kJaegerTraces)));
        QVERIFY(doc.at("errors").is_null());
        QCOMPARE(int64_t(doc.at("data").size()), written->jaegerTraces);
        const auto& trace = doc.at("data").at(0);
        const auto& span = trace.at("spans").at(0);
        QCOMPARE(span.at("traceID").get<std::string>(), trace.at("traceID").get<std::string>());
        QVERIFY(span.at("startTime").is_number_integer() &&
                span.at("startTime").get<int64_t>() > 1'000'000'000'000'000);
        QVERIFY(span.at("startTime").get<int64_t>() < 10'000'000'000'000'000);
        QVERIFY(span.at("duration").is_number_integer());
        QCOMPARE(span.at("references").at(0).at("refType").get<std::string>(),
                 std::string("CHILD_OF"));
        const std::string process = span.at("processID");
        QVERIFY(trace.at("processes").at(process).at("serviceName").is_string());
    }
    // Loki streams with categorize-labels: ns strings, 3-element entries, sorted within a stream.
    {
        const auto doc = nlohmann::json::parse(readAll(path(tmp, sample_files::kLokiLogs)));
        QCOMPARE(doc.at("status").get<std::string>(), std::string("success"));
        QCOMPARE(doc.at("data").at("resultType").get<std::string>(), std::string("streams"));
        QCOMPARE(doc.at("data").at("encodingFlags").at(0).get<std::string>(),
                 std::string("categorize-labels"));
        int64_t entries = 0;
        for (const auto& stream : doc.at("data").at("result")) {
            QVERIFY(stream.at("stream").contains("service_name"));
            std::string previous;
            for (const auto& e : stream.at("values")) {
                QCOMPARE(e.size(), size_t(3));
                const std::string ns = e.at(0);
                QVERIFY(std::regex_match(ns, nanos));
                QVERIFY(previous <= ns); // forward direction (19 digits: text order is time order)
                previous = ns;
                QVERIFY(e.at(2).at("structuredMetadata").contains("detected_level"));
                ++entries;
            }
        }
        QCOMPARE(entries, written->lokiLogs);
        QCOMPARE(doc.at("data").at("stats").at("summary").at("totalEntriesReturned").get<int64_t>(),
                 entries);
    }
    // Prometheus: matrix [seconds, "value"], exemplars with float seconds, alert value "%e".
    {
        const auto doc = nlohmann::json::parse(readAll(path(tmp, sample_files::kMetrics)));
        QCOMPARE(doc.at("data").at("resultType").get<std::string>(), std::string("matrix"));
        QCOMPARE(int64_t(doc.at("data").at("result").size()), written->series);
        const auto& series = doc.at("data").at("result").at(0);
        QVERIFY(series.at("metric").at("__name__").is_string());
        QVERIFY(series.at("values").at(0).at(0).is_number());
        QVERIFY(series.at("values").at(0).at(1).is_string());
    }
    {
        const auto doc = nlohmann::json::parse(readAll(path(tmp, sample_files::kExemplars)));
        const auto& e = doc.at("data").at(0).at("exemplars").at(0);
        QVERIFY(std::regex_match(e.at("labels").at("trace_id").get<std::string>(), hex32));
        QVERIFY(e.at("value").is_string());
        QVERIFY(e.at("timestamp").is_number());
        const std::string text = readAll(path(tmp, sample_files::kExemplars));
        QVERIFY(std::regex_search(
            text, std::regex("\"timestamp\":[0-9]{10}\\.[0-9]{3}\\}"))); // ms, 3 decimals
        QVERIFY(!std::regex_search(text, std::regex("\"timestamp\":[0-9]{10}\\.[0-9]{4}")));
    }
    {
        const auto doc = nlohmann::json::parse(readAll(path(tmp, sample_files::kAlerts)));
        const auto& alert = doc.at("data").at("alerts").at(0);
        QCOMPARE(alert.at("labels").at("alertname").get<std::string>(),
                 std::string(sample_story::kAlertName));
        QCOMPARE(alert.at("state").get<std::string>(), std::string("firing"));
        QCOMPARE(alert.at("activeAt").get<std::string>(), std::string("2026-11-20T14:48:00Z"));
        QVERIFY(std::regex_match(alert.at("value").get<std::string>(),
                                 std::regex("[0-9](\\.[0-9]+)?e[+-][0-9]{2}")));
    }
    const std::string readme = readAll(path(tmp, sample_files::kReadme));
    QVERIFY(readme.find("rootline-cli import --cache") != std::string::npos);
    for (const char* name : sample_files::kAll)
        QVERIFY2(std::string(name) == sample_files::kReadme ||
                     readme.find(std::string("`") + name + "`") != std::string::npos,
                 name);
}

// Each object of each file has the members the real tool writes (the payloads in shared/fixtures),
// and only documented extras.
void TestSampleFiles::objectsHaveTheKeysOfRealPayloads() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    SampleOptions options;
    options.scale = 0.05;
    QVERIFY(writeSampleFiles(tmp.path().toStdString(), options));

    // Jaeger /api/traces (jaeger-ui-otlp2jaeger-out.json): envelope, trace and span; `flags` is
    // omitted by Jaeger only when zero.
    const auto jaegerWant = fixture("jaeger/jaeger-ui-otlp2jaeger-out.json");
    const auto jaegerGot = nlohmann::json::parse(readAll(path(tmp, sample_files::kJaegerTraces)));
    QCOMPARE(keysOf(jaegerGot), keysOf(jaegerWant));
    QCOMPARE(keysOf(jaegerGot.at("data").at(0)), keysOf(jaegerWant.at("data").at(0)));
    QCOMPARE(keysOf(jaegerGot.at("data").at(0).at("spans").at(0)),
             with(keysOf(jaegerWant.at("data").at(0).at("spans").at(0)), {"flags"}));
    QCOMPARE(keysOf(jaegerGot.at("data").at(0).at("processes").at("p1")),
             keysOf(jaegerWant.at("data").at(0).at("processes").at("p1")));

    // Prometheus 2.42 captures: alerts and exemplars, member for member.
    const auto captures =
        fixture("prometheus/prometheus-2.42-loopback-captures.json").at("captures");
    const auto alertsWant =
        nlohmann::json::parse(captures.at("alerts").at("body_raw").get<std::string>());
    const auto alertsGot = nlohmann::json::parse(readAll(path(tmp, sample_files::kAlerts)));
    QCOMPARE(keysOf(alertsGot), keysOf(alertsWant));
    QCOMPARE(keysOf(alertsGot.at("data").at("alerts").at(0)),
             keysOf(alertsWant.at("data").at("alerts").at(0)));
    const auto exemplarsWant =
        nlohmann::json::parse(captures.at("query_exemplars").at("body_raw").get<std::string>());
    const auto exemplarsGot = nlohmann::json::parse(readAll(path(tmp, sample_files::kExemplars)));
    QCOMPARE(keysOf(exemplarsGot.at("data").at(0)), keysOf(exemplarsWant.at("data").at(0)));
    QCOMPARE(keysOf(exemplarsGot.at("data").at(0).at("exemplars").at(0)),
             keysOf(exemplarsWant.at("data").at(0).at("exemplars").at(0)));
    QCOMPARE(keysOf(exemplarsGot.at("data").at(0).at("exemplars").at(0).at("labels")),
             (std::set<std::string>{"span_id", "trace_id"}));
    const auto matrixWant = nlohmann::json::parse(
        captures.at("post_form_query_range").at("body_raw").get<std::string>());
    const auto matrixGot = nlohmann::json::parse(readAll(path(tmp, sample_files::kMetrics)));
    QCOMPARE(keysOf(matrixGot), keysOf(matrixWant));
    QCOMPARE(keysOf(matrixGot.at("data").at("result").at(0)),
             keysOf(matrixWant.at("data").at("result").at(0)));

    // Loki categorize-labels response (marshal_test.go): the same data members; no warnings here.
    const auto lokiWant = fixture("loki/loki-marshal-test-categorize-labels.json");
    const auto lokiGot = nlohmann::json::parse(readAll(path(tmp, sample_files::kLokiLogs)));
    QVERIFY(subset(keysOf(lokiGot), keysOf(lokiWant)));
    QCOMPARE(keysOf(lokiGot.at("data")), keysOf(lokiWant.at("data")));
    QCOMPARE(keysOf(lokiGot.at("data").at("result").at(0)),
             keysOf(lokiWant.at("data").at("result").at(0)));
    QVERIFY(lokiGot.at("data").at("encodingFlags") == lokiWant.at("data").at("encodingFlags"));

    // OTLP/JSON (opentelemetry-proto examples): only members the protocol defines.
    const auto traceWant = fixture("otlp/otlp-proto-examples-trace.json").at("resourceSpans").at(0);
    std::string line;
    std::ifstream traces(path(tmp, sample_files::kOtlpTraces));
    QVERIFY(std::getline(traces, line));
    const auto rs = nlohmann::json::parse(line).at("resourceSpans").at(0);
    QCOMPARE(keysOf(rs), with(keysOf(traceWant), {"schemaUrl"}));
    QCOMPARE(keysOf(rs.at("scopeSpans").at(0)), keysOf(traceWant.at("scopeSpans").at(0)));
    for (const auto& span : rs.at("scopeSpans").at(0).at("spans"))
        QVERIFY(
            subset(keysOf(span), with(keysOf(traceWant.at("scopeSpans").at(0).at("spans").at(0)),
                                      {"flags", "status", "events", "links"})));
    const auto logsWant = fixture("otlp/otlp-proto-examples-logs.json").at("resourceLogs").at(0);
    std::ifstream logs(path(tmp, sample_files::kOtlpLogs));
    QVERIFY(std::getline(logs, line));
    const auto rl = nlohmann::json::parse(line).at("resourceLogs").at(0);
    QCOMPARE(keysOf(rl), with(keysOf(logsWant), {"schemaUrl"}));
    for (const auto& record : rl.at("scopeLogs").at(0).at("logRecords"))
        QVERIFY(
            subset(keysOf(record),
                   with(keysOf(logsWant.at("scopeLogs").at(0).at("logRecords").at(0)), {"flags"})));
}

void TestSampleFiles::sameSeedGivesSameBytes() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const SampleOptions options; // ×1, the bundled sample
    QVERIFY(writeSampleFiles(path(tmp, "a"), options));
    QVERIFY(writeSampleFiles(path(tmp, "b"), options));
    SampleOptions otherSeed;
    otherSeed.seed = options.seed + 1;
    otherSeed.scale = 0.05;
    QVERIFY(writeSampleFiles(path(tmp, "c"), otherSeed));
    for (const char* name : sample_files::kAll) {
        const std::string a = readAll(path(tmp, "a") + "/" + name);
        QVERIFY2(!a.empty(), name);
        QVERIFY2(a == readAll(path(tmp, "b") + "/" + name), name);
    }
    QVERIFY(readAll(path(tmp, "a") + "/" + sample_files::kOtlpTraces) !=
            readAll(path(tmp, "c") + "/" + sample_files::kOtlpTraces));
    // No temporary file is left behind.
    for (const auto& entry : std::filesystem::directory_iterator(path(tmp, "a")))
        QVERIFY2(entry.path().extension() != ".part", entry.path().string().c_str());
}

void TestSampleFiles::existingFilesAreKeptUnlessForced() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    SampleOptions options;
    options.scale = 0.05;
    const std::string dir = tmp.path().toStdString();
    {
        std::ofstream(path(tmp, sample_files::kAlerts)) << "mine";
        std::ofstream(path(tmp, "notes.txt")) << "keep me";
    }
    auto refused = writeSampleFiles(dir, options);
    QVERIFY(!refused);
    QVERIFY(refused.error().where.find(sample_files::kAlerts) != std::string::npos);
    QCOMPARE(readAll(path(tmp, sample_files::kAlerts)), std::string("mine"));
    QVERIFY(!std::filesystem::exists(path(tmp, sample_files::kOtlpTraces)));

    QVERIFY(writeSampleFiles(dir, options, /*overwrite=*/true));
    QVERIFY(readAll(path(tmp, sample_files::kAlerts)).find(sample_story::kAlertName) !=
            std::string::npos);
    QCOMPARE(readAll(path(tmp, "notes.txt")), std::string("keep me"));
}

QTEST_GUILESS_MAIN(TestSampleFiles)
#include "tst_sample_files.moc"
