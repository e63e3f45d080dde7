#include "Scenarios.h"

#include "CascadeScenarios.h"
#include "ScenarioRecords.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>

namespace rootline {
namespace {

constexpr Timestamp kT0 = Timestamp::fromSeconds(1795168800); // 2026-11-20T10:00:00Z
constexpr Duration kLength = Duration::minutes(60);
constexpr Timestamp kFault = kT0 + Duration::minutes(45);
constexpr Duration kSkew = Duration::millis(2500); // shipping's clock runs ahead in ClockSkew

class Prng { // splitmix64: deterministic everywhere, no std:: distribution differences
public:
    explicit Prng(uint64_t seed) : m_state(seed) {}
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) / double(1ULL << 53); }
    bool chance(double p) { return uniform() < p; }
    // A duration around `ms` with ±`spread` relative jitter.
    Duration around(double ms, double spread = 0.3) { return Duration::micros(int64_t(ms * 1000 * (1 + spread * (2 * uniform() - 1)))); }

private:
    uint64_t m_state;
};

std::string hex(const TraceId& t) { return t.toHex(); }

struct Shop {
    ResourcePtr frontend, checkout, cartA, cartB, cartB15, inventory, payment, shipping, notification;
};

ResourcePtr res(const char* service, const char* version, const char* pod, const char* host)
{
    return makeResource({{"service.name", std::string(service)},
                         {"service.namespace", std::string("shop")},
                         {"service.version", std::string(version)},
                         {"deployment.environment", std::string("prod")},
                         {"k8s.pod.name", std::string(pod)},
                         {"host.name", std::string(host)}});
}

Shop makeShop()
{
    return {res("frontend", "2.3.1", "frontend-7d9f-1", "node-1"),   res("checkout", "3.0.2", "checkout-5c4b-1", "node-2"),
            res("cart", "1.4.0", "cart-6f8d-a", "node-1"),           res("cart", "1.4.0", "cart-6f8d-b", "node-3"),
            res("cart", "1.5.0", "cart-6f8d-b", "node-3"),           res("inventory", "4.1.0", "inventory-59c-1", "node-2"),
            res("payment", "1.12.3", "payment-84d-1", "node-3"),     res("shipping", "0.9.7", "shipping-6b2-1", "node-1"),
            res("notification", "1.0.4", "notification-77a-1", "node-2")};
}

struct Counters { // per service and status class, cumulative
    std::map<std::pair<std::string, std::string>, double> requests;
    std::array<double, 7> checkoutBuckets{}; // le 0.1 0.25 0.5 1 2.5 5 +Inf
    struct Ex {
        bool valid = false;
        double seconds = 0;
        TraceId trace;
        SpanId span;
        Timestamp time;
    };
    std::array<Ex, 7> exemplars{};
};
constexpr std::array<double, 7> kLe = {0.1, 0.25, 0.5, 1, 2.5, 5, 1e300};
constexpr std::array<const char*, 7> kLeText = {"0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"};

class Generator {
public:
    Generator(ScenarioKind kind, uint64_t seed) : m_kind(kind), m_rng(seed * 1000003 + uint64_t(kind)), m_shop(makeShop()) {}

    Status run(RecordSink& sink);

private:
    struct Faults {
        bool gatewayTimeout = false, poolExhausted = false, badCart = false, slowQuery = false, slowShipping = false;
        bool smtpDown = false;
    };
    Faults faultsAt(Timestamp t, bool cartB) const
    {
        Faults f;
        const bool on = t >= kFault;
        switch (m_kind) {
        case ScenarioKind::DownstreamTimeout: f.gatewayTimeout = on && m_rng2Chance; break;
        case ScenarioKind::PoolExhaustion: f.poolExhausted = on && m_rng2Chance; break;
        case ScenarioKind::BadDeploy: f.badCart = t >= kFault - Duration::minutes(1) && cartB; break;
        case ScenarioKind::LatencyOnly: f.slowQuery = on; break;
        case ScenarioKind::ClockSkew: f.slowShipping = on; break;
        case ScenarioKind::LogOnly: f.smtpDown = on; break;
        default: break; // the issue-15 scenarios have generators of their own
        }
        return f;
    }

