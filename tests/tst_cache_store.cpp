// The cache store: every record type through CacheWriter → CacheReader, search, paging,
// downsampling, merging, trace summaries, units that fail or roll back, and concurrency.

#include "CacheTestUtil.h"
#include "cache/Downsample.h"
#include "cache/RecordCodec.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <cmath>
#include <limits>
#include <set>
#include <thread>

using namespace rootline;
using namespace rootline::testutil;

namespace {

Timestamp ts(int64_t seconds, int64_t nanos = 0) { return Timestamp::fromNanos(seconds * 1'000'000'000 + nanos); }
TraceId tid(uint64_t high, uint64_t low) { return TraceId{high, low}; }
FetchRecord fetch(std::string source, std::string kind = "logs")
{
    FetchRecord f;
    f.source = std::move(source);
    f.kind = std::move(kind);
    f.query = "{app=\"x\"}";
    return f;
}
QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

LogRecord makeLog(Timestamp t, std::string body, ResourcePtr resource = nullptr, int severity = 9)
{
    LogRecord l;
    l.time = t;
    l.body = std::move(body);
    l.severity = severity;
    l.severityText = severityName(severity);
    l.resource = std::move(resource);
    return l;
}

Span makeSpan(TraceId trace, uint64_t id, std::optional<uint64_t> parent, std::string name, Timestamp start, Duration d,
              ResourcePtr resource = nullptr, StatusCode status = StatusCode::Unset)
{
    Span s;
    s.traceId = trace;
    s.spanId = SpanId{id};
    if (parent)
        s.parentSpanId = SpanId{*parent};
    s.name = std::move(name);
    s.start = start;
    s.duration = d;
    s.resource = std::move(resource);
    s.status = status;
    return s;
}

bool sameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

} // namespace

class TestCacheStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;
    std::string newPath() { return QString(m_dir.path() + QStringLiteral("/c%1.rootline").arg(++m_n)).toStdString(); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void logsRoundTrip()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        Attributes ra{{"service.name", std::string("checkout")}, {"service.version", std::string("1.2")}, {"k8s.pod.name", std::string("co-1")}};
        ResourcePtr res = makeResource(ra);
        TelemetryBatch b;
        LogRecord full = makeLog(ts(1000, 123456789), "naïve café — 日本語 \"quoted\"\nsecond line\ttab 🚀", res, 17);
        full.observedTime = ts(1001, 5);
        full.severityText = "Err";
        full.attributes.set("http.status", int64_t(503));
        full.attributes.set("ratio", 0.25);
        full.attributes.set("ok", false);
        full.attributes.set("path", std::string("/api/ünïcode"));
        full.attributes.set("list", JsonText{"[1,\"a\"]"});
        full.traceId = tid(0x4bf92f3577b34da6, 0xa3ce929d0e0e4736);
        full.spanId = SpanId{0x00f067aa0ba902b7};
        b.logs.push_back(full);
        LogRecord bare = makeLog(ts(999), "");
        bare.severity = 0;
        bare.severityText.clear();
        b.logs.push_back(bare);
        auto stats = w->write(b, fetch("loki"));
        QVERIFY2(stats.ok(), stats.ok() ? "" : stats.error().message().c_str());
        QCOMPARE(stats->logs, int64_t(2));

        auto r = openReader(path);
        QVERIFY(r);
        auto page = r->logPage({}, std::nullopt, 10);
        QVERIFY(page.ok());
        QCOMPARE(page->size(), size_t(2));
        const LogRecord& a = (*page)[0];
        QCOMPARE(a.time, ts(999));
        QCOMPARE(a.observedTime, ts(999)); // unset observed time defaults to the time
        QCOMPARE(q(a.body), QString());
        QVERIFY(!a.traceId && !a.spanId && !a.resource);
        QVERIFY(a.attributes.empty());
        const LogRecord& got = (*page)[1];
        QVERIFY(got.rowId > 0);
        QCOMPARE(got.time, full.time);
        QCOMPARE(got.observedTime, full.observedTime);
        QCOMPARE(got.severity, 17);
        QCOMPARE(q(got.severityText), QStringLiteral("Err"));
        QCOMPARE(q(got.body), q(full.body));
        QCOMPARE(got.attributes, full.attributes);
        QVERIFY(got.traceId && got.spanId);
        QCOMPARE(*got.traceId, *full.traceId);
        QCOMPARE(*got.spanId, *full.spanId);
        QVERIFY(got.resource);
        QCOMPARE(q(got.resource->serviceName), QStringLiteral("checkout"));
        QCOMPARE(q(got.resource->serviceVersion), QStringLiteral("1.2"));
        QCOMPARE(q(got.resource->pod), QStringLiteral("co-1"));
        QCOMPARE(got.resource->raw, ra);
        QCOMPARE(got.resource->key(), res->key());

        auto byId = r->logById(got.rowId);
        QVERIFY(byId.ok() && byId->has_value());
        QCOMPARE(q((*byId)->body), q(full.body));
        auto missing = r->logById(987654);
        QVERIFY(missing.ok() && !missing->has_value());

        // Filters, counted and paged alike.
        LogQuery byTrace;
        byTrace.traceId = full.traceId;
        QCOMPARE(*r->countLogs(byTrace), int64_t(1));
        LogQuery unknownTrace;
        unknownTrace.traceId = tid(1, 1);
        QCOMPARE(*r->countLogs(unknownTrace), int64_t(0));
        LogQuery bySeverity;
        bySeverity.minSeverity = 13;
        QCOMPARE(*r->countLogs(bySeverity), int64_t(1));
        LogQuery byService;
        byService.services = {"checkout", "nothing"};
        QCOMPARE(*r->countLogs(byService), int64_t(1));
        LogQuery byWindow;
        byWindow.window = {ts(999), ts(1000)};
        QCOMPARE(*r->countLogs(byWindow), int64_t(1));
        QCOMPARE(*r->countLogs({}), int64_t(2));

        auto o = r->overview();
        QVERIFY(o.ok());
        QCOMPARE(o->logs, int64_t(2));
        QCOMPARE(o->services, std::vector<std::string>{"checkout"});
        QVERIFY(o->range);
        QCOMPARE(o->range->from, ts(999));
        QCOMPARE(o->range->to, full.time + Duration::nanos(1));
        auto resources = r->resources();
        QVERIFY(resources.ok());
        QCOMPARE(resources->size(), size_t(1));
    }

    void spansRoundTrip()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        ResourcePtr front = makeResource({{"service.name", std::string("frontend")}});
        ResourcePtr pay = makeResource({{"service.name", std::string("payments")}});
        const TraceId trace = tid(0x1111, 0x2222);
        TelemetryBatch b;
        Span root = makeSpan(trace, 1, std::nullopt, "GET /checkout", ts(100), Duration::millis(250), front, StatusCode::Error);
        root.kind = SpanKind::Server;
        root.statusMessage = "upstream failed — 5xx";
        root.attributes.set("http.method", std::string("GET"));
        root.events.push_back({ts(100, 5), "exception", {{"exception.message", std::string("boom ✗")}}});
        root.events.push_back({ts(100, 6), "retry", {}});
        root.links.push_back({tid(9, 9), SpanId{0xabc}, "FOLLOWS_FROM", {{"why", std::string("batch")}}});
        Span child = makeSpan(trace, 2, 1, "charge", ts(100, 10'000'000), Duration::millis(200), pay, StatusCode::Error);
        child.kind = SpanKind::Client;
        Span grandchild = makeSpan(trace, 3, 2, "db", ts(100, 20'000'000), Duration::millis(300), pay, StatusCode::Ok);
        // Children first: the summary must still find the root.
        b.spans = {grandchild, child, root};
        auto stats = w->write(b, fetch("jaeger", "spans"));
        QVERIFY2(stats.ok(), stats.ok() ? "" : stats.error().message().c_str());
        QCOMPARE(stats->spans, int64_t(3));

        auto r = openReader(path);
        QVERIFY(r);
        auto spans = r->traceSpans(trace);
        QVERIFY(spans.ok());
        QCOMPARE(spans->size(), size_t(3));
        const Span& s0 = (*spans)[0];
        QCOMPARE(s0.spanId, SpanId{1});
        QVERIFY(!s0.parentSpanId);
        QCOMPARE(s0.traceId, trace);
        QCOMPARE(q(s0.name), QStringLiteral("GET /checkout"));
        QCOMPARE(s0.kind, SpanKind::Server);
        QCOMPARE(s0.start, ts(100));
        QCOMPARE(s0.duration, Duration::millis(250));
        QCOMPARE(s0.status, StatusCode::Error);
        QCOMPARE(q(s0.statusMessage), q(root.statusMessage));
        QCOMPARE(s0.attributes, root.attributes);
        QCOMPARE(s0.events.size(), size_t(2));
        QCOMPARE(s0.events[0].time, ts(100, 5));
        QCOMPARE(q(s0.events[0].name), QStringLiteral("exception"));
        QCOMPARE(s0.events[0].attributes, root.events[0].attributes);
        QCOMPARE(s0.links.size(), size_t(1));
        QCOMPARE(s0.links[0].traceId, tid(9, 9));
        QCOMPARE(s0.links[0].spanId, SpanId{0xabc});
        QCOMPARE(q(s0.links[0].relation), QStringLiteral("FOLLOWS_FROM"));
        QCOMPARE(s0.links[0].attributes, root.links[0].attributes);
        QCOMPARE(q(s0.resource->serviceName), QStringLiteral("frontend"));
        QCOMPARE((*spans)[1].parentSpanId, std::optional<SpanId>(SpanId{1}));
        QCOMPARE((*spans)[2].parentSpanId, std::optional<SpanId>(SpanId{2}));
        QCOMPARE(q((*spans)[2].resource->serviceName), QStringLiteral("payments"));

        auto summary = r->traceSummary(trace);
        QVERIFY(summary.ok() && summary->has_value());
        const TraceSummary& t = **summary;
        QCOMPARE(t.traceId, trace);
        QCOMPARE(t.start, ts(100));
        QCOMPARE(t.duration, Duration::millis(320)); // the grandchild ends last
        QCOMPARE(t.spanCount, int64_t(3));
        QCOMPARE(t.errorCount, int64_t(2));
        QCOMPARE(q(t.rootService), QStringLiteral("frontend"));
        QCOMPARE(q(t.rootName), QStringLiteral("GET /checkout"));
        QVERIFY(!r->traceSummary(tid(5, 5))->has_value());
        QVERIFY(r->traceSpans(tid(5, 5))->empty());
    }

