// Turns a simulated hop into a Span with the attributes OpenTelemetry's semantic conventions give
// it (HTTP, gRPC, database, and the peer.service of the external payment gateway).

#include "RequestSimulator.h"

#include "SampleIncident.h"
#include "SimulatorDetail.h"
#include "core/Records.h"

#include <algorithm>
#include <cmath>

namespace rootline::sample {

using namespace detail;

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

} // namespace rootline::sample
