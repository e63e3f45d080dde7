#pragma once

// A faithful fake Jaeger query service (wire-formats.md §3 and the §7 checklist) on 127.0.0.1, in
// three flavours: Classic (Jaeger before api_v3: only /api/*), Both (Jaeger 1.35+ / early 2.x), and
// V3Only (Jaeger's 2026 main branch: /api/services, /api/operations and the /api/traces search are
// gone; /api/traces/{id} stays). Classic answers Jaeger JSON with µs times and Go-duration filters,
// errors as JSON inside text/plain, and optionally ids with leading zeros stripped (old Jaeger);
// api_v3 answers OTLP/JSON, needs RFC 3339 times, and says 404 "No traces found" for an empty search.
// Every request is CHECKED (units, required parameters) and what a careful client would not have
// sent is listed in problems(). Faults are injected per trace request on command.

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

class FakeJaegerServer {
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
    void injectFault(ServerFault fault, int after = 0, int times = -1);
    void setFaultDelay(std::chrono::milliseconds delay);
    void setHugeBytes(size_t bytes);

    std::vector<FakeRequest> requests() const { return m_http.requests(); }
    std::vector<FakeRequest> traceRequests() const; // searches and by-id requests
    std::vector<std::string> problems() const;

private:
    FakeResponse handle(const FakeRequest& request);
    FakeResponse classicSearch(const FakeRequest& request);
    FakeResponse v3Search(const FakeRequest& request);
    FakeResponse byId(const FakeRequest& request, bool v3);
    FakeResponse withFault(FakeResponse normal, bool v3);
    void problem(std::string text);

    JaegerFlavour m_flavour;
    MiniHttpServer m_http;
    mutable std::mutex m_mutex;
    std::vector<FakeJaegerSpan> m_spans;
    std::map<std::string, std::pair<std::string, std::string>> m_raw;
    bool m_shortIds = false;
    bool m_v3Attributes = false;
    ServerFault m_fault = ServerFault::None;
    int m_faultAfter = 0;
    int m_faultTimes = -1;
    int m_traceRequests = 0;
    std::chrono::milliseconds m_faultDelay{3000};
    size_t m_hugeBytes = 1 << 20;
    std::vector<std::string> m_problems;
};

} // namespace rootline::test