    void traceSummaryAcrossUnits()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        ResourcePtr front = makeResource({{"service.name", std::string("frontend")}});
        ResourcePtr db = makeResource({{"service.name", std::string("db")}});
        const TraceId trace = tid(7, 7);
        // A log mentions the trace before any span of it arrives.
        TelemetryBatch logs;
        LogRecord l = makeLog(ts(50), "before spans");
        l.traceId = trace;
        logs.logs.push_back(l);
        QVERIFY(w->write(logs, fetch("loki")).ok());
        // First the children (no root yet): the earliest child stands in.
        TelemetryBatch first;
        first.spans = {makeSpan(trace, 2, 1, "query", ts(60), Duration::seconds(1), db, StatusCode::Error),
                       makeSpan(trace, 3, 1, "query2", ts(61), Duration::seconds(5), db)};
        QVERIFY(w->write(first, fetch("jaeger", "spans")).ok());
        {
            auto r = openReader(path);
            QVERIFY(r);
            auto t = r->traceSummary(trace);
            QVERIFY(t.ok() && t->has_value());
            QCOMPARE((*t)->spanCount, int64_t(2));
            QCOMPARE(q((*t)->rootService), QStringLiteral("db"));
            QCOMPARE(q((*t)->rootName), QStringLiteral("query"));
            QCOMPARE((*t)->start, ts(60));
            QCOMPARE((*t)->duration, Duration::seconds(6));
        }
        // Then the real root, later in another unit: it takes over, counts add up, range widens.
        TelemetryBatch second;
        second.spans = {makeSpan(trace, 1, std::nullopt, "GET /", ts(59), Duration::seconds(3), front, StatusCode::Error)};
        QVERIFY(w->write(second, fetch("jaeger", "spans")).ok());
        // And a late child without a root in its batch must not displace the real root.
        TelemetryBatch third;
        third.spans = {makeSpan(trace, 4, 1, "early-child", ts(58), Duration::seconds(1), db)};
        QVERIFY(w->write(third, fetch("jaeger", "spans")).ok());

        auto r = openReader(path);
        QVERIFY(r);
        auto t = r->traceSummary(trace);
        QVERIFY(t.ok() && t->has_value());
        QCOMPARE((*t)->spanCount, int64_t(4));
        QCOMPARE((*t)->errorCount, int64_t(2));
        QCOMPARE(q((*t)->rootService), QStringLiteral("frontend"));
        QCOMPARE(q((*t)->rootName), QStringLiteral("GET /"));
        QCOMPARE((*t)->start, ts(58));
        QCOMPARE((*t)->duration, Duration::seconds(8)); // 58 → 66
        // The log still points to the same trace row.
        LogQuery byTrace;
        byTrace.traceId = trace;
        QCOMPARE(*r->countLogs(byTrace), int64_t(1));
        QCOMPARE(r->traceSpans(trace)->size(), size_t(4));

