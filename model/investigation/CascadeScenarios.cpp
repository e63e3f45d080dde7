#include "CascadeScenarios.h"

#include "ScenarioRecords.h"
#include "sample/Prng.h"

#include <cstdio>
#include <map>

// Worked examples (what the ranker should conclude, and from what):
//
// logs-cascade — notification's SMTP relay refuses connections from 10:45:00; each welcome email
//   fails ("SMTP connection refused by 10.0.3.7:25 …"). accounts waits up to 30 s for
//   notification to acknowledge, so from 10:45:30 every signup returns 500: "could not confirm
//   welcome email for user 41234: no acknowledgement from notification within 30s". Both are
//   new error templates; with log templates alone they scored 0.50 each. No trace anywhere.
//   Evidence: precedence (notification's errors start 30 s earlier; each service logs every
//   2 s, so onsets are known to ~2 s), words (accounts names notification; notification names
//   no one we know), metrics (notification_emails_failed_total departs at 10:45:15, one scrape
//   before accounts' 5xx counter). notification ≈ 0.80, accounts ≈ 0.15: the cause first.
//
// retry-cascade — ledger's disk fills at 10:45 ("could not extend file …: No space left on
//   device"); billing retries each AppendEntry twice ("retrying AppendEntry on ledger-6c9-1:7001
//   after 503 (attempt 1/3)") and gives up; storefront answers 502 ("upstream billing returned
//   503"), logging whole seconds only. Everything starts within the same 400 ms, inside what
//   2-second log spacing and 1-second timestamps can resolve: precedence says nothing. Tracing
//   was on before 10:40 (the baseline's traces: storefront → billing → ledger) and off since.
//   Evidence: topology (billing calls ledger; storefront calls billing) and words (billing
//   names ledger by name and host:port; storefront names billing). ledger ≈ 0.80, billing and
//   storefront ≤ 0.25.
//
// two-faults — at 10:45 notification's SMTP relay refuses and search's Elasticsearch index turns
//   read-only (flood-stage disk watermark), within a second of each other. Neither names the
//   other, no edge links them, their counters move in the same scrape. Both are reported at
//   0.50, with one rank and "equally likely": a trace, a service-graph metric or a longer
//   window would separate them — or they are two faults, which both fixes need.
//
// queue-saturation — from 10:45 fulfillment's workers are all busy (busy ratio 0.35 → 1.0; a
//   batch takes 4 s instead of 0.3 s): its consumer lag on topic "orders" grows, and from 10:47
//   orders waiting more than two minutes for fulfillment pile up in the orders API. Nothing
//   errors: only warnings and saturation series. The service graph (Tempo's metrics generator,
//   `traces_service_graph_request_total{client="orders", server="fulfillment"}`) says orders
//   feeds fulfillment. Evidence: metrics (fulfillment's busy ratio departs 2 min before
//   orders_pending_fulfillment, alone), precedence (2 min at 2-second log spacing) and topology.
//   Words do not help here, and that is worth seeing: orders says "waiting for fulfillment",
//   but fulfillment's own lines say "batch of 50 orders", which names the orders service too —
//   each names the other, so the words cancel. fulfillment ≈ 0.74, orders ≈ 0.14.

