#include "RootCauseRanker.h"

#include "CausalOrder.h"
#include "CorrelationRules.h"
#include "CriticalPath.h"
#include "LogTemplate.h"
#include "MetricSignals.h"
#include "ServiceDirectory.h"
#include "ServiceMentions.h"
#include "ServiceTopology.h"
#include "TemplateOnset.h"
#include "cache/CacheReader.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace rootline {
namespace {

using Clock = std::chrono::steady_clock;

struct LoadedTrace {
    int64_t rowId = 0;
    TraceId id;
    bool incident = false;
    bool representative = false; // from the even sample (not the failing/slowest-first pick)
    std::vector<Span> spans;
    std::vector<std::string> service;
    std::vector<int64_t> resourceRow;
    Duration duration;
    std::string rootOp;
    bool error = false;
    bool bad = false;
    std::set<std::string> originServices; // services with an erroring span that has no erroring child
};

struct OpKey {
    std::string service, name;
    bool operator==(const OpKey&) const = default;
};
struct OpKeyHash {
    size_t operator()(const OpKey& k) const { return std::hash<std::string>()(k.service) * 31 + std::hash<std::string>()(k.name); }
};

struct EvidenceSpan {
    double weight;
    size_t trace;
    size_t span;
};

struct OpStats {
    int64_t spans = 0, errors = 0, bSpans = 0, bErrors = 0;
    std::vector<double> durMs, bDurMs;
    int64_t originTraces = 0, bOriginTraces = 0;
    double cpSelfBad = 0, cpSelfBase = 0; // ns summed over bad / baseline traces
    std::vector<EvidenceSpan> evidence;
    std::map<std::string, int> statusMessages;
    std::map<std::string, int> peers;
    // attribute key → value → (spans in bad traces, spans in good traces)
    std::map<std::string, std::map<std::string, std::pair<int, int>>> attrs;
    int badSpanCount = 0, goodSpanCount = 0;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    const size_t k = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + long(k), v.end());
    return v[k];
}

// The value seen most often (the first in key order on a tie); empty when none was seen.
std::string mostFrequent(const std::map<std::string, int>& counts)
{
    std::string best;
    int bestCount = 0;
    for (const auto& [value, n] : counts)
        if (n > bestCount) {
            best = value;
            bestCount = n;
        }
    return best;
}

double clamp01(double v) { return std::isnan(v) ? 0 : std::clamp(v, 0.0, 1.0); }

std::string ms(double milliseconds)
{
    char buf[32];
    if (milliseconds >= 1000)
        std::snprintf(buf, sizeof buf, "%.2f s", milliseconds / 1000);
    else if (milliseconds >= 10)
        std::snprintf(buf, sizeof buf, "%.0f ms", milliseconds);
    else
        std::snprintf(buf, sizeof buf, "%.1f ms", milliseconds);
    return buf;
}

std::string pct(double v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f%%", v * 100);
    return buf;
}

// Attribute keys that describe the failure rather than a cause, or identify single requests.
bool ignoredAttribute(const std::string& key)
{
    static const std::set<std::string, std::less<>> consequences = {
        "error", "error.type", "otel.status_code", "otel.status_description", "http.status_code", "http.response.status_code",
        "rpc.grpc.status_code", "status", "status_code", "exception.message", "exception.type", "exception.stacktrace"};
    if (consequences.count(key))
        return true;
    if (key.ends_with(".id") || key.ends_with("_id") || key.ends_with("Id") || key == "id")
        return true;
    return key.starts_with("url.") || key.starts_with("http.url") || key == "db.statement" || key == "client.address";
}

struct Timer {
    std::vector<StageTiming>& out;
    Clock::time_point start = Clock::now();
    void stage(const char* name)
    {
        const auto now = Clock::now();
        out.push_back({name, std::chrono::duration<double, std::milli>(now - start).count()});
        start = now;
    }
};

Result<std::pair<int64_t, int64_t>> countTraces(CacheReader& reader, TimeWindow w, const std::string& focusFilter)
{
    auto stmt = reader.database().prepare("SELECT count(*), coalesce(sum(error_count > 0), 0) FROM traces WHERE start_ts >= ?1 AND start_ts < ?2"
                                          + focusFilter);
    if (!stmt)
        return stmt.error();
    stmt->bind(1, w.from.nanos());
    stmt->bind(2, w.to.nanos());
    auto row = stmt->step();
    if (!row)
        return row.error();
    return std::pair<int64_t, int64_t>{stmt->int64(0), stmt->int64(1)};
}

class Ranker {
public:
    Ranker(CacheReader& reader, const ServiceDirectory& services, const RankerOptions& options)
        : m_reader(reader), m_services(services), m_options(options)
    {
    }
    Result<RootCauseRanking> run();

private:
    Status selectTraces(TimeWindow window, bool incident, const std::string& order, int limit, bool representative);
    Status loadSpans();
    void classify();
    void aggregate();
    Status logTemplates();
    Status causalEvidence();
    Status attachLogsAndSeries();
    std::vector<RootCauseCandidate> score();
    void orderTraceless(RootCauseCandidate& c) const;
    void markTies(std::vector<RootCauseCandidate>& out) const;

    CacheReader& m_reader;
    const ServiceDirectory& m_services;
    const RankerOptions& m_options;
    RootCauseRanking m_out;
    std::string m_focusFilter;
    std::vector<LoadedTrace> m_traces;
    std::unordered_map<int64_t, size_t> m_traceByRow;
    std::unordered_map<OpKey, OpStats, OpKeyHash> m_ops;
    int64_t m_bad = 0, m_badError = 0, m_baseline = 0;
    double m_meanBadMs = 0, m_meanBaseMs = 0;
    double m_errSig = 0, m_slowSig = 0, m_errFracInc = 0;