    SpanId newSpanId() { return SpanId{m_rng.next() | 1}; }
    Span& span(const TraceId& trace, std::optional<SpanId> parent, const ResourcePtr& r, std::string name, SpanKind kind, Timestamp start,
               Duration d)
    {
        Span s;
        s.traceId = trace;
        s.spanId = newSpanId();
        s.parentSpanId = parent;
        s.name = std::move(name);
        s.kind = kind;
        s.start = start;
        s.duration = d;
        s.resource = r;
        m_records.batch.spans.push_back(std::move(s));
        return m_records.batch.spans.back();
    }
    void log(Timestamp t, const ResourcePtr& r, int severity, std::string body, Attributes attrs = {}, std::optional<TraceId> trace = {},
             std::optional<SpanId> spanId = {})
    {
        m_records.log(t, r, severity, std::move(body), std::move(attrs), trace, spanId);
    }
    void count(const std::string& service, int status) { m_counters.requests[{service, status >= 500 ? "5xx" : status >= 400 ? "4xx" : "2xx"}] += 1; }

    void request(Timestamp t, int index);
    void scrape(Timestamp t);
    void notificationLogs(Timestamp t);
    Status flush(RecordSink& sink, bool force);

    ScenarioKind m_kind;
    Prng m_rng;
    bool m_rng2Chance = false; // the fault hits this request (drawn per request)
    Shop m_shop;
    ScenarioRecords m_records;
    Counters m_counters;
};