        // Trace list: filters and order.
        TelemetryBatch other;
        other.spans = {makeSpan(tid(8, 8), 1, std::nullopt, "GET /fast", ts(70), Duration::millis(1), front)};
        QVERIFY(w->write(other, fetch("jaeger", "spans")).ok());
        auto all = r->traces({});
        QVERIFY(all.ok());
        QCOMPARE(all->size(), size_t(2));
        QCOMPARE((*all)[0].traceId, trace);
        TraceQuery errors;
        errors.errorsOnly = true;
        QCOMPARE(r->traces(errors)->size(), size_t(1));
        TraceQuery slow;
        slow.minDuration = Duration::seconds(1);
        QCOMPARE(r->traces(slow)->size(), size_t(1));
        TraceQuery byService;
        byService.service = "frontend";
        QCOMPARE(r->traces(byService)->size(), size_t(2));
        TraceQuery slowest;
        slowest.order = TraceQuery::Order::Slowest;
        QCOMPARE(r->traces(slowest)->front().traceId, trace);
        TraceQuery window;
        window.window = {ts(69), ts(71)};
        QCOMPARE(r->traces(window)->size(), size_t(1));
        auto o = r->overview();
        QCOMPARE(o->traces, int64_t(2));
        QCOMPARE(o->spans, int64_t(5));
    }

    void seriesRoundTrip()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        ResourcePtr res = makeResource({{"job", std::string("shop/checkout")}}, SourceKind::Prometheus);
        SeriesData d;
        d.series.name = "http_requests_total";
        d.series.setLabel("status", "500");
        d.series.setLabel("method", "GET");
        d.series.setLabel("path", "/api/\"quoted\"");
        d.series.kind = MetricKind::Counter;
        d.series.unit = "1";
        d.series.resource = res;
        const double inf = std::numeric_limits<double>::infinity();
        d.samples = {{ts(30), 3.0}, {ts(10), 1.0}, {ts(20), std::nan("")}, {ts(40), inf}, {ts(50), -inf}, {ts(60), -0.5},
                     {ts(70), 1e308}, {ts(80, 1), 5e-324}};
        HistogramSample h;
        h.time = ts(10);
        h.count = 10;
        h.sum = 2.5;
        h.buckets = {{0, 0.1, 4}, {0.1, 1, 5}, {1, inf, 1}};
        HistogramSample hNan;
        hNan.time = ts(20);
        hNan.count = std::nan("");
        hNan.sum = inf;
        hNan.buckets = {{-inf, 0, std::nan("")}};
        d.histograms = {h, hNan};
        Exemplar e;
        e.time = ts(15);
        e.value = 0.42;
        e.traceId = tid(0xaaaa, 0xbbbb);
        e.spanId = SpanId{0xcc};
        e.labels.set("trace_id", std::string("0000000000000000aaaa000000000000bbbb"));
        Exemplar eNoTrace;
        eNoTrace.time = ts(16);
        eNoTrace.value = std::nan("");
        d.exemplars = {e, eNoTrace};
        TelemetryBatch b;
        b.series.push_back(d);
        SeriesData empty;
        empty.series.name = "up";
        b.series.push_back(empty);
        auto stats = w->write(b, fetch("prometheus", "series"));
        QVERIFY2(stats.ok(), stats.ok() ? "" : stats.error().message().c_str());
        QCOMPARE(stats->samples, int64_t(8));
        QCOMPARE(stats->histograms, int64_t(2));
        QCOMPARE(stats->exemplars, int64_t(2));

        auto r = openReader(path);
        QVERIFY(r);
        auto list = r->listSeries();
        QVERIFY(list.ok());
        QCOMPARE(list->size(), size_t(2));
        const SeriesInfo& info = (*list)[0];
        QCOMPARE(q(info.series.name), QStringLiteral("http_requests_total"));
        QCOMPARE(info.series.labels, d.series.labels);
        QCOMPARE(q(info.series.key()), q(d.series.key()));
        QCOMPARE(info.series.kind, MetricKind::Counter);
        QCOMPARE(q(info.series.unit), QStringLiteral("1"));
        QCOMPARE(q(info.series.resource->serviceName), QStringLiteral("checkout"));
        QCOMPARE(info.sampleCount, int64_t(8));
        QVERIFY(info.range);
        QCOMPARE(info.range->from, ts(10));
        QCOMPARE(info.range->to, ts(80, 2));
        QCOMPARE((*list)[1].sampleCount, int64_t(0));
        QVERIFY(!(*list)[1].range);

        auto byId = r->seriesById(info.series.rowId);
        QVERIFY(byId.ok() && byId->has_value());
        QCOMPARE((*byId)->labels, d.series.labels);

        auto samples = r->samples(info.series.rowId, TimeWindow::all());
        QVERIFY(samples.ok());
        QCOMPARE(samples->size(), size_t(8));
        std::vector<Sample> expected = d.samples;
        std::sort(expected.begin(), expected.end(), [](const Sample& x, const Sample& y) { return x.time < y.time; });
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE((*samples)[i].time, expected[i].time);
            QVERIFY2(sameValue((*samples)[i].value, expected[i].value), qPrintable(QString::number(i)));
        }
        QVERIFY(std::signbit((*samples)[1].value) == false && std::isnan((*samples)[1].value));
        auto windowed = r->samples(info.series.rowId, {ts(20), ts(50)});
        QCOMPARE(windowed->size(), size_t(3)); // 20, 30, 40: half-open

        auto hs = r->histograms(info.series.rowId, TimeWindow::all());
        QVERIFY(hs.ok());
        QCOMPARE(hs->size(), size_t(2));
        QCOMPARE((*hs)[0].count, 10.0);
        QCOMPARE((*hs)[0].sum, 2.5);
        QCOMPARE((*hs)[0].buckets.size(), size_t(3));
        QCOMPARE((*hs)[0].buckets[2].upper, inf);
        QCOMPARE((*hs)[0].buckets[1].count, 5.0);
        QVERIFY(std::isnan((*hs)[1].count));
        QCOMPARE((*hs)[1].sum, inf); // +Inf survives (only NaN becomes NULL)
        QCOMPARE((*hs)[1].buckets[0].lower, -inf);
        QVERIFY(std::isnan((*hs)[1].buckets[0].count));

        auto ex = r->exemplars(info.series.rowId, TimeWindow::all());
        QVERIFY(ex.ok());
        QCOMPARE(ex->size(), size_t(2));
        QCOMPARE((*ex)[0].seriesRowId, info.series.rowId);
        QCOMPARE((*ex)[0].time, ts(15));
        QCOMPARE((*ex)[0].value, 0.42);
        QCOMPARE((*ex)[0].traceId, std::optional<TraceId>(tid(0xaaaa, 0xbbbb)));
        QCOMPARE((*ex)[0].spanId, std::optional<SpanId>(SpanId{0xcc}));
        QCOMPARE((*ex)[0].labels, e.labels);
        QVERIFY(!(*ex)[1].traceId && !(*ex)[1].spanId);
        QVERIFY(std::isnan((*ex)[1].value));
        QCOMPARE(r->exemplars(0, {ts(16), ts(17)})->size(), size_t(1));
        // An exemplar's trace is no trace in the list until spans of it arrive.
        QCOMPARE(r->overview()->traces, int64_t(0));
        QCOMPARE(r->overview()->samples, int64_t(8));
    }

    void alertsFetchesRejectionsManifest()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        Alert a;
        a.name = "CheckoutAvailabilityBurnRate";
        a.labels = {{"severity", "page"}, {"service", "checkout"}};
        a.annotations = {{"summary", "burn rate 14.4× — ünïcode"}};
        a.state = AlertState::Firing;
        a.activeSince = ts(500);
        a.value = 14.4;
        a.source = "prometheus:prod";
        Alert pending = a;
        pending.name = "Other";
        pending.state = AlertState::Pending;
        pending.activeSince = Timestamp();
        pending.value = std::nan("");
        TelemetryBatch b;
        b.alerts = {a, pending};
        FetchRecord f = fetch("prometheus", "alerts");
        f.window = {ts(100), ts(200)};
        f.fetchedAt = ts(300);
        f.contentHash = "sha256:abc";
        auto unit = w->begin(f);
        QVERIFY(unit->append(b).ok());
        unit->reject("rules.json:12", "unknown state \"weird\"", "{\"state\":\"weird\"}");
        unit->reject("rules.json:40", "missing name", "{}");
        auto stats = unit->commit(true, "2 alerts rejected");
        QVERIFY2(stats.ok(), stats.ok() ? "" : stats.error().message().c_str());
        QCOMPARE(stats->alerts, int64_t(2));
        QCOMPARE(stats->rejected, int64_t(2));
        const int64_t firstFetch = unit->fetchRowId();
        QVERIFY(firstFetch > 0);
        // The same alert again (same name, labels, source) replaces the stored one.
        Alert resolved = a;
        resolved.state = AlertState::Resolved;
        TelemetryBatch again;
        again.alerts = {resolved};
        FetchRecord unbounded = fetch("prometheus", "alerts");
        unbounded.window = TimeWindow::all(); // stored as NULL bounds, read back as min/max
        QVERIFY(w->write(again, unbounded).ok());
        QVERIFY(w->setManifest("title", "Checkout incident").ok());
        QVERIFY(w->setManifest("title", "Checkout incident — v2").ok());
        QVERIFY(w->setManifest("origin.tz", "Europe/Berlin").ok());
        QCOMPARE(*w->hasContentHash("sha256:abc"), true);
        QCOMPARE(*w->hasContentHash("sha256:other"), false);
        QCOMPARE(*w->hasContentHash(""), false);
        auto inv = w->saveInvestigation(0, "why", "{}");
        QVERIFY(inv.ok() && *inv > 0);
        QCOMPARE(*w->saveInvestigation(*inv, "why 2", "{\"a\":1}"), *inv);
        // An empty unit still records its provenance; a partial one says so.
        auto empty = w->begin(fetch("loki", "logs"));
        QVERIFY(empty->commit(false, "timed out after 30s").ok());

        auto r = openReader(path);
        QVERIFY(r);
        auto alerts = r->alerts();
        QVERIFY(alerts.ok());
        QCOMPARE(alerts->size(), size_t(2));
        const Alert& other = (*alerts)[0]; // no active-since sorts first
        QCOMPARE(q(other.name), QStringLiteral("Other"));
        QCOMPARE(other.state, AlertState::Pending);
        QVERIFY(std::isnan(other.value));
        const Alert& got = (*alerts)[1];
        QCOMPARE(q(got.name), q(a.name));
        codec::Labels sortedLabels = a.labels; // stored sorted by name: the label set is the identity
        std::sort(sortedLabels.begin(), sortedLabels.end());
        QCOMPARE(got.labels, sortedLabels);
        QCOMPARE(got.annotations, a.annotations);
        QCOMPARE(got.state, AlertState::Resolved);
        QCOMPARE(got.activeSince, ts(500));
        QCOMPARE(got.value, 14.4);
        QCOMPARE(q(got.source), QStringLiteral("prometheus:prod"));

        auto fetches = r->fetches();
        QVERIFY(fetches.ok());
        QCOMPARE(fetches->size(), size_t(3));
        const FetchRecord& f0 = (*fetches)[0];
        QCOMPARE(f0.rowId, firstFetch);
        QCOMPARE(q(f0.source), QStringLiteral("prometheus"));
        QCOMPARE(q(f0.kind), QStringLiteral("alerts"));
        QCOMPARE(q(f0.query), q(f.query));
        QCOMPARE(f0.window, f.window);
        QCOMPARE(f0.fetchedAt, ts(300));
        QCOMPARE(f0.rows, int64_t(2));
        QCOMPARE(f0.complete, false); // rejections make it partial
        QCOMPARE(q(f0.message), QStringLiteral("2 alerts rejected"));
        QCOMPARE(q(f0.contentHash), QStringLiteral("sha256:abc"));
        QCOMPARE((*fetches)[1].complete, true);
        QCOMPARE((*fetches)[1].window, TimeWindow::all());
        QVERIFY((*fetches)[1].fetchedAt > ts(1'700'000'000)); // defaulted to now
        QCOMPARE((*fetches)[2].window, TimeWindow{}); // a fetch without a window keeps {0, 0}
        QCOMPARE((*fetches)[2].rows, int64_t(0));
        QCOMPARE((*fetches)[2].complete, false);
        QCOMPARE(q((*fetches)[2].message), QStringLiteral("timed out after 30s"));

        auto rej = r->rejections();
        QVERIFY(rej.ok());
        QCOMPARE(rej->size(), size_t(2));
        QCOMPARE((*rej)[0].fetchRowId, firstFetch);
        QCOMPARE(q((*rej)[0].location), QStringLiteral("rules.json:12"));
        QCOMPARE(q((*rej)[0].message), QStringLiteral("unknown state \"weird\""));
        QCOMPARE(q((*rej)[0].snippet), QStringLiteral("{\"state\":\"weird\"}"));
        QCOMPARE(r->rejections(firstFetch)->size(), size_t(2));
        QCOMPARE(r->rejections(firstFetch + 1)->size(), size_t(0));

        auto manifest = r->manifest();
        QVERIFY(manifest.ok());
        QCOMPARE(manifest->size(), size_t(2));
        QCOMPARE(q((*manifest)[1].first), QStringLiteral("title"));
        QCOMPARE(q((*manifest)[1].second), QStringLiteral("Checkout incident — v2"));
        QCOMPARE(*r->database().queryInt("SELECT count(*) FROM investigations"), int64_t(1));
    }

    void alertIdentityIgnoresLabelOrder()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        Alert a;
        a.name = "HighErrorRate";
        a.labels = {{"service", "checkout"}, {"env", "prod"}, {"alertname", "HighErrorRate"}};
        a.state = AlertState::Pending;
        a.source = "prometheus";
        TelemetryBatch first;
        first.alerts = {a};
        QVERIFY(w->write(first, fetch("prometheus", "alerts")).ok());
        // The same alert with its labels in another order: it replaces the stored one.
        Alert again = a;
        again.labels = {{"env", "prod"}, {"alertname", "HighErrorRate"}, {"service", "checkout"}};
        again.state = AlertState::Firing;
        // Another label set (one value differs) and another source are other alerts.
        Alert otherSet = a;
        otherSet.labels = {{"env", "staging"}, {"alertname", "HighErrorRate"}, {"service", "checkout"}};
        Alert otherSource = again;
        otherSource.source = "alertmanager";
        TelemetryBatch second;
        second.alerts = {again, otherSet, otherSource};
        QVERIFY(w->write(second, fetch("prometheus", "alerts")).ok());

        auto r = openReader(path);
        QVERIFY(r);
        auto alerts = r->alerts();
        QVERIFY(alerts.ok());
        QCOMPARE(alerts->size(), size_t(3));
        int firing = 0, prodFromPrometheus = 0;
        const codec::Labels sorted = {{"alertname", "HighErrorRate"}, {"env", "prod"}, {"service", "checkout"}};
        for (const Alert& got : *alerts) {
            firing += got.state == AlertState::Firing;
            if (got.labels == sorted && got.source == "prometheus") {
                ++prodFromPrometheus;
                QCOMPARE(got.state, AlertState::Firing); // the newer one won
            }
        }
        QCOMPARE(prodFromPrometheus, 1);
        QCOMPARE(firing, 2);
    }

    void duplicateSpansStoredOnce()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        ResourcePtr front = makeResource({{"service.name", std::string("frontend")}});
        const TraceId trace = tid(0x51, 0x52);
        const Span root = makeSpan(trace, 1, std::nullopt, "GET /", ts(10), Duration::millis(100), front);
        const Span child = makeSpan(trace, 2, 1, "db", ts(10, 5'000'000), Duration::millis(50), front, StatusCode::Error);
        TelemetryBatch first;
        first.spans = {root, child, child}; // a copy within the batch too
        auto s1 = w->write(first, fetch("jaeger", "spans"));
        QVERIFY(s1.ok());
        QCOMPARE(s1->spans, int64_t(2));
        QCOMPARE(s1->duplicates, int64_t(1));
        // The same trace from another file: both spans again (the copy of the root in another
        // format, with other content, still counts as the same span), plus one new span.
        Span rootAgain = root;
        rootAgain.name = "GET / (other exporter)";
        const Span late = makeSpan(trace, 3, 1, "cache", ts(10, 60'000'000), Duration::millis(5), front);
        TelemetryBatch second;
        second.spans = {rootAgain, child, late};
        auto s2 = w->write(second, fetch("otlp", "spans"));
        QVERIFY(s2.ok());
        QCOMPARE(s2->spans, int64_t(1));
        QCOMPARE(s2->duplicates, int64_t(2));
        // A span id reused in another trace is another span.
        TelemetryBatch third;
        third.spans = {makeSpan(tid(0x61, 0x62), 1, std::nullopt, "GET /other", ts(20), Duration::millis(1), front)};
        QCOMPARE(w->write(third, fetch("otlp", "spans"))->spans, int64_t(1));

        auto r = openReader(path);
        QVERIFY(r);
        auto spans = r->traceSpans(trace);
        QVERIFY(spans.ok());
        QCOMPARE(spans->size(), size_t(3));
        QCOMPARE(q((*spans)[0].name), QStringLiteral("GET /")); // the first copy was kept
        auto summary = r->traceSummary(trace);
        QVERIFY(summary.ok() && summary->has_value());
        QCOMPARE((*summary)->spanCount, int64_t(3));
        QCOMPARE((*summary)->errorCount, int64_t(1));
        QCOMPARE(q((*summary)->rootName), QStringLiteral("GET /"));
        QCOMPARE((*summary)->duration, Duration::millis(100));
        QCOMPARE(r->overview()->spans, int64_t(4));
    }

    void duplicateExemplarsStoredOnce()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        Exemplar e;
        e.time = ts(15);
        e.value = 0.42;
        e.traceId = tid(0xaaaa, 0xbbbb);
        e.spanId = SpanId{0xcc};
        e.labels.set("trace_id", std::string("aaaa"));
        Exemplar bare; // no trace, no span, NaN value: NULLs must compare equal too
        bare.time = ts(16);
        bare.value = std::nan("");
        auto batchOf = [](std::vector<Exemplar> exemplars) {
            SeriesData d;
            d.series.name = "latency";
            d.exemplars = std::move(exemplars);
            TelemetryBatch b;
            b.series.push_back(std::move(d));
            return b;
        };
        auto s1 = w->write(batchOf({e, bare, e}), fetch("prometheus", "exemplars"));
        QVERIFY(s1.ok());
        QCOMPARE(s1->exemplars, int64_t(2));
        QCOMPARE(s1->duplicates, int64_t(1));
        // Fetched again, with exemplars that differ in one field each: those are kept.
        Exemplar otherValue = e;
        otherValue.value = 0.43;
        Exemplar otherSpan = e;
        otherSpan.spanId = SpanId{0xcd};
        Exemplar otherLabels = e;
        otherLabels.labels.set("pod", std::string("a"));
        Exemplar noSpan = e;
        noSpan.spanId.reset();
        auto s2 = w->write(batchOf({e, bare, otherValue, otherSpan, otherLabels, noSpan}), fetch("prometheus", "exemplars"));
        QVERIFY(s2.ok());
        QCOMPARE(s2->exemplars, int64_t(4));
        QCOMPARE(s2->duplicates, int64_t(2));

        auto r = openReader(path);
        QVERIFY(r);
        QCOMPARE(r->exemplars(0, TimeWindow::all())->size(), size_t(6));
    }

    void attributesJsonMatchesToJson_data()
    {
        QTest::addColumn<int>("which");
        for (int i = 0; i < 6; ++i)
            QTest::newRow(std::to_string(i).c_str()) << i;
    }

    void attributesJsonMatchesToJson()
    {
        // The writer's serialiser must write the bytes Attributes::toJson() does (content hashes).
        QFETCH(int, which);
        const std::vector<Attributes> cases = {
            {},
            {{"http.route", std::string("/api/checkout")}, {"thread", int64_t(-3)}, {"ok", true}},
            {{"q\"uote", std::string("back\\slash\nnew\tline\x01")}, {"big", int64_t(INT64_MIN)}},
            {{"ü", std::string("ünïcode ✓")}, {"bad", std::string("latin1 \xE9 byte")}},
            {{"d", 0.1}, {"nan", std::nan("")}, {"inf", -std::numeric_limits<double>::infinity()}, {"e", 1e308}},
            {{"nested", JsonText{"{\"a\":[1,2]}"}}, {"", std::string()}},
        };
        const Attributes& a = cases[size_t(which)];
        std::string out = "prefix";
        codec::appendAttributesJson(out, a);
        QCOMPARE(q(out), QStringLiteral("prefix") + q(a.toJson()));
    }

    void fullTextSearch_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("hits");
        QTest::newRow("word") << "timeout" << 3;
        QTest::newRow("case folded") << "TIMEOUT" << 3;
        QTest::newRow("prefix") << "time*" << 4;
        QTest::newRow("phrase") << "\"payment timeout\"" << 1;
        QTest::newRow("and") << "timeout AND db" << 1;
        QTest::newRow("or") << "timeout OR refused" << 4;
        QTest::newRow("not") << "timeout NOT db" << 2;
        QTest::newRow("unicode") << "café" << 1;
        QTest::newRow("diacritics folded") << "cafe" << 1;
        QTest::newRow("cjk") << "日本語" << 1;
        QTest::newRow("none") << "absent" << 0;
    }

    void fullTextSearch()
    {
        QFETCH(QString, query);
        QFETCH(int, hits);
        static std::string path;
        if (path.empty()) {
            path = newPath();
            auto w = openWriter(path);
            QVERIFY(w);
            TelemetryBatch b;
            const char* bodies[] = {"payment timeout after 30s", "db timeout", "timeout", "connection refused", "timestamps ok",
                                    "café opened", "日本語 ログ", "all good"};
            int i = 0;
            for (const char* body : bodies)
                b.logs.push_back(makeLog(ts(100 + i++), body));
            QVERIFY(w->write(b, fetch("file", "import")).ok());
        }
        auto r = openReader(path);
        QVERIFY(r);
        LogQuery lq;
        lq.text = query.toStdString();
        auto count = r->countLogs(lq);
        QVERIFY2(count.ok(), count.ok() ? "" : count.error().message().c_str());
        QCOMPARE(*count, int64_t(hits));
        auto page = r->logPage(lq, std::nullopt, 100);
        QVERIFY(page.ok());
        QCOMPARE(int(page->size()), hits);
        for (size_t i = 1; i < page->size(); ++i)
            QVERIFY((*page)[i - 1].time < (*page)[i].time);
        // Newest first works with search too.
        auto back = r->logPage(lq, std::nullopt, 100, Direction::Backward);
        QCOMPARE(int(back->size()), hits);
        if (hits > 1)
            QVERIFY(back->front().time > back->back().time);
    }

    void fullTextSyntaxErrorIsAnError()
    {
        const std::string path = newPath();
        {
            auto w = openWriter(path);
            QVERIFY(w);
            TelemetryBatch b;
            b.logs.push_back(makeLog(ts(1), "x"));
            QVERIFY(w->write(b, fetch("file")).ok());
        }
        auto r = openReader(path);
        LogQuery lq;
        lq.text = "\"unbalanced";
        auto page = r->logPage(lq, std::nullopt, 10);
        QVERIFY(!page.ok());
        // The error names the cache and the search that failed.
        QVERIFY2(QString::fromStdString(page.error().message()).contains(QLatin1String("unbalanced")), page.error().message().c_str());
        QVERIFY2(QString::fromStdString(page.error().message()).contains(QString::fromStdString(path)), page.error().message().c_str());
        QVERIFY(!r->countLogs(lq).ok());
    }

    void bulkLoadThenRebuildIndex()
    {
        const std::string path = newPath();
        auto w = openWriter(path, WriterOptions{false, 2});
        QVERIFY(w);
        // 50 lines from `first` on (each unit its own lines: the same lines again would be skipped)
        auto lines = [](int first) {
            TelemetryBatch b;
            for (int i = first; i < first + 50; ++i)
                b.logs.push_back(makeLog(ts(i), i % 10 == 0 ? "needle here" : "hay"));
            return b;
        };
        QVERIFY(w->write(lines(0), fetch("file", "import")).ok());
        QVERIFY(w->write(lines(50), fetch("file", "import")).ok()); // a second unit while already marked
        auto r = openReader(path);
        LogQuery lq;
        lq.text = "needle";
        // Until the index is rebuilt a search is refused, not silently empty.
        auto early = r->countLogs(lq);
        QVERIFY(!early.ok());
        QVERIFY2(QString::fromStdString(early.error().message()).contains(QLatin1String("not in the full-text index")),
                 early.error().message().c_str());
        QVERIFY(!r->logPage(lq, std::nullopt, 10).ok());
        QCOMPARE(*r->countLogs({}), int64_t(100)); // everything else reads as usual
        QVERIFY(w->rebuildFullTextIndex().ok());
        QCOMPARE(*r->countLogs(lq), int64_t(10));
        QCOMPARE(r->logPage(lq, std::nullopt, 20)->size(), size_t(10));
        // Later writes with the index on keep it searchable; with it off, refused again.
        w.reset();
        {
            auto indexing = openWriter(path);
            QVERIFY(indexing && indexing->write(lines(100), fetch("file", "import")).ok());
        }
        QCOMPARE(*r->countLogs(lq), int64_t(15));
        {
            auto bulk = openWriter(path, WriterOptions{false, 2});
            QVERIFY(bulk && bulk->write(lines(150), fetch("file", "import")).ok());
        }
        QVERIFY(!r->countLogs(lq).ok());
    }

    void keysetPaging_data()
    {
        QTest::addColumn<int>("pageSize");
        QTest::addColumn<bool>("filtered");
        QTest::newRow("page 1") << 1 << false;
        QTest::newRow("page 7 = group size") << 7 << false;
        QTest::newRow("page 13") << 13 << false;
        QTest::newRow("page 500") << 500 << false;
        QTest::newRow("page 13 filtered") << 13 << true;
        QTest::newRow("page 4 filtered") << 4 << true;
    }

    void keysetPaging()
    {
        QFETCH(int, pageSize);
        QFETCH(bool, filtered);
        static std::string path;
        constexpr int kRows = 1200;
        if (path.empty()) {
            path = newPath();
            auto w = openWriter(path);
            QVERIFY(w);
            ResourcePtr a = makeResource({{"service.name", std::string("a")}});
            ResourcePtr b = makeResource({{"service.name", std::string("b")}});
            // Groups of 7 rows share a timestamp, written out of time order over several units.
            for (int unit = 0; unit < 3; ++unit) {
                TelemetryBatch batch;
                for (int i = unit; i < kRows; i += 3)
                    batch.logs.push_back(makeLog(ts(1000 + (kRows - i) / 7), "row " + std::to_string(i), i % 2 ? a : b,
                                                 i % 5 == 0 ? 17 : 9));
                QVERIFY(w->write(batch, fetch("loki")).ok());
            }
        }
        auto r = openReader(path);
        QVERIFY(r);
        LogQuery lq;
        if (filtered) {
            lq.services = {"a"};
            lq.minSeverity = 17;
            lq.window = {ts(1010), ts(1150)};
        }
        const int64_t total = *r->countLogs(lq);
        QVERIFY(total > 0);
        if (!filtered)
            QCOMPARE(total, int64_t(kRows));

        for (Direction dir : {Direction::Forward, Direction::Backward}) {
            std::vector<LogRecord> all;
            std::optional<LogCursor> cursor;
            for (int guard = 0; guard < kRows + 2; ++guard) {
                auto page = r->logPage(lq, cursor, pageSize, dir);
                QVERIFY2(page.ok(), page.ok() ? "" : page.error().message().c_str());
                QVERIFY(int(page->size()) <= pageSize);
                if (page->empty())
                    break;
                all.insert(all.end(), page->begin(), page->end());
                cursor = LogCursor{page->back().time, page->back().rowId};
            }
            QCOMPARE(int64_t(all.size()), total);
            std::set<int64_t> ids;
            for (size_t i = 0; i < all.size(); ++i) {
                QVERIFY(ids.insert(all[i].rowId).second); // exactly once
                if (i > 0) {
                    const auto prev = std::pair(all[i - 1].time, all[i - 1].rowId);
                    const auto cur = std::pair(all[i].time, all[i].rowId);
                    QVERIFY(dir == Direction::Forward ? prev < cur : prev > cur);
                }
                if (filtered) {
                    QCOMPARE(q(all[i].resource->serviceName), QStringLiteral("a"));
                    QVERIFY(all[i].severity >= 17);
                    QVERIFY(lq.window.contains(all[i].time));
                }
            }
        }
        // Paging backward from the middle of a group of equal timestamps, then forward again.
        auto mid = r->logPage(lq, std::nullopt, 10);
        QVERIFY(mid.ok() && mid->size() == 10);
        const LogCursor at{(*mid)[5].time, (*mid)[5].rowId};
        auto before = r->logPage(lq, at, 5, Direction::Backward);
        QCOMPARE(before->size(), size_t(5));
        QCOMPARE(before->front().rowId, (*mid)[4].rowId);
        QCOMPARE(before->back().rowId, (*mid)[0].rowId);
        auto after = r->logPage(lq, at, 4);
        QCOMPARE(after->front().rowId, (*mid)[6].rowId);
    }

    void downsample_data()
    {
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("maxPoints");
        QTest::newRow("empty") << 0 << 10;
        QTest::newRow("one point") << 1 << 10;
        QTest::newRow("one point budget 1") << 1 << 1;
        QTest::newRow("within budget") << 10 << 10;
        QTest::newRow("just over") << 11 << 10;
        QTest::newRow("odd budget") << 1000 << 7;
        QTest::newRow("budget 2") << 1000 << 2;
        QTest::newRow("budget 1 means 2") << 1000 << 1;
        QTest::newRow("budget 0 means 2") << 1000 << 0;
        QTest::newRow("large") << 100000 << 2000;
    }

    void downsample()
    {
        QFETCH(int, count);
        QFETCH(int, maxPoints);
        std::vector<Sample> in;
        for (int i = 0; i < count; ++i)
            in.push_back({ts(i), std::sin(i * 0.01) + (i == count / 3 ? 100.0 : 0.0) - (i == count / 2 ? 100.0 : 0.0)});
        const TimeWindow window{ts(0), ts(std::max(count, 1))};
        const auto out = downsampleMinMax(in, window, maxPoints);
        const size_t budget = size_t(std::max(maxPoints, 2));
        QVERIFY2(out.size() <= std::max(budget, size_t(count <= maxPoints ? count : 0)), qPrintable(QString::number(out.size())));
        if (count <= maxPoints) {
            QCOMPARE(out.size(), in.size());
            return;
        }
        QVERIFY(!out.empty());
        for (size_t i = 1; i < out.size(); ++i)
            QVERIFY(out[i - 1].time < out[i].time);
        // Every output point is an input point; the extremes survive.
        double lo = INFINITY, hi = -INFINITY;
        for (const auto& s : out) {
            QVERIFY(std::find(in.begin(), in.end(), s) != in.end());
            lo = std::min(lo, s.value);
            hi = std::max(hi, s.value);
        }
        const auto [minIt, maxIt] = std::minmax_element(in.begin(), in.end(), [](auto& a, auto& b) { return a.value < b.value; });
        QCOMPARE(lo, minIt->value);
        QCOMPARE(hi, maxIt->value);
    }

    void downsampleGapsAndWindow()
    {
        // 100 points, 40..59 NaN: a NaN-only bucket keeps one NaN, so a chart draws the gap.
        std::vector<Sample> in;
        for (int i = 0; i < 100; ++i)
            in.push_back({ts(i), i >= 40 && i < 60 ? std::nan("") : double(i)});
        const auto out = downsampleMinMax(in, {ts(0), ts(100)}, 20); // 10 buckets of 10
        QVERIFY(out.size() <= 20);
        int nans = 0;
        for (const auto& s : out)
            nans += std::isnan(s.value);
        QCOMPARE(nans, 2);
        // Points outside the window are left out.
        const auto inner = downsampleMinMax(in, {ts(10), ts(30)}, 4);
        QVERIFY(inner.size() <= 4);
        for (const auto& s : inner)
            QVERIFY(s.time >= ts(10) && s.time < ts(30));
        // An empty window holds no points, whatever the budget.
        QVERIFY(downsampleMinMax(in, {ts(5), ts(5)}, 4).empty());

        // Through the reader, with the window of the whole series.
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        SeriesData d;
        d.series.name = "latency";
        for (int i = 0; i < 10000; ++i)
            d.samples.push_back({ts(i), i == 1234 ? 1e6 : double(i % 100)});
        TelemetryBatch b;
        b.series.push_back(d);
        QVERIFY(w->write(b, fetch("prometheus", "series")).ok());
        auto r = openReader(path);
        const int64_t id = r->listSeries()->front().series.rowId;
        auto ds = r->downsampled(id, TimeWindow::all(), 200);
        QVERIFY(ds.ok());
        QVERIFY(ds->size() <= 200 && ds->size() >= 100);
        QVERIFY(std::any_of(ds->begin(), ds->end(), [](const Sample& s) { return s.value == 1e6; }));
        QCOMPARE(ds->front().time, ts(0));
        auto one = r->downsampled(id, {ts(5), ts(6)}, 200);
        QCOMPARE(one->size(), size_t(1));
        QVERIFY(r->downsampled(id, {ts(-10), ts(-5)}, 200)->empty());
    }

    void overlappingChunksMerge()
    {
        const std::string path = newPath();
        auto w = openWriter(path);
        QVERIFY(w);
        auto write = [&](std::vector<Sample> samples) {
            SeriesData d;
            d.series.name = "m";
            d.series.setLabel("a", "1");
            d.samples = std::move(samples);
            TelemetryBatch b;
            b.series.push_back(d);
            return w->write(b, fetch("prometheus", "series")).ok();
        };
        // Fetch 1: 10..20 valued 1. Fetch 2 (newer, starts earlier): 5..15 valued 2. Fetch 3: one point at 12 valued 3.
        std::vector<Sample> one, two;
        for (int t = 10; t <= 20; ++t)
            one.push_back({ts(t), 1});
        for (int t = 5; t <= 15; ++t)
            two.push_back({ts(t), 2});
        QVERIFY(write(one));
        QVERIFY(write(two));
        QVERIFY(write({{ts(12), 3}}));
        // Duplicates inside one batch: the last one given wins.
        QVERIFY(write({{ts(30), 7}, {ts(30), 8}}));
        auto r = openReader(path);
        const int64_t id = r->listSeries()->front().series.rowId;
        auto s = r->samples(id, TimeWindow::all());
        QVERIFY(s.ok());
        QCOMPARE(s->size(), size_t(17)); // 5..20 and 30, each once
        for (size_t i = 1; i < s->size(); ++i)
            QVERIFY((*s)[i - 1].time < (*s)[i].time);
        auto valueAt = [&](int t) {
            for (const auto& x : *s)
                if (x.time == ts(t))
                    return x.value;
            return -1.0;
        };
        QCOMPARE(valueAt(5), 2.0);
        QCOMPARE(valueAt(11), 2.0); // the newer fetch wins where they overlap
        QCOMPARE(valueAt(12), 3.0);
        QCOMPARE(valueAt(16), 1.0);
        QCOMPARE(valueAt(30), 8.0);
        // A window that cuts through the overlap.
        auto part = r->samples(id, {ts(14), ts(17)});
        QCOMPARE(part->size(), size_t(3));
        QCOMPARE((*part)[0].value, 2.0);
        QCOMPARE((*part)[2].value, 1.0);
        // Large series spanning several chunks stay sorted and whole.
        SeriesData big;
        big.series.name = "big";
        for (int i = 9999; i >= 0; --i)
            big.samples.push_back({ts(i), double(i)});
        TelemetryBatch b;
        b.series.push_back(big);
        QVERIFY(w->write(b, fetch("prometheus", "series")).ok());
        auto r2 = openReader(path);
        int64_t bigId = 0;
        auto list = r2->listSeries();
        QVERIFY(list.ok());
        for (const auto& info : *list)
            if (info.series.name == "big")
                bigId = info.series.rowId;
        auto all = r2->samples(bigId, TimeWindow::all());
        QCOMPARE(all->size(), size_t(10000));
        for (int i = 0; i < 10000; ++i)
            QCOMPARE((*all)[size_t(i)].value, double(i));
    }

    void rolledBackUnitsLeaveNoTrace()
    {
        const std::string path = newPath();
        {
            auto w = openWriter(path);
            QVERIFY(w);
            TelemetryBatch seed;
            seed.logs.push_back(makeLog(ts(1), "seed", makeResource({{"service.name", std::string("seed")}})));
            QVERIFY(w->write(seed, fetch("loki")).ok());
        }
        // A trigger makes any log whose body is FAIL fail, in the middle of a unit.
        {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db,
                                  "CREATE TRIGGER fail_on_marker BEFORE INSERT ON logs WHEN NEW.body = 'FAIL'"
                                  " BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
                                  nullptr, nullptr, nullptr),
                     SQLITE_OK);
            sqlite3_close(db);
        }
        const auto before = contentDump(path);
        auto w = openWriter(path);
        QVERIFY(w);

        auto fullBatch = [](const std::string& service) {
            ResourcePtr res = makeResource({{"service.name", service}});
            TelemetryBatch b;
            LogRecord l = makeLog(ts(10), "new log", res);
            l.traceId = tid(3, 3);
            b.logs.push_back(l);
            b.spans.push_back(makeSpan(tid(3, 3), 1, std::nullopt, "root", ts(10), Duration::seconds(1), res));
            SeriesData d;
            d.series.name = "s_" + service;
            d.series.resource = res;
            d.samples = {{ts(10), 1}};
            Exemplar e;
            e.time = ts(10);
            e.traceId = tid(4, 4);
            d.exemplars = {e};
            d.histograms = {HistogramSample{ts(10), 1, 1, {}}};
            b.series.push_back(d);
            Alert a;
            a.name = "A";
            a.source = "x";
            b.alerts.push_back(a);
            return b;
        };

        // 1. Explicit rollback.
        {
            auto unit = w->begin(fetch("loki"));
            QVERIFY(unit->append(fullBatch("one")).ok());
            unit->reject("x:1", "bad", "snippet");
            unit->rollback();
            QVERIFY(!unit->commit().ok()); // finished already
        }
        QCOMPARE(contentDump(path), before);

        // 2. A batch fails half-way: the unit's error comes back and nothing of it stays.
        {
            auto unit = w->begin(fetch("loki"));
            QVERIFY(unit->append(fullBatch("two")).ok());
            TelemetryBatch bad;
            bad.logs.push_back(makeLog(ts(11), "ok"));
            bad.logs.push_back(makeLog(ts(12), "FAIL"));
            (void)unit->append(bad); // may already report the error
            TelemetryBatch more = fullBatch("two-b");
            const Status late = unit->append(more);
            auto result = unit->commit();
            QVERIFY(!result.ok());
            QVERIFY2(QString::fromStdString(result.error().message()).contains(QLatin1String("injected failure")),
                     result.error().message().c_str());
            QVERIFY2(QString::fromStdString(result.error().message()).contains(QString::fromStdString(path)),
                     result.error().message().c_str());
            Q_UNUSED(late);
        }
        QCOMPARE(contentDump(path), before);

        // 3. Destroyed without commit.
        {
            auto unit = w->begin(fetch("loki"));
            QVERIFY(unit->append(fullBatch("three")).ok());
        }
        QCOMPARE(contentDump(path), before);

        // 4. The writer still works, and ids it had cached for rolled-back rows are not reused.
        auto ok = w->write(fullBatch("one"), fetch("loki"));
        QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message().c_str());
        auto r = openReader(path);
        auto page = r->logPage({}, std::nullopt, 10);
        QCOMPARE(page->size(), size_t(2));
        QVERIFY(page->back().resource);
        QCOMPARE(q(page->back().resource->serviceName), QStringLiteral("one"));
        QCOMPARE(page->back().traceId, std::optional<TraceId>(tid(3, 3)));
        QCOMPARE(r->traceSpans(tid(3, 3))->size(), size_t(1));
        auto series = r->listSeries();
        QCOMPARE(series->size(), size_t(1));
        QCOMPARE(q(series->front().series.resource->serviceName), QStringLiteral("one"));
        QCOMPARE(r->exemplars(0, TimeWindow::all())->front().traceId, std::optional<TraceId>(tid(4, 4)));
        // No row points at a row that is not there.
        auto& db = r->database();
        QCOMPARE(*db.queryInt("SELECT count(*) FROM logs WHERE resource IS NOT NULL AND resource NOT IN (SELECT id FROM resources)"), int64_t(0));
        QCOMPARE(*db.queryInt("SELECT count(*) FROM logs WHERE trace IS NOT NULL AND trace NOT IN (SELECT id FROM traces)"), int64_t(0));
        QCOMPARE(*db.queryInt("SELECT count(*) FROM spans WHERE trace NOT IN (SELECT id FROM traces)"), int64_t(0));
        QCOMPARE(*db.queryInt("SELECT count(*) FROM series WHERE resource IS NOT NULL AND resource NOT IN (SELECT id FROM resources)"), int64_t(0));
        QCOMPARE(*db.queryInt("SELECT count(*) FROM exemplars WHERE trace NOT IN (SELECT id FROM traces)"), int64_t(0));
        QCOMPARE(*db.queryInt("SELECT count(*) FROM sample_chunks WHERE series NOT IN (SELECT id FROM series)"), int64_t(0));
    }

    void failedBatchDoesNotLeakBindings()
    {
        // After a statement fails mid-batch, the next unit's rows must not inherit values bound for
        // the failed one (a trace, span or resource of a row that was never stored).
        const std::string path = newPath();
        {
            auto w = openWriter(path);
            QVERIFY(w);
        }
        {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db,
                                  "CREATE TRIGGER fail_on_marker BEFORE INSERT ON logs WHEN NEW.body = 'FAIL'"
                                  " BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
                                  nullptr, nullptr, nullptr),
                     SQLITE_OK);
            sqlite3_close(db);
        }
        auto w = openWriter(path);
        QVERIFY(w);
        TelemetryBatch bad;
        LogRecord l = makeLog(ts(1), "FAIL", makeResource({{"service.name", std::string("x")}}));
        l.traceId = tid(1, 2);
        l.spanId = SpanId{3};
        bad.logs.push_back(l);
        QVERIFY(!w->write(bad, fetch("loki")).ok());
        TelemetryBatch good;
        good.logs.push_back(makeLog(ts(2), "plain"));
        QVERIFY(w->write(good, fetch("loki")).ok());
        auto r = openReader(path);
        auto page = r->logPage({}, std::nullopt, 10);
        QCOMPARE(page->size(), size_t(1));
        QVERIFY(!page->front().traceId);
        QVERIFY(!page->front().spanId);
        QVERIFY(!page->front().resource);
    }

    void unitsFromTwoThreadsSerialize()
    {
        const std::string path = newPath();
        auto w = openWriter(path, WriterOptions{true, 2});
        QVERIFY(w);
        constexpr int kBatches = 20, kPerBatch = 50;
        std::atomic<int> failures{0};
        auto producer = [&](const std::string& source) {
            for (int u = 0; u < 3; ++u) {
                auto unit = w->begin(fetch(source));
                for (int b = 0; b < kBatches; ++b) {
                    TelemetryBatch batch;
                    for (int i = 0; i < kPerBatch; ++i)
                        batch.logs.push_back(makeLog(ts(b, i), source + " " + std::to_string(u)));
                    if (!unit->append(std::move(batch)).ok())
                        ++failures;
                }
                auto stats = unit->commit();
                if (!stats.ok() || stats->logs != kBatches * kPerBatch)
                    ++failures;
            }
        };
        std::thread a(producer, "alpha"), b(producer, "beta");
        a.join();
        b.join();
        QCOMPARE(failures.load(), 0);
        auto r = openReader(path);
        QCOMPARE(r->overview()->logs, int64_t(2 * 3 * kBatches * kPerBatch));
        auto fetches = r->fetches();
        QCOMPARE(fetches->size(), size_t(6));
        for (const auto& f : *fetches) {
            QCOMPARE(f.rows, int64_t(kBatches * kPerBatch));
            QVERIFY(f.complete);
            // One unit = one transaction in turn: its rows are contiguous, never interleaved.
            auto stmt = r->database().prepare("SELECT count(*), max(id) - min(id) + 1, count(DISTINCT body) FROM logs WHERE fetch = ?");
            QVERIFY(stmt.ok());
            stmt->bind(1, f.rowId);
            QVERIFY(*stmt->step());
            QCOMPARE(stmt->int64(0), int64_t(kBatches * kPerBatch));
            QCOMPARE(stmt->int64(1), int64_t(kBatches * kPerBatch));
            QCOMPARE(stmt->int64(2), int64_t(1));
        }
    }

    void readWhileWriterCommits()
    {
        const std::string path = newPath();
        auto w = openWriter(path, WriterOptions{true, 2});
        QVERIFY(w);
        std::atomic<bool> done{false};
        std::atomic<int> errors{0}, shrinks{0}, reads{0};
        std::string firstError;
        std::thread reader([&] {
            auto r = CacheReader::open(path);
            if (!r) {
                ++errors;
                firstError = r.error().message();
                return;
            }
            int64_t lastCount = 0;
            while (!done.load() || reads.load() < 5) {
                auto count = (*r)->countLogs({});
                if (!count) {
                    ++errors;
                    firstError = count.error().message();
                    continue;
                }
                if (*count < lastCount)
                    ++shrinks;
                lastCount = *count;
                // Page through everything visible in one snapshot-less walk: no errors, no repeats.
                std::optional<LogCursor> cursor;
                std::set<int64_t> seen;
                for (;;) {
                    auto page = (*r)->logPage({}, cursor, 97, Direction::Backward);
                    if (!page) {
                        ++errors;
                        firstError = page.error().message();
                        break;
                    }
                    if (page->empty())
                        break;
                    for (const auto& l : *page)
                        if (!seen.insert(l.rowId).second)
                            ++errors;
                    cursor = LogCursor{page->back().time, page->back().rowId};
                }
                if (int64_t(seen.size()) < lastCount)
                    ++shrinks;
                ++reads;
            }
        });
        for (int u = 0; u < 40; ++u) {
            TelemetryBatch batch;
            for (int i = 0; i < 250; ++i)
                batch.logs.push_back(makeLog(ts(u * 1000 + i), "unit " + std::to_string(u)));
            auto s = w->write(std::move(batch), fetch("loki"));
            QVERIFY2(s.ok(), s.ok() ? "" : s.error().message().c_str());
        }
        done = true;
        reader.join();
        QVERIFY2(errors.load() == 0, firstError.c_str());
        QCOMPARE(shrinks.load(), 0);
        QVERIFY(reads.load() >= 5);
        auto r = openReader(path);
        QCOMPARE(r->overview()->logs, int64_t(40 * 250));
    }

    void writerClosedWithOpenUnit()
    {
        const std::string path = newPath();
        {
            auto w = openWriter(path);
            QVERIFY(w);
            TelemetryBatch seed;
            seed.logs.push_back(makeLog(ts(1), "seed"));
            QVERIFY(w->write(seed, fetch("loki")).ok());
        }
        const auto before = contentDump(path);
        std::unique_ptr<WriteUnit> open, idle;
        {
            auto w = openWriter(path);
            QVERIFY(w);
            open = w->begin(fetch("loki"));
            TelemetryBatch b;
            b.logs.push_back(makeLog(ts(2), "never committed"));
            QVERIFY(open->append(b).ok());
            idle = w->begin(fetch("loki")); // queued behind the open one, nothing appended
            // Closing the writer must not wait forever for units nobody commits.
        }
        auto late = open->commit();
        QVERIFY(!late.ok());
        QVERIFY2(QString::fromStdString(late.error().message()).contains(QLatin1String("closed")), late.error().message().c_str());
        QVERIFY(!idle->append(TelemetryBatch{}).ok());
        idle.reset(); // destroying a unit of a closed writer returns at once
        open.reset();
        QCOMPARE(contentDump(path), before);
        // A unit committed before the writer closes is stored.
        {
            auto w = openWriter(path);
            auto unit = w->begin(fetch("loki"));
            TelemetryBatch b;
            b.logs.push_back(makeLog(ts(3), "committed"));
            QVERIFY(unit->append(b).ok());
            QVERIFY(unit->commit().ok());
        }
        QCOMPARE(openReader(path)->overview()->logs, int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TestCacheStore)
#include "tst_cache_store.moc"