    struct Template {
        std::string service, text, example;
        int64_t inc = 0, base = 0;
        int maxSeverity = 0;
        std::vector<int64_t> rows;
        // Lines linked to analysed failing traces, and those whose trace fails first elsewhere:
        // a service logging its callee's failure is a symptom, not a cause.
        int64_t linked = 0, elsewhere = 0;
        std::map<std::string, int64_t> failsFirstIn;
        std::vector<int64_t> times; // incident lines, in time order: the onset
        std::string message;        // the first line's human message (a JSON body's "msg"), for whom it names
    };
    std::vector<Template> m_templates;
    std::vector<RootCauseCandidate> m_candidates;
    // Issue 15: what orders services no trace connects.
    std::vector<SeriesInfo> m_series;
    ServiceTopology m_topology;
    ServiceMentions m_mentions;
    MetricSignals m_metrics;
    CausalOrder m_order;
};

Status Ranker::selectTraces(TimeWindow window, bool incident, const std::string& order, int limit, bool representative)
{
    auto stmt = m_reader.database().prepare("SELECT id, trace_id FROM traces WHERE start_ts >= ?1 AND start_ts < ?2" + m_focusFilter
                                            + " ORDER BY " + order + " LIMIT ?3");
    if (!stmt)
        return stmt.error();
    stmt->bind(1, window.from.nanos());
    stmt->bind(2, window.to.nanos());
    stmt->bind(3, int64_t(limit));
    return stmt->forEach([&] {
        const int64_t rowId = stmt->int64(0);
        if (auto it = m_traceByRow.find(rowId); it != m_traceByRow.end()) {
            m_traces[it->second].representative |= representative;
            return;
        }
        const auto blob = stmt->blob(1);
        if (blob.size() != 16)
            return;
        LoadedTrace t;
        t.rowId = rowId;
        t.id = TraceId::fromBytes(reinterpret_cast<const unsigned char*>(blob.data()));
        t.incident = incident;
        t.representative = representative;
        m_traceByRow.emplace(rowId, m_traces.size());
        m_traces.push_back(std::move(t));
    });
}

Status Ranker::loadSpans()
{
    auto stmt = m_reader.database().prepare("SELECT span_id, parent_span_id, name, kind, start_ts, duration, status, status_message,"
                                            " attributes, resource FROM spans WHERE trace = ?");
    if (!stmt)
        return stmt.error();
    for (auto& t : m_traces) {
        stmt->bind(1, t.rowId);
        auto rows = stmt->forEach([&] {
            Span s;
            s.traceId = t.id;
            s.spanId = SpanId{uint64_t(stmt->int64(0))};
            if (!stmt->isNull(1))
                s.parentSpanId = SpanId{uint64_t(stmt->int64(1))};
            s.name = stmt->text(2);
            s.kind = SpanKind(stmt->int64(3));
            s.start = Timestamp::fromNanos(stmt->int64(4));
            s.duration = Duration::nanos(stmt->int64(5));
            s.status = StatusCode(stmt->int64(6));
            s.statusMessage = stmt->text(7);
            s.attributes = Attributes::fromJson(stmt->text(8));
            const int64_t res = stmt->isNull(9) ? 0 : stmt->int64(9);
            s.resource = m_services.resource(res);
            t.service.push_back(m_services.serviceOf(res));
            t.resourceRow.push_back(res);
            t.error |= s.isError();
            t.spans.push_back(std::move(s));
        });
        if (!rows)
            return rows;
        stmt->reset();
        // The root: no parent in the trace; the longest such span when the trace is partial.
        std::unordered_set<uint64_t> ids;
        for (const auto& s : t.spans)
            ids.insert(s.spanId.value);
        const Span* root = nullptr;
        for (const auto& s : t.spans)
            if ((!s.parentSpanId || !ids.count(s.parentSpanId->value)) && (!root || s.duration > root->duration))
                root = &s;
        if (root) {
            t.duration = root->duration;
            t.rootOp = root->name;
        }
    }
    return {};
}

void Ranker::classify()
{
    // Slow = above 1.2 × the baseline's p95 for the same root operation (or for all roots when
    // the baseline saw too few of that one).
    std::map<std::string, std::vector<double>> byRoot;
    std::vector<double> all;
    for (const auto& t : m_traces)
        if (!t.incident) {
            byRoot[t.rootOp].push_back(t.duration.toMillis());
            all.push_back(t.duration.toMillis());
        }
    std::map<std::string, double> threshold;
    for (auto& [op, v] : byRoot)
        if (v.size() >= 10)
            threshold[op] = percentile(v, 0.95) * 1.2;
    double fallback = all.size() >= 10 ? percentile(all, 0.95) * 1.2 : 0;
    if (fallback == 0) { // no baseline: twice the incident median
        std::vector<double> inc;
        for (const auto& t : m_traces)
            inc.push_back(t.duration.toMillis());
        fallback = percentile(inc, 0.5) * 2;
    }
    int64_t representative = 0, slowRepresentative = 0;
    double badSum = 0, baseSum = 0;
    for (auto& t : m_traces) {
        const auto it = threshold.find(t.rootOp);
        const double limit = it != threshold.end() ? it->second : fallback;
        const bool slow = limit > 0 && t.duration.toMillis() > limit;
        if (t.incident) {
            t.bad = t.error || slow;
            if (t.representative) {
                ++representative;
                slowRepresentative += slow;
            }
            if (t.bad) {
                ++m_bad;
                m_badError += t.error;
                badSum += t.duration.toMillis();
            }
        } else {
            ++m_baseline;
            baseSum += t.duration.toMillis();
        }
    }
    m_meanBadMs = m_bad ? badSum / double(m_bad) : 0;
    m_meanBaseMs = m_baseline ? baseSum / double(m_baseline) : 0;
    m_out.badTraces = m_bad;
    m_out.analysedTraces = int64_t(m_traces.size());
    const double slowFrac = representative ? double(slowRepresentative) / double(representative) : 0;
    m_slowSig = clamp01((slowFrac - 0.12) / 0.25);
    m_errFracInc = m_out.incidentTraces ? double(m_out.incidentErrorTraces) / double(m_out.incidentTraces) : 0;
    const double errFracBase = m_out.baselineTraces ? double(m_out.baselineErrorTraces) / double(m_out.baselineTraces) : 0;
    m_errSig = clamp01((m_errFracInc - errFracBase - 0.01) / 0.1);
}