void Generator::request(Timestamp t, int index)
{
    const bool cartB = index % 2 == 1;
    m_rng2Chance = m_rng.chance(m_kind == ScenarioKind::PoolExhaustion ? 0.6 : 0.75);
    const Faults f = faultsAt(t, cartB);
    const bool declined = m_rng.chance(0.006); // background noise: a card declined now and then
    const ResourcePtr& cart = cartB ? (t >= kFault - Duration::minutes(1) && m_kind == ScenarioKind::BadDeploy ? m_shop.cartB15 : m_shop.cartB)
                                    : m_shop.cartA;
    TraceId trace{m_rng.next(), m_rng.next()};
    const Duration net = Duration::micros(600);
    const int orderId = 40000 + index;
    char buf[512];

    // Leaf work first, then parents sized around their children.
    const Duration cartWork = f.badCart ? m_rng.around(3) : m_rng.around(9);
    const Duration poolWait = f.poolExhausted ? Duration::millis(2000) : m_rng.around(0.2);
    const Duration query = f.slowQuery ? m_rng.around(900, 0.15) : m_rng.around(12);
    const Duration gateway = f.gatewayTimeout ? Duration::millis(5000) : m_rng.around(120);
    const Duration quote = f.slowShipping ? m_rng.around(1200, 0.15) : m_rng.around(30);
    const bool inventoryFails = f.poolExhausted;
    const bool cartFails = f.badCart;
    const bool paymentFails = f.gatewayTimeout;
    const bool checkoutFails = inventoryFails || cartFails || paymentFails;

    // frontend server
    Span& fe = span(trace, std::nullopt, m_shop.frontend, "GET /checkout", SpanKind::Server, t, Duration());
    const SpanId feId = fe.spanId;
    const size_t feIndex = m_records.batch.spans.size() - 1;
    fe.attributes = {{"http.request.method", std::string("GET")}, {"http.route", std::string("/checkout")},
                     {"url.path", std::string("/checkout")}, {"client.address", std::string("203.0.113.") + std::to_string(index % 200)}};
    Timestamp cursor = t + m_rng.around(1.5);
    // frontend → checkout
    Span& feCall = span(trace, feId, m_shop.frontend, "checkout/PlaceOrder", SpanKind::Client, cursor, Duration());
    const SpanId feCallId = feCall.spanId;
    const size_t feCallIndex = m_records.batch.spans.size() - 1;
    const Timestamp coStart = cursor + net;
    Span& co = span(trace, feCallId, m_shop.checkout, "PlaceOrder", SpanKind::Server, coStart, Duration());
    const SpanId coId = co.spanId;
    const size_t coIndex = m_records.batch.spans.size() - 1;
    co.attributes = {{"rpc.method", std::string("PlaceOrder")}, {"app.order.id", int64_t(orderId)},
                     {"app.order.items", int64_t(1 + index % 4)}, {"app.currency", std::string(index % 3 ? "EUR" : "USD")}};
    Timestamp c = coStart + m_rng.around(0.8);

    auto call = [&](const ResourcePtr& callee, const char* clientName, const char* serverName, Duration inner, bool fails,
                    const char* failMessage, Duration skew, auto&& body) -> Timestamp {
        Span& client = span(trace, coId, m_shop.checkout, clientName, SpanKind::Client, c, Duration());
        const SpanId clientId = client.spanId;
        const size_t clientIndex = m_records.batch.spans.size() - 1;
        client.attributes = {{"peer.service", std::string(callee->serviceName)}, {"rpc.system", std::string("grpc")}};
        const Timestamp sStart = c + net;
        Span& server = span(trace, clientId, callee, serverName, SpanKind::Server, sStart + skew, Duration());
        const SpanId serverId = server.spanId;
        const size_t serverIndex = m_records.batch.spans.size() - 1;
        const Duration used = body(serverId, sStart, skew);
        const Duration serverD = std::max(inner, used) + m_rng.around(0.5);
        m_records.batch.spans[serverIndex].duration = serverD;
        if (fails) {
            m_records.batch.spans[serverIndex].status = StatusCode::Error;
            m_records.batch.spans[serverIndex].statusMessage = failMessage;
            m_records.batch.spans[clientIndex].status = StatusCode::Error;
            m_records.batch.spans[clientIndex].statusMessage = failMessage;
        }
        m_records.batch.spans[clientIndex].duration = serverD + net * 2;
        // A declined card is the client's problem (402), not an outage.
        count(callee->serviceName, !fails ? 200 : std::string_view(failMessage) == "card declined" ? 402 : 500);
        c = c + serverD + net * 2 + m_rng.around(0.3);
        return c;
    };
    auto noChildren = [](SpanId, Timestamp, Duration) { return Duration(); };

    // cart
    call(cart, "cart/GetCart", "GetCart", cartWork, cartFails, "internal error: nil pointer dereference", Duration(),
         [&](SpanId sid, Timestamp s0, Duration) {
             if (cartFails) {
                 log(s0 + cartWork, cart, int(Severity::Error),
                     "panic: runtime error: invalid memory address or nil pointer dereference in cart.serializeItems (cart "
                         + std::to_string(orderId) + ")",
                     {}, trace, sid);
             }
             return Duration();
         });
    // inventory: pool.acquire, then the query
    call(m_shop.inventory, "inventory/CheckStock", "CheckStock", Duration(), inventoryFails, "could not acquire a database connection",
         Duration(), [&](SpanId sid, Timestamp s0, Duration) {
             Timestamp ic = s0 + m_rng.around(0.3);
             Span& pool = span(trace, sid, m_shop.inventory, "pool.acquire", SpanKind::Internal, ic, poolWait);
             pool.attributes = {{"db.pool.name", std::string("inventory-primary")}, {"db.pool.max", int64_t(20)}};
             ic = ic + poolWait;
             if (inventoryFails) {
                 pool.status = StatusCode::Error;
                 pool.statusMessage = "timeout acquiring connection from pool inventory-primary";
                 std::snprintf(buf, sizeof buf,
                               "could not acquire connection from pool inventory-primary within 2000ms (active=20 idle=0 waiting=%d)",
                               20 + index % 17);
                 log(ic, m_shop.inventory, int(Severity::Error), buf, {{"traceID", hex(trace)}, {"spanID", pool.spanId.toHex()}});
                 return ic - s0 + m_rng.around(0.2);
             }
             Span& q = span(trace, sid, m_shop.inventory, "SELECT stock", SpanKind::Client, ic, query);
             q.attributes = {{"db.system", std::string("postgresql")}, {"db.name", std::string("inventory")},
                             {"db.statement", std::string("SELECT qty FROM stock WHERE sku = $1")},
                             {"db.pool.name", std::string("inventory-primary")}, {"server.address", std::string("pg-inventory-1")}};
             ic = ic + query;
             if (f.slowQuery) {
                 std::snprintf(buf, sizeof buf, "slow query %lldms: SELECT qty FROM stock WHERE sku = 'SKU-%d'",
                               (long long)(query.count() / 1'000'000), 1000 + index % 50);
                 log(ic, m_shop.inventory, int(Severity::Warn), buf, {{"traceID", hex(trace)}});
             } else if (index % 5 == 0) {
                 std::snprintf(buf, sizeof buf, "stock checked sku=SKU-%d qty=%d", 1000 + index % 50, index % 9);
                 log(ic, m_shop.inventory, int(Severity::Info), buf, {{"traceID", hex(trace)}});
             }
             return ic - s0 + m_rng.around(0.2);
         });
    // payment → external gateway (client span only: the gateway is not ours)
    call(m_shop.payment, "payment/Charge", "Charge", Duration(), paymentFails || declined,
         paymentFails ? "payment gateway timeout" : "card declined", Duration(), [&](SpanId sid, Timestamp s0, Duration) {
             Timestamp pc = s0 + m_rng.around(0.5);
             Span& gw = span(trace, sid, m_shop.payment, "POST payment-gateway /v1/charges", SpanKind::Client, pc, gateway);
             gw.attributes = {{"http.request.method", std::string("POST")}, {"url.full", std::string("https://api.gateway.example/v1/charges")},
                              {"server.address", std::string("api.gateway.example")}, {"server.port", int64_t(443)},
                              {"peer.service", std::string("payment-gateway")}, {"app.payment.amount", 10.0 + index % 90}};
             const SpanId gwId = gw.spanId;
             pc = pc + gateway;
             if (paymentFails) {
                 gw.status = StatusCode::Error;
                 gw.statusMessage = "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
                 gw.events.push_back({pc, "exception", {{"exception.type", std::string("TimeoutError")},
                                                       {"exception.message", std::string("context deadline exceeded")}}});
                 std::snprintf(buf, sizeof buf, "payment gateway timeout after 5000ms calling api.gateway.example:443 (order %d)", orderId);
                 log(pc, m_shop.payment, int(Severity::Error), buf, {{"trace_id", hex(trace)}, {"span_id", gwId.toHex()}});
             } else if (declined) {
                 m_records.batch.spans.back().status = StatusCode::Error;
                 m_records.batch.spans.back().statusMessage = "card declined";
                 std::snprintf(buf, sizeof buf, "card declined by issuer (order %d)", orderId);
                 log(pc, m_shop.payment, int(Severity::Warn), buf, {{"trace_id", hex(trace)}});
             } else {
                 std::snprintf(buf, sizeof buf, "charged card amount=%d.50 currency=EUR order=%d", 10 + index % 90, orderId);
                 log(pc, m_shop.payment, int(Severity::Info), buf, {{"trace_id", hex(trace)}, {"span_id", gwId.toHex()}});
             }
             return pc - s0 + m_rng.around(0.3);
         });
    // shipping (its clock may run ahead)
    const Duration skew = m_kind == ScenarioKind::ClockSkew ? kSkew : Duration();
    if (!checkoutFails) {
        call(m_shop.shipping, "shipping/Quote", "Quote", quote, false, "", skew, [&](SpanId sid, Timestamp s0, Duration sk) {
            if (f.slowShipping) {
                std::snprintf(buf, sizeof buf, "carrier rate lookup slow %lldms carrier=dhl zone=%d", (long long)(quote.count() / 1'000'000),
                              index % 8);
                log(s0 + quote + sk, m_shop.shipping, int(Severity::Warn), buf,
                    {{"AWS-XRAY-TRACE-ID", "Root=" + trace.toXRay() + ";Parent=" + sid.toHex() + ";Sampled=1"}});
            }
            return Duration();
        });
    }
    (void)noChildren;

    // close checkout, then the frontend spans
    const Duration coD = c - coStart + m_rng.around(0.6);
    m_records.batch.spans[coIndex].duration = coD;
    if (checkoutFails) {
        const char* what = paymentFails ? "payment" : inventoryFails ? "inventory" : "cart";
        m_records.batch.spans[coIndex].status = StatusCode::Error;
        m_records.batch.spans[coIndex].statusMessage = std::string(what) + " unavailable";
        std::snprintf(buf, sizeof buf, "level=error msg=\"PlaceOrder failed: %s unavailable\" order_id=%d trace_id=%s span_id=%s", what,
                      orderId, hex(trace).c_str(), coId.toHex().c_str());
        log(coStart + coD, m_shop.checkout, int(Severity::Error), buf);
    } else {
        std::snprintf(buf, sizeof buf, "level=info msg=\"order placed\" order_id=%d items=%d trace_id=%s span_id=%s", orderId,
                      1 + index % 4, hex(trace).c_str(), coId.toHex().c_str());
        log(coStart + coD, m_shop.checkout, int(Severity::Info), buf);
    }
    count("checkout", checkoutFails ? 500 : 200);
    m_records.batch.spans[feCallIndex].duration = coD + net * 2;
    if (checkoutFails) {
        m_records.batch.spans[feCallIndex].status = StatusCode::Error;
        m_records.batch.spans[feCallIndex].statusMessage = "502 Bad Gateway";
    }
    const Duration feD = (cursor - t) + coD + net * 2 + m_rng.around(1);
    m_records.batch.spans[feIndex].duration = feD;
    const int status = checkoutFails ? 502 : 200;
    m_records.batch.spans[feIndex].attributes.set("http.response.status_code", int64_t(status));
    if (checkoutFails) {
        m_records.batch.spans[feIndex].status = StatusCode::Error;
        m_records.batch.spans[feIndex].statusMessage = "502 Bad Gateway";
    }
    count("frontend", status);
    std::snprintf(buf, sizeof buf, "{\"level\":\"%s\",\"msg\":\"GET /checkout %d in %lldms\",\"trace_id\":\"%s\",\"span_id\":\"%s\"}",
                  checkoutFails ? "error" : "info", status, (long long)(feD.count() / 1'000'000), hex(trace).c_str(), feId.toHex().c_str());
    log(t + feD, m_shop.frontend, int(checkoutFails ? Severity::Error : Severity::Info), buf);

    // checkout latency histogram (cumulative buckets) and exemplars
    const double seconds = coD.toSeconds();
    for (size_t b = 0; b < kLe.size(); ++b) {
        if (seconds <= kLe[b]) {
            m_counters.checkoutBuckets[b] += 1;
        }
    }
    for (size_t b = 0; b < kLe.size(); ++b) {
        if (seconds <= kLe[b]) {
            auto& ex = m_counters.exemplars[b];
            if (!ex.valid || seconds > ex.seconds)
                ex = {true, seconds, trace, coId, coStart + coD};
            break;
        }
    }
}

