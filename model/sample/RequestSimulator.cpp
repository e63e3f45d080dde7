#include "RequestSimulator.h"

#include "SampleIncident.h"
#include "core/Records.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rootline::sample {
namespace {

// Head sampling keeps this share of traces; tail sampling keeps half of the failing ones besides.
constexpr double kHeadSampling = 0.091;
constexpr double kTailSamplingErrors = 0.5;

constexpr const char* kProducts[] = {"OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM", "2ZYFJ3GM2N", "0PUK6V6EV0",
                                     "LS4PSXUNUM", "9SIQT8TOJO", "6E92ZMYYFZ", "HQTGWGPNH4", "QX7DUJ3B1Z", "K3M9VRT0PA"};
constexpr const char* kFirstNames[] = {"jane", "omar", "li", "sofia", "arjun", "emma", "kwame", "yuki", "lucas", "amara", "noah", "ines"};
constexpr const char* kLastNames[] = {"doe", "haddad", "wei", "rossi", "patel", "schmidt", "mensah", "tanaka", "silva", "okafor"};
constexpr const char* kUserAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "ShopApp/4.2.1 (Android 14; Pixel 8)"};
constexpr const char* kGatewayUrl = "https://api.paygate.example/v1/charges";
constexpr const char* kGatewayHost = "api.paygate.example";

constexpr int kOk = 0, kInvalidArgument = 3, kNotFound = 5, kFailedPrecondition = 9, kInternal = 13, kUnavailable = 14;

constexpr int kInfo = 9, kDebug = 5, kWarn = 13, kError = 17;

StatusClass classOfGrpc(int code)
{
    if (code == kOk)
        return k2xx;
    if (code == kInvalidArgument || code == kNotFound || code == kFailedPrecondition)
        return k4xx;
    return k5xx;
}

StatusClass classOfHttp(int status) { return status >= 500 ? k5xx : status >= 400 ? k4xx : k2xx; }

int httpFromGrpc(int code)
{
    switch (code) {
    case kOk: return 200;
    case kInvalidArgument: return 400;
    case kNotFound: return 404;
    case kFailedPrecondition: return 402;
    case kUnavailable: return 502;
    default: return 500;
    }
}

const char* grpcName(int code)
{
    switch (code) {
    case kOk: return "OK";
    case kInvalidArgument: return "InvalidArgument";
    case kNotFound: return "NotFound";
    case kFailedPrecondition: return "FailedPrecondition";
    case kUnavailable: return "Unavailable";
    case kInternal: return "Internal";
    default: return "Unknown";
    }
}

std::string hex32(uint64_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", unsigned(v & 0xffffffffu));
    return buf;
}

std::string money(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

LogField field(std::string key, std::string value) { return {std::move(key), std::move(value), false}; }
LogField number(std::string key, std::string value) { return {std::move(key), std::move(value), true}; }

} // namespace

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

template <class Serve>
int RequestSimulator::rpc(Request& rq, int caller, int callee, int route, Timestamp t, Serve&& serve)
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

template <class Serve>
int RequestSimulator::httpCall(Request& rq, int caller, int callee, int route, Timestamp t, Serve&& serve)
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

// ---- services --------------------------------------------------------------------------------

RequestSimulator::Outcome RequestSimulator::catalogList(Request& rq, int hop)
{
    Timestamp t = rq.hops[size_t(hop)].start + Duration::micros(300);
    const int db = dbCall(rq, hop, t, "postgresql", "SELECT shop.products",
                          "SELECT id, name, price_usd, picture FROM products WHERE active = true ORDER BY rank LIMIT $1", 2.5);
    t = rq.hops[size_t(db)].end() + TrafficModel::latency(m_rng, 1.5);
    if (m_rng.chance(0.0008)) {
        Hop& d = rq.hops[size_t(db)];
        d.error = true;
        d.statusMessage = "server closed the connection unexpectedly";
        log(rq, hop, t, LogStyle::PythonJson, kError, "failed to list products: server closed the connection unexpectedly",
            {field("exc_info", "psycopg.OperationalError: server closed the connection unexpectedly")}, "catalog.api");
        return {kInternal, "server closed the connection unexpectedly", t};
    }
    log(rq, hop, t, LogStyle::PythonJson, kInfo, "listed products", {number("count", "24"), number("page", "1")}, "catalog.api");
    return {kOk, {}, t};
}

