#pragma once

// Simulates the shop one request at a time: which services a request visits, how long each hop
// takes (the incident included), what each service logs, and — when the trace is sampled — the
// spans. Every request is counted in the metrics whether or not its trace is kept, as a real
// fleet's head/tail sampling would have it.

#include "LogLines.h"
#include "MetricsRecorder.h"
#include "Prng.h"
#include "ServiceCatalog.h"
#include "TrafficModel.h"
#include "cache/TelemetryBatch.h"

#include <functional>
#include <string>
#include <vector>

namespace rootline::sample {

class RequestSimulator {
public:
    RequestSimulator(const ServiceCatalog& catalog, const TrafficModel& traffic, MetricsRecorder& metrics, Prng& rng);

    // One user request to a frontend route, starting at `t`; its records go to `out`.
    void frontendRequest(int frontendRoute, Timestamp t, TelemetryBatch& out);
    // Periodic work of every pod in the step starting at `t` (health checks, pool stats, the
    // currency rates job with its own 64-bit Datadog traces, the catalog deploy).
    void backgroundWork(int step, Timestamp t, TelemetryBatch& out);

    int64_t requests() const { return m_requests; }
    int64_t sampledTraces() const { return m_sampled; }

private:
    enum class HopType { HttpServer, RpcServer, RpcClient, HttpClient, DbClient, Internal };
    struct Hop {
        HopType type = HopType::Internal;
        int service = 0;
        int pod = 0;
        int route = -1; // servers: the route metrics count
        std::string name;
        int parent = -1;
        SpanId spanId;
        Timestamp start;
        Duration duration;
        bool error = false;
        std::string statusMessage;
        std::string reason; // why a call did not succeed, even when that is not an error (404, declined)
        int code = 0;   // gRPC code (rpc hops) or HTTP status (http hops); -1: no response
        int callee = -1; // rpc/http clients: the service called
        const char* dbSystem = nullptr;
        const char* dbStatement = nullptr;
        std::string path; // http server: the request path; http client: the URL

        Timestamp end() const { return start + duration; }
    };
    struct Outcome {
        int code = 0; // gRPC status code, or an HTTP status for HTTP servers
        std::string message;
        Timestamp end; // when the server answered
    };
    struct Request {
        TraceId trace;
        std::string clientIp;
        const char* userAgent = "";
        std::string userId, orderId, productId, email;
        int items = 1;
        double amount = 0;
        std::vector<Hop> hops;
        std::vector<PendingLog> logs;
    };

    int addHop(Request& rq, Hop hop);
    int pickPod(int svc, Timestamp t);
    void log(Request& rq, int hop, Timestamp t, LogStyle style, int severity, std::string message, std::vector<LogField> fields = {},
             const char* logger = "", const char* thread = "");
    // A gRPC call from `caller` to `callee`'s route at `t`; `serve` runs the server side.
    using Serve = std::function<Outcome(int serverHop)>;
    int rpc(Request& rq, int caller, int callee, int route, Timestamp t, const Serve& serve);
    int httpCall(Request& rq, int caller, int callee, int route, Timestamp t, const Serve& serve);
    int dbCall(Request& rq, int caller, Timestamp t, const char* system, const char* operationName, const char* statement,
               double medianMs);
    void finishServer(Request& rq, int hop, Timestamp end, const Outcome& outcome);

    Outcome catalogList(Request& rq, int hop);
    Outcome catalogGet(Request& rq, int hop);
    Outcome currencyConvert(Request& rq, int hop);
    Outcome cartCall(Request& rq, int hop, int route);
    Outcome shippingCall(Request& rq, int hop, int route);
    Outcome emailSend(Request& rq, int hop);
    Outcome paymentCharge(Request& rq, int hop);
    Outcome checkoutPlaceOrder(Request& rq, int hop);

    // Counts the request in the metrics, decides sampling, writes spans and log lines.
    void emit(Request& rq, bool headSampled, double tailRoll, TelemetryBatch& out);
    Span materialize(const Request& rq, const Hop& hop) const;
    void emitLog(const PendingLog& log, const TraceRef* trace, TelemetryBatch& out) const;

    const ServiceCatalog& m_catalog;
    const TrafficModel& m_traffic;
    MetricsRecorder& m_metrics;
    Prng& m_rng;
    int64_t m_requests = 0;
    int64_t m_sampled = 0;
};

} // namespace rootline::sample
