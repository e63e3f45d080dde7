// Import benchmarks (issue 3): end-to-end import rates of large OTLP logs JSON lines (plain and
// zstd) and Jaeger JSON files through the real ImportJob path, with and without full-text
// indexing, the parse-only rate of the same files, and peak RSS per case.
//
//   bench_import [--dir DIR] [--mb N] [--cases a,b,...] [--batch N] [--keep] [--trace-spans N]
//
// Only when named in --cases: import_jaeger_1m_trace, one Jaeger trace of --trace-spans spans
// (1,000,000 by default, ~360 MB: {"data":[{"traceID":…,"spans":[…],"processes":{…}}]}, the
// processes after the spans) in jaeger_trace_1m.json, the whole file one element of "data"
// (issue 10, big traces end to end).
//
// Generates (deterministically) into DIR: otlp_logs.jsonl (~N MB, the Collector file exporter's
// shape), otlp_logs.jsonl.zst (the same, zstd) and jaeger.json (~N MB, {"data":[traces]}); files
// generated before for the same N are reused. Each case runs in a child process (this program
// again, with --case NAME) so its peak RSS (VmHWM) is its own. Rates are in MB (10^6 bytes) of
// uncompressed input per second of wall time. Without --keep the generated files are removed.

#include "cache/CacheWriter.h"
#include "import/ByteSource.h"
#include "import/Format.h"
#include "import/ImportJob.h"
#include "import/JsonSplitter.h"
#include "import/RecordSink.h"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <time.h>
#include <vector>
#include <zstd.h>

using namespace rootline;
namespace fs = std::filesystem;