RequestSimulator::Outcome RequestSimulator::catalogGet(Request& rq, int hop)
{
    Timestamp t = rq.hops[size_t(hop)].start + Duration::micros(250);
    const int db = dbCall(rq, hop, t, "postgresql", "SELECT shop.products", "SELECT id, name, description, price_usd FROM products WHERE id = $1", 1.2);
    t = rq.hops[size_t(db)].end() + TrafficModel::latency(m_rng, 0.8);
    if (m_rng.chance(0.015)) {
        log(rq, hop, t, LogStyle::PythonJson, kWarn, "product not found", {field("product_id", rq.productId + "X")}, "catalog.api");
        return {kNotFound, "product not found", t};
    }
    log(rq, hop, t, LogStyle::PythonJson, kDebug, "product fetched", {field("product_id", rq.productId)}, "catalog.api");
    return {kOk, {}, t};
}

RequestSimulator::Outcome RequestSimulator::currencyConvert(Request& rq, int hop)
{
    const Timestamp t = rq.hops[size_t(hop)].start + TrafficModel::latency(m_rng, 1.6);
    log(rq, hop, t, LogStyle::DatadogJson, kDebug, "converted prices", {field("from", "USD"), field("to", "EUR"), number("count", std::to_string(rq.items))});
    return {kOk, {}, t};
}

RequestSimulator::Outcome RequestSimulator::cartCall(Request& rq, int hop, int route)
{
    static constexpr const char* kOps[] = {"HGETALL", "HSET", "DEL"};
    static constexpr const char* kStatements[] = {"HGETALL cart:{user}", "HSET cart:{user} {product} {quantity}", "DEL cart:{user}"};
    Timestamp t = rq.hops[size_t(hop)].start + Duration::micros(200);
    const int db = dbCall(rq, hop, t, "redis", kOps[route], kStatements[route], 0.6);
    t = rq.hops[size_t(db)].end() + TrafficModel::latency(m_rng, 0.5);
    if (route == route::kCartGet && m_rng.chance(0.0006)) {
        Hop& d = rq.hops[size_t(db)];
        d.error = true;
        d.duration = Duration::millis(1000);
        d.statusMessage = "Timeout performing HGETALL (1000ms)";
        t = d.end() + Duration::micros(400);
        log(rq, hop, t, LogStyle::Serilog, kError, "Failed to read cart of " + rq.userId + ": Timeout performing HGETALL (1000ms)",
            {field("UserId", rq.userId), field("ExceptionType", "StackExchange.Redis.RedisTimeoutException")}, "CartService.Store");
        return {kUnavailable, "cart store unavailable", t};
    }
    switch (route) {
    case route::kCartGet:
        log(rq, hop, t, LogStyle::Serilog, kDebug, "Cart of " + rq.userId + " has " + std::to_string(rq.items) + " items",
            {field("UserId", rq.userId), number("Items", std::to_string(rq.items))}, "CartService.Api");
        break;
    case route::kCartAdd:
        log(rq, hop, t, LogStyle::Serilog, kInfo, "Added " + rq.productId + " to cart of " + rq.userId,
            {field("UserId", rq.userId), field("ProductId", rq.productId), number("Quantity", "1")}, "CartService.Api");
        break;
    default:
        log(rq, hop, t, LogStyle::Serilog, kInfo, "Emptied cart of " + rq.userId, {field("UserId", rq.userId)}, "CartService.Api");
        break;
    }
    return {kOk, {}, t};
}