void Generator::notificationLogs(Timestamp t)
{
    char buf[256];
    const int n = int((t - kT0).count() / 1'000'000'000);
    if (m_kind == ScenarioKind::LogOnly && t >= kFault) {
        std::snprintf(buf, sizeof buf, "SMTP connection refused by 10.0.3.%d:25 (attempt 3/3), email to customer %d dropped", 7 + n % 3,
                      9000 + n);
        log(t, m_shop.notification, int(Severity::Error), buf);
    } else if (n % 10 == 0) {
        std::snprintf(buf, sizeof buf, "email sent to customer %d template=order-confirmation", 9000 + n);
        log(t, m_shop.notification, int(Severity::Info), buf);
    }
}

void Generator::scrape(Timestamp t)
{
    auto seriesFor = [&](const std::string& name, std::vector<std::pair<std::string, std::string>> labels, const ResourcePtr& r,
                         MetricKind kind) -> SeriesData& { return m_records.series(name, std::move(labels), r, kind); };
    const std::map<std::string, ResourcePtr> resources = {{"frontend", m_shop.frontend}, {"checkout", m_shop.checkout},
                                                         {"cart", m_shop.cartA},         {"inventory", m_shop.inventory},
                                                         {"payment", m_shop.payment},   {"shipping", m_shop.shipping}};
    for (const auto& [service, r] : resources) {
        for (const char* cls : {"2xx", "4xx", "5xx"}) {
            auto& d = seriesFor("http_server_requests_total", {{"service", service}, {"status_class", cls}, {"job", "shop/" + service}}, r,
                                MetricKind::Counter);
            d.samples.push_back({t, m_counters.requests[{service, cls}]});
        }
    }
    for (size_t b = 0; b < kLe.size(); ++b) {
        auto& d = seriesFor("http_server_request_duration_seconds_bucket", {{"service", "checkout"}, {"le", kLeText[b]}}, m_shop.checkout,
                            MetricKind::Histogram);
        d.samples.push_back({t, m_counters.checkoutBuckets[b]});
        auto& ex = m_counters.exemplars[b];
        if (ex.valid) {
            Exemplar e;
            e.time = ex.time;
            e.value = ex.seconds;
            e.traceId = ex.trace;
            e.spanId = ex.span;
            e.labels = {{"trace_id", ex.trace.toHex()}};
            d.exemplars.push_back(e);
            ex = {};
        }
    }
}

Status Generator::flush(RecordSink& sink, bool force) { return m_records.flush(sink, force); }

Status Generator::run(RecordSink& sink)
{
    const Duration every = Duration::seconds(2);
    int index = 0;
    Timestamp nextScrape = kT0;
    for (Timestamp t = kT0; t < kT0 + kLength; t = t + every, ++index) {
        while (nextScrape <= t) {
            scrape(nextScrape);
            nextScrape = nextScrape + Duration::seconds(15);
        }
        request(t + Duration::millis(int64_t(m_rng.next() % 900)), index);
        notificationLogs(t);
        if (auto s = flush(sink, false); !s)
            return s;
    }
    scrape(nextScrape);
    if (m_kind != ScenarioKind::LogOnly) {
        Alert a;
        a.name = m_kind == ScenarioKind::LatencyOnly || m_kind == ScenarioKind::ClockSkew ? "CheckoutLatencyHigh" : "CheckoutAvailabilityBurnRate";
        a.labels = {{"alertname", a.name}, {"service", "checkout"}, {"severity", "page"}};
        a.annotations = {{"summary", "checkout is failing or slow"}};
        a.state = AlertState::Firing;
        a.activeSince = kFault + Duration::minutes(2);
        a.value = 20;
        a.source = "prometheus";
        m_records.batch.alerts.push_back(a);
    }
    return flush(sink, true);
}

std::vector<ScenarioSpec> makeSpecs()
{
    const TimeWindow baseline{kT0, kT0 + Duration::minutes(40)};
    const TimeWindow incident{kFault, kT0 + kLength};
    return {
        {ScenarioKind::DownstreamTimeout, "downstream-timeout",
         "payment's calls to the external payment gateway hit their 5 s timeout; checkout fails", "checkout", "payment",
         "payment-gateway", "timeout", baseline, incident, kFault},
        {ScenarioKind::PoolExhaustion, "pool-exhaustion",
         "inventory's database connection pool is exhausted; requests wait 2 s for a connection and fail", "checkout", "inventory",
         "pool.acquire", "pool", baseline, incident, kFault},
        {ScenarioKind::BadDeploy, "bad-deploy", "cart 1.5.0 is rolled out to one pod and every request it serves fails", "checkout",
         "cart", "GetCart", "nil pointer", baseline, incident, kFault},
        {ScenarioKind::LatencyOnly, "latency-only", "inventory's stock query slows from 12 ms to 900 ms; nothing fails", "checkout",
         "inventory", "SELECT stock", "slow query", baseline, incident, kFault},
        {ScenarioKind::ClockSkew, "clock-skew",
         "shipping's clock runs 2.5 s ahead, and its carrier lookup slows to 1.2 s: only skew correction puts the time on shipping",
         "checkout", "shipping", "Quote", "slow", baseline, incident, kFault},
        {ScenarioKind::LogOnly, "log-only", "the notification worker cannot reach its SMTP relay; no trace is sampled, only logs say so",
         "notification", "notification", "", "refused", baseline, incident, kFault},
        // Issue 15: no trace in the incident window; worked examples in CascadeScenarios.cpp.
        {ScenarioKind::LogsCascade, "logs-cascade",
         "notification's SMTP relay refuses connections; accounts, waiting 30 s for it to confirm each welcome email, returns 500 on signup",
         "accounts", "notification", "", "refused", baseline, incident, kFault, "", false},
        {ScenarioKind::RetryCascade, "retry-cascade",
         "ledger's disk fills; billing retries every entry three times and gives up; storefront returns 502 — all within 400 ms",
         "storefront", "ledger", "", "No space", baseline, incident, kFault, "", false},
        {ScenarioKind::UnrelatedFaults, "two-faults",
         "at the same moment notification's SMTP relay refuses and search's index turns read-only: two faults, unrelated",
         "notification", "notification", "", "", baseline, incident, kFault, "search", false},
        {ScenarioKind::QueueSaturation, "queue-saturation",
         "fulfillment's workers saturate: its consumer lag grows and orders wait past their 2-minute SLA; nothing errors",
         "orders", "fulfillment", "", "busy", baseline, incident, kFault, "", false},
    };
}

} // namespace

const std::vector<ScenarioSpec>& scenarioSpecs()
{
    static const std::vector<ScenarioSpec> specs = makeSpecs();
    return specs;
}

std::optional<ScenarioSpec> scenarioByName(std::string_view name)
{
    for (const auto& s : scenarioSpecs())
        if (name == s.name)
            return s;
    return std::nullopt;
}

const ScenarioSpec& scenarioSpec(ScenarioKind kind)
{
    for (const auto& s : scenarioSpecs())
        if (s.kind == kind)
            return s;
    return scenarioSpecs().front();
}

Status generateScenario(ScenarioKind kind, RecordSink& sink, uint64_t seed)
{
    if (!scenarioSpec(kind).traced)
        return generateCascadeScenario(kind, sink, seed);
    Generator g(kind, seed);
    return g.run(sink);
}

} // namespace rootline
