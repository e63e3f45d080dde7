// Fetch-and-store benchmark (issue 4): Loki lines/s and Prometheus samples/s end to end — connector
// (via ConnectorFactory and a Source) → runFetch → CacheWriter into a fresh cache — from a loopback
// server, beside the raw transfer of the same requests with the `curl` binary to /dev/null.
//
//   bench_fetch [--loki-lines N] [--loki-streams N] [--prom-series N] [--prom-points N] [--prom-step S]
//               [--only loki|prometheus] [--no-curl] [--no-fts] [--decode-only] [--server-ms MS] [--dir DIR]
//
// --no-fts opens the cache without full-text indexing (a diagnostic: `rootline-cli fetch` indexes);
// --decode-only stops after the connector-alone phase (for comparing connector changes);
// --server-ms makes the server think for MS before each answer, as a real backend's query does;
// BENCH_FETCH_TRACE=1 logs every request the server gets (time, connection, target) to stderr.
//
// The loopback server holds pre-generated, realistic data and answers like the real backends:
//  * Loki `/loki/api/v1/query_range`: streams with labels, JSON log lines (HTML-escaped like Loki),
//    structured metadata when asked for `categorize-labels`, runs of lines sharing one nanosecond;
//    `start` inclusive, `end` exclusive, `limit` over all streams (400 above 5000, as Loki's
//    max_entries_limit_per_query), `direction`; so the connector's pagination runs for real.
//  * Prometheus `/api/v1/query_range`: a matrix of many series, string values, points at start +
//    k·step up to `end` inclusive, 400 bad_data above 11,001 points; so range splitting runs for real.
// Response bodies are assembled from pre-rendered fragments (memcpy), so the server costs little of
// the shared CPU and the same for the connector and for curl.
//
// Figures per backend: the connector alone into a counting sink (`*_decode_*`, no cache), the
// whole fetch into a fresh cache (`fetch_*`), the same fetch again answered from the cache
// (`*_cached_ms`), and curl replaying the exact request URLs of the whole fetch in one process.
// Every phase prints the 1-minute load average and the process CPU seconds (the server's threads
// included), because the machine is shared.

#include "sample/ForeignJson.h"
#include "ConnectorFactory.h"
#include "FetchService.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "sources/Source.h"
#include "support/LoopbackHttpServer.h"

#include <sys/resource.h>
#include <sys/utsname.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace rootline;
using rootline::test::HttpServerConnection;
using rootline::test::HttpServerRequest;
using rootline::test::LoopbackHttpServer;

namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

double loadAverage()
{
    double l = -1;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf", &l) != 1)
            l = -1;
        std::fclose(f);
    }
    return l;
}

double cpuSeconds(int who = RUSAGE_SELF, bool systemOnly = false)
{
    rusage u{};
    getrusage(who, &u);
    const double sys = double(u.ru_stime.tv_sec) + double(u.ru_stime.tv_usec) / 1e6;
    return systemOnly ? sys : sys + double(u.ru_utime.tv_sec) + double(u.ru_utime.tv_usec) / 1e6;
}

long peakRssMb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}


std::string hexId(std::mt19937_64& rng, int bytes)
{
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < bytes; ++i) {
        const unsigned v = unsigned(rng() & 0xff);
        out += hex[v >> 4];
        out += hex[v & 15];
    }
    return out;
}

// Integer nanoseconds, or decimal seconds as Prometheus takes them ("1795343319", "1795343319.5").
int64_t parseTimeParam(std::string_view s, bool nanosInteger)
{
    if (nanosInteger && s.find('.') == std::string_view::npos) {
        int64_t v = 0;
        std::from_chars(s.data(), s.data() + s.size(), v);
        return v <= 10'000'000'000 ? v * 1'000'000'000 : v; // Loki's ≤ 1e10 = seconds rule
    }
    const size_t dot = s.find('.');
    int64_t whole = 0;
    std::from_chars(s.data(), s.data() + (dot == std::string_view::npos ? s.size() : dot), whole);
    int64_t frac = 0;
    if (dot != std::string_view::npos) {
        std::string digits(s.substr(dot + 1, 9));
        digits.resize(9, '0');
        std::from_chars(digits.data(), digits.data() + 9, frac);
    }
    return whole * 1'000'000'000 + frac;
}