namespace {

size_t g_batchSize = ImportOptions().batchSize; // --batch: records per batch handed to the writer
int64_t g_traceSpans = 1'000'000;               // --trace-spans: spans of the one big trace

constexpr int kGeneratorVersion = 2;

// ---- deterministic generation ------------------------------------------------------------

struct Rng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

const char* const kWords[] = {
    "checkout",  "payment",  "order",      "cart",    "user",      "timeout",   "request",
    "completed", "started",  "gateway",    "retry",   "inventory", "latency",   "db",
    "query",     "cache",    "miss",       "hit",     "shipping",  "quote",     "session",
    "token",     "upstream", "connection", "reset",   "pool",      "exhausted", "slow",
    "handler",   "response", "invalid",    "customer"};
constexpr size_t kWordCount = sizeof kWords / sizeof kWords[0];

struct Service {
    const char* name;
    const char* version;
    const char* ns;
};
const Service kServices[] = {
    {"frontend", "2.3.1", "shop"},       {"checkout", "1.14.0", "shop"},
    {"payment", "4.2.7", "shop"},        {"cart", "0.9.12", "shop"},
    {"catalog", "3.0.0", "shop"},        {"shipping", "1.1.4", "shop"},
    {"currency", "2.0.3", "shop"},       {"email", "1.0.9", "notify"},
    {"recommendation", "5.1.0", "shop"}, {"payment-gateway", "7.3.2", "ext"}};
constexpr size_t kServiceCount = sizeof kServices / sizeof kServices[0];

const char* const kRoutes[] = {"/api/checkout", "/api/cart",           "/api/orders/{id}",
                               "/api/products", "/api/payment/charge", "/healthz"};
const char* const kMethods[] = {"GET", "POST", "PUT", "DELETE"};
const char* const kLevels[] = {"DEBUG", "INFO", "INFO", "INFO", "INFO", "WARN", "ERROR"};
const int kLevelNumbers[] = {5, 9, 9, 9, 9, 13, 17};

void appendHex(std::string& out, uint64_t v, int digits) {
    static const char* hex = "0123456789abcdef";
    for (int i = digits - 1; i >= 0; --i)
        out += hex[(v >> (4 * i)) & 15];
}

void appendWords(std::string& out, Rng& rng, int count) {
    for (int i = 0; i < count; ++i) {
        if (i)
            out += ' ';
        out += kWords[rng.below(kWordCount)];
    }
}

// A long body: a Java-style stack trace, an SQL statement or an escaped JSON payload.
void appendLongBody(std::string& out, Rng& rng) {
    switch (rng.below(3)) {
    case 0: {
        out += "java.lang.IllegalStateException: ";
        appendWords(out, rng, 8);
        const int frames = 8 + int(rng.below(20));
        for (int f = 0; f < frames; ++f) {
            out += "\\n\\tat com.example.shop.";
            out += kWords[rng.below(kWordCount)];
            out += ".Handler";
            out += std::to_string(rng.below(40));
            out += ".handle(Handler.java:";
            out += std::to_string(20 + rng.below(400));
            out += ")";
        }
        break;
    }
    case 1:
        out += "slow query (";
        out += std::to_string(200 + rng.below(5000));
        out += " ms): SELECT o.id, o.customer_id, o.total, i.sku, i.qty FROM orders o JOIN "
               "order_items i ON i.order_id = o.id "
               "WHERE o.customer_id = $1 AND o.created_at > now() - interval '30 days' AND "
               "o.status IN ('paid','shipped') "
               "ORDER BY o.created_at DESC LIMIT 50 -- ";
        appendWords(out, rng, 20);
        break;
    default:
        out += "upstream response: {\\\"order\\\":{\\\"id\\\":\\\"";
        appendHex(out, rng.next(), 16);
        out += "\\\",\\\"items\\\":[";
        for (int i = 0, n = 3 + int(rng.below(12)); i < n; ++i) {
            if (i)
                out += ',';
            out += "{\\\"sku\\\":\\\"SKU-";
            out += std::to_string(rng.below(100000));
            out += "\\\",\\\"qty\\\":";
            out += std::to_string(1 + rng.below(5));
            out += ",\\\"note\\\":\\\"";
            appendWords(out, rng, 4);
            out += "\\\"}";
        }
        out += "]}}";
    }
}

void stringAttr(std::string& out, const char* key, std::string_view value) {
    out += "{\"key\":\"";
    out += key;
    out += "\",\"value\":{\"stringValue\":\"";
    out += value;
    out += "\"}}";
}

void intAttr(std::string& out, const char* key, int64_t value) {
    out += "{\"key\":\"";
    out += key;
    out += "\",\"value\":{\"intValue\":\"";
    out += std::to_string(value);
    out += "\"}}";
}

// The requests in flight: a log joins one of them (~6 logs per trace, a new span now and then),
// as logs of instrumented services do; ~10 % carry no trace context at all (background work).
struct TracePool {
    struct Slot {
        uint64_t hi = 0, lo = 0, span = 0;
    };
    Slot slots[64];
    explicit TracePool(Rng& rng) {
        for (Slot& s : slots)
            s = {rng.next(), rng.next(), rng.next()};
    }
    const Slot* pick(Rng& rng) {
        if (rng.below(10) == 0)
            return nullptr;
        Slot& s = slots[rng.below(64)];
        if (rng.below(6) == 0)
            s = {rng.next(), rng.next(), rng.next()};
        else if (rng.below(3) == 0)
            s.span = rng.next();
        return &s;
    }
};

// One ExportLogsServiceRequest as the Collector's file exporter writes it: one JSON line with a
// resourceLogs block per service, each with a scope and its log records.
void appendOtlpLine(std::string& out, Rng& rng, int64_t& clockNs, TracePool& traces) {
    out += "{\"resourceLogs\":[";
    const int blocks = 2 + int(rng.below(3));
    for (int b = 0; b < blocks; ++b) {
        const Service& s = kServices[rng.below(kServiceCount)];
        if (b)
            out += ',';
        out += "{\"resource\":{\"attributes\":[";
        stringAttr(out, "service.name", s.name);
        out += ',';
        stringAttr(out, "service.namespace", s.ns);
        out += ',';
        stringAttr(out, "service.version", s.version);
        out += ',';
        stringAttr(out, "deployment.environment", "production");
        out += ',';
        std::string host = std::string(s.name) + "-7d9f8b6c4-";
        appendHex(host, rng.below(1 << 20), 5);
        stringAttr(out, "host.name", host);
        out += ',';
        stringAttr(out, "k8s.pod.name", host);
        out += ',';
        stringAttr(out, "telemetry.sdk.language", "java");
        out += "],\"droppedAttributesCount\":0},\"scopeLogs\":[{\"scope\":{\"name\":\"io."
               "opentelemetry.";
        out += s.name;
        out += "\",\"version\":\"1.32.0\"},\"logRecords\":[";
        const int records = 20 + int(rng.below(60));
        for (int r = 0; r < records; ++r) {
            clockNs += 100000 + int64_t(rng.below(900000));
            const size_t level = rng.below(7);
            if (r)
                out += ',';
            out += "{\"timeUnixNano\":\"";
            out += std::to_string(clockNs);
            out += "\",\"observedTimeUnixNano\":\"";
            out += std::to_string(clockNs + 1500000);
            out += "\",\"severityNumber\":";
            out += std::to_string(kLevelNumbers[level]);
            out += ",\"severityText\":\"";
            out += kLevels[level];
            out += "\",\"body\":{\"stringValue\":\"";
            if (rng.below(5) == 0) {
                appendLongBody(out, rng);
            } else {
                appendWords(out, rng, 6 + int(rng.below(10)));
                out += " order_id=";
                out += std::to_string(rng.below(1000000));
            }
            out += "\"},\"attributes\":[";
            stringAttr(out, "http.method", kMethods[rng.below(4)]);
            out += ',';
            stringAttr(out, "http.route", kRoutes[rng.below(6)]);
            out += ',';
            intAttr(out, "http.status_code", level >= 6 ? 500 : 200);
            out += ",{\"key\":\"duration_ms\",\"value\":{\"doubleValue\":";
            out += std::to_string(double(rng.below(200000)) / 100.0);
            out += "}},";
            std::string user = "u-";
            appendHex(user, rng.below(1 << 24), 6);
            stringAttr(out, "enduser.id", user);
            out += ",{\"key\":\"retry\",\"value\":{\"boolValue\":";
            out += rng.below(10) == 0 ? "true" : "false";
            out += "}},";
            stringAttr(out, "thread.name", "http-nio-8080-exec-" + std::to_string(rng.below(32)));
            out += "],\"droppedAttributesCount\":0";
            if (const TracePool::Slot* t = traces.pick(rng)) {
                out += ",\"flags\":1,\"traceId\":\"";
                appendHex(out, t->hi, 16);
                appendHex(out, t->lo, 16);
                out += "\",\"spanId\":\"";
                appendHex(out, t->span, 16);
                out += '"';
            }
            out += '}';
        }
        out += "]}],\"schemaUrl\":\"https://opentelemetry.io/schemas/1.21.0\"}";
    }
    out += "]}\n";
}

void tag(std::string& out, const char* key, const char* type, const std::string& value,
         bool quote) {
    out += "{\"key\":\"";
    out += key;
    out += "\",\"type\":\"";
    out += type;
    out += "\",\"value\":";
    if (quote)
        out += '"';
    out += value;
    if (quote)
        out += '"';
    out += '}';
}

// One jaeger-ui trace: spans with references, tags and logs, and the processes map.
void appendJaegerTrace(std::string& out, Rng& rng, int64_t& clockUs) {
    std::string traceId;
    appendHex(traceId, rng.next(), 16);
    appendHex(traceId, rng.next(), 16);
    const int spanCount = 5 + int(rng.below(36));
    const int processCount = 2 + int(rng.below(4));
    std::vector<size_t> services;
    for (int p = 0; p < processCount; ++p)
        services.push_back(rng.below(kServiceCount));
    std::vector<std::string> spanIds;
    clockUs += 1000 + int64_t(rng.below(50000));
    out += "{\"traceID\":\"" + traceId + "\",\"spans\":[";
    for (int i = 0; i < spanCount; ++i) {
        std::string spanId;
        appendHex(spanId, rng.next(), 16);
        spanIds.push_back(spanId);
        if (i)
            out += ',';
        out +=
            "{\"traceID\":\"" + traceId + "\",\"spanID\":\"" + spanId + "\",\"operationName\":\"";
        out += kMethods[rng.below(4)];
        out += ' ';
        out += kRoutes[rng.below(6)];
        out += "\",\"references\":[";
        if (i > 0) {
            out += "{\"refType\":\"";
            out += rng.below(20) == 0 ? "FOLLOWS_FROM" : "CHILD_OF";
            out += "\",\"traceID\":\"" + traceId + "\",\"spanID\":\"" +
                   spanIds[rng.below(size_t(i))] + "\"}";
        }
        const int64_t start = clockUs + int64_t(i) * 150 + int64_t(rng.below(500));
        out += "],\"startTime\":" + std::to_string(start) +
               ",\"duration\":" + std::to_string(50 + rng.below(200000));
        out += ",\"tags\":[";
        tag(out, "span.kind", "string", i == 0 ? "server" : (rng.below(2) ? "client" : "server"),
            true);
        out += ',';
        tag(out, "http.method", "string", kMethods[rng.below(4)], true);
        out += ',';
        tag(out, "http.status_code", "int64", rng.below(30) == 0 ? "503" : "200", false);
        out += ',';
        tag(out, "component", "string", "net/http", true);
        out += ',';
        tag(out, "peer.port", "int64", std::to_string(1024 + rng.below(60000)), false);
        out += ',';
        tag(out, "sampler.param", "float64", "0.25", false);
        out += ',';
        tag(out, "error", "bool", rng.below(30) == 0 ? "true" : "false", false);
        out += ',';
        tag(out, "internal.span.format", "string", "proto", true);
        out += "],\"logs\":[";
        const int logs = int(rng.below(4));
        for (int l = 0; l < logs; ++l) {
            if (l)
                out += ',';
            out += "{\"timestamp\":" + std::to_string(start + 10 + int64_t(rng.below(1000))) +
                   ",\"fields\":[";
            tag(out, "event", "string", kWords[rng.below(kWordCount)], true);
            out += ',';
            std::string message;
            if (rng.below(5) == 0)
                appendLongBody(message, rng);
            else
                appendWords(message, rng, 8);
            tag(out, "message", "string", message, true);
            out += "]}";
        }
        out += "],\"processID\":\"p" + std::to_string(1 + rng.below(size_t(processCount))) +
               "\",\"warnings\":null,\"flags\":1}";
    }
    out += "],\"processes\":{";
    for (int p = 0; p < processCount; ++p) {
        const Service& s = kServices[services[size_t(p)]];
        if (p)
            out += ',';
        out += "\"p" + std::to_string(p + 1) + "\":{\"serviceName\":\"" + s.name + "\",\"tags\":[";
        tag(out, "hostname", "string",
            std::string(s.name) + "-host-" + std::to_string(rng.below(8)), true);
        out += ',';
        tag(out, "ip", "string",
            "10.0." + std::to_string(rng.below(255)) + "." + std::to_string(rng.below(255)), true);
        out += ',';
        tag(out, "jaeger.version", "string", "Go-2.30.0", true);
        out += ',';
        tag(out, "client-uuid", "string", std::to_string(rng.next()), true);
        out += "]}";
    }
    out += "},\"warnings\":null}";
}

class ZstdWriter {
public:
    explicit ZstdWriter(FILE* out)
        : m_out(out)
        , m_ctx(ZSTD_createCCtx())
        , m_buffer(ZSTD_CStreamOutSize()) {
        ZSTD_CCtx_setParameter(m_ctx, ZSTD_c_compressionLevel, 3);
    }
    ~ZstdWriter() { ZSTD_freeCCtx(m_ctx); }
    void write(std::string_view data, bool last) {
        ZSTD_inBuffer in{data.data(), data.size(), 0};
        for (;;) {
            ZSTD_outBuffer out{m_buffer.data(), m_buffer.size(), 0};
            const size_t rc =
                ZSTD_compressStream2(m_ctx, &out, &in, last ? ZSTD_e_end : ZSTD_e_continue);
            if (ZSTD_isError(rc)) {
                std::fprintf(stderr, "zstd: %s\n", ZSTD_getErrorName(rc));
                std::exit(2);
            }
            std::fwrite(m_buffer.data(), 1, out.pos, m_out);
            if (last ? rc == 0 : in.pos == in.size)
                break;
        }
    }

private:
    FILE* m_out;
    ZSTD_CCtx* m_ctx;
    std::vector<char> m_buffer;
};

FILE* openOut(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) {
        std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), std::strerror(errno));
        std::exit(2);
    }
    return f;
}

