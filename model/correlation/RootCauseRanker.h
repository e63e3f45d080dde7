#pragma once

// Ranks candidate root causes — services and operations — for an incident window against a
// baseline window (design.md §4, issue 5 item 3) by combined evidence:
//   error origin  an erroring span with no erroring child, new in the incident;
//   latency       self time on the critical path of slow traces, vs baseline traces;
//   attribute     a span or resource attribute value that separates bad traces from good ones
//                 (service.version, db.pool.name, host, pod, ...);
//   deploy        a service.version change near the onset whose new version separates them;
//   log-template  a log message template that appears or spikes (variable tokens masked);
//   metric        an error or saturation series that leaves its baseline (queue depth, lag, 5xx).
// Where no trace connects the services that fail, log-template and metric candidates are ordered
// by CausalOrder.h (issue 15): whose trouble started first, who calls whom outside the window,
// whose messages name whom, whose series moved first and alone. A symptom is marked down and
// says whose; a cause says what it explains; a pair the evidence cannot order is a tie: both
// keep one rank and say "equally likely", with what would separate them.
// Each kind scores 0..1; the score combines them as independent pieces of evidence
// (1 − Π(1 − wᵢ·sᵢ)), and the kind named is the strongest. A traceless candidate scores
// b·(0.5 + 0.3·cause)·(1 − 0.7·symptom), b = 1 − (1 − log)(1 − 0.8·metric): alone it keeps the
// old 0.5·log, a settled cause reaches 0.8·b, a settled symptom falls to 0.15·b. Every candidate
// carries the evidence that opens it: trace ids, span ids, log row ids, series keys, differing
// attribute values, and for a traceless one its onset, what it explains or is a symptom of.
//
// Bounded work whatever the cache size: traces are sampled (failing and slowest first, plus an
// even sample), logs are read up to a cap (and a window cut short is said in `limits`), the
// topology from at most maxTopologySpans spans, at most maxMetricSeries series, and every
// stage's time is reported.

#include "ClockSkew.h"
#include "DeployMarkers.h"
#include "core/Records.h"

#include <map>
#include <string>
#include <vector>

namespace rootline {

class CacheReader;
class ServiceDirectory;
struct CorrelationRules;

struct CandidateEvidence {
    std::vector<std::string> traceIds;
    std::vector<std::string> spanIds;
    std::vector<int64_t> logIds;
    std::vector<std::string> series;
    std::vector<std::pair<std::string, std::string>> attributes; // key → what differs, in words
};

struct RootCauseCandidate {
    int rank = 0;
    std::string service;
    std::string operation; // empty for a service-level (log-only) candidate
    std::string kind;      // error-origin | latency | deploy | attribute | log-template | metric
    double score = 0;
    std::string explanation;
    std::string symptomOf;             // the candidate this one most likely fails because of (issue 15)
    std::vector<std::string> tiedWith; // candidates the evidence ranks equally likely (same rank)
    CandidateEvidence evidence;
    std::map<std::string, double> components; // each kind's 0..1 score, for transparency
};

struct RankerOptions {
    std::string service; // the alert's service: traces through it are analysed; empty = all
    TimeWindow incident;
    TimeWindow baseline;
    const CorrelationRules* rules = nullptr;
    int maxIncidentTraces = 1200;
    int maxBaselineTraces = 800;
    int maxLogLines = 200000;
    int maxTopologySpans = 50000; // child spans read to learn who calls whom
    int maxMetricSeries = 400;    // error and saturation series compared with the baseline
    bool correctClockSkew = true;
    int maxCandidates = 10;
};

struct StageTiming {
    std::string stage;
    double milliseconds = 0;
};

struct RootCauseRanking {
    std::vector<RootCauseCandidate> candidates;
    ClockSkewEstimate skew;
    std::vector<DeployMarker> deploys;
    std::vector<StageTiming> stages;
    size_t topologyEdges = 0; // service → service calls known (traces anywhere before the window's end, service-graph metrics)
    int64_t incidentTraces = 0, incidentErrorTraces = 0; // in the window (exact counts)
    int64_t baselineTraces = 0, baselineErrorTraces = 0;
    int64_t analysedTraces = 0, badTraces = 0;
    int64_t incidentLogs = 0, baselineLogs = 0; // warning-or-worse lines read
    // The log-template stage reads at most RankerOptions::maxLogLines lines per window.
    bool incidentLogsTruncated = false, baselineLogsTruncated = false;
    // What the ranking did not look at because of a cap, in words (empty when nothing was cut).
    std::vector<std::string> limits;
};

Result<RootCauseRanking> rankRootCauses(CacheReader& reader, const ServiceDirectory& services, const RankerOptions& options);

} // namespace rootline
