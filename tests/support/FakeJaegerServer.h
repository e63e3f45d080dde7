#pragma once

// A faithful fake Jaeger query service (wire-formats.md §3 and the §7 checklist) on 127.0.0.1, in
// three flavours: Classic (Jaeger before api_v3: only /api/*), Both (Jaeger 1.35+ / early 2.x), and
// V3Only (Jaeger's 2026 main branch: /api/services, /api/operations and the /api/traces search are
// gone; /api/traces/{id} stays). Classic answers Jaeger JSON with µs times and Go-duration filters,
// errors as JSON inside text/plain, and optionally ids with leading zeros stripped (old Jaeger);
// api_v3 answers OTLP/JSON, needs RFC 3339 times, and says 404 "No traces found" for an empty search.
// Every request is CHECKED (units, required parameters) and what a careful client would not have
// sent is listed in problems(). Faults are injected per trace request on command.

#include "FakeBackend.h"
#include "MiniHttpServer.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rootline::test {

struct FakeJaegerSpan {
    std::string traceId;  // 32 hex
    std::string spanId;   // 16 hex
    std::string parentId; // 16 hex or empty
    std::string service;
    std::string operation;
    int64_t startUs = 0;
    int64_t durationUs = 0;
    std::vector<std::pair<std::string, std::string>> tags; // string tags
    bool error = false;
    int kind = 2; // OTLP: 2 server, 3 client
};

enum class JaegerFlavour { Classic, Both, V3Only };

class FakeJaegerServer : public FakeBackend {
public:
    explicit FakeJaegerServer(JaegerFlavour flavour);
    ~FakeJaegerServer();

    bool start();
    std::string url() const { return m_http.baseUrl(); }

    void addSpan(FakeJaegerSpan span);
    // Serves `body` verbatim for GET /api/traces/{id} (classic) or /api/v3/traces/{id} (v3) — for the
    // real payloads in shared/fixtures.
    void addRawTrace(const std::string& traceIdHex, std::string classicBody, std::string v3Body);
    void setShortIds(bool strip);                 // classic: trace ids without leading zeros (Jaeger < 1.16)
    void setV3HonoursAttributes(bool honours);    // false (default): like the gateways that ignore them
    // injectFault, setFaultDelay, setHugeBytes and problems() come from FakeBackend; the requests
    // that count for faults are the trace requests (searches and by-id).

    std::vector<FakeRequest> requests() const { return m_http.requests(); }
    std::vector<FakeRequest> traceRequests() const; // searches and by-id requests

private:
    FakeResponse handle(const FakeRequest& request);
    FakeResponse classicSearch(const FakeRequest& request);
    FakeResponse v3Search(const FakeRequest& request);
    FakeResponse byId(const FakeRequest& request, bool v3);
    FakeResponse withFault(FakeResponse normal, bool v3);

    JaegerFlavour m_flavour;
    MiniHttpServer m_http;
    mutable std::mutex m_mutex;
    std::vector<FakeJaegerSpan> m_spans;
    std::map<std::string, std::pair<std::string, std::string>> m_raw;
    bool m_shortIds = false;
    bool m_v3Attributes = false;
};

} // namespace rootline::test