void generate(const std::string& dir, int64_t bytes) {
    const std::string stampPath = dir + "/bench_import.stamp";
    const std::string stamp = std::to_string(kGeneratorVersion) + " " + std::to_string(bytes);
    {
        std::ifstream in(stampPath);
        std::string seen;
        std::getline(in, seen);
        if (seen == stamp && fs::exists(dir + "/otlp_logs.jsonl") &&
            fs::exists(dir + "/otlp_logs.jsonl.zst") && fs::exists(dir + "/jaeger.json")) {
            std::printf("# reusing the files generated before in %s\n", dir.c_str());
            return;
        }
    }
    fs::remove(stampPath);
    const auto t0 = std::chrono::steady_clock::now();
    {
        FILE* plain = openOut(dir + "/otlp_logs.jsonl");
        FILE* packed = openOut(dir + "/otlp_logs.jsonl.zst");
        ZstdWriter zstd(packed);
        Rng rng{20261123};
        TracePool traces(rng);
        int64_t clock = 1795176000000000000LL, written = 0;
        std::string chunk;
        while (written < bytes) {
            chunk.clear();
            while (chunk.size() < (size_t(4) << 20) && written + int64_t(chunk.size()) < bytes)
                appendOtlpLine(chunk, rng, clock, traces);
            std::fwrite(chunk.data(), 1, chunk.size(), plain);
            written += int64_t(chunk.size());
            zstd.write(chunk, written >= bytes);
        }
        std::fclose(plain);
        std::fclose(packed);
    }
    {
        FILE* out = openOut(dir + "/jaeger.json");
        Rng rng{4242};
        int64_t clock = 1795176000000000LL, written = 0;
        std::string chunk = "{\"data\":[";
        bool first = true;
        while (written + int64_t(chunk.size()) < bytes) {
            if (!first)
                chunk += ',';
            first = false;
            appendJaegerTrace(chunk, rng, clock);
            if (chunk.size() >= (size_t(4) << 20)) {
                std::fwrite(chunk.data(), 1, chunk.size(), out);
                written += int64_t(chunk.size());
                chunk.clear();
            }
        }
        chunk += "],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}\n";
        std::fwrite(chunk.data(), 1, chunk.size(), out);
        std::fclose(out);
    }
    std::ofstream(stampPath) << stamp << "\n";
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("# generated %s in %.1f s\n", dir.c_str(), s);
}