// ---------------------------------------------------------------- Loki

struct LokiData {
    struct Entry {
        int64_t ts;
        uint32_t stream;
        uint32_t fragment; // index into fragments
    };
    std::vector<std::string> streamJson;     // `{"app":"checkout",...}` per stream
    std::vector<Entry> entries;              // ascending ts (ties in generation order)
    std::vector<std::string> fragments3;     // `["ns","line",{...}]` (categorize-labels)
    std::vector<std::string> fragments2;     // `["ns","line"]`
    int64_t firstTs = 0, lastTs = 0;
    int64_t lineBytes = 0;

    void generate(int64_t lines, int streams, int64_t startNs)
    {
        std::mt19937_64 rng(4242);
        const char* apps[] = {"checkout", "payment", "cart", "frontend", "shipping", "catalog", "email", "currency"};
        const char* routes[] = {"/api/orders", "/api/cart/items", "/api/payments/charge", "/api/catalog/search?q=shoes&page=2",
                                "/healthz", "/api/shipping/quote", "/api/users/me"};
        const char* msgs[] = {"request completed", "request started", "cache miss, loading from db", "retrying upstream call",
                              "payment authorised", "upstream timeout after 2000ms", "order persisted"};
        for (int s = 0; s < streams; ++s) {
            const std::string app = apps[s % 8];
            const std::string pod = app + "-7d9f" + std::to_string(4 + s) + "c-" + hexId(rng, 3);
            streamJson.push_back(R"({"cluster":"prod-eu-1","container":"app","job":"prod/)" + app + R"(","namespace":"prod","pod":")"
                                 + pod + R"(","service_name":")" + app + "\"}");
        }
        entries.reserve(size_t(lines));
        fragments3.reserve(size_t(lines));
        fragments2.reserve(size_t(lines));
        int64_t ts = startNs;
        std::string openTraces[16];
        int traceLeft[16] = {};
        for (int64_t i = 0; i < lines; ++i) {
            // ~1 ms apart on average; every ~500th line starts a burst of lines sharing one nanosecond
            // (batched writes), so page boundaries regularly fall inside a run of equal timestamps.
            if (i % 499 != 0 || i == 0)
                ts += int64_t(rng() % 2'000'000) + 1;
            const uint32_t stream = uint32_t(rng() % uint64_t(streams));
            const bool error = rng() % 40 == 0;
            // Requests in flight log a few lines each: a line belongs to one of 16 open traces, and a
            // trace closes after 3–12 lines (so trace ids repeat, as in real service logs).
            const size_t slot = size_t(rng() % 16);
            if (traceLeft[slot]-- <= 0) {
                openTraces[slot] = hexId(rng, 16);
                traceLeft[slot] = int(3 + rng() % 10);
            }
            const std::string& traceId = openTraces[slot];
            const std::string spanId = hexId(rng, 8);
            const int status = error ? 503 : (rng() % 10 == 0 ? 404 : 200);
            char duration[32];
            std::snprintf(duration, sizeof duration, "%.3f", double(rng() % 2'000'000) / 1000.0);
            const int64_t ms = ts / 1'000'000;
            const time_t secs = time_t(ms / 1000);
            tm t{};
            gmtime_r(&secs, &t);
            char when[48];
            std::snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                          t.tm_hour, t.tm_min, t.tm_sec, int(ms % 1000));
            std::string line = std::string(R"({"time":")") + when + R"(","level":")" + (error ? "error" : "info")
                + R"(","logger":"http.server","msg":")" + msgs[rng() % 7] + R"(","method":")" + (rng() % 3 ? "GET" : "POST")
                + R"(","path":")" + routes[rng() % 7] + R"(","status":)" + std::to_string(status) + R"(,"duration_ms":)" + duration
                + R"(,"bytes":)" + std::to_string(rng() % 20000) + R"(,"remote_addr":"10.0.)" + std::to_string(rng() % 255) + "."
                + std::to_string(rng() % 255) + R"(","trace_id":")" + traceId + R"(","span_id":")" + spanId
                + R"(","user_agent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36"})";
            lineBytes += int64_t(line.size());
            std::string head = "[\"" + std::to_string(ts) + "\",";
            sample::foreign::appendString(head, line); // as Loki (Go's encoding/json) escapes it
            std::string two = head + "]";
            // OTLP-ingested streams (every other one) carry structured metadata; the others `{}`.
            std::string three = head + ",";
            if (stream % 2 == 0)
                three += R"({"structuredMetadata":{"severity_text":")" + std::string(error ? "ERROR" : "INFO") + R"(","span_id":")" + spanId
                    + R"(","trace_id":")" + traceId + "\"}}]";
            else
                three += "{}]";
            entries.push_back({ts, stream, uint32_t(i)});
            fragments3.push_back(std::move(three));
            fragments2.push_back(std::move(two));
        }
        firstTs = entries.front().ts;
        lastTs = entries.back().ts;
    }

    // query_range for a log query, as Loki answers it.
    std::string queryRange(const HttpServerRequest& req, int& status) const
    {
        const std::string limitText = req.param("limit");
        const int64_t limit = limitText.empty() ? 100 : std::stoll(limitText);
        if (limit > 5000) {
            status = 400;
            return "max entries limit per query exceeded, limit > max_entries_limit_per_query (" + std::to_string(limit) + " > 5000)";
        }
        const int64_t start = parseTimeParam(req.param("start"), true);
        const int64_t end = parseTimeParam(req.param("end"), true);
        std::string direction = req.param("direction");
        std::transform(direction.begin(), direction.end(), direction.begin(), ::tolower);
        const bool backward = direction != "forward";
        const bool categorize = req.header("X-Loki-Response-Encoding-Flags").find("categorize-labels") != std::string::npos;
        auto lo = std::lower_bound(entries.begin(), entries.end(), start, [](const Entry& e, int64_t t) { return e.ts < t; });
        auto hi = std::lower_bound(entries.begin(), entries.end(), end, [](const Entry& e, int64_t t) { return e.ts < t; });
        if (hi < lo)
            hi = lo;
        if (hi - lo > limit) {
            if (backward)
                lo = hi - limit;
            else
                hi = lo + limit;
        }
        std::vector<std::vector<uint32_t>> perStream(streamJson.size());
        size_t bytes = 0;
        for (auto it = lo; it != hi; ++it) {
            perStream[it->stream].push_back(it->fragment);
            bytes += (categorize ? fragments3 : fragments2)[it->fragment].size() + 1;
        }
        std::string body;
        body.reserve(bytes + 4096);
        body += R"({"status":"success","data":{"resultType":"streams",)";
        if (categorize)
            body += R"("encodingFlags":["categorize-labels"],)";
        body += R"("result":[)";
        bool firstStream = true;
        for (size_t s = 0; s < perStream.size(); ++s) {
            auto& list = perStream[s];
            if (list.empty())
                continue;
            if (backward)
                std::reverse(list.begin(), list.end());
            if (!firstStream)
                body += ',';
            firstStream = false;
            body += R"({"stream":)";
            body += streamJson[s];
            body += R"(,"values":[)";
            for (size_t i = 0; i < list.size(); ++i) {
                if (i)
                    body += ',';
                body += (categorize ? fragments3 : fragments2)[list[i]];
            }
            body += "]}";
        }
        const int64_t n = hi - lo;
        body += R"(],"stats":{"summary":{"bytesProcessedPerSecond":812345678,"linesProcessedPerSecond":2412345,"totalBytesProcessed":)"
            + std::to_string(bytes) + R"(,"totalLinesProcessed":)" + std::to_string(n)
            + R"(,"execTime":0.041,"queueTime":0.0002,"subqueries":0,"totalEntriesReturned":)" + std::to_string(n)
            + R"(,"splits":1,"shards":1,"totalPostFilterLines":)" + std::to_string(n)
            + R"(,"totalStructuredMetadataBytesProcessed":0},"querier":{"store":{"totalChunksRef":0,"totalChunksDownloaded":0}},"ingester":{"totalReached":1,"totalChunksMatched":3,"totalBatches":2,"totalLinesSent":)"
            + std::to_string(n) + R"(},"cache":{"chunk":{"entriesFound":0,"entriesRequested":0}}}}})";
        status = 200;
        return body;
    }
};

