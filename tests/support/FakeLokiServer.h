#pragma once

// A faithful fake Loki 3.x (wire-formats.md §1 and the §7 checklist) on 127.0.0.1. It answers
// query_range / query / labels / label values / buildinfo / ready from streams the test gives it,
// the way Loki does: `start` inclusive, `end` exclusive, `limit` over all streams merged in `direction`
// order, the ≤1e10 seconds-vs-ns timestamp rule, 3-element entries and `encodingFlags` only when
// `X-Loki-Response-Encoding-Flags: categorize-labels` is sent (otherwise structured metadata is folded
// into the stream labels, splitting streams), HTML-escaped lines, a `stats` block, plain-text errors,
// 401 `no org id` without the tenant header, 400 for a limit above max_entries_limit_per_query.
// Metric queries: `count_over_time(<selector and filters>[range])`, optionally inside `sum(…)` or
// `sum by (labels) (…)` (stream labels), as an
// instant query or a query_range, counted truthfully over (t − range, t] like Loki's range vectors,
// whatever page fault is set.
// It CHECKS every request and lists what a real client should not have sent in problems().
// Faults are injected per query_range / query request on command.

#include "FakeBackend.h"
#include "MiniHttpServer.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rootline::test {

using FakeLabels = std::vector<std::pair<std::string, std::string>>;

struct FakeLokiEntry {
    int64_t ns = 0;
    std::string line;
    FakeLabels structuredMetadata;
};

struct FakeLokiStream {
    FakeLabels labels;
    std::vector<FakeLokiEntry> entries; // any order: the server sorts
};

using LokiFault = ServerFault;

// How log answers (query_range over a stream selector) differ from the true top-N.
enum class LokiPageFault {
    None,
    // What a real Loki 2.7 did (grafana/loki#10658, "queries with wide time ranges tend to miss
    // logs"): a full page leaves out one entry from its middle, newer than its oldest (backward; older
    // than its newest forward), and returns the next entry beyond the page instead. The client's
    // cursor moves past the left-out entry, so paging alone never sees it. Pages that are not full
    // are answered truly.
    SwapOnFullPage,
};

class FakeLokiServer : public FakeBackend {
public:
    FakeLokiServer();
    ~FakeLokiServer();

    bool start();
    std::string url() const { return m_http.baseUrl(); }

    void addStream(FakeLokiStream stream);
    void setTenant(std::string tenant);             // required X-Scope-OrgID; empty = single-tenant
    void setMaxEntriesLimit(int64_t limit);         // default 5000
    void setBuildInfoAvailable(bool available);     // false: /loki/api/v1/status/buildinfo answers 404
    // Loki does not promise an order among lines of one timestamp: shuffle them differently on every
    // request, so a client that relies on the order at page boundaries is caught.
    void setShuffleTies(bool shuffle);
    void setPageFault(LokiPageFault fault);
    int pageFaultsCommitted() const; // log answers the page fault changed so far
    // Log answers never return the entries at `ns`, while counts include them: a client can never
    // fetch every line it counts (the case where the counts cannot be made to agree).
    void setUnreturnable(int64_t ns);
    // The windows [at − range + 1 ns, at + 1 ns) the instant count_over_time queries covered, in order.
    std::vector<std::pair<int64_t, int64_t>> countWindows() const;
    // injectFault, setFaultDelay, setHugeBytes and problems() come from FakeBackend; the requests
    // that count for faults are the query requests (query_range and query).

    std::vector<FakeRequest> requests() const { return m_http.requests(); }
    std::vector<FakeRequest> queryRequests() const; // query_range and query only
    int queryCount() const { return m_faults.count(); }

private:
    FakeResponse handle(const FakeRequest& request);
    FakeResponse queryRange(const FakeRequest& request, bool categorize);
    FakeResponse instantQuery(const FakeRequest& request);

    MiniHttpServer m_http;
    mutable std::mutex m_mutex;
    std::vector<FakeLokiStream> m_streams;
    std::string m_tenant;
    int64_t m_maxEntries = 5000;
    bool m_buildInfo = true;
    bool m_shuffleTies = false;
    LokiPageFault m_pageFault = LokiPageFault::None;
    int m_pageFaults = 0;
    std::optional<int64_t> m_unreturnable;
    std::vector<std::pair<int64_t, int64_t>> m_countWindows;
};

// Loki's timestamp rule (pkg/loghttp/params.go): integer > 1e10 → ns, ≤ 1e10 → seconds, with '.' →
// float seconds rounded to ms, otherwise RFC 3339. Returns false when unreadable.
bool parseLokiTimeParam(const std::string& text, int64_t& ns);

} // namespace rootline::test