// One trace of `spans` spans, ~360 bytes each: a tree four wide, services by depth, the
// processes after the spans as Jaeger's UI writes them.
void generateBigTrace(const std::string& path, int64_t spans) {
    if (fs::exists(path)) {
        std::printf("# reusing %s\n", path.c_str());
        return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    FILE* out = openOut(path);
    Rng rng{1000000};
    const std::string traceId = "7f3a9c1e5b2d4f60a1b2c3d4e5f60718";
    std::string chunk = "{\"data\":[{\"traceID\":\"" + traceId + "\",\"spans\":[";
    for (int64_t i = 0; i < spans; ++i) {
        std::string spanId, parentId;
        appendHex(spanId, uint64_t(i) + 1, 16);
        appendHex(parentId, uint64_t(i - 1) / 4 + 1, 16);
        if (i)
            chunk += ',';
        chunk += "{\"traceID\":\"" + traceId + "\",\"spanID\":\"" + spanId + "\",\"operationName\":\"";
        chunk += kMethods[rng.below(4)];
        chunk += ' ';
        chunk += kRoutes[rng.below(6)];
        chunk += "\",\"references\":[";
        if (i > 0)
            chunk += "{\"refType\":\"CHILD_OF\",\"traceID\":\"" + traceId + "\",\"spanID\":\"" + parentId + "\"}";
        chunk += "],\"startTime\":" + std::to_string(1795176000000000LL + i * 3) + ",\"duration\":" + std::to_string(50 + rng.below(2000));
        chunk += ",\"tags\":[";
        tag(chunk, "span.kind", "string", i == 0 ? "server" : "client", true);
        chunk += ',';
        tag(chunk, "http.status_code", "int64", rng.below(30) == 0 ? "503" : "200", false);
        chunk += ',';
        tag(chunk, "error", "bool", rng.below(50) == 0 ? "true" : "false", false);
        chunk += "],\"logs\":[],\"processID\":\"p" + std::to_string(1 + rng.below(8)) + "\",\"warnings\":null}";
        if (chunk.size() >= (size_t(4) << 20)) {
            std::fwrite(chunk.data(), 1, chunk.size(), out);
            chunk.clear();
        }
    }
    chunk += "],\"processes\":{";
    for (int p = 1; p <= 8; ++p)
        chunk += (p > 1 ? ",\"p" : "\"p") + std::to_string(p) + "\":{\"serviceName\":\"service-" + std::to_string(p)
                 + "\",\"tags\":[{\"key\":\"hostname\",\"type\":\"string\",\"value\":\"host-" + std::to_string(p) + "\"}]}";
    chunk += "},\"warnings\":null}],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}\n";
    std::fwrite(chunk.data(), 1, chunk.size(), out);
    std::fclose(out);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("# generated %s (%" PRId64 " spans, %.0f MB) in %.1f s\n", path.c_str(), spans,
                double(fs::file_size(path)) / 1e6, s);
}

// ---- cases (each runs in its own process) -------------------------------------------------

int64_t peakRssKb() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::strtoll(line.c_str() + 6, nullptr, 10);
    return -1;
}