// ---------------------------------------------------------------- Prometheus

struct PromData {
    int64_t stepNs = 0;
    int64_t k0 = 0;    // first point: k0 * step
    int64_t points = 0; // per series
    std::vector<std::string> metricJson;
    // Per series: `,[t,"v"]` for every point, concatenated; offsets[s][k] = where point k starts.
    std::vector<std::string> values;
    std::vector<std::vector<uint32_t>> offsets;
    int64_t samples() const { return int64_t(metricJson.size()) * points; }

    static void appendValue(std::string& out, int64_t series, int64_t k)
    {
        char buf[64];
        if (series % 2 == 0) {
            // A counter: integral, growing.
            const uint64_t v = uint64_t(series) * 1000 + uint64_t(k) * uint64_t(3 + series % 7);
            auto r = std::to_chars(buf, buf + sizeof buf, v);
            out.append(buf, r.ptr);
        } else {
            // A gauge (latency seconds): shortest round-trip text, as Go's FormatFloat('f', -1).
            const uint64_t h = (uint64_t(series) * 0x9E3779B97F4A7C15ull) ^ (uint64_t(k) * 0xC2B2AE3D27D4EB4Full);
            const double v = double((h >> 11) % 10'000'000) / 7'777'777.0;
            auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
            out.append(buf, r.ptr);
        }
    }

