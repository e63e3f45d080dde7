// The shop's services as the simulator runs them: what each one calls, how long it takes, what it
// logs, and how it fails — the payment gateway timeout included.

#include "RequestSimulator.h"

#include "SampleIncident.h"
#include "SimulatorDetail.h"
#include "core/Records.h"

#include <algorithm>
#include <cmath>

namespace rootline::sample {

using namespace detail;

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

} // namespace rootline::sample