class CountingSink final : public RecordSink {
public:
    Status batch(TelemetryBatch&& b) override {
        records += int64_t(b.recordCount());
        return {};
    }
    void reject(std::string, std::string, std::string) override { ++rejected; }
    int64_t records = 0, rejected = 0;
};

double cpuSeconds(clockid_t clock) {
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct CaseResult {
    double seconds = 0;
    int64_t records = 0, rejected = 0;
    std::string note;
};

// What the importer's second pass does, minus the cache: split the file into pieces and parse
// each into a sink that only counts.
CaseResult parseOnly(const std::string& path, const char* formatName) {
    CaseResult r;
    const Format* format = formatByName(formatName);
    const auto t0 = std::chrono::steady_clock::now();
    auto file = openFileSource(path);
    auto source = file ? decompressing(std::move(*file), path)
                       : Result<std::unique_ptr<ByteSource>>(file.error());
    if (!source) {
        r.note = source.error().message();
        return r;
    }
    CountingSink sink;
    ParseContext base;
    base.origin = path;
    JsonSplitterOptions so;
    so.splitPaths = format->splitPaths;
    JsonSplitter splitter(so);
    auto onPiece = [&](const JsonPiece& piece) -> Status {
        if (piece.broken) {
            ++sink.rejected;
            return {};
        }
        ParseContext ctx = base;
        ctx.firstLine = piece.firstLine;
        ctx.firstByte = piece.firstByte;
        ctx.singleValue = true; // as the importer hands pieces over
        if (Status s = format->parse(piece.document, ctx, sink); !s)
            ++sink.rejected;
        return {};
    };
    std::string buffer(size_t(1) << 20, '\0');
    for (;;) {
        auto n = (*source)->read(buffer.data(), buffer.size());
        if (!n || *n == 0)
            break;
        if (Status s = splitter.feed(std::string_view(buffer.data(), *n), onPiece); !s) {
            r.note = s.error().message();
            break;
        }
    }
    (void)splitter.finish(onPiece);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.records = sink.records;
    r.rejected = sink.rejected;
    return r;
}

CaseResult importCase(const std::string& dir, const std::string& input, bool fullText,
                      const std::string& name) {
    CaseResult r;
    const std::string cache = dir + "/" + name + ".rootline";
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(cache + suffix);
    const auto t0 = std::chrono::steady_clock::now();
    ImportOptions options;
    options.batchSize = g_batchSize;
    ImportJob job({input}, options);
    WriterOptions wo;
    wo.fullTextIndex = fullText;
    auto summary = job.run(cache, wo);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!summary) {
        r.note = summary.error().message();
    } else {
        r.records = summary->totals.total();
        for (const auto& f : summary->files) {
            r.rejected += f.rejected;
            if (f.outcome != ImportFileResult::Outcome::Imported)
                r.note = std::string(outcomeName(f.outcome)) + ": " + f.note;
        }
    }
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(cache + suffix);
    return r;
}

