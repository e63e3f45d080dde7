// Trace view benchmark (issue 10): one big trace, from the cache to the first paint of both views.
//
//   bench_trace [--spans N] [--cache FILE]
//
// Writes a trace of N spans (default 100,000: a fan-out tree over eight services, one of them with
// its clock 25 ms ahead, a few errors and three spans whose parent is missing) into FILE (default:
// a temporary cache, removed at the end), then measures what `rootline --trace ID` does with it:
// read the spans (trace_read), lay them out (trace_layout: tree, self time, critical path, clock
// skew, per-depth rows) and paint the waterfall, flame graph and minimap once (trace_first_paint).
// trace_open_<N/1000>k is their sum. Prints the trace id, so the cache can be opened with --trace.

#include "SpanWaterfall.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "trace/FlameGraphView.h"
#include "trace/TraceLayout.h"
#include "trace/TraceMinimap.h"
#include "trace/TraceView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <cstdio>
#include <deque>
#include <random>

using namespace rootline;

namespace {

TraceId benchTraceId()
{
    TraceId id;
    id.high = 0x0123456789abcdefULL;
    id.low = 0x0fedcba987654321ULL;
    return id;
}

std::vector<Span> bigTrace(int n)
{
    const char* services[] = {"frontend", "checkout", "cart", "payment", "inventory", "shipping", "catalog", "currency"};
    const char* ops[] = {"GET /api/items", "POST /charge", "SELECT items", "HGET", "quote", "convert", "reserve", "render"};
    std::vector<ResourcePtr> resources;
    for (const char* s : services)
        resources.push_back(makeResource(Attributes{{"service.name", std::string(s)}}));
    std::mt19937_64 rng(7);
    const Timestamp t0 = Timestamp::fromSeconds(1'795'000'000);
    std::vector<Span> spans;
    spans.reserve(size_t(n));
    auto make = [&](uint64_t id, std::optional<uint64_t> parent, int service, Timestamp start, Duration d) {
        Span s;
        s.traceId = benchTraceId();
        s.spanId = SpanId{id};
        s.parentSpanId = parent ? std::optional<SpanId>(SpanId{*parent}) : std::nullopt;
        s.name = ops[rng() % 8];
        s.kind = SpanKind::Server;
        s.start = start;
        s.duration = d;
        s.resource = resources[size_t(service)];
        s.attributes.set("http.status_code", int64_t(200));
        s.attributes.set("item.id", int64_t(rng() % 100000));
        if (rng() % 997 == 0) {
            s.status = StatusCode::Error;
            s.statusMessage = "context deadline exceeded";
        }
        spans.push_back(std::move(s));
    };
    make(1, std::nullopt, 0, t0, Duration::seconds(30));
    std::deque<size_t> queue{0}; // breadth first: a bushy tree about a dozen levels deep
    uint64_t next = 2;
    while (!queue.empty() && int(spans.size()) < n - 3) {
        const size_t p = queue.front();
        queue.pop_front();
        const Timestamp ps = spans[p].start;
        const int64_t pd = spans[p].duration.count();
        const int service = int(spans[p].resource == resources[0] ? 1 : rng() % 8);
        const int children = 2 + int(rng() % 6);
        for (int c = 0; c < children && int(spans.size()) < n - 3; ++c) {
            const int64_t start = int64_t(rng() % uint64_t(std::max<int64_t>(1, pd * 9 / 10)));
            const int64_t d = std::max<int64_t>(1000, int64_t(rng() % uint64_t(std::max<int64_t>(1, (pd - start) * 8 / 10))));
            // inventory's clock runs 25 ms ahead of everyone else's.
            const Duration skew = service == 4 ? Duration::millis(25) : Duration();
            make(next++, spans[p].spanId.value, service, ps + Duration::nanos(start) + skew, Duration::nanos(d));
            queue.push_back(spans.size() - 1);
        }
    }
    for (int k = 0; int(spans.size()) < n; ++k) // orphans: their parents never arrived
        make(next++, 0xdead0000ULL + uint64_t(k % 2), 5, t0 + Duration::seconds(10 + k), Duration::millis(300));
    return spans;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("spans"), QStringLiteral("Spans in the trace."), QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("cache"), QStringLiteral("Write the cache here and keep it."), QStringLiteral("FILE")});
    parser.addHelpOption();
    parser.process(app);
    const int n = parser.value(QStringLiteral("spans")).toInt();
    QTemporaryDir dir;
    const QString path = parser.isSet(QStringLiteral("cache")) ? parser.value(QStringLiteral("cache")) : dir.filePath(QStringLiteral("trace.rootline"));
    {
        auto writer = CacheWriter::open(path.toStdString());
        if (!writer) {
            std::fprintf(stderr, "bench_trace: %s\n", writer.error().message().c_str());
            return 2;
        }
        TelemetryBatch batch;
        batch.spans = bigTrace(n);
        FetchRecord fetch;
        fetch.source = "bench";
        fetch.kind = "spans";
        if (auto w = (*writer)->write(std::move(batch), fetch); !w) {
            std::fprintf(stderr, "bench_trace: %s\n", w.error().message().c_str());
            return 2;
        }
    }
    std::printf("trace id: %s (%d spans) in %s\n", benchTraceId().toHex().c_str(), n, qPrintable(path));

    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        return 2;
    TraceView view;
    view.resize(1600, 900);
    view.show();
    QApplication::processEvents();

    QElapsedTimer total;
    total.start();
    QElapsedTimer step;
    step.start();
    auto spans = (*reader)->traceSpans(benchTraceId());
    if (!spans || int(spans->size()) != n) {
        std::fprintf(stderr, "bench_trace: read %zu spans\n", spans ? spans->size() : size_t(0));
        return 2;
    }
    const double readMs = double(step.nsecsElapsed()) / 1e6;
    step.restart();
    auto layout = TraceLayout::build(std::move(*spans));
    const double layoutMs = double(step.nsecsElapsed()) / 1e6;
    step.restart();
    view.setTraceLayout(layout);
    view.waterfall()->grab();
    view.flameGraph()->grab();
    view.minimap()->grab();
    const double paintMs = double(step.nsecsElapsed()) / 1e6;
    const double totalMs = double(total.nsecsElapsed()) / 1e6;
    const QString k = QString::number(n / 1000);
    std::printf("BENCH trace_read_%sk %.1f ms\n", qPrintable(k), readMs);
    std::printf("BENCH trace_layout_%sk %.1f ms\n", qPrintable(k), layoutMs);
    std::printf("BENCH trace_first_paint_%sk %.1f ms\n", qPrintable(k), paintMs);
    std::printf("BENCH trace_open_%sk %.1f ms\n", qPrintable(k), totalMs);
    std::printf("(depth %d, %d services, %d orphans, %d errors, clock corrected in %zu services)\n", layout->maxDepth() + 1,
                int(layout->services().size()), layout->orphanCount(), layout->errorCount(), layout->skew().offsets.size());
    return 0;
}