RequestSimulator::Outcome RequestSimulator::shippingCall(Request& rq, int hop, int route)
{
    const Timestamp t = rq.hops[size_t(hop)].start + TrafficModel::latency(m_rng, route == route::kQuote ? 9 : 16, 0.3);
    static constexpr const char* kThreads[] = {"nio-8080-exec-1", "nio-8080-exec-4", "nio-8080-exec-7", "nio-8080-exec-9"};
    const char* thread = kThreads[m_rng.below(4)];
    if (route == route::kQuote) {
        log(rq, hop, t, LogStyle::Logback, kInfo,
            "Quote computed for zip=" + std::to_string(10000 + m_rng.below(89999)) + " items=" + std::to_string(rq.items)
                + " cost=" + money(4.99 + rq.items * 1.5) + " USD",
            {}, "c.e.shipping.QuoteController", thread);
    } else {
        log(rq, hop, t, LogStyle::Logback, kInfo, "Shipment created for order " + rq.orderId + " tracking=1Z" + hex32(m_rng.next()), {},
            "c.e.shipping.ShipmentService", thread);
    }
    return {200, {}, t};
}

RequestSimulator::Outcome RequestSimulator::emailSend(Request& rq, int hop)
{
    const Timestamp t = rq.hops[size_t(hop)].start + TrafficModel::latency(m_rng, 24, 0.35);
    log(rq, hop, t, LogStyle::Lograge, kInfo, "order confirmation sent", {field("to", rq.email), field("order_id", rq.orderId), field("template", "confirmation")});
    return {kOk, {}, t};
}

RequestSimulator::Outcome RequestSimulator::paymentCharge(Request& rq, int hop)
{
    Timestamp t = rq.hops[size_t(hop)].start + Duration::micros(200);
    const std::string amount = money(rq.amount);
    log(rq, hop, t, LogStyle::Slog, kInfo, "charging card",
        {field("order_id", rq.orderId), number("amount", amount), field("currency", "USD"), field("gateway", "payment-gateway")});
    const int db = dbCall(rq, hop, t + Duration::micros(100), "postgresql", "SELECT shop.payment_methods",
                          "SELECT token, brand, last4 FROM payment_methods WHERE user_id = $1 AND is_default", 1.4);
    t = rq.hops[size_t(db)].end() + Duration::micros(150);

    const TrafficModel::GatewayCall call = m_traffic.gatewayCall(t, m_rng);
    Hop gw;
    gw.type = HopType::HttpClient;
    gw.service = Payment;
    gw.pod = rq.hops[size_t(hop)].pod;
    gw.name = "POST";
    gw.parent = hop;
    gw.start = t;
    gw.duration = call.duration;
    gw.path = kGatewayUrl;
    gw.callee = -1;
    if (call.timedOut) {
        gw.error = true;
        gw.code = -1;
        gw.statusMessage = "context deadline exceeded";
    } else {
        gw.code = call.declined ? 402 : 200;
    }
    const int g = addHop(rq, std::move(gw));
    t = rq.hops[size_t(g)].end() + Duration::micros(120);
    const std::string elapsed = std::to_string(call.duration.count() / 1'000'000);
    if (call.timedOut) {
        log(rq, hop, t, LogStyle::Slog, kError, "charge failed",
            {field("order_id", rq.orderId), field("error", "upstream request timeout"), field("gateway", "payment-gateway"),
             field("url", kGatewayUrl), field("timeout", "5s"), number("elapsed_ms", elapsed)});
        return {kUnavailable, "upstream request timeout", t};
    }
    if (call.duration > Duration::seconds(1))
        log(rq, hop, t, LogStyle::Slog, kWarn, "payment gateway responded slowly",
            {field("order_id", rq.orderId), field("gateway", "payment-gateway"), number("elapsed_ms", elapsed)});
    if (call.declined) {
        log(rq, hop, t, LogStyle::Slog, kWarn, "card declined", {field("order_id", rq.orderId), field("decline_code", "insufficient_funds")});
        return {kFailedPrecondition, "card declined", t};
    }
    const int update = dbCall(rq, hop, t, "postgresql", "INSERT shop.charges",
                              "INSERT INTO charges (order_id, amount, currency, gateway_ref) VALUES ($1, $2, $3, $4)", 2.0);
    t = rq.hops[size_t(update)].end() + Duration::micros(100);
    log(rq, hop, t, LogStyle::Slog, kInfo, "charge succeeded",
        {field("order_id", rq.orderId), number("amount", amount), field("charge_id", "ch_" + hex32(m_rng.next()) + hex32(m_rng.next()))});
    return {kOk, {}, t};
}