    void generate(int series, int64_t pointsPerSeries, int64_t stepSeconds, int64_t startSeconds)
    {
        stepNs = stepSeconds * 1'000'000'000;
        k0 = startSeconds / stepSeconds;
        points = pointsPerSeries;
        const char* routes[] = {"/api/orders", "/api/cart/items", "/api/payments/charge", "/api/catalog/search", "/healthz"};
        const char* services[] = {"checkout", "payment", "cart", "frontend", "shipping"};
        for (int s = 0; s < series; ++s) {
            const std::string name = s % 2 == 0 ? "http_server_requests_seconds_count" : "http_server_request_duration_seconds";
            metricJson.push_back(R"({"__name__":")" + name + R"(","instance":"10.0.3.)" + std::to_string(10 + s / 20) + R"(:8080","job":")"
                                 + services[(s / 2) % 5] + R"(","method":")" + (s % 4 < 2 ? "GET" : "POST") + R"(","route":")"
                                 + routes[(s / 10) % 5] + R"(","status":")" + std::to_string(s % 3 == 0 ? 500 : 200) + "\"}");
            std::string v;
            std::vector<uint32_t> off;
            v.reserve(size_t(points) * 24);
            off.reserve(size_t(points) + 1);
            for (int64_t k = 0; k < points; ++k) {
                off.push_back(uint32_t(v.size()));
                v += ",[";
                char buf[32];
                auto r = std::to_chars(buf, buf + sizeof buf, (k0 + k) * stepSeconds);
                v.append(buf, r.ptr);
                v += ",\"";
                appendValue(v, s, k0 + k);
                v += "\"]";
            }
            off.push_back(uint32_t(v.size()));
            values.push_back(std::move(v));
            offsets.push_back(std::move(off));
        }
    }

    std::string queryRange(const HttpServerRequest& req, int& status) const
    {
        const int64_t start = parseTimeParam(req.param("start"), false);
        const int64_t end = parseTimeParam(req.param("end"), false);
        const int64_t step = parseTimeParam(req.param("step"), false);
        if (step <= 0) {
            status = 400;
            return R"({"status":"error","errorType":"bad_data","error":"zero or negative query resolution step widths are not accepted. Try a positive integer"})";
        }
        if (end < start) {
            status = 400;
            return R"({"status":"error","errorType":"bad_data","error":"end timestamp must not be before start time"})";
        }
        if ((end - start) / step > 11000) {
            status = 400;
            return R"J({"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"})J";
        }
        std::string body;
        body += R"({"status":"success","data":{"resultType":"matrix","result":[)";
        const bool onGrid = step == stepNs && start % stepNs == 0;
        bool firstSeries = true;
        if (onGrid) {
            // The stored grid: a slice of the pre-rendered points of every series.
            const int64_t a = std::max<int64_t>(0, start / stepNs - k0);
            const int64_t b = std::min<int64_t>(points, end / stepNs - k0 + 1);
            if (a < b) {
                size_t bytes = 0;
                for (size_t s = 0; s < metricJson.size(); ++s)
                    bytes += metricJson[s].size() + offsets[s][size_t(b)] - offsets[s][size_t(a)] + 32;
                body.reserve(bytes + 64);
                for (size_t s = 0; s < metricJson.size(); ++s) {
                    const auto& off = offsets[s];
                    body += s ? R"(,{"metric":)" : R"({"metric":)";
                    body += metricJson[s];
                    body += R"(,"values":[)";
                    body.append(values[s], off[size_t(a)] + 1, off[size_t(b)] - off[size_t(a)] - 1);
                    body += "]}";
                }
            }
            body += "]}}";
            status = 200;
            return body;
        }
        for (size_t s = 0; s < metricJson.size(); ++s) {
            // Off the stored grid: evaluated point by point (the latest sample at or before t).
            std::string series;
            for (int64_t t = start; t <= end; t += step) {
                const int64_t k = t / stepNs;
                if (k < k0 || k >= k0 + points)
                    continue;
                if (!series.empty())
                    series += ',';
                series += '[';
                series += std::to_string(t / 1'000'000'000);
                series += ",\"";
                appendValue(series, int64_t(s), k);
                series += "\"]";
            }
            if (series.empty())
                continue; // Prometheus leaves out series without points in the range
            if (!firstSeries)
                body += ',';
            firstSeries = false;
            body += R"({"metric":)";
            body += metricJson[s];
            body += R"(,"values":[)";
            body += series;
            body += "]}";
        }
        body += "]}}";
        status = 200;
        return body;
    }
};