void Ranker::aggregate()
{
    for (size_t ti = 0; ti < m_traces.size(); ++ti) {
        const LoadedTrace& t = m_traces[ti];
        m_traces[ti].originServices.clear();
        std::vector<Duration> offsets;
        if (!m_out.skew.empty()) {
            offsets.reserve(t.spans.size());
            for (const auto& s : t.service)
                offsets.push_back(m_out.skew.offsetOf(s));
        }
        const CriticalPath cp = computeCriticalPath(t.spans, offsets.empty() ? nullptr : &offsets);
        std::unordered_set<uint64_t> hasErrorChild;
        for (const auto& s : t.spans)
            if (s.isError() && s.parentSpanId)
                hasErrorChild.insert(s.parentSpanId->value);
        std::unordered_map<OpKey, std::pair<double, bool>, OpKeyHash> perTrace; // cp self ns, is origin
        for (size_t si = 0; si < t.spans.size(); ++si) {
            const Span& s = t.spans[si];
            OpKey key{t.service[si], s.name};
            OpStats& op = m_ops[key];
            const bool origin = s.isError() && !hasErrorChild.count(s.spanId.value);
            if (origin)
                m_traces[ti].originServices.insert(t.service[si]);
            auto& pt = perTrace[key];
            pt.first += double(cp.empty() ? 0 : cp.selfTime[si].count());
            pt.second |= origin;
            if (t.incident) {
                ++op.spans;
                op.errors += s.isError();
                op.durMs.push_back(s.duration.toMillis());
            } else {
                ++op.bSpans;
                op.bErrors += s.isError();
                op.bDurMs.push_back(s.duration.toMillis());
            }
            if (t.bad) {
                if (s.isError() && !s.statusMessage.empty())
                    ++op.statusMessages[s.statusMessage];
                const double weight = (origin ? 1e15 : 0) + double(cp.empty() ? 0 : cp.selfTime[si].count());
                if (op.evidence.size() < 64)
                    op.evidence.push_back({weight, ti, si});
                else {
                    auto low = std::min_element(op.evidence.begin(), op.evidence.end(),
                                                [](const EvidenceSpan& a, const EvidenceSpan& b) { return a.weight < b.weight; });
                    if (low->weight < weight)
                        *low = {weight, ti, si};
                }
            }
            for (const char* peerKey : {"peer.service", "server.address", "net.peer.name", "db.system"}) {
                if (auto v = s.attributes.text(peerKey)) {
                    ++op.peers[*v];
                    break;
                }
            }
            // Attribute values, for separating bad from good.
            (t.bad ? op.badSpanCount : op.goodSpanCount) += 1;
            auto note = [&](const std::string& k, const std::string& v) {
                if (v.empty() || v.size() > 80)
                    return;
                auto& values = op.attrs[k];
                if (values.size() > 40 && !values.count(v))
                    return; // too many values: an id, not a cause
                auto& c = values[v];
                (t.bad ? c.first : c.second) += 1;
            };
            if (s.resource) {
                note("service.version", s.resource->serviceVersion);
                note("host.name", s.resource->host);
                note("k8s.pod.name", s.resource->pod);
            }
            for (const auto& a : s.attributes) {
                if (ignoredAttribute(a.key) || std::holds_alternative<double>(a.value) || std::holds_alternative<JsonText>(a.value))
                    continue;
                note(a.key, attributeToText(a.value));
            }
        }
        for (auto& [key, pt] : perTrace) {
            OpStats& op = m_ops[key];
            if (t.incident && t.bad) {
                op.cpSelfBad += pt.first;
                op.originTraces += pt.second;
            } else if (!t.incident) {
                op.cpSelfBase += pt.first;
                op.bOriginTraces += pt.second;
            }
        }
    }
}