struct CaseSpec {
    const char* name;
    const char* file;
    enum { Import, ImportNoFts, Parse } kind;
    const char* format;
};
const CaseSpec kCases[] = {
    {"import_otlp_logs", "otlp_logs.jsonl", CaseSpec::Import, "otlp-json"},
    {"import_otlp_logs_nofts", "otlp_logs.jsonl", CaseSpec::ImportNoFts, "otlp-json"},
    {"import_otlp_logs_zstd", "otlp_logs.jsonl.zst", CaseSpec::Import, "otlp-json"},
    {"parse_otlp_logs", "otlp_logs.jsonl", CaseSpec::Parse, "otlp-json"},
    {"import_jaeger", "jaeger.json", CaseSpec::Import, "jaeger-json"},
    {"import_jaeger_nofts", "jaeger.json", CaseSpec::ImportNoFts, "jaeger-json"},
    {"parse_jaeger", "jaeger.json", CaseSpec::Parse, "jaeger-json"},
    {"import_jaeger_1m_trace", "jaeger_trace_1m.json", CaseSpec::Import, "jaeger-json"}, // only when named
};
constexpr const char* kBigTraceCase = "import_jaeger_1m_trace";

int runCase(const std::string& dir, const std::string& name) {
    for (const CaseSpec& c : kCases) {
        if (name != c.name)
            continue;
        const std::string input = dir + "/" + c.file;
        const CaseResult r = c.kind == CaseSpec::Parse
                                 ? parseOnly(input, c.format)
                                 : importCase(dir, input, c.kind == CaseSpec::Import, c.name);
        // One line for the parent: seconds, records, rejected, peak RSS (KiB), CPU seconds of the
        // process and of this (the parsing) thread — the rest is the writer thread — and a note.
        std::printf("RESULT %.6f %" PRId64 " %" PRId64 " %" PRId64 " %.6f %.6f %s\n", r.seconds,
                    r.records, r.rejected, peakRssKb(), cpuSeconds(CLOCK_PROCESS_CPUTIME_ID),
                    cpuSeconds(CLOCK_THREAD_CPUTIME_ID), r.note.c_str());
        return r.note.empty() ? 0 : 1;
    }
    std::fprintf(stderr, "unknown case %s\n", name.c_str());
    return 2;
}

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

} // namespace