// ---------------------------------------------------------------- measuring

// The connector alone: batches are counted and dropped (no cache).
class CountingSink final : public RecordSink {
public:
    Status batch(TelemetryBatch&& b) override
    {
        records += int64_t(b.recordCount());
        return {};
    }
    void reject(std::string, std::string, std::string) override { ++rejected; }
    int64_t records = 0, rejected = 0;
};

long minorFaults()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_minflt;
}

struct Phase {
    double wall = 0, cpu = 0, sys = 0, loadBefore = 0, loadAfter = 0;
    long faults = 0;
};

template<typename F>
Phase measure(F&& f)
{
    Phase p;
    p.loadBefore = loadAverage();
    const double cpu0 = cpuSeconds(), sys0 = cpuSeconds(RUSAGE_SELF, true);
    const long faults0 = minorFaults();
    const auto t0 = Clock::now();
    f();
    p.wall = seconds(Clock::now() - t0);
    p.cpu = cpuSeconds() - cpu0;
    p.sys = cpuSeconds(RUSAGE_SELF, true) - sys0;
    p.faults = minorFaults() - faults0;
    p.loadAfter = loadAverage();
    return p;
}

void note(const char* what, const Phase& p)
{
    std::printf("# %s: %.3f s wall, %.3f s CPU of which %.3f s system, %ld page faults (process, server threads included), "
                "load %.2f → %.2f\n",
                what, p.wall, p.cpu, p.sys, p.faults, p.loadBefore, p.loadAfter);
}

struct CurlResult {
    int64_t bytes = 0;
    double wall = 0, transferTotal = 0, cpu = 0;
    int transfers = 0;
    bool ok = false;
};