Status Ranker::logTemplates()
{
    auto read = [&](TimeWindow w, bool incident) -> Status {
        std::unordered_map<std::string, size_t> index;
        for (size_t i = 0; i < m_templates.size(); ++i)
            index.emplace(m_templates[i].service + '\x1f' + m_templates[i].text, i);
        auto rows = m_reader.forEachTroubleLog(w, m_options.maxLogLines, [&](const TroubleLogLine& line) {
            const int severity = line.severity;
            const std::string_view body = line.body;
            if (severity == 0) {
                // Unstructured lines carry no severity: keep the ones that read like trouble.
                static const char* words[] = {"error", "ERROR", "fail", "FAIL", "exception", "Exception", "timeout", "refused", "panic", "fatal", "FATAL", "unavailable"};
                bool trouble = false;
                for (const char* w2 : words)
                    if (body.find(w2) != std::string_view::npos) {
                        trouble = true;
                        break;
                    }
                if (!trouble)
                    return;
            }
            const std::string& service = m_services.serviceOf(line.resource);
            std::string text = logTemplate(body);
            const std::string key = service + '\x1f' + text;
            auto it = index.find(key);
            if (it == index.end()) {
                it = index.emplace(key, m_templates.size()).first;
                m_templates.push_back({service, std::move(text), std::string(body.substr(0, 300)), 0, 0, 0, {}});
                m_templates.back().message = std::string(logMessage(body).substr(0, 300));
            }
            Template& tpl = m_templates[it->second];
            tpl.maxSeverity = std::max(tpl.maxSeverity, severity == 0 ? int(Severity::Error) : severity);
            if (incident && line.traceRow != 0) {
                if (auto t = m_traceByRow.find(line.traceRow); t != m_traceByRow.end() && !m_traces[t->second].originServices.empty()) {
                    const auto& origins = m_traces[t->second].originServices;
                    ++tpl.linked;
                    if (!origins.count(service)) {
                        ++tpl.elsewhere;
                        ++tpl.failsFirstIn[*origins.begin()];
                    }
                }
            }
            if (incident) {
                ++tpl.inc;
                ++m_out.incidentLogs;
                if (tpl.rows.size() < 10)
                    tpl.rows.push_back(line.rowId);
                tpl.times.push_back(line.time.nanos());
            } else {
                ++tpl.base;
                ++m_out.baselineLogs;
            }
        });
        if (!rows)
            return rows.error();
        const int64_t linesRead = *rows;
        if (linesRead >= m_options.maxLogLines) {
            // The cap keeps the ranking bounded on huge caches; say so rather than let the
            // template counts pass for the whole window.
            (incident ? m_out.incidentLogsTruncated : m_out.baselineLogsTruncated) = true;
            m_out.limits.push_back("log templates: only the first " + std::to_string(m_options.maxLogLines)
                                   + " warning-or-worse lines of the " + (incident ? "incident" : "baseline") + " window ("
                                   + w.from.toRfc3339() + " to " + w.to.toRfc3339() + ") were read; the rest were not grouped");
        }
        return {};
    };
    if (auto s = read(m_options.incident, true); !s)
        return s;
    if (m_options.baseline.isValid())
        if (auto s = read(m_options.baseline, false); !s)
            return s;
    return {};
}