int main(int argc, char** argv) {
    std::string dir, only, caseName;
    int64_t mb = 1000;
    bool keep = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "%s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--dir")
            dir = value();
        else if (a == "--mb")
            mb = std::strtoll(value().c_str(), nullptr, 10);
        else if (a == "--cases")
            only = "," + value() + ",";
        else if (a == "--case")
            caseName = value();
        else if (a == "--batch")
            g_batchSize = size_t(std::strtoull(value().c_str(), nullptr, 10));
        else if (a == "--keep")
            keep = true;
        else if (a == "--trace-spans")
            g_traceSpans = std::strtoll(value().c_str(), nullptr, 10);
        else {
            std::fprintf(
                stderr,
                "usage: bench_import [--dir DIR] [--mb N] [--cases a,b] [--batch N] [--keep]\n");
            return 2;
        }
    }
    if (dir.empty())
        dir = (fs::temp_directory_path() / "rootline-bench-import").string();
    if (!caseName.empty())
        return runCase(dir, caseName);

    fs::create_directories(dir);
    const bool bigTrace = only.find(std::string(",") + kBigTraceCase + ",") != std::string::npos;
    if (bigTrace)
        generateBigTrace(dir + "/jaeger_trace_1m.json", g_traceSpans);
    generate(dir, mb * 1000000);
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    int64_t peakKb = 0;
    int failures = 0;
    for (const CaseSpec& c : kCases) {
        if (!only.empty() && only.find("," + std::string(c.name) + ",") == std::string::npos)
            continue;
        if (std::string(c.name) == kBigTraceCase && !bigTrace)
            continue;
        const std::string input = dir + "/" + c.file;
        // Rates are per uncompressed byte: the zstd case moves the same JSON as the plain one.
        const int64_t bytes = int64_t(fs::file_size(dir + "/" +
                                                    (std::string(c.file) == "otlp_logs.jsonl.zst"
                                                         ? std::string("otlp_logs.jsonl")
                                                         : std::string(c.file))));
        const std::string command = shellQuote(self) + " --dir " + shellQuote(dir) + " --case " +
                                    c.name + " --batch " + std::to_string(g_batchSize);
        FILE* child = ::popen(command.c_str(), "r");
        if (!child) {
            std::fprintf(stderr, "cannot run %s\n", command.c_str());
            return 2;
        }
        char line[4096];
        double seconds = 0, cpuTotal = 0, cpuMain = 0;
        long long records = 0, rejected = 0, rssKb = 0;
        char note[2048] = "";
        bool got = false;
        while (std::fgets(line, sizeof line, child))
            if (std::sscanf(line, "RESULT %lf %lld %lld %lld %lf %lf %2047[^\n]", &seconds,
                            &records, &rejected, &rssKb, &cpuTotal, &cpuMain, note) >= 6)
                got = true;
        const int status = ::pclose(child);
        if (!got || status != 0 || seconds <= 0) {
            std::printf("# %s failed (exit %d): %s\n", c.name, status, note);
            ++failures;
            continue;
        }
        peakKb = std::max<int64_t>(peakKb, rssKb);
        std::printf("BENCH %s %.1f MB/s\n", c.name, double(bytes) / 1e6 / seconds);
        std::printf("BENCH %s_rss %.0f MB\n", c.name, double(rssKb) / 1024.0);
        std::printf("# %s: %.1f MB in %.2f s, %lld records (%.0f/s), %lld rejected\n", c.name,
                    double(bytes) / 1e6, seconds, records, double(records) / seconds, rejected);
        // On a shared machine the wall time includes waiting for a core; the CPU time of the
        // busier thread bounds what an idle 2-core machine would do.
        const double busiest = std::max(cpuMain, cpuTotal - cpuMain);
        std::printf("# %s: CPU %.2f s (parse thread %.2f s, writer and others %.2f s): %.1f MB/s "
                    "if the busier thread had a core\n",
                    c.name, cpuTotal, cpuMain, cpuTotal - cpuMain, double(bytes) / 1e6 / busiest);
        std::fflush(stdout);
    }
    std::printf("BENCH import_peak_rss %.0f MB\n", double(peakKb) / 1024.0);
    if (!keep) {
        for (const char* f :
             {"otlp_logs.jsonl", "otlp_logs.jsonl.zst", "jaeger.json", "bench_import.stamp", "jaeger_trace_1m.json"})
            fs::remove(dir + "/" + f);
        std::error_code ec;
        fs::remove(dir, ec); // only when empty
    }
    return failures ? 1 : 0;
}