// One curl process fetching every URL in turn (keep-alive, like the client) into /dev/null.
CurlResult replayWithCurl(const std::string& base, const std::vector<HttpServerRequest>& requests, const std::string& dir)
{
    CurlResult r;
    const std::string config = dir + "/curl.conf", out = dir + "/curl.out";
    {
        std::ofstream c(config);
        for (const auto& q : requests) {
            if (q.method != "GET")
                continue;
            c << "url = \"" << base << q.target << "\"\n";
            c << "output = \"/dev/null\"\n";
            for (const auto& [k, v] : q.headers)
                if (HttpServerRequest::equalsNoCase(k, "X-Loki-Response-Encoding-Flags") || HttpServerRequest::equalsNoCase(k, "X-Scope-OrgID"))
                    c << "header = \"" << k << ": " << v << "\"\n";
            ++r.transfers;
        }
    }
    const std::string cmd = "curl -s -K " + config + " -w '%{size_download} %{time_total}\\n' > " + out;
    const double cpu0 = cpuSeconds(RUSAGE_CHILDREN);
    const auto t0 = Clock::now();
    const int rc = std::system(cmd.c_str());
    r.wall = seconds(Clock::now() - t0);
    r.cpu = cpuSeconds(RUSAGE_CHILDREN) - cpu0;
    std::ifstream in(out);
    int64_t size = 0;
    double total = 0;
    int lines = 0;
    while (in >> size >> total) {
        r.bytes += size;
        r.transferTotal += total;
        ++lines;
    }
    r.ok = rc == 0 && lines == r.transfers;
    if (!r.ok)
        std::fprintf(stderr, "curl replay: exit %d, %d of %d transfers reported\n", rc, lines, r.transfers);
    return r;
}

struct Options {
    int64_t lokiLines = 1'000'000;
    int lokiStreams = 12;
    int promSeries = 200;
    int64_t promPoints = 40'000;
    int64_t promStep = 15;
    std::string only;
    bool curl = true;
    bool fullText = true; // the CLI's writer indexes log bodies for full-text search as they arrive
    bool decodeOnly = false;
    int serverMs = 0; // the backend's own time per query (real ones take tens to hundreds of ms)
    std::string dir;
};

Source makeSource(const std::string& name, SourceType type, const std::string& url)
{
    Source s;
    s.name = name;
    s.type = type;
    s.url = url;
    return s;
}