std::vector<RootCauseCandidate> Ranker::score()
{
    std::vector<RootCauseCandidate> out;
    const double incMinutes = std::max(1.0, m_options.incident.length().toSeconds() / 60);
    const double baseMinutes = m_options.baseline.isValid() ? std::max(1.0, m_options.baseline.length().toSeconds() / 60) : 0;
    const double deltaTotal = m_meanBadMs - m_meanBaseMs;
    const Timestamp onset = m_options.incident.from;

    for (auto& [key, op] : m_ops) {
        RootCauseCandidate c;
        c.service = key.service;
        c.operation = key.name;
        // Error origin, discounted by how often the same op was the origin before.
        const double originShare = m_badError ? double(op.originTraces) / double(m_badError) : 0;
        const double originIncRate = originShare * m_errFracInc;
        const double originBaseRate = m_baseline ? double(op.bOriginTraces) / double(m_baseline) : 0;
        const double novelty = originIncRate > 0 ? clamp01((originIncRate - originBaseRate) / originIncRate) : 0;
        const double origin = clamp01(originShare * novelty * m_errSig);
        // Latency: this op's share of the extra time on the critical path.
        double latency = 0;
        const double avgBad = m_bad ? op.cpSelfBad / double(m_bad) / 1e6 : 0;
        const double avgBase = m_baseline ? op.cpSelfBase / double(m_baseline) / 1e6 : 0;
        if (deltaTotal > 0.1 * std::max(1.0, m_meanBaseMs))
            latency = clamp01((avgBad - avgBase) / deltaTotal) * m_slowSig;
        // Attributes separating bad from good spans of this op.
        double bestSep = 0;
        std::string bestKey, bestValue;
        double bestBad = 0, bestGood = 0;
        std::string goodValue;
        if (op.badSpanCount >= 5 && op.goodSpanCount >= 5) {
            for (const auto& [attr, values] : op.attrs) {
                if (values.size() > 40 || values.size() < 2)
                    continue; // one value everywhere separates nothing
                for (const auto& [value, counts] : values) {
                    if (counts.first < 3)
                        continue;
                    const double pBad = double(counts.first) / op.badSpanCount, pGood = double(counts.second) / op.goodSpanCount;
                    const double sep = pBad - pGood;
                    // Prefer service.version on ties: it is the actionable one.
                    if (sep > bestSep + 1e-9 || (std::fabs(sep - bestSep) < 1e-9 && attr == "service.version")) {
                        bestSep = sep;
                        bestKey = attr;
                        bestValue = value;
                        bestBad = pBad;
                        bestGood = pGood;
                        int most = -1;
                        for (const auto& [v2, c2] : values)
                            if (v2 != value && c2.second > most) {
                                most = c2.second;
                                goodValue = v2;
                            }
                    }
                }
            }
        }
        const double sig = std::max(m_errSig, m_slowSig);
        const double attribute = bestSep >= 0.4 ? clamp01(bestSep) * sig : 0;
        double deploy = 0;
        const DeployMarker* marker = nullptr;
        for (const auto& d : m_out.deploys)
            if (d.service == key.service && d.time >= onset - Duration::minutes(30) && d.time <= m_options.incident.to)
                marker = &d;
        if (marker && bestKey == "service.version" && bestValue == marker->toVersion)
            deploy = attribute;
        const double base = std::max({origin, latency, attribute});
        if (base < 0.05)
            continue;
        c.components = {{"error-origin", origin}, {"latency", latency}, {"attribute", attribute}, {"deploy", deploy}};
        c.score = 1 - (1 - 0.95 * origin) * (1 - 0.9 * latency) * (1 - 0.6 * attribute) * (1 - 0.9 * deploy);
        const double weighted[] = {0.95 * origin, 0.9 * latency, 0.6 * attribute};
        const char* kinds[] = {"error-origin", "latency", "attribute"};
        c.kind = deploy >= 0.5 ? "deploy" : kinds[std::max_element(std::begin(weighted), std::end(weighted)) - std::begin(weighted)];

        // Evidence: origin spans first, then most critical-path time.
        std::sort(op.evidence.begin(), op.evidence.end(), [](const EvidenceSpan& a, const EvidenceSpan& b) { return a.weight > b.weight; });
        std::set<size_t> seenTraces;
        for (const auto& e : op.evidence) {
            if (seenTraces.size() >= 5)
                break;
            if (!seenTraces.insert(e.trace).second)
                continue;
            c.evidence.traceIds.push_back(m_traces[e.trace].id.toHex());
            c.evidence.spanIds.push_back(m_traces[e.trace].spans[e.span].spanId.toHex());
        }
        const std::string peer = mostFrequent(op.peers);
        const std::string message = mostFrequent(op.statusMessages);
        const double p95 = percentile(op.durMs, 0.95), bp95 = percentile(op.bDurMs, 0.95);
        const std::string what = key.service + " " + key.name + (peer.empty() || key.name.find(peer) != std::string::npos ? "" : " (→ " + peer + ")");
        const std::string timing = "p95 " + ms(p95) + (op.bDurMs.empty() ? std::string(", not seen in the baseline") : " vs " + ms(bp95) + " in the baseline");
        if (c.kind == "deploy") {
            c.explanation = key.service + " " + bestValue + " (first seen " + marker->time.toRfc3339() + ", replacing " + marker->fromVersion
                + ") is on " + pct(bestBad) + " of " + key.name + " spans in failing traces vs " + pct(bestGood) + " of good ones";
        } else if (c.kind == "error-origin") {
            c.explanation = what + " is where failures start: it fails with no failing child in " + std::to_string(op.originTraces) + " of "
                + std::to_string(m_badError) + " failing traces" + (message.empty() ? "" : " (\"" + message + "\")") + "; " + timing;
        } else if (c.kind == "latency") {
            c.explanation = what + " accounts for " + pct(clamp01((avgBad - avgBase) / deltaTotal)) + " of the extra time on the critical path of slow traces (+"
                + ms(avgBad - avgBase) + " per trace); " + timing;
        } else {
            c.explanation = bestKey + "=" + bestValue + " is on " + pct(bestBad) + " of " + what + " spans in bad traces vs " + pct(bestGood)
                + " of good ones";
        }
        if (!bestKey.empty() && bestSep >= 0.4)
            c.evidence.attributes.emplace_back(bestKey, bestValue + " in " + pct(bestBad) + " of bad traces; " + pct(bestGood) + " of good"
                                                             + (goodValue.empty() ? std::string() : " (good: " + goodValue + ")"));
        if (marker)
            c.evidence.attributes.emplace_back("deploy", marker->fromVersion + " → " + marker->toVersion + " at " + marker->time.toRfc3339());
        if (!message.empty())
            c.evidence.attributes.emplace_back("status.message", message);
        if (!peer.empty())
            c.evidence.attributes.emplace_back("peer", peer);
        out.push_back(std::move(c));
    }

    // Log templates per service: the strongest new or spiking one.
    std::vector<double> templateScore(m_templates.size(), 0);
    std::map<std::string, const Template*> bestTemplate;
    std::map<std::string, double> bestLogScore;
    for (size_t i = 0; i < m_templates.size(); ++i) {
        const Template& t = m_templates[i];
        const double rateInc = double(t.inc) / incMinutes;
        const double rateBase = baseMinutes > 0 ? double(t.base) / baseMinutes : 0;
        const double spike = (rateInc + 0.05) / (rateBase + 0.05);
        double s = clamp01(std::log10(spike) / 1.5) * clamp01(double(t.inc) / 20) * (t.maxSeverity >= int(Severity::Error) ? 1.0 : 0.6);
        if (t.linked >= 5 && 2 * t.elsewhere >= t.linked)
            s *= 0.3; // a symptom
        templateScore[i] = s;
        if (s > bestLogScore[t.service]) {
            bestLogScore[t.service] = s;
            bestTemplate[t.service] = &t;
        }
    }

    // Issue 15: each service's trouble — its new or spiking templates and departed series, with
    // their onsets — ordered by CausalOrder, so a symptom does not tie with its cause.
    std::map<std::string, ServiceSignal> signals;
    for (size_t i = 0; i < m_templates.size(); ++i) {
        const Template& t = m_templates[i];
        if (templateScore[i] < 0.1 || t.service.empty())
            continue;
        ServiceSignal& sig = signals[t.service];
        sig.service = t.service;
        if (sig.messages.size() < 8)
            sig.messages.push_back(t.message);
        const double rateBase = baseMinutes > 0 ? double(t.base) / baseMinutes : 0;
        auto tplOnset = templateOnset(t.times, rateBase, "\"" + t.text.substr(0, 80) + "\"");
        if (tplOnset && (!sig.logOnset || tplOnset->time < sig.logOnset->time))
            sig.logOnset = tplOnset;
    }
    for (const auto& [service, metricSignals] : m_metrics.byService) {
        ServiceSignal& sig = signals[service];
        sig.service = service;
        for (const auto& ms : metricSignals)
            if (ms.departure.strength >= 0.3) {
                sig.metricOnset = ServiceOnset{ms.departure.onset, ms.departure.resolution, ms.seriesKey};
                break; // earliest first
            }
    }
    std::vector<ServiceSignal> signalList;
    for (auto& [service, sig] : signals)
        signalList.push_back(std::move(sig));
    m_order = CausalOrder::order(std::move(signalList), m_topology, m_mentions);

    std::set<std::string> standalone; // services whose template or series stands as its own candidate
    for (const auto& [service, tpl] : bestTemplate) {
        const double s = bestLogScore[service];
        if (s < 0.05)
            continue;
        const double rateBase = baseMinutes > 0 ? double(tpl->base) / baseMinutes : 0;
        const std::string when = tpl->base == 0 ? std::string("new in the incident window")
                                                : "vs " + std::to_string(tpl->base) + " in the baseline ("
                                                      + std::to_string(int(std::round((double(tpl->inc) / incMinutes) / std::max(rateBase, 1e-9)))) + "x the rate)";
        std::string logText = service + " logs \"" + tpl->text + "\" " + std::to_string(tpl->inc) + " times, " + when;
        if (tpl->linked >= 5 && 2 * tpl->elsewhere >= tpl->linked) {
            const auto first = std::max_element(tpl->failsFirstIn.begin(), tpl->failsFirstIn.end(),
                                                [](const auto& a, const auto& b) { return a.second < b.second; });
            logText += "; a symptom: " + std::to_string(tpl->elsewhere) + " of the " + std::to_string(tpl->linked)
                + " traced lines belong to traces that fail first in " + first->first;
        }
        // Joins the service's strongest trace-based candidate when there is one.
        RootCauseCandidate* host = nullptr;
        for (auto& c : out)
            if (c.service == service && c.score >= 0.2 && (!host || c.score > host->score))
                host = &c;
        if (host) {
            host->components["log-template"] = s;
            host->score = 1 - (1 - host->score) * (1 - 0.5 * s);
            host->evidence.attributes.emplace_back("log.template", tpl->text);
            host->evidence.logIds.insert(host->evidence.logIds.end(), tpl->rows.begin(), tpl->rows.end());
            continue;
        }
        RootCauseCandidate c;
        c.service = service;
        c.kind = "log-template";
        c.components = {{"log-template", s}};
        c.score = 0.5 * s;
        c.explanation = logText;
        c.evidence.logIds = tpl->rows;
        c.evidence.attributes.emplace_back("log.template", tpl->text);
        c.evidence.attributes.emplace_back("log.example", tpl->example);
        out.push_back(std::move(c));
        standalone.insert(service);
    }
    // Services whose error or saturation series departed with no trace or log candidate of their own.
    for (const auto& [service, metricSignals] : m_metrics.byService) {
        if (standalone.count(service) || std::any_of(out.begin(), out.end(), [&name = service](const RootCauseCandidate& c) { return c.service == name; }))
            continue;
        const MetricSignal* strongest = nullptr;
        for (const auto& ms : metricSignals)
            if (!strongest || ms.departure.strength > strongest->departure.strength)
                strongest = &ms;
        if (!strongest || strongest->departure.strength < 0.3)
            continue;
        RootCauseCandidate c;
        c.service = service;
        c.kind = "metric";
        c.components = {{"metric", 0.0}};
        c.score = 0;
        out.push_back(std::move(c));
        standalone.insert(service);
    }
    for (auto& c : out)
        if (standalone.count(c.service) && c.operation.empty() && (c.kind == "log-template" || c.kind == "metric"))
            orderTraceless(c);

    // A deploy near the onset with nothing else against it is still worth a look.
    for (const auto& d : m_out.deploys) {
        if (d.time < onset - Duration::minutes(30) || d.time > m_options.incident.to)
            continue;
        if (std::any_of(out.begin(), out.end(), [&](const RootCauseCandidate& c) { return c.service == d.service; }))
            continue;
        RootCauseCandidate c;
        c.service = d.service;
        c.kind = "deploy";
        c.components = {{"deploy", 0.15}};
        c.score = 0.1;
        c.explanation = d.service + " changed version " + d.fromVersion + " → " + d.toVersion + " at " + d.time.toRfc3339()
            + ", near the onset, but nothing else points at it";
        c.evidence.attributes.emplace_back("deploy", d.fromVersion + " → " + d.toVersion + " at " + d.time.toRfc3339());
        out.push_back(std::move(c));
    }
    std::sort(out.begin(), out.end(), [](const RootCauseCandidate& a, const RootCauseCandidate& b) {
        if (a.score != b.score)
            return a.score > b.score;
        return std::tie(a.service, a.operation) < std::tie(b.service, b.operation);
    });
    if (int(out.size()) > m_options.maxCandidates)
        out.resize(size_t(m_options.maxCandidates));
    markTies(out);
    // Tied candidates share a rank: the list's order between them is the names', not a verdict.
    for (size_t i = 0; i < out.size(); ++i) {
        const bool tiedWithPrevious = i > 0 && std::find(out[i].tiedWith.begin(), out[i].tiedWith.end(), out[i - 1].service) != out[i].tiedWith.end();
        out[i].rank = tiedWithPrevious ? out[i - 1].rank : int(i + 1);
    }
    return out;
}