namespace rootline {
namespace {

constexpr Timestamp kT0 = Timestamp::fromSeconds(1795168800); // 2026-11-20T10:00:00Z, as Scenarios.cpp
constexpr Duration kLength = Duration::minutes(60);
constexpr Timestamp kFault = kT0 + Duration::minutes(45);
constexpr Timestamp kTracingOff = kT0 + Duration::minutes(40);
constexpr Duration kScrape = Duration::seconds(15);

ResourcePtr res(const char* service, const char* pod, const char* host, const char* instance)
{
    return makeResource({{"service.name", std::string(service)},
                         {"service.namespace", std::string("shop")},
                         {"service.version", std::string("1.0.0")},
                         {"deployment.environment", std::string("prod")},
                         {"k8s.pod.name", std::string(pod)},
                         {"host.name", std::string(host)},
                         {"instance", std::string(instance)}});
}

class Writer {
public:
    Writer(ScenarioKind kind, uint64_t seed) : m_kind(kind), m_rng(seed * 1000003 + uint64_t(kind)) {}
    Status run(RecordSink& sink);

private:
    void log(Timestamp t, const ResourcePtr& r, Severity severity, std::string body) { m_records.log(t, r, int(severity), std::move(body)); }
    // A cumulative counter: `add` now, sampled at every scrape.
    void count(const ResourcePtr& r, const std::string& name, std::vector<std::pair<std::string, std::string>> labels, double add = 1)
    {
        valueOf(m_records.series(name, std::move(labels), r, MetricKind::Counter)) += add;
    }
    void gauge(const ResourcePtr& r, const std::string& name, std::vector<std::pair<std::string, std::string>> labels, double value)
    {
        valueOf(m_records.series(name, std::move(labels), r, MetricKind::Gauge)) = value;
    }
    double& valueOf(const SeriesData& d) { return m_values[d.series.key()]; }
    void scrape(Timestamp t)
    {
        for (auto& [key, data] : m_records.allSeries())
            data.samples.push_back({t, m_values[key]});
    }
    void trace(Timestamp t, const std::vector<std::pair<ResourcePtr, const char*>>& chain);
    void declareCounters();
    void tick(Timestamp t, int index);
    void logsCascade(Timestamp t, int index);
    void retryCascade(Timestamp t, int index);
    void unrelatedFaults(Timestamp t, int index);
    void queueSaturation(Timestamp t, int index);

    ScenarioKind m_kind;
    sample::Prng m_rng;
    ScenarioRecords m_records;
    std::map<std::string, double> m_values; // each series' current value, by key
    char m_buf[512];