RequestSimulator::Outcome RequestSimulator::checkoutPlaceOrder(Request& rq, int hop)
{
    Timestamp t = rq.hops[size_t(hop)].start + Duration::micros(250);
    log(rq, hop, t, LogStyle::Zap, kInfo, "placing order",
        {field("order_id", rq.orderId), field("user_id", rq.userId), number("items", std::to_string(rq.items))}, "checkout/service.go:88");
    auto fail = [&](Outcome o, int severity, const char* what) {
        log(rq, hop, t, LogStyle::Zap, severity, what, {field("order_id", rq.orderId), field("error", o.message)}, "checkout/service.go:131");
        o.end = t + Duration::micros(200);
        return o;
    };
    const int cart = rpc(rq, hop, Cart, route::kCartGet, t, [&](int s) { return cartCall(rq, s, route::kCartGet); });
    t = rq.hops[size_t(cart)].end() + Duration::micros(100);
    if (rq.hops[size_t(cart)].code != kOk)
        return fail({kUnavailable, "failed to get cart: " + rq.hops[size_t(cart)].reason}, kError, "order failed");
    const int fx = rpc(rq, hop, Currency, 0, t, [&](int s) { return currencyConvert(rq, s); });
    t = rq.hops[size_t(fx)].end() + Duration::micros(100);
    const int quote = httpCall(rq, hop, Shipping, route::kQuote, t, [&](int s) { return shippingCall(rq, s, route::kQuote); });
    t = rq.hops[size_t(quote)].end() + Duration::micros(150);
    const int pay = rpc(rq, hop, Payment, 0, t, [&](int s) { return paymentCharge(rq, s); });
    t = rq.hops[size_t(pay)].end() + Duration::micros(150);
    const int payCode = rq.hops[size_t(pay)].code;
    if (payCode == kFailedPrecondition)
        return fail({kFailedPrecondition, "payment declined"}, kWarn, "payment declined");
    if (payCode != kOk)
        return fail({kUnavailable, "payment failed: " + rq.hops[size_t(pay)].reason}, kError, "order failed");
    const int ship = httpCall(rq, hop, Shipping, route::kShip, t, [&](int s) { return shippingCall(rq, s, route::kShip); });
    t = rq.hops[size_t(ship)].end() + Duration::micros(100);
    const int mail = rpc(rq, hop, Email, 0, t, [&](int s) { return emailSend(rq, s); });
    t = rq.hops[size_t(mail)].end() + Duration::micros(100);
    const int empty = rpc(rq, hop, Cart, route::kCartEmpty, t, [&](int s) { return cartCall(rq, s, route::kCartEmpty); });
    t = rq.hops[size_t(empty)].end() + Duration::micros(300);
    log(rq, hop, t, LogStyle::Zap, kInfo, "order placed",
        {field("order_id", rq.orderId), field("user_id", rq.userId), number("total", money(rq.amount)), field("currency", "USD")},
        "checkout/service.go:142");
    return {kOk, {}, t};
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

Span RequestSimulator::materialize(const Request& rq, const Hop& hop) const
{
    Span s;
    s.traceId = rq.trace;
    s.spanId = hop.spanId;
    if (hop.parent >= 0)
        s.parentSpanId = rq.hops[size_t(hop.parent)].spanId;
    s.name = hop.name;
    s.start = hop.start;
    s.duration = hop.duration;
    s.status = hop.error ? StatusCode::Error : StatusCode::Unset;
    s.statusMessage = hop.statusMessage;
    const Pod& pod = m_catalog.pods()[size_t(hop.pod)];
    s.resource = pod.resource;
    Attributes& a = s.attributes;
    switch (hop.type) {
    case HopType::HttpServer: {
        s.kind = SpanKind::Server;
        const RouteDef& def = ServiceCatalog::service(hop.service).routes[size_t(hop.route)];
        a.set("http.request.method", std::string(def.method));
        a.set("http.route", std::string(def.route));
        a.set("url.path", hop.path);
        a.set("http.response.status_code", int64_t(hop.code));
        if (hop.service == Frontend) {
            a.set("url.scheme", std::string("https"));
            a.set("server.address", std::string("shop.example.com"));
            a.set("client.address", rq.clientIp);
            a.set("user_agent.original", std::string(rq.userAgent));
            a.set("app.user.id", rq.userId);
        }
        if (hop.error)
            a.set("error.type", std::to_string(hop.code));
        break;
    }
    case HopType::RpcServer:
    case HopType::RpcClient: {
        s.kind = hop.type == HopType::RpcServer ? SpanKind::Server : SpanKind::Client;
        const int svc = hop.type == HopType::RpcServer ? hop.service : hop.callee;
        const int route = hop.route;
        const RouteDef& def = ServiceCatalog::service(svc).routes[size_t(route)];
        a.set("rpc.system", std::string("grpc"));
        a.set("rpc.service", std::string(def.rpcService));
        a.set("rpc.method", std::string(def.rpcMethod));
        a.set("rpc.grpc.status_code", int64_t(hop.code));
        if (hop.type == HopType::RpcClient) {
            a.set("server.address", std::string(ServiceCatalog::service(svc).name));
            a.set("server.port", int64_t(50051));
        } else {
            a.set("network.peer.address", m_catalog.pods()[size_t(rq.hops[size_t(hop.parent)].pod)].ip);
            switch (svc) {
            case Checkout:
                a.set("app.order.id", rq.orderId);
                a.set("app.user.id", rq.userId);
                a.set("app.cart.items.count", int64_t(rq.items));
                break;
            case Payment:
                a.set("app.order.id", rq.orderId);
                a.set("app.payment.amount", rq.amount);
                a.set("app.payment.currency", std::string("USD"));
                break;
            case Cart:
                a.set("app.user.id", rq.userId);
                break;
            case Catalog:
                if (route == route::kGetProduct)
                    a.set("app.product.id", rq.productId);
                break;
            default:
                break;
            }
        }
        break;
    }
    case HopType::HttpClient:
        s.kind = SpanKind::Client;
        a.set("http.request.method", std::string("POST"));
        a.set("url.full", hop.path);
        if (hop.callee >= 0) {
            a.set("server.address", std::string(ServiceCatalog::service(hop.callee).name));
            a.set("server.port", int64_t(8080));
        } else {
            // The external payment gateway: no spans of its own, only this client span names it.
            a.set("server.address", std::string(kGatewayHost));
            a.set("server.port", int64_t(443));
            a.set("peer.service", std::string("payment-gateway"));
        }
        if (hop.code > 0)
            a.set("http.response.status_code", int64_t(hop.code));
        if (hop.error && hop.code < 0) {
            a.set("error.type", std::string("timeout"));
            s.events.push_back({hop.end(),
                                "exception",
                                Attributes{{"exception.type", std::string("*url.Error")},
                                           {"exception.message", std::string("Post \"") + kGatewayUrl
                                                                     + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"}}});
        }
        break;
    case HopType::DbClient:
        s.kind = SpanKind::Client;
        a.set("db.system", std::string(hop.dbSystem));
        a.set("db.operation.name", hop.name.substr(0, hop.name.find(' ')));
        a.set("db.query.text", std::string(hop.dbStatement));
        if (std::string_view(hop.dbSystem) == "redis") {
            a.set("server.address", std::string("redis-cart.shop.svc.cluster.local"));
            a.set("server.port", int64_t(6379));
        } else {
            a.set("db.namespace", std::string("shop"));
            a.set("server.address", std::string(hop.service == Catalog ? "catalog-db.shop.svc.cluster.local" : "payments-db.shop.svc.cluster.local"));
            a.set("server.port", int64_t(5432));
        }
        break;
    case HopType::Internal:
        s.kind = SpanKind::Internal;
        break;
    }
    return s;
}

// ---- background ------------------------------------------------------------------------------

void RequestSimulator::backgroundWork(int step, Timestamp t, TelemetryBatch& out)
{
    auto line = [&](int pod, Timestamp at, LogStyle style, int severity, std::string message, std::vector<LogField> fields = {},
                    const char* logger = "", const char* thread = "") {
        PendingLog l;
        l.time = at;
        l.pod = pod;
        l.style = style;
        l.severity = severity;
        l.message = std::move(message);
        l.fields = std::move(fields);
        l.logger = logger;
        l.thread = thread;
        emitLog(l, nullptr, out);
    };
    auto jitter = [&] { return Duration::millis(m_rng.below(14000)); };
    for (int svc = 0; svc < kServiceCount; ++svc) {
        const auto& pods = m_catalog.podsOf(svc, t);
        for (size_t i = 0; i < pods.size(); ++i) {
            const int pod = pods[i];
            const Timestamp at = t + jitter();
            const bool every30s = (step + int(i)) % 2 == 0;
            const bool everyMinute = (step + int(i)) % 4 == 0;
            switch (svc) {
            case Frontend: {
                PendingLog probe;
                probe.time = at;
                probe.pod = pod;
                probe.style = LogStyle::Nginx;
                probe.severity = kInfo;
                probe.message = nginxLine(at, std::string("10.0.0.1"), "GET", "/healthz", 200, 2, "kube-probe/1.31",
                                          Duration::micros(400));
                probe.attributes = Attributes{{"log.file.path", std::string("/var/log/nginx/access.log")}};
                emitLog(probe, nullptr, out);
                break;
            }
            case Cart:
                if (every30s)
                    line(pod, at, LogStyle::Serilog, kDebug, "Redis connection pool: " + std::to_string(4 + m_rng.below(12)) + " active, "
                                                               + std::to_string(2 + m_rng.below(6)) + " idle",
                         {}, "CartService.Store");
                break;
            case Payment:
                if (every30s) {
                    // The gateway's health endpoint degrades with it; errors only once calls time out.
                    if (at >= sample_story::kGatewayTimeouts && m_rng.chance(TrafficModel::timeoutShare(at)))
                        line(pod, at, LogStyle::Slog, kError, "gateway health check failed",
                             {field("gateway", "payment-gateway"), field("error", "context deadline exceeded"), field("timeout", "5s")});
                    else if (at >= sample_story::kGatewaySlow)
                        line(pod, at, LogStyle::Slog, kWarn, "gateway health check slow",
                             {field("gateway", "payment-gateway"), number("latency_ms", std::to_string(1500 + m_rng.below(2500)))});
                    else
                        line(pod, at, LogStyle::Slog, kDebug, "gateway health check ok",
                             {field("gateway", "payment-gateway"), number("latency_ms", std::to_string(90 + m_rng.below(120)))});
                }
                break;
            case Catalog:
                if (everyMinute)
                    line(pod, at, LogStyle::PythonJson, kInfo, "product cache refreshed", {number("items", "1024")}, "catalog.cache");
                break;
            case Checkout:
                if (everyMinute)
                    line(pod, at, LogStyle::Zap, kDebug, "order queue depth", {number("depth", std::to_string(m_rng.below(6)))},
                         "checkout/queue.go:57");
                break;
            case Email:
                if (everyMinute)
                    line(pod, at, LogStyle::Lograge, kInfo, "smtp pool healthy", {number("connections", std::to_string(2 + m_rng.below(3)))});
                break;
            case Shipping:
                if (everyMinute)
                    line(pod, at, LogStyle::Logback, kInfo, "Carrier rates refreshed (3 carriers)", {}, "c.e.shipping.RateCache", "scheduling-1");
                break;
            case Currency:
                if ((step + int(i) * 3) % 8 == 0) {
                    // The rates job runs under the Datadog tracer, whose trace ids are 64-bit.
                    Request rq;
                    rq.trace = TraceId{0, m_rng.nonZero()};
                    Hop job;
                    job.type = HopType::Internal;
                    job.service = Currency;
                    job.pod = pod;
                    job.name = "currency.refresh_rates";
                    job.start = at;
                    const int j = addHop(rq, std::move(job));
                    Hop fetch;
                    fetch.type = HopType::HttpClient;
                    fetch.service = Currency;
                    fetch.pod = pod;
                    fetch.name = "GET";
                    fetch.parent = j;
                    fetch.start = at + Duration::micros(300);
                    fetch.duration = TrafficModel::latency(m_rng, 60, 0.3);
                    fetch.code = 200;
                    fetch.callee = -2;
                    fetch.path = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml";
                    const int f = addHop(rq, std::move(fetch));
                    const Timestamp done = rq.hops[size_t(f)].end() + Duration::micros(700);
                    rq.hops[size_t(j)].duration = done - at;
                    log(rq, j, done, LogStyle::DatadogJson, kInfo, "refreshed exchange rates", {number("rates", "32"), field("source", "ecb")});
                    ++m_sampled;
                    for (const Hop& hop : rq.hops) {
                        Span s = materialize(rq, hop);
                        if (hop.type == HopType::HttpClient) {
                            s.attributes = Attributes{{"http.request.method", std::string("GET")}, {"url.full", hop.path},
                                                      {"server.address", std::string("www.ecb.europa.eu")}, {"server.port", int64_t(443)},
                                                      {"http.response.status_code", int64_t(200)}};
                        }
                        out.spans.push_back(std::move(s));
                    }
                    for (const PendingLog& l : rq.logs) {
                        TraceRef ref{rq.trace, rq.hops[size_t(l.hop)].spanId};
                        emitLog(l, &ref, out);
                    }
                }
                break;
            default:
                break;
            }
        }
    }
    // The red herring: catalog rolls out 1.9.0 at 13:30 — old pods stop, new pods start.
    if (t == sample_story::kCatalogDeploy) {
        for (int pod : m_catalog.podsOf(Catalog, t - Duration::seconds(1)))
            line(pod, t - Duration::millis(800), LogStyle::PythonJson, kInfo, "received SIGTERM, shutting down gracefully", {}, "catalog.server");
        for (int pod : m_catalog.podsOf(Catalog, t)) {
            const std::string& version = m_catalog.pods()[size_t(pod)].version;
            line(pod, t + Duration::millis(200), LogStyle::PythonJson, kInfo, "starting catalog " + version, {field("version", version)},
                 "catalog.server");
            line(pod, t + Duration::millis(900), LogStyle::PythonJson, kInfo, "connected to postgres", {field("host", "catalog-db.shop.svc.cluster.local")},
                 "catalog.db");
            line(pod, t + Duration::millis(1100), LogStyle::PythonJson, kInfo, "listening on 0.0.0.0:50051", {}, "catalog.server");
        }
    }
}

} // namespace rootline::sample