namespace {
std::string joined(const std::vector<std::string>& parts, const char* separator)
{
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : separator) + p;
    return out;
}

std::string level(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, std::fabs(v) >= 100 ? "%.0f" : std::fabs(v) >= 1 ? "%.1f" : "%.3g", v);
    return buf;
}
} // namespace

// A candidate with no trace of its own: its log and metric evidence, then where CausalOrder puts
// it — marked down as a symptom (and whose), or up as the cause of others — in the score and in
// the explanation, so the order is never unexplained.
void Ranker::orderTraceless(RootCauseCandidate& c) const
{
    const double log = c.components.count("log-template") ? c.components.at("log-template") : 0;
    double metric = 0;
    const MetricSignal* strongest = nullptr;
    if (auto it = m_metrics.byService.find(c.service); it != m_metrics.byService.end())
        for (const auto& ms : it->second)
            if (ms.departure.strength > metric) {
                metric = ms.departure.strength;
                strongest = &ms;
            }
    const double base = 1 - (1 - log) * (1 - 0.8 * metric);
    const CausalRole& role = m_order.role(c.service);
    const double cause = std::max(role.asCause, role.first ? 0.5 : 0.0);
    const double symptom = role.asSymptom;
    c.score = base * (0.5 + 0.3 * cause) * (1 - 0.7 * symptom);
    c.components["metric"] = metric;
    c.components["cause"] = cause;
    c.components["symptom"] = symptom;
    c.kind = log >= 0.8 * metric ? "log-template" : "metric";

    std::string text = c.explanation;
    if (strongest) {
        const SeriesDeparture& d = strongest->departure;
        const std::string moved = strongest->seriesKey + (strongest->kind == SignalKind::Error ? " (errors)" : " (saturation)") + " left its baseline at "
            + d.onset.toRfc3339() + ": " + level(d.baselineLevel) + " → " + level(d.incidentLevel) + " (resolution " + durationText(d.resolution) + ")";
        text = text.empty() ? possessive(c.service) + " " + moved : text + "; " + moved;
        for (const auto& ms : m_metrics.byService.at(c.service))
            if (c.evidence.series.size() < 3)
                c.evidence.series.push_back(ms.seriesKey);
    }
    if (const ServiceSignal* sig = m_order.signal(c.service))
        if (auto onset = earliestOnset(*sig))
            c.evidence.attributes.emplace_back("onset", onset->time.toRfc3339() + " (" + onset->what + ", to within " + durationText(onset->resolution) + ")");
    if (symptom >= 0.5) {
        c.symptomOf = role.symptomOf;
        text += "; likely a symptom of " + role.symptomOf + ": " + joined(role.symptomReasons, "; ");
        c.evidence.attributes.emplace_back("symptom.of", role.symptomOf);
    } else if (symptom > 0) {
        text += "; possibly a symptom of " + role.symptomOf + " (one weak sign: " + joined(role.symptomReasons, "; ") + ")";
    }
    if (!role.explains.empty() && symptom < 0.5) {
        text += "; the cause rather than a symptom: it explains " + joined(role.explains, ", ") + " — " + joined(role.causeReasons, "; ");
        c.evidence.attributes.emplace_back("explains", joined(role.explains, ", "));
    }
    if (role.first && symptom < 0.5)
        text += "; " + role.firstText;
    if (!role.afterText.empty())
        text += "; " + role.afterText;
    c.explanation = std::move(text);
}

