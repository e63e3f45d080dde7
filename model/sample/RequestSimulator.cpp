#include "RequestSimulator.h"

#include "SampleIncident.h"
#include "SimulatorDetail.h"
#include "core/Records.h"

#include <algorithm>
#include <cmath>

namespace rootline::sample {

using namespace detail;

RequestSimulator::RequestSimulator(const ServiceCatalog& catalog, const TrafficModel& traffic, MetricsRecorder& metrics, Prng& rng)
    : m_catalog(catalog), m_traffic(traffic), m_metrics(metrics), m_rng(rng)
{
}

int RequestSimulator::addHop(Request& rq, Hop hop)
{
    hop.spanId = SpanId{m_rng.nonZero()};
    rq.hops.push_back(std::move(hop));
    return int(rq.hops.size()) - 1;
}

int RequestSimulator::pickPod(int svc, Timestamp t)
{
    const auto& pods = m_catalog.podsOf(svc, t);
    return pods[size_t(m_rng.below(int(pods.size())))];
}

void RequestSimulator::log(Request& rq, int hop, Timestamp t, LogStyle style, int severity, std::string message,
                           std::vector<LogField> fields, const char* logger, const char* thread)
{
    PendingLog line;
    line.time = t;
    line.pod = rq.hops[size_t(hop)].pod;
    line.style = style;
    line.severity = severity;
    line.message = std::move(message);
    line.fields = std::move(fields);
    line.logger = logger;
    line.thread = thread;
    line.hop = hop;
    rq.logs.push_back(std::move(line));
}

void RequestSimulator::finishServer(Request& rq, int hop, Timestamp end, const Outcome& outcome)
{
    Hop& h = rq.hops[size_t(hop)];
    h.duration = end - h.start;
    h.code = outcome.code;
    const bool http = h.type == HopType::HttpServer;
    h.error = http ? outcome.code >= 500 : classOfGrpc(outcome.code) == k5xx;
    if (h.error)
        h.statusMessage = outcome.message;
}

int RequestSimulator::rpc(Request& rq, int caller, int callee, int route, Timestamp t, const Serve& serve)
{
    const RouteDef& def = ServiceCatalog::service(callee).routes[size_t(route)];
    const std::string name = std::string(def.route + 1); // "pkg.Service/Method"
    Hop client;
    client.type = HopType::RpcClient;
    client.service = rq.hops[size_t(caller)].service;
    client.pod = rq.hops[size_t(caller)].pod;
    client.route = route; // the callee's route (clients are not counted in metrics)
    client.name = name;
    client.parent = caller;
    client.start = t;
    client.callee = callee;
    const int c = addHop(rq, std::move(client));
    const Duration net = Duration::micros(120 + m_rng.below(400));
    Hop server;
    server.type = HopType::RpcServer;
    server.service = callee;
    server.pod = pickPod(callee, t);
    server.route = route;
    server.name = name;
    server.parent = c;
    server.start = t + net;
    const int s = addHop(rq, std::move(server));
    const Outcome outcome = serve(s);
    finishServer(rq, s, outcome.end, outcome);
    Hop& ch = rq.hops[size_t(c)];
    ch.duration = rq.hops[size_t(s)].duration + net + Duration::micros(80 + m_rng.below(300));
    ch.code = outcome.code;
    ch.error = classOfGrpc(outcome.code) == k5xx;
    if (outcome.code != kOk)
        ch.reason = "rpc error: code = " + std::string(grpcName(outcome.code)) + " desc = " + outcome.message;
    if (ch.error)
        ch.statusMessage = ch.reason;
    return c;
}

int RequestSimulator::httpCall(Request& rq, int caller, int callee, int route, Timestamp t, const Serve& serve)
{
    const RouteDef& def = ServiceCatalog::service(callee).routes[size_t(route)];
    Hop client;
    client.type = HopType::HttpClient;
    client.service = rq.hops[size_t(caller)].service;
    client.pod = rq.hops[size_t(caller)].pod;
    client.name = def.method;
    client.parent = caller;
    client.start = t;
    client.callee = callee;
    client.path = std::string("http://") + ServiceCatalog::service(callee).name + ":8080" + def.route;
    const int c = addHop(rq, std::move(client));
    const Duration net = Duration::micros(150 + m_rng.below(500));
    Hop server;
    server.type = HopType::HttpServer;
    server.service = callee;
    server.pod = pickPod(callee, t);
    server.route = route;
    server.name = std::string(def.method) + " " + def.route;
    server.path = def.route;
    server.parent = c;
    server.start = t + net;
    const int s = addHop(rq, std::move(server));
    const Outcome outcome = serve(s);
    finishServer(rq, s, outcome.end, outcome);
    Hop& ch = rq.hops[size_t(c)];
    ch.duration = rq.hops[size_t(s)].duration + net + Duration::micros(100 + m_rng.below(300));
    ch.code = outcome.code;
    ch.error = outcome.code >= 500;
    if (outcome.code >= 400)
        ch.reason = "HTTP " + std::to_string(outcome.code);
    if (ch.error)
        ch.statusMessage = ch.reason;
    return c;
}

int RequestSimulator::dbCall(Request& rq, int caller, Timestamp t, const char* system, const char* operationName, const char* statement,
                             double medianMs)
{
    Hop db;
    db.type = HopType::DbClient;
    db.service = rq.hops[size_t(caller)].service;
    db.pod = rq.hops[size_t(caller)].pod;
    db.name = operationName;
    db.parent = caller;
    db.start = t;
    db.duration = TrafficModel::latency(m_rng, medianMs, 0.4);
    db.dbSystem = system;
    db.dbStatement = statement;
    return addHop(rq, std::move(db));
}

// ---- requests --------------------------------------------------------------------------------

void RequestSimulator::frontendRequest(int frontendRoute, Timestamp t0, TelemetryBatch& out)
{
    ++m_requests;
    Request rq;
    rq.trace = TraceId{m_rng.nonZero(), m_rng.nonZero()};
    const bool headSampled = m_rng.chance(kHeadSampling);
    const double tailRoll = m_rng.uniform();
    static constexpr const char* kClientNets[] = {"203.0.113.", "198.51.100.", "192.0.2."};
    rq.clientIp = kClientNets[m_rng.below(3)] + std::to_string(1 + m_rng.below(254));
    rq.userAgent = kUserAgents[m_rng.below(5)];
    const int user = 10000 + m_rng.below(90000);
    rq.userId = "u-" + std::to_string(user);
    rq.email = std::string(kFirstNames[user % 12]) + "." + kLastNames[(user / 12) % 10] + std::to_string(user % 97) + "@example.com";
    rq.orderId = "ord-" + hex32(m_rng.next());
    rq.productId = kProducts[m_rng.below(12)];
    rq.items = 1 + m_rng.below(4);
    rq.amount = std::round((12.0 + m_rng.uniform() * 180.0) * 100) / 100;

    const RouteDef& def = ServiceCatalog::service(Frontend).routes[size_t(frontendRoute)];
    Hop root;
    root.type = HopType::HttpServer;
    root.service = Frontend;
    root.pod = pickPod(Frontend, t0);
    root.route = frontendRoute;
    root.name = std::string(def.method) + " " + def.route;
    root.path = frontendRoute == route::kProduct ? "/api/products/" + rq.productId : std::string(def.route);
    root.start = t0;
    const int h = addHop(rq, std::move(root));

    Timestamp t = t0 + TrafficModel::latency(m_rng, 0.8);
    int code = 0; // gRPC outcome of the downstream call
    std::string failure;
    auto after = [&](int client) {
        t = rq.hops[size_t(client)].end() + Duration::micros(200);
        if (rq.hops[size_t(client)].code != kOk && code == kOk) {
            code = rq.hops[size_t(client)].code;
            failure = rq.hops[size_t(client)].reason;
        }
    };
    int httpStatus = 200;
    switch (frontendRoute) {
    case route::kProducts:
        after(rpc(rq, h, Catalog, route::kListProducts, t, [&](int s) { return catalogList(rq, s); }));
        if (code == kOk)
            after(rpc(rq, h, Currency, 0, t, [&](int s) { return currencyConvert(rq, s); }));
        break;
    case route::kProduct:
        after(rpc(rq, h, Catalog, route::kGetProduct, t, [&](int s) { return catalogGet(rq, s); }));
        if (code == kOk)
            after(rpc(rq, h, Currency, 0, t, [&](int s) { return currencyConvert(rq, s); }));
        break;
    case route::kGetCart:
        after(rpc(rq, h, Cart, route::kCartGet, t, [&](int s) { return cartCall(rq, s, route::kCartGet); }));
        break;
    case route::kAddToCart:
        if (m_rng.chance(0.02)) {
            code = kInvalidArgument;
            failure = "quantity must be between 1 and 10";
            break;
        }
        after(rpc(rq, h, Catalog, route::kGetProduct, t, [&](int s) { return catalogGet(rq, s); }));
        if (code == kOk)
            after(rpc(rq, h, Cart, route::kCartAdd, t, [&](int s) { return cartCall(rq, s, route::kCartAdd); }));
        break;
    case route::kCheckout:
        log(rq, h, t, LogStyle::Pino, kInfo, "checkout started", {field("userId", rq.userId), number("items", std::to_string(rq.items))});
        after(rpc(rq, h, Checkout, 0, t, [&](int s) { return checkoutPlaceOrder(rq, s); }));
        break;
    }
    httpStatus = httpFromGrpc(code);
    t = t + TrafficModel::latency(m_rng, 0.6);
    finishServer(rq, h, t, {httpStatus, failure});

    const Duration took = rq.hops[size_t(h)].duration;
    const int severity = httpStatus >= 500 ? kError : httpStatus >= 400 ? kWarn : kInfo;
    std::vector<LogField> fields = {field("method", def.method), field("url", rq.hops[size_t(h)].path), number("statusCode", std::to_string(httpStatus)),
                                    number("responseTime", std::to_string(took.count() / 1'000'000))};
    if (httpStatus >= 400)
        fields.push_back(field("err", failure));
    log(rq, h, t, LogStyle::Pino, severity, httpStatus >= 500 ? "request failed" : "request completed", std::move(fields));
    PendingLog access;
    access.time = t;
    access.pod = rq.hops[size_t(h)].pod;
    access.style = LogStyle::Nginx;
    access.severity = kInfo;
    access.message = nginxLine(t, rq.clientIp, def.method, rq.hops[size_t(h)].path, httpStatus,
                               httpStatus >= 400 ? 87 : 480 + m_rng.below(4000), rq.userAgent, took);
    access.hop = h;
    access.attributes = Attributes{{"log.file.path", std::string("/var/log/nginx/access.log")}, {"client.address", rq.clientIp}};
    rq.logs.push_back(std::move(access));

    emit(rq, headSampled, tailRoll, out);
}

void RequestSimulator::emit(Request& rq, bool headSampled, double tailRoll, TelemetryBatch& out)
{
    bool failed = false;
    for (const Hop& hop : rq.hops)
        failed = failed || hop.error;
    const bool sampled = headSampled || (failed && tailRoll < kTailSamplingErrors);
    m_sampled += sampled;
    for (const Hop& hop : rq.hops) {
        if (hop.type != HopType::HttpServer && hop.type != HopType::RpcServer)
            continue;
        const StatusClass cls = hop.type == HopType::HttpServer ? classOfHttp(hop.code) : classOfGrpc(hop.code);
        m_metrics.observe(hop.pod, hop.route, cls, hop.duration);
        if (sampled)
            m_metrics.offerExemplar(hop.pod, hop.route, hop.end(), hop.duration, hop.error, rq.trace, hop.spanId);
    }
    if (sampled) {
        for (const Hop& hop : rq.hops)
            out.spans.push_back(materialize(rq, hop));
    }
    for (const PendingLog& line : rq.logs) {
        TraceRef ref{rq.trace, line.hop >= 0 ? rq.hops[size_t(line.hop)].spanId : SpanId{}};
        emitLog(line, sampled ? &ref : nullptr, out);
    }
}

void RequestSimulator::emitLog(const PendingLog& line, const TraceRef* trace, TelemetryBatch& out) const
{
    const Pod& pod = m_catalog.pods()[size_t(line.pod)];
    const ServiceDef& def = ServiceCatalog::service(pod.service);
    LogRecord r;
    r.time = line.time;
    // Collectors see each line a few milliseconds after it was written.
    r.observedTime = line.time + Duration::micros(1500 + (line.time.nanos() / 1000) % 2500);
    r.severity = line.severity;
    r.severityText = severityName(line.severity);
    r.body = formatLogBody(line, trace, def.name, pod.version);
    r.attributes = line.attributes;
    if (trace && isOtlpStyle(line.style)) {
        r.traceId = trace->trace;
        r.spanId = trace->span;
    }
    r.resource = line.style == LogStyle::Nginx && pod.sidecar ? pod.sidecar : pod.resource;
    out.logs.push_back(std::move(r));
}

} // namespace rootline::sample