// Runs one backend's phases; returns false when something did not add up.
bool runBackend(const char* label, const Source& source, const FetchRequest& request, LoopbackHttpServer& server, int64_t expected,
                const char* unit, const Options& opt, const std::string& dir)
{
    bool ok = true;
    auto connector = makeConnector(source);
    if (!connector) {
        std::fprintf(stderr, "%s\n", connector.error().message().c_str());
        return false;
    }

    // 1. The connector alone (also warms the server's and the kernel's buffers).
    CountingSink counting;
    Result<FetchOutcome> decoded = Error{};
    const Phase decode = measure([&] { decoded = (*connector)->fetch(request, counting); });
    if (!decoded || counting.records != expected) {
        std::fprintf(stderr, "%s decode-only: %s, %lld of %lld records\n", label,
                     decoded ? "ok" : decoded.error().message().c_str(), (long long)counting.records, (long long)expected);
        ok = false;
    }
    note((std::string(label) + " connector → counting sink").c_str(), decode);
    std::printf("BENCH fetch_%s_decode_%s %.0f %s/s\n", label, unit, double(counting.records) / decode.wall, unit);
    if (opt.decodeOnly)
        return ok;

    // 2. The whole fetch into a fresh cache, as `rootline-cli fetch` does it.
    const std::string cachePath = dir + "/" + label + ".rootline";
    std::filesystem::remove(cachePath);
    std::filesystem::remove(cachePath + "-wal");
    std::filesystem::remove(cachePath + "-shm");
    WriterOptions writerOptions;
    writerOptions.fullTextIndex = opt.fullText;
    auto writer = CacheWriter::open(cachePath, writerOptions);
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().message().c_str());
        return false;
    }
    const int requestsBefore = server.requestCount();
    Result<FetchReport> report = Error{};
    const Phase full = measure([&] { report = runFetch(**connector, **writer, {}, request); });
    if (!report) {
        std::fprintf(stderr, "%s fetch: %s\n", label, report.error().message().c_str());
        return false;
    }
    const int64_t stored = report->stored.logs + report->stored.samples;
    if (stored != expected || !report->complete) {
        std::fprintf(stderr, "%s fetch stored %lld of %lld records, %s %s\n", label, (long long)stored, (long long)expected,
                     report->complete ? "complete" : "partial:", report->partialReason.c_str());
        ok = false;
    }
    note((std::string(label) + " fetch → cache").c_str(), full);
    std::printf("# %s: %lld records, %d requests, %.1f MB received\n", label, (long long)stored, report->requests,
                double(report->bytes) / 1e6);
    const char* variant = opt.fullText ? "" : "_nofts"; // a diagnostic variant, not the CLI's path
    std::printf("BENCH fetch_%s%s_%s %.0f %s/s\n", label, variant, unit, double(stored) / full.wall, unit);
    std::printf("BENCH fetch_%s%s_mb %.1f MB/s\n", label, variant, double(report->bytes) / 1e6 / full.wall);
    std::printf("BENCH fetch_%s%s_cpu %.2f s\n", label, variant, full.cpu);
    std::vector<HttpServerRequest> replay;
    {
        auto all = server.requests();
        replay.assign(all.begin() + requestsBefore, all.end());
    }

    // 3. The same fetch again: answered from the cache's provenance.
    Result<FetchReport> again = Error{};
    const Phase cached = measure([&] {
        auto reader = CacheReader::open(cachePath);
        if (!reader) {
            again = reader.error();
            return;
        }
        auto history = (*reader)->fetches();
        if (!history) {
            again = history.error();
            return;
        }
        again = runFetch(**connector, **writer, *history, request);
    });
    if (!again || !again->fromCache()) {
        std::fprintf(stderr, "%s second fetch was not answered from the cache\n", label);
        ok = false;
    }
    std::printf("BENCH fetch_%s_cached_ms %.3f ms\n", label, cached.wall * 1000);

    // 4. curl: the same requests, replayed.
    if (opt.curl) {
        const CurlResult c = replayWithCurl(server.url(), replay, dir);
        ok = ok && c.ok;
        std::printf("# %s curl: %d transfers, %.1f MB, %.3f s wall (%.3f s summed time_total), curl CPU %.3f s, load %.2f\n", label,
                    c.transfers, double(c.bytes) / 1e6, c.wall, c.transferTotal, c.cpu, loadAverage());
        if (c.bytes != report->bytes)
            std::printf("# note: curl received %lld bytes, the connector %lld\n", (long long)c.bytes, (long long)report->bytes);
        const double curlRate = double(c.bytes) / 1e6 / c.wall;
        const double fetchRate = double(report->bytes) / 1e6 / full.wall;
        std::printf("BENCH curl_%s_mb %.1f MB/s\n", label, curlRate);
        std::printf("BENCH fetch_%s%s_vs_curl %.3f x\n", label, variant, fetchRate / curlRate);
    }
    return ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--loki-lines")
            opt.lokiLines = std::stoll(next());
        else if (a == "--loki-streams")
            opt.lokiStreams = std::stoi(next());
        else if (a == "--prom-series")
            opt.promSeries = std::stoi(next());
        else if (a == "--prom-points")
            opt.promPoints = std::stoll(next());
        else if (a == "--prom-step")
            opt.promStep = std::stoll(next());
        else if (a == "--only")
            opt.only = next();
        else if (a == "--no-curl")
            opt.curl = false;
        else if (a == "--no-fts")
            opt.fullText = false;
        else if (a == "--decode-only")
            opt.decodeOnly = true;
        else if (a == "--server-ms")
            opt.serverMs = std::stoi(next());
        else if (a == "--dir")
            opt.dir = next();
        else {
            std::fprintf(stderr,
                         "usage: bench_fetch [--loki-lines N] [--loki-streams N] [--prom-series N] [--prom-points N] [--prom-step S]\n"
                         "                   [--only loki|prometheus] [--no-curl] [--no-fts] [--decode-only] [--server-ms MS] [--dir DIR]\n");
            return 2;
        }
    }
    std::string dir = opt.dir;
    bool removeDir = false;
    if (dir.empty()) {
        char tmpl[] = "/tmp/bench_fetch.XXXXXX";
        dir = mkdtemp(tmpl);
        removeDir = true;
    }
    std::filesystem::create_directories(dir);

    utsname u{};
    uname(&u);
    std::printf("# bench_fetch on %s %s, %ld CPUs, load %.2f\n", u.nodename, u.release, sysconf(_SC_NPROCESSORS_ONLN), loadAverage());

    const bool doLoki = opt.only.empty() || opt.only == "loki";
    const bool doProm = opt.only.empty() || opt.only == "prometheus";
    const int64_t t0 = int64_t(1'795'300'000) * 1'000'000'000;
    bool ok = true;

    LokiData loki;
    PromData prom;
    if (doLoki)
        loki.generate(opt.lokiLines, opt.lokiStreams, t0);
    if (doProm)
        prom.generate(opt.promSeries, opt.promPoints, opt.promStep, t0 / 1'000'000'000);
    if (doLoki)
        std::printf("# loki data: %lld lines in %d streams, %.1f MB of line text\n", (long long)opt.lokiLines, opt.lokiStreams,
                    double(loki.lineBytes) / 1e6);
    if (doProm)
        std::printf("# prometheus data: %d series x %lld points (step %llds) = %lld samples\n", opt.promSeries, (long long)opt.promPoints,
                    (long long)opt.promStep, (long long)prom.samples());

    LoopbackHttpServer server([&](const HttpServerRequest& req, HttpServerConnection& conn) {
        static const bool trace = std::getenv("BENCH_FETCH_TRACE") != nullptr;
        static const auto started = Clock::now();
        if (trace)
            std::fprintf(stderr, "%8.3f fd %d %s\n", seconds(Clock::now() - started), conn.fd(), req.target.c_str());
        if (opt.serverMs > 0)
            conn.sleepFor(std::chrono::milliseconds(opt.serverMs));
        int status = 404;
        std::string body;
        std::string type = "application/json";
        if (req.path == "/loki/api/v1/query_range" && doLoki) {
            body = loki.queryRange(req, status);
            if (status != 200)
                type = "text/plain; charset=utf-8";
        } else if (req.path == "/api/v1/query_range" && doProm) {
            body = prom.queryRange(req, status);
        } else {
            body = "404 page not found";
            type = "text/plain; charset=utf-8";
        }
        // Head and body written separately: no extra copy of a large body.
        conn.write(LoopbackHttpServer::head(status, {{"Content-Type", type}, {"Content-Length", std::to_string(body.size())}}));
        conn.write(body);
    });

    if (doLoki) {
        FetchRequest r;
        r.source = "bench-loki";
        r.kind = FetchKind::Logs;
        r.query = R"({namespace="prod"})";
        r.window = {Timestamp::fromNanos(loki.firstTs), Timestamp::fromNanos(loki.lastTs + 1)};
        r.limit = opt.lokiLines * 2; // above the line count: every line, and a complete result
        r.backward = true;
        ok = runBackend("loki", makeSource("bench-loki", SourceType::Loki, server.url()), r, server, opt.lokiLines, "lines", opt, dir) && ok;
    }
    if (doProm) {
        FetchRequest r;
        r.source = "bench-prometheus";
        r.kind = FetchKind::Series;
        r.query = R"({__name__=~"http_server_.*"})";
        const int64_t step = opt.promStep * 1'000'000'000;
        const int64_t from = (t0 / step) * step;
        r.window = {Timestamp::fromNanos(from), Timestamp::fromNanos(from + step * opt.promPoints)};
        r.step = Duration::nanos(step);
        ok = runBackend("prometheus", makeSource("bench-prometheus", SourceType::Prometheus, server.url()), r, server, prom.samples(),
                        "samples", opt, dir)
            && ok;
    }
    std::printf("# peak RSS %ld MB, load %.2f\n", peakRssMb(), loadAverage());
    server.stop();
    if (removeDir)
        std::filesystem::remove_all(dir);
    return ok ? 0 : 1;
}