// Candidates of different services whose scores are within 0.03, neither a symptom, that the
// causal evidence does not order are a tie, and say so: "equally likely", with what would separate them.
void Ranker::markTies(std::vector<RootCauseCandidate>& out) const
{
    for (size_t i = 0; i < out.size(); ++i) {
        for (size_t j = i + 1; j < out.size() && out[i].score - out[j].score <= 0.03; ++j) {
            RootCauseCandidate& a = out[i];
            RootCauseCandidate& b = out[j];
            if (a.service == b.service || b.score < 0.1 || std::find(a.tiedWith.begin(), a.tiedWith.end(), b.service) != a.tiedWith.end())
                continue;
            // Two symptoms of the same (or another) cause are not rivals for "the cause".
            if (!a.symptomOf.empty() || !b.symptomOf.empty())
                continue;
            if (m_order.strength(a.service, b.service) >= 0.5 || m_order.strength(b.service, a.service) >= 0.5)
                continue;
            a.tiedWith.push_back(b.service);
            b.tiedWith.push_back(a.service);
            const bool ordered = m_order.signal(a.service) && m_order.signal(b.service);
            auto text = [&](const std::string& self, const std::string& other) {
                return ordered ? m_order.tieText(self, other)
                               : "equally likely as " + other + ": the two scores are within 0.03 and nothing orders them; their evidence side by side would";
            };
            a.explanation += "; " + text(a.service, b.service);
            b.explanation += "; " + text(b.service, a.service);
            a.evidence.attributes.emplace_back("tie", "equally likely as " + b.service);
            b.evidence.attributes.emplace_back("tie", "equally likely as " + a.service);
        }
    }
}

Status Ranker::causalEvidence()
{
    auto series = m_reader.listSeries();
    if (!series)
        return series.error();
    m_series = std::move(*series);
    // Who calls whom: every trace up to the incident's end, not only the window's (those may be
    // missing — that is the case this serves).
    auto topology = learnTopology(m_reader, m_services, m_series, {Timestamp::min(), m_options.incident.to}, m_options.maxTopologySpans);
    if (!topology)
        return topology.error();
    m_topology = std::move(*topology);
    m_out.topologyEdges = m_topology.edgeCount();
    m_mentions = ServiceMentions::fromDirectory(m_services);
    auto metrics = findMetricSignals(m_reader, m_services, m_series, m_options.baseline, m_options.incident, m_options.maxMetricSeries);
    if (!metrics)
        return metrics.error();
    m_metrics = std::move(*metrics);
    if (m_metrics.truncated)
        m_out.limits.push_back("metrics: only the first " + std::to_string(m_options.maxMetricSeries)
                               + " error and saturation series were compared with the baseline");
    return {};
}