    const ResourcePtr m_notification = res("notification", "notification-77a-1", "node-2", "10.0.3.21:9102");
    const ResourcePtr m_accounts = res("accounts", "accounts-5d8-1", "node-4", "10.0.3.31:8080");
    const ResourcePtr m_storefront = res("storefront", "storefront-7b1-1", "node-1", "10.0.3.41:8080");
    const ResourcePtr m_billing = res("billing", "billing-4e2-1", "node-3", "10.0.3.51:8080");
    const ResourcePtr m_ledger = res("ledger", "ledger-6c9-1", "node-5", "ledger-6c9-1:7001");
    const ResourcePtr m_search = res("search", "search-indexer-2f4-1", "node-6", "10.0.3.61:9200");
    const ResourcePtr m_orders = res("orders", "orders-58c-1", "node-1", "10.0.3.71:8080");
    const ResourcePtr m_fulfillment = res("fulfillment", "fulfillment-9d3-1", "node-7", "10.0.3.81:8080");
    const ResourcePtr m_tempo = res("tempo", "tempo-metrics-generator-0", "node-8", "10.0.3.91:3200");
};

// One request's trace down `chain` (each a resource and the server span's name), each hop a
// client span in the caller and a server span in the callee: what the baseline's traces say.
void Writer::trace(Timestamp t, const std::vector<std::pair<ResourcePtr, const char*>>& chain)
{
    const TraceId id{m_rng.nonZero(), m_rng.nonZero()};
    std::optional<SpanId> parent;
    Timestamp start = t;
    Duration d = Duration::millis(int64_t(20 * chain.size()));
    for (size_t i = 0; i < chain.size(); ++i) {
        Span server;
        server.traceId = id;
        server.spanId = SpanId{m_rng.nonZero()};
        server.parentSpanId = parent;
        server.name = chain[i].second;
        server.kind = SpanKind::Server;
        server.start = start;
        server.duration = d;
        server.resource = chain[i].first;
        parent = server.spanId;
        m_records.batch.spans.push_back(server);
        if (i + 1 < chain.size()) {
            Span client = server;
            client.spanId = SpanId{m_rng.nonZero()};
            client.parentSpanId = server.spanId;
            client.name = std::string(chain[i + 1].second);
            client.kind = SpanKind::Client;
            client.start = start + Duration::millis(1);
            client.duration = d - Duration::millis(3);
            client.attributes = {{"peer.service", std::string(chain[i + 1].first->serviceName)}};
            parent = client.spanId;
            m_records.batch.spans.push_back(std::move(client));
        }
        start = start + Duration::millis(2);
        d = d - Duration::millis(8);
    }
}

void Writer::logsCascade(Timestamp t, int index)
{
    const int user = 40000 + index;
    const Timestamp mail = t + Duration::millis(400 + int64_t(m_rng.below(300)));
    if (mail >= kFault) {
        std::snprintf(m_buf, sizeof m_buf, "SMTP connection refused by 10.0.3.%d:25 (attempt 3/3), welcome email for user %d dropped",
                      7 + index % 3, user);
        log(mail, m_notification, Severity::Error, m_buf);
        count(m_notification, "notification_emails_failed_total", {{"template", "welcome"}});
    } else {
        std::snprintf(m_buf, sizeof m_buf, "email sent to user %d template=welcome in %dms", user, 80 + m_rng.below(60));
        log(mail, m_notification, Severity::Info, m_buf);
        count(m_notification, "notification_emails_sent_total", {{"template", "welcome"}});
    }
    // accounts gives notification 30 s to acknowledge: a signup fails when the email it waits
    // for was sent 30 s ago and failed.
    const Timestamp signup = t + Duration::millis(900);
    const bool failed = signup - Duration::seconds(30) >= kFault;
    if (failed) {
        std::snprintf(m_buf, sizeof m_buf,
                      "POST /signup 500: could not confirm welcome email for user %d: no acknowledgement from notification within 30s",
                      user - 15);
        log(signup, m_accounts, Severity::Error, m_buf);
    } else {
        std::snprintf(m_buf, sizeof m_buf, "POST /signup 201 user=%d confirmed in %dms", user, 120 + m_rng.below(80));
        log(signup, m_accounts, Severity::Info, m_buf);
    }
    count(m_accounts, "http_server_requests_total", {{"service", "accounts"}, {"status_class", failed ? "5xx" : "2xx"}});
    if (index % 97 == 0) // background noise in both windows: a slow hash now and then
        log(signup + Duration::millis(3), m_accounts, Severity::Warn, "slow password hash 310ms (bcrypt cost 12)");
}

void Writer::retryCascade(Timestamp t, int index)
{
    const int invoice = 70000 + index;
    if (t < kTracingOff)
        trace(t, {{m_storefront, "GET /invoice"}, {m_billing, "CreateInvoice"}, {m_ledger, "AppendEntry"}});
    const bool full = t >= kFault;
    int status = 200;
    if (full) {
        // Three attempts, 100 ms then 200 ms apart, each failing in ledger first.
        const Duration attemptAt[] = {Duration::millis(5), Duration::millis(110), Duration::millis(315)};
        for (int attempt = 0; attempt < 3; ++attempt) {
            const Timestamp a = t + attemptAt[attempt];
            std::snprintf(m_buf, sizeof m_buf, "could not extend file \"base/16384/%d\": No space left on device", 2600 + index % 40);
            log(a + Duration::millis(3), m_ledger, Severity::Error, m_buf);
            count(m_ledger, "http_server_requests_total", {{"service", "ledger"}, {"status_class", "5xx"}});
            if (attempt < 2) {
                std::snprintf(m_buf, sizeof m_buf, "retrying AppendEntry on ledger-6c9-1:7001 after 503 (attempt %d/3) invoice=%d", attempt + 1,
                              invoice);
                log(a + Duration::millis(4), m_billing, Severity::Warn, m_buf);
            }
        }
        std::snprintf(m_buf, sizeof m_buf, "giving up on ledger after 3 attempts: 503 Service Unavailable (invoice %d)", invoice);
        log(t + Duration::millis(320), m_billing, Severity::Error, m_buf);
        count(m_billing, "http_server_requests_total", {{"service", "billing"}, {"status_class", "5xx"}});
        status = 502;
        // storefront's legacy logger writes whole seconds.
        const Timestamp at = Timestamp::fromSeconds((t + Duration::millis(322)).nanos() / 1'000'000'000);
        std::snprintf(m_buf, sizeof m_buf, "GET /invoice/%d 502: upstream billing returned 503", invoice);
        log(at, m_storefront, Severity::Error, m_buf);
    } else {
        count(m_ledger, "http_server_requests_total", {{"service", "ledger"}, {"status_class", "2xx"}});
        count(m_billing, "http_server_requests_total", {{"service", "billing"}, {"status_class", "2xx"}});
        if (index % 5 == 0) {
            std::snprintf(m_buf, sizeof m_buf, "invoice %d created", invoice);
            log(t + Duration::millis(30), m_billing, Severity::Info, m_buf);
        }
    }
    count(m_storefront, "http_server_requests_total", {{"service", "storefront"}, {"status_class", status == 200 ? "2xx" : "5xx"}});
    if (index % 89 == 0) // background noise: a retry that succeeds, in both windows
        log(t + Duration::millis(50), m_billing, Severity::Warn, "slow ledger response 850ms, within deadline");
}

void Writer::unrelatedFaults(Timestamp t, int index)
{
    const int user = 40000 + index;
    const Timestamp mail = t + Duration::millis(300 + int64_t(m_rng.below(200)));
    if (mail >= kFault) {
        std::snprintf(m_buf, sizeof m_buf, "SMTP connection refused by 10.0.3.%d:25 (attempt 3/3), email for user %d dropped", 7 + index % 3,
                      user);
        log(mail, m_notification, Severity::Error, m_buf);
        count(m_notification, "notification_emails_failed_total", {{"template", "order-confirmation"}});
    } else if (index % 3 == 0) {
        std::snprintf(m_buf, sizeof m_buf, "email sent to user %d template=order-confirmation", user);
        log(mail, m_notification, Severity::Info, m_buf);
    }
    const Timestamp idx = t + Duration::millis(1100 + int64_t(m_rng.below(200)));
    if (idx >= kFault) {
        std::snprintf(m_buf, sizeof m_buf,
                      "failed to index product %d: cluster_block_exception: index [products] blocked by: [TOO_MANY_REQUESTS/12/disk usage "
                      "exceeded flood-stage watermark, index has read-only-allow-delete block]",
                      900000 + index);
        log(idx, m_search, Severity::Error, m_buf);
        count(m_search, "search_index_errors_total", {{"index", "products"}});
    } else if (index % 4 == 0) {
        std::snprintf(m_buf, sizeof m_buf, "indexed product %d in %dms", 900000 + index, 4 + m_rng.below(6));
        log(idx, m_search, Severity::Info, m_buf);
    }
}

void Writer::queueSaturation(Timestamp t, int index)
{
    // One batch every 2 s; from the fault on, a batch takes 4 s with every worker busy.
    const bool saturated = t >= kFault;
    if (saturated) {
        std::snprintf(m_buf, sizeof m_buf, "batch of 50 orders took %dms; 16/16 workers busy", 4000 + m_rng.below(400));
        log(t + Duration::millis(200), m_fulfillment, Severity::Warn, m_buf);
    } else if (index % 10 == 0) {
        std::snprintf(m_buf, sizeof m_buf, "batch of 50 orders took %dms", 280 + m_rng.below(60));
        log(t + Duration::millis(200), m_fulfillment, Severity::Info, m_buf);
    }
    // Orders still unfulfilled two minutes after they were placed.
    const bool overdue = t >= kFault + Duration::minutes(2);
    if (overdue) {
        std::snprintf(m_buf, sizeof m_buf, "order %d still pending after 120s, waiting for fulfillment", 50000 + index - 60);
        log(t + Duration::millis(700), m_orders, Severity::Warn, m_buf);
    }
    if (index % 131 == 0) // background noise in both windows
        log(t + Duration::millis(20), m_orders, Severity::Warn, "payment provider webhook retried once");
    count(m_tempo, "traces_service_graph_request_total",
          {{"client", "orders"}, {"server", "fulfillment"}, {"connection_type", "messaging_system"}}, 50);
}

// Every counter exists from the first scrape, at zero: a series born in the incident has no
// baseline to depart from, and real exporters publish their counters from the start.
void Writer::declareCounters()
{
    auto http = [&](const ResourcePtr& r) {
        for (const char* cls : {"2xx", "5xx"})
            count(r, "http_server_requests_total", {{"service", r->serviceName}, {"status_class", cls}}, 0);
    };
    switch (m_kind) {
    case ScenarioKind::LogsCascade:
        count(m_notification, "notification_emails_failed_total", {{"template", "welcome"}}, 0);
        count(m_notification, "notification_emails_sent_total", {{"template", "welcome"}}, 0);
        http(m_accounts);
        break;
    case ScenarioKind::RetryCascade:
        http(m_storefront);
        http(m_billing);
        http(m_ledger);
        break;
    case ScenarioKind::UnrelatedFaults:
        count(m_notification, "notification_emails_failed_total", {{"template", "order-confirmation"}}, 0);
        count(m_search, "search_index_errors_total", {{"index", "products"}}, 0);
        break;
    default: break;
    }
}

void Writer::tick(Timestamp t, int index)
{
    switch (m_kind) {
    case ScenarioKind::LogsCascade: logsCascade(t, index); break;
    case ScenarioKind::RetryCascade: retryCascade(t, index); break;
    case ScenarioKind::UnrelatedFaults: unrelatedFaults(t, index); break;
    case ScenarioKind::QueueSaturation: queueSaturation(t, index); break;
    default: break;
    }
}

Status Writer::run(RecordSink& sink)
{
    declareCounters();
    int index = 0;
    Timestamp nextScrape = kT0;
    for (Timestamp t = kT0; t < kT0 + kLength; t = t + Duration::seconds(2), ++index) {
        while (nextScrape <= t) {
            // Gauges are read at the scrape: how saturated fulfillment is, how far behind.
            if (m_kind == ScenarioKind::QueueSaturation) {
                const bool saturated = nextScrape >= kFault;
                const double behind = saturated ? (nextScrape - kFault).toSeconds() * 12 : 0;
                gauge(m_fulfillment, "fulfillment_worker_busy_ratio", {{"pool", "orders"}},
                      saturated ? 1.0 : 0.35 + 0.05 * (m_rng.uniform() - 0.5));
                gauge(m_fulfillment, "kafka_consumer_records_lag_max", {{"topic", "orders"}, {"client_id", "fulfillment-1"}},
                      double(m_rng.below(6)) + behind);
                const double overdue = nextScrape >= kFault + Duration::minutes(2) ? (nextScrape - kFault - Duration::minutes(2)).toSeconds() * 12 : 0;
                gauge(m_orders, "orders_pending_fulfillment", {{"sla", "120s"}}, double(m_rng.below(4)) + overdue);
            }
            scrape(nextScrape);
            nextScrape = nextScrape + kScrape;
        }
        tick(t, index);
        if (auto s = m_records.flush(sink, false); !s)
            return s;
    }
    scrape(nextScrape);
    Alert a;
    const ScenarioSpec& spec = scenarioSpec(m_kind);
    a.name = m_kind == ScenarioKind::QueueSaturation ? "OrdersFulfillmentOverdue" : "AvailabilityBurnRate";
    a.labels = {{"alertname", a.name}, {"service", std::string(spec.focusService)}, {"severity", "page"}};
    a.annotations = {{"summary", std::string(spec.story)}};
    a.state = AlertState::Firing;
    a.activeSince = kFault + Duration::minutes(3);
    a.value = 20;
    a.source = "prometheus";
    m_records.batch.alerts.push_back(a);
    return m_records.flush(sink, true);
}

} // namespace

Status generateCascadeScenario(ScenarioKind kind, RecordSink& sink, uint64_t seed)
{
    Writer w(kind, seed);
    return w.run(sink);
}

} // namespace rootline