Status Ranker::attachLogsAndSeries()
{
    const std::vector<SeriesInfo>* series = &m_series;
    for (auto& c : m_candidates) {
        // Logs of the evidence traces written by the candidate's service, the worst first.
        if (!c.evidence.traceIds.empty()) {
            std::string rows;
            for (const auto& id : c.evidence.traceIds) {
                auto tid = parseTraceId(id);
                if (!tid)
                    continue;
                for (const auto& t : m_traces)
                    if (t.id == *tid) {
                        rows += (rows.empty() ? "" : ",") + std::to_string(t.rowId);
                        break;
                    }
            }
            if (!rows.empty()) {
                auto stmt = m_reader.database().prepare("SELECT id FROM logs WHERE trace IN (" + rows + ") AND resource IN ("
                                                        + m_services.resourceList(c.service)
                                                        + ") ORDER BY (severity >= 13) DESC, severity DESC, ts LIMIT 10");
                if (!stmt)
                    return stmt.error();
                std::vector<int64_t> ids;
                if (auto read = stmt->forEach([&] { ids.push_back(stmt->int64(0)); }); !read)
                    return read;
                // Trace-linked lines first; template samples after.
                ids.insert(ids.end(), c.evidence.logIds.begin(), c.evidence.logIds.end());
                std::vector<int64_t> unique;
                for (int64_t id : ids)
                    if (std::find(unique.begin(), unique.end(), id) == unique.end())
                        unique.push_back(id);
                if (unique.size() > 10)
                    unique.resize(10);
                c.evidence.logIds = std::move(unique);
            }
        }
        // Series that show the candidate's service degrading: its 5xx counters first, then its
        // latency histogram's total (+Inf bucket or _count); single latency buckets say little.
        std::vector<std::pair<int, std::string>> picks;
        for (const auto& info : *series) {
            if (m_services.serviceOf(info.series.resource) != c.service)
                continue;
            const Series& s = info.series;
            const std::string* status = nullptr;
            for (const char* l : {"status_class", "status", "code", "status_code"})
                if ((status = s.label(l)))
                    break;
            const std::string* le = s.label("le");
            int priority = -1;
            if (status && !status->empty() && (*status)[0] == '5')
                priority = 0;
            else if (s.name.find("duration") != std::string::npos && ((le && *le == "+Inf") || s.name.ends_with("_count")))
                priority = 1;
            if (priority >= 0)
                picks.emplace_back(priority, s.key());
        }
        std::stable_sort(picks.begin(), picks.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (size_t i = 0; i < picks.size() && c.evidence.series.size() < 3; ++i)
            if (std::find(c.evidence.series.begin(), c.evidence.series.end(), picks[i].second) == c.evidence.series.end())
                c.evidence.series.push_back(picks[i].second);
    }
    return {};
}

Result<RootCauseRanking> Ranker::run()
{
    Timer timer{m_out.stages};
    if (!m_options.service.empty())
        m_focusFilter = " AND EXISTS (SELECT 1 FROM spans s WHERE s.trace = traces.id AND s.resource IN ("
            + m_services.resourceList(m_options.service) + "))";
    auto inc = countTraces(m_reader, m_options.incident, m_focusFilter);
    if (!inc)
        return inc.error();
    m_out.incidentTraces = inc->first;
    m_out.incidentErrorTraces = inc->second;
    if (m_options.baseline.isValid()) {
        auto base = countTraces(m_reader, m_options.baseline, m_focusFilter);
        if (!base)
            return base.error();
        m_out.baselineTraces = base->first;
        m_out.baselineErrorTraces = base->second;
    }
    const std::string even = "(id * 2654435761) % 4294967291";
    const int half = m_options.maxIncidentTraces / 2;
    if (auto s = selectTraces(m_options.incident, true, "(error_count > 0) DESC, (end_ts - start_ts) DESC", half, false); !s)
        return s.error();
    if (auto s = selectTraces(m_options.incident, true, even, m_options.maxIncidentTraces - half, true); !s)
        return s.error();
    if (m_options.baseline.isValid())
        if (auto s = selectTraces(m_options.baseline, false, even, m_options.maxBaselineTraces, true); !s)
            return s.error();
    if (auto s = loadSpans(); !s)
        return s.error();
    timer.stage("traces");
    if (m_options.correctClockSkew) {
        ClockSkewEstimator estimator;
        for (const auto& t : m_traces)
            estimator.addTrace(t.spans, t.service);
        m_out.skew = estimator.estimate();
    }
    timer.stage("clock-skew");
    classify();
    aggregate();
    timer.stage("critical-path");
    // Deploys over the last hours, for the timeline; only those near the onset count as evidence.
    auto deploys = findDeployMarkers(m_reader, m_services,
                                     {std::min(m_options.baseline.isValid() ? m_options.baseline.from : m_options.incident.from,
                                               m_options.incident.from - Duration::hours(3)),
                                      m_options.incident.to});
    if (!deploys)
        return deploys.error();
    m_out.deploys = std::move(*deploys);
    timer.stage("deploys");
    if (auto s = logTemplates(); !s)
        return s.error();
    timer.stage("log-templates");
    if (auto s = causalEvidence(); !s)
        return s.error();
    timer.stage("causal-order");
    m_candidates = score();
    if (auto s = attachLogsAndSeries(); !s)
        return s.error();
    m_out.candidates = std::move(m_candidates);
    timer.stage("score");
    return std::move(m_out);
}

} // namespace

Result<RootCauseRanking> rankRootCauses(CacheReader& reader, const ServiceDirectory& services, const RankerOptions& options)
{
    if (!options.incident.isValid())
        return Error{"root-cause ranking", "the incident window is empty", "give --from earlier than --to"};
    Ranker ranker(reader, services, options);
    return ranker.run();
}

} // namespace rootline
