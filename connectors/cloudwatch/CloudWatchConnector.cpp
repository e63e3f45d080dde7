#include "CloudWatchConnector.h"

#include "core/Clock.h"
#include "http/HttpClient.h"
#include "import/AwsJson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <regex>
#include <set>
#include <unordered_set>

namespace rootline {
namespace {

using json = nlohmann::json;

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kNanosPerMilli = 1'000'000;
constexpr int64_t kMaxDatapoints = 100'800;

int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b) != 0 && ((a < 0) != (b < 0))); }
int64_t ceilDiv(int64_t a, int64_t b) { return -floorDiv(-a, b); }

// Hands a parsed page to the sink: whole, in batches, minus what was already handed over.
Status forward(CollectingSink& page, RecordSink& sink, int64_t& records)
{
    for (auto& r : page.rejections)
        sink.reject(std::move(r.location), std::move(r.message), std::move(r.snippet));
    page.rejections.clear();
    constexpr size_t kBatch = 5000;
    TelemetryBatch& all = page.collected;
    for (size_t i = 0; i < all.logs.size(); i += kBatch) {
        TelemetryBatch b;
        const size_t end = std::min(all.logs.size(), i + kBatch);
        b.logs.assign(std::make_move_iterator(all.logs.begin() + long(i)), std::make_move_iterator(all.logs.begin() + long(end)));
        records += int64_t(b.logs.size());
        if (auto st = sink.batch(std::move(b)); !st)
            return st;
    }
    for (size_t i = 0; i < all.spans.size(); i += kBatch) {
        TelemetryBatch b;
        const size_t end = std::min(all.spans.size(), i + kBatch);
        b.spans.assign(std::make_move_iterator(all.spans.begin() + long(i)), std::make_move_iterator(all.spans.begin() + long(end)));
        records += int64_t(b.spans.size());
        if (auto st = sink.batch(std::move(b)); !st)
            return st;
    }
    if (!all.series.empty()) {
        TelemetryBatch b;
        b.series = std::move(all.series);
        records += int64_t(b.recordCount());
        if (auto st = sink.batch(std::move(b)); !st)
            return st;
    }
    all = TelemetryBatch{};
    return {};
}

const std::string* logAttribute(const LogRecord& r, std::string_view key)
{
    if (const AttributeValue* v = r.attributes.find(key))
        return std::get_if<std::string>(v);
    return nullptr;
}

int validPeriodAtLeast(int64_t seconds)
{
    if (seconds <= 1) return 1;
    for (int p : {5, 10, 20, 30})
        if (seconds <= p)
            return p;
    return int(ceilDiv(seconds, 60) * 60);
}

bool isCancelled(const std::atomic_bool* c) { return c && c->load(); }

} // namespace

struct CloudWatchConnector::Run {
    RecordSink& sink;
    const std::atomic_bool* cancelled;
    const ProgressCallback& progress;
    aws::CallStats stats;
    int64_t records = 0;

    void report(const std::string& stage) const
    {
        if (!progress)
            return;
        FetchProgress p;
        p.requestsDone = stats.requests;
        p.bytes = stats.bytes;
        p.records = records;
        p.stage = stage;
        progress(p);
    }
    FetchOutcome outcome() const
    {
        FetchOutcome o;
        o.records = records;
        o.requests = stats.requests;
        o.bytes = stats.bytes;
        return o;
    }
};

CloudWatchConnector::CloudWatchConnector(Source source, http::HttpClient& client) : CloudWatchConnector(std::move(source), client, Tuning{}) {}

CloudWatchConnector::CloudWatchConnector(Source source, http::HttpClient& client, Tuning tuning)
    : m_source(source), m_api(std::move(source), client, tuning.retry), m_tuning(tuning)
{
}

std::vector<FetchKind> CloudWatchConnector::supportedKinds() const
{
    return {FetchKind::Series, FetchKind::Logs, FetchKind::Traces, FetchKind::Trace, FetchKind::Alerts};
}

int CloudWatchConnector::choosePeriod(TimeWindow window, std::optional<Duration> step, Timestamp now)
{
    const int64_t seconds = std::max<int64_t>(1, ceilDiv(window.length().count(), kNanosPerSecond));
    int64_t period = step ? validPeriodAtLeast(std::max<int64_t>(1, ceilDiv(step->count(), kNanosPerSecond))) : 60;
    // Retention: older data exists only at coarser periods (wire-formats.md §5.4).
    const Duration age = now - window.from;
    int64_t multiple = 1;
    if (age > Duration::hours(24 * 63)) multiple = 3600;
    else if (age > Duration::hours(24 * 15)) multiple = 300;
    else if (age > Duration::hours(3)) multiple = 60;
    // Fit: no query may need more than 100,800 datapoints.
    period = std::max(period, ceilDiv(seconds, kMaxDatapoints));
    period = validPeriodAtLeast(period);
    if (period % multiple != 0)
        period = ceilDiv(period, multiple) * multiple;
    return int(period);
}

Result<ConnectionInfo> CloudWatchConnector::testConnection()
{
    if (auto st = m_api.prepare(); !st)
        return st.error();
    // A 1-point GetMetricData proves endpoint, credentials, signature and permission without STS.
    const int64_t end = floorDiv(Clock::current().now().seconds(), 60) * 60;
    json body = {{"MetricDataQueries",
                  json::array({{{"Id", "ping"},
                                {"MetricStat",
                                 {{"Metric",
                                   {{"Namespace", "AWS/Usage"},
                                    {"MetricName", "CallCount"},
                                    {"Dimensions", json::array({{{"Name", "Service"}, {"Value", "CloudWatch"}},
                                                                {{"Name", "Type"}, {"Value", "API"}},
                                                                {{"Name", "Resource"}, {"Value", "GetMetricData"}},
                                                                {{"Name", "Class"}, {"Value", "None"}}})}}},
                                  {"Period", 60},
                                  {"Stat", "SampleCount"}}}}})},
                 {"StartTime", end - 60},
                 {"EndTime", end},
                 {"MaxDatapoints", 1}};
    aws::CallStats stats;
    const auto started = std::chrono::steady_clock::now();
    auto r = m_api.call(aws::Service::Monitoring, "GetMetricData", body.dump(), nullptr, stats);
    if (!r)
        return r.error();
    ConnectionInfo info;
    info.reachable = true;
    info.latency = Duration::nanos(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count());
    info.version = "CloudWatch awsJson 1.0, region " + m_api.region();
    info.detail = "endpoint " + http::HttpClient::redactUrl(m_api.endpoint(aws::Service::Monitoring));
    return info;
}

Result<FetchOutcome> CloudWatchConnector::fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                                const ProgressCallback& progress)
{
    if (auto st = m_api.prepare(); !st)
        return st.error();
    if (request.kind != FetchKind::Trace && request.kind != FetchKind::Alerts && !request.window.isValid())
        return Error{"cloudwatch " + m_source.name, "empty or inverted time window", "give --from before --to"};
    Run run{sink, cancelled, progress, {}, 0};
    switch (request.kind) {
    case FetchKind::Series: return fetchMetrics(request, run);
    case FetchKind::Logs: {
        auto spec = aws::parseLogsQuery(request.query);
        if (!spec)
            return spec.error();
        return spec->insights() ? fetchInsights(request, *spec, run) : fetchFilteredLogs(request, *spec, run);
    }
    case FetchKind::Traces: return fetchTraces(request, run);
    case FetchKind::Trace: return fetchTrace(request, run);
    case FetchKind::Alerts: return fetchAlarms(run);
    default: break;
    }
    return Error{"cloudwatch " + m_source.name, std::string("cannot fetch ") + fetchKindName(request.kind),
                 "CloudWatch sources fetch series, logs, traces, a trace by id and alarms"};
}

// ------------------------------------------------------------------------------------------ metrics

Result<FetchOutcome> CloudWatchConnector::fetchMetrics(const FetchRequest& request, Run& run)
{
    auto specs = aws::parseMetricQuery(request.query);
    if (!specs)
        return specs.error();
    // Retention tiers go by the data's age, so the period depends on today: ask the one clock.
    const int period = choosePeriod(request.window, request.step, Clock::current().now());
    json queries = json::array();
    std::map<std::string, aws::MetricTemplate> templates;
    FetchOutcome outcome;
    for (const auto& s : *specs) {
        json q = {{"Id", s.id}};
        int p = s.period > 0 ? std::max(s.period, validPeriodAtLeast(ceilDiv(ceilDiv(request.window.length().count(), kNanosPerSecond), kMaxDatapoints)))
                             : period;
        if (s.period > 0 && p != s.period)
            outcome.warnings.push_back("period of " + s.id + " raised from " + std::to_string(s.period) + " s to " + std::to_string(p) + " s to stay under 100,800 datapoints");
        if (s.expression.empty()) {
            json metric = {{"Namespace", s.ns}, {"MetricName", s.metricName}};
            if (!s.dimensions.empty()) {
                json dims = json::array();
                for (const auto& [k, v] : s.dimensions)
                    dims.push_back({{"Name", k}, {"Value", v}});
                metric["Dimensions"] = dims;
            }
            json stat = {{"Metric", metric}, {"Period", p}, {"Stat", s.stat}};
            if (!s.unit.empty())
                stat["Unit"] = s.unit;
            q["MetricStat"] = stat;
        } else {
            q["Expression"] = s.expression;
            q["Period"] = p;
        }
        if (!s.label.empty())
            q["Label"] = s.label;
        if (!s.returnData)
            q["ReturnData"] = false;
        queries.push_back(q);
        templates[s.id] = aws::metricTemplate(s, m_api.region());
    }
    // CloudWatch: StartTime inclusive, EndTime exclusive, whole seconds.
    const int64_t start = floorDiv(request.window.from.nanos(), kNanosPerSecond);
    const int64_t end = ceilDiv(request.window.to.nanos(), kNanosPerSecond);
    std::optional<std::string> token;
    std::set<std::string> partialReasons;
    for (int page = 1;; ++page) {
        if (isCancelled(run.cancelled)) {
            FetchOutcome o = run.outcome();
            o.complete = false;
            o.partialReason = "cancelled";
            o.warnings = outcome.warnings;
            return o;
        }
        json body = {{"MetricDataQueries", queries}, {"StartTime", start}, {"EndTime", end}, {"ScanBy", "TimestampAscending"},
                     {"MaxDatapoints", kMaxDatapoints}, {"LabelOptions", {{"Timezone", "+0000"}}}};
        if (token)
            body["NextToken"] = *token;
        auto r = m_api.call(aws::Service::Monitoring, "GetMetricData", body.dump(), run.cancelled, run.stats);
        if (!r)
            return r.error();
        CollectingSink buffer;
        ParseContext ctx;
        ctx.origin = m_api.where(aws::Service::Monitoring, "GetMetricData") + " page " + std::to_string(page);
        auto parsed = aws::parseMetricData(*r, ctx, buffer, &templates);
        if (!parsed)
            return parsed.error();
        if (auto st = forward(buffer, run.sink, run.records); !st)
            return st.error();
        for (const auto& [code, value] : parsed->messages)
            outcome.warnings.push_back(code + ": " + value);
        for (const auto& f : parsed->failures)
            partialReasons.insert(f);
        run.report("GetMetricData page " + std::to_string(page));
        if (!parsed->nextToken || parsed->nextToken->empty() || *parsed->nextToken == token)
            break;
        if (page >= m_tuning.maxPages)
            return Error{ctx.origin, "more than " + std::to_string(m_tuning.maxPages) + " pages", "narrow the time range"};
        token = parsed->nextToken;
    }
    FetchOutcome o = run.outcome();
    o.warnings = std::move(outcome.warnings);
    for (const auto& w : o.warnings) {
        // Global messages that mean CloudWatch left data out.
        if (w.rfind("MaxMetricsExceeded", 0) == 0 || w.rfind("MaxQueryTimeRangeExceeded", 0) == 0
            || w.rfind("MaxQueryResultsExceeded", 0) == 0 || w.rfind("MaxMatchingResultsExceeded", 0) == 0)
            partialReasons.insert(w);
    }
    if (!partialReasons.empty()) {
        o.complete = false;
        for (const auto& p : partialReasons)
            o.partialReason += (o.partialReason.empty() ? "" : "; ") + p;
    }
    return o;
}

// ------------------------------------------------------------------------------------------ logs

Result<FetchOutcome> CloudWatchConnector::fetchFilteredLogs(const FetchRequest& request, const aws::LogsQuerySpec& spec, Run& run)
{
    const int64_t limit = request.limit > 0 ? request.limit : m_tuning.defaultLogLimit;
    // FilterLogEvents: startTime inclusive, events later than endTime excluded — so [from, to) is
    // [ceil(from ms), ceil(to ms) - 1].
    const int64_t startMs = ceilDiv(request.window.from.nanos(), kNanosPerMilli);
    const int64_t endMs = std::max(startMs, ceilDiv(request.window.to.nanos(), kNanosPerMilli) - 1);
    std::unordered_set<std::string> seen;
    int64_t taken = 0;
    for (const auto& group : spec.groups) {
        std::optional<std::string> token;
        for (int page = 1;; ++page) {
            if (isCancelled(run.cancelled)) {
                FetchOutcome o = run.outcome();
                o.complete = false;
                o.partialReason = "cancelled";
                return o;
            }
            json body = {{group.rfind("arn:", 0) == 0 ? "logGroupIdentifier" : "logGroupName", group},
                         {"startTime", startMs},
                         {"endTime", endMs},
                         {"limit", std::min<int64_t>(10000, std::max<int64_t>(1, limit - taken))}};
            if (!spec.filterPattern.empty())
                body["filterPattern"] = spec.filterPattern;
            if (token)
                body["nextToken"] = *token;
            auto r = m_api.call(aws::Service::Logs, "FilterLogEvents", body.dump(), run.cancelled, run.stats);
            if (!r)
                return r.error();
            CollectingSink buffer;
            ParseContext ctx;
            ctx.origin = m_api.where(aws::Service::Logs, "FilterLogEvents") + " " + group + " page " + std::to_string(page);
            aws::LogsContext lc{group, m_api.region()};
            auto parsed = aws::parseLogEvents(*r, ctx, buffer, lc);
            if (!parsed)
                return parsed.error();
            auto& logs = buffer.collected.logs;
            logs.erase(std::remove_if(logs.begin(), logs.end(),
                                      [&](const LogRecord& rec) {
                                          const std::string* id = logAttribute(rec, "aws.log.event.id");
                                          return id && !id->empty() && !seen.insert(group + "\x1f" + *id).second;
                                      }),
                       logs.end());
            bool limitHit = false;
            if (taken + int64_t(logs.size()) >= limit) {
                limitHit = taken + int64_t(logs.size()) > limit || parsed->nextToken.has_value();
                logs.resize(size_t(limit - taken));
            }
            taken += int64_t(logs.size());
            if (auto st = forward(buffer, run.sink, run.records); !st)
                return st.error();
            run.report("FilterLogEvents " + group + " page " + std::to_string(page));
            if (limitHit || taken >= limit) {
                if (limitHit) {
                    FetchOutcome o = run.outcome();
                    o.complete = false;
                    o.partialReason = "limit " + std::to_string(limit) + " log events reached";
                    return o;
                }
                break;
            }
            // Pages may be empty while a token is still present: only a missing token ends the chain.
            if (!parsed->nextToken || parsed->nextToken->empty() || parsed->nextToken == token)
                break;
            if (page >= m_tuning.maxPages)
                return Error{ctx.origin, "more than " + std::to_string(m_tuning.maxPages) + " pages", "narrow the time range or add a filter pattern"};
            token = parsed->nextToken;
        }
    }
    return run.outcome();
}

Result<FetchOutcome> CloudWatchConnector::fetchInsights(const FetchRequest& request, const aws::LogsQuerySpec& spec, Run& run)
{
    const int64_t limit = request.limit > 0 ? request.limit : m_tuning.defaultLogLimit;
    // A query with its own `| limit N` is not capped by AWS but by the user: never split it.
    static const std::regex userLimit(R"((^|\|)\s*limit\s+\d+)", std::regex::icase);
    const bool ownLimit = std::regex_search(spec.insightsQuery, userLimit);
    std::unordered_set<std::string> seen;
    int64_t taken = 0;
    std::string partial;
    int queriesRun = 0;
    const std::string where = m_api.where(aws::Service::Logs, "StartQuery");

    auto stopQuery = [&](const std::string& id) {
        // Sent even though the fetch is cancelled: a running query costs the user money.
        const std::atomic_bool notCancelled{false};
        aws::CallStats stats;
        (void)m_api.call(aws::Service::Logs, "StopQuery", json{{"queryId", id}}.dump(), &notCancelled, stats);
        run.stats.requests += stats.requests;
    };

    // Runs the query over [fromS, toS] (whole seconds, both inclusive); splits in halves while the
    // result hits the row cap. Returns false when the fetch must stop (cancelled / limit).
    std::function<Result<bool>(int64_t, int64_t)> runRange = [&](int64_t fromS, int64_t toS) -> Result<bool> {
        if (isCancelled(run.cancelled)) {
            partial = "cancelled";
            return false;
        }
        json start = {{"startTime", fromS}, {"endTime", toS}, {"queryString", spec.insightsQuery}, {"limit", m_tuning.insightsRowCap}};
        if (spec.groups.size() == 1 && spec.groups[0].rfind("arn:", 0) != 0)
            start["logGroupName"] = spec.groups[0];
        else if (std::any_of(spec.groups.begin(), spec.groups.end(), [](const std::string& g) { return g.rfind("arn:", 0) == 0; }))
            start["logGroupIdentifiers"] = spec.groups;
        else
            start["logGroupNames"] = spec.groups;
        auto started = m_api.call(aws::Service::Logs, "StartQuery", start.dump(), run.cancelled, run.stats);
        if (!started) {
            if (isCancelled(run.cancelled)) {
                partial = "cancelled";
                return false;
            }
            return started.error();
        }
        std::string queryId;
        try {
            queryId = json::parse(*started).at("queryId").get<std::string>();
        } catch (const json::exception& e) {
            return Error{where, std::string("StartQuery answer without a queryId: ") + e.what(), {}};
        }
        ++queriesRun;
        Duration interval = m_tuning.pollInterval;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(m_tuning.insightsTimeout.count());
        const std::string pollWhere = m_api.where(aws::Service::Logs, "GetQueryResults") + " " + queryId;
        for (int poll = 1;; ++poll) {
            if (!aws::waitUnlessCancelled(interval, run.cancelled)) {
                stopQuery(queryId);
                partial = "cancelled";
                return false;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                stopQuery(queryId);
                return Error{pollWhere, "Logs Insights query still running after " + m_tuning.insightsTimeout.toString(), "narrow the time range or the query"};
            }
            interval = std::min(m_tuning.maxPollInterval, Duration::nanos(interval.count() * 3 / 2));
            auto r = m_api.call(aws::Service::Logs, "GetQueryResults", json{{"queryId", queryId}}.dump(), run.cancelled, run.stats);
            if (!r) {
                if (isCancelled(run.cancelled)) {
                    stopQuery(queryId);
                    partial = "cancelled";
                    return false;
                }
                return r.error();
            }
            CollectingSink ignore;
            ParseContext ctx;
            ctx.origin = pollWhere;
            auto status = aws::parseInsightsResults(*r, ctx, ignore, {}, false);
            if (!status)
                return status.error();
            run.report("Logs Insights " + queryId + " " + status->status + " (poll " + std::to_string(poll) + ")");
            if (status->status == "Scheduled" || status->status == "Running")
                continue; // Running carries partial rows: wait for the whole result
            if (status->status != "Complete")
                return Error{pollWhere, "Logs Insights query ended " + (status->status.empty() ? std::string("without a status") : status->status),
                             status->status == "Timeout" ? "the query ran into AWS's 60-minute limit: narrow the range" : ""};
            // Complete. Newer servers page a result with nextToken; older ones answer it whole.
            std::vector<std::string> bodies{std::move(*r)};
            int64_t totalRows = int64_t(status->rows);
            std::optional<std::string> next = status->nextToken;
            for (int page = 2; next && !next->empty(); ++page) {
                auto more = m_api.call(aws::Service::Logs, "GetQueryResults", json{{"queryId", queryId}, {"nextToken", *next}}.dump(),
                                       run.cancelled, run.stats);
                if (!more) {
                    if (isCancelled(run.cancelled)) {
                        partial = "cancelled";
                        return false;
                    }
                    return more.error();
                }
                auto pageStatus = aws::parseInsightsResults(*more, ctx, ignore, {}, false);
                if (!pageStatus)
                    return pageStatus.error();
                totalRows += int64_t(pageStatus->rows);
                if (pageStatus->nextToken == next || page > m_tuning.maxPages)
                    return Error{pollWhere, "GetQueryResults pagination does not end", {}};
                next = pageStatus->nextToken;
                bodies.push_back(std::move(*more));
            }
            // A result at the row cap is cut: split the range and run the halves instead.
            if (!ownLimit && totalRows >= m_tuning.insightsRowCap) {
                if (toS <= fromS) {
                    partial = "more than " + std::to_string(m_tuning.insightsRowCap) + " rows within one second at " + Timestamp::fromSeconds(fromS).toRfc3339();
                } else {
                    const int64_t mid = fromS + (toS - fromS) / 2;
                    auto left = runRange(fromS, mid);
                    if (!left || !*left)
                        return left;
                    return runRange(mid + 1, toS);
                }
            }
            CollectingSink buffer;
            aws::LogsContext lc{spec.groups.size() == 1 ? spec.groups[0] : std::string(), m_api.region()};
            for (size_t b = 0; b < bodies.size(); ++b) {
                ctx.origin = pollWhere + (bodies.size() > 1 ? " page " + std::to_string(b + 1) : std::string());
                auto rows = aws::parseInsightsResults(bodies[b], ctx, buffer, lc, true);
                if (!rows)
                    return rows.error();
            }
            auto& logs = buffer.collected.logs;
            // The query ran over whole seconds; keep exactly the requested window, each row once.
            logs.erase(std::remove_if(logs.begin(), logs.end(),
                                      [&](const LogRecord& rec) {
                                          if (!request.window.contains(rec.time))
                                              return true;
                                          const std::string* ptr = logAttribute(rec, "aws.log.ptr");
                                          return ptr && !ptr->empty() && !seen.insert(*ptr).second;
                                      }),
                       logs.end());
            std::sort(logs.begin(), logs.end(), [](const LogRecord& a, const LogRecord& b) { return a.time < b.time; });
            bool limitHit = false;
            if (taken + int64_t(logs.size()) > limit) {
                logs.resize(size_t(limit - taken));
                limitHit = true;
            }
            taken += int64_t(logs.size());
            if (auto st = forward(buffer, run.sink, run.records); !st)
                return st.error();
            if (limitHit) {
                partial = "limit " + std::to_string(limit) + " log records reached";
                return false;
            }
            return true;
        }
    };

    const int64_t fromS = floorDiv(request.window.from.nanos(), kNanosPerSecond);
    const int64_t toS = std::max(fromS, ceilDiv(request.window.to.nanos(), kNanosPerSecond) - 1);
    auto r = runRange(fromS, toS);
    if (!r)
        return r.error();
    FetchOutcome o = run.outcome();
    if (!partial.empty()) {
        o.complete = false;
        o.partialReason = partial;
    }
    if (queriesRun > 1)
        o.warnings.push_back("Logs Insights result over " + std::to_string(m_tuning.insightsRowCap) + " rows: split into " + std::to_string(queriesRun) + " queries");
    return o;
}

// ------------------------------------------------------------------------------------------ X-Ray

Status CloudWatchConnector::batchGetTraces(std::vector<std::string> ids, Run& run, FetchOutcome& outcome)
{
    for (int round = 0; !ids.empty(); ++round) {
        std::vector<std::string> unprocessed;
        for (size_t i = 0; i < ids.size(); i += 5) {
            if (isCancelled(run.cancelled))
                return Error{"cancelled", "cancelled", {}};
            const std::vector<std::string> chunk(ids.begin() + long(i), ids.begin() + long(std::min(ids.size(), i + 5)));
            std::optional<std::string> token;
            CollectingSink buffer; // one chunk's traces, whole
            for (int page = 1;; ++page) {
                json body = {{"TraceIds", chunk}};
                if (token)
                    body["NextToken"] = *token;
                auto r = m_api.call(aws::Service::XRay, "BatchGetTraces", body.dump(), run.cancelled, run.stats);
                if (!r)
                    return r.error();
                ParseContext ctx;
                ctx.origin = m_api.where(aws::Service::XRay, "BatchGetTraces") + " page " + std::to_string(page);
                auto parsed = aws::parseBatchGetTraces(*r, ctx, buffer);
                if (!parsed)
                    return parsed.error();
                unprocessed.insert(unprocessed.end(), parsed->unprocessedTraceIds.begin(), parsed->unprocessedTraceIds.end());
                for (const auto& t : parsed->limitExceeded)
                    outcome.warnings.push_back("X-Ray truncated trace " + t + " (LimitExceeded)");
                if (!parsed->nextToken || parsed->nextToken->empty() || parsed->nextToken == token || page >= m_tuning.maxPages)
                    break;
                token = parsed->nextToken;
            }
            if (auto st = forward(buffer, run.sink, run.records); !st)
                return st;
            run.report("BatchGetTraces " + std::to_string(std::min(ids.size(), i + 5)) + "/" + std::to_string(ids.size()));
        }
        if (unprocessed.empty())
            break;
        if (round + 1 >= m_tuning.maxUnprocessedRounds) {
            outcome.complete = false;
            outcome.partialReason = std::to_string(unprocessed.size()) + " traces left unprocessed by X-Ray";
            for (const auto& id : unprocessed)
                outcome.warnings.push_back("X-Ray did not return trace " + id);
            break;
        }
        if (!aws::waitUnlessCancelled(m_tuning.retry.transientBase * (int64_t(1) << round), run.cancelled))
            return Error{"cancelled", "cancelled", {}};
        ids = std::move(unprocessed);
    }
    return {};
}

Result<FetchOutcome> CloudWatchConnector::fetchTraces(const FetchRequest& request, Run& run)
{
    const int64_t limit = request.limit > 0 ? request.limit : m_tuning.defaultTraceLimit;
    const std::string filter = aws::xrayFilterExpression(request.query, request.search);
    std::vector<std::string> ids;
    std::set<std::string> seen;
    bool more = false;
    // GetTraceSummaries answers at most 24 h per call; the first page of each holds the newest traces.
    const Duration day = Duration::hours(24);
    for (Timestamp chunkEnd = request.window.to; chunkEnd > request.window.from && !more; chunkEnd = chunkEnd - day) {
        const Timestamp chunkStart = std::max(request.window.from, chunkEnd - day);
        std::optional<std::string> token;
        for (int page = 1;; ++page) {
            if (isCancelled(run.cancelled)) {
                FetchOutcome o = run.outcome();
                o.complete = false;
                o.partialReason = "cancelled";
                return o;
            }
            json body = {{"StartTime", floorDiv(chunkStart.nanos(), kNanosPerSecond)},
                         {"EndTime", ceilDiv(chunkEnd.nanos(), kNanosPerSecond)},
                         {"Sampling", false}};
            if (!filter.empty())
                body["FilterExpression"] = filter;
            if (token)
                body["NextToken"] = *token;
            auto r = m_api.call(aws::Service::XRay, "GetTraceSummaries", body.dump(), run.cancelled, run.stats);
            if (!r)
                return r.error();
            CollectingSink rejections;
            ParseContext ctx;
            ctx.origin = m_api.where(aws::Service::XRay, "GetTraceSummaries") + " page " + std::to_string(page);
            auto parsed = aws::parseTraceSummaries(*r, ctx, rejections);
            if (!parsed)
                return parsed.error();
            for (const auto& s : parsed->summaries) {
                if (s.start && !request.window.contains(*s.start))
                    continue;
                if (!seen.insert(s.xrayId).second)
                    continue;
                if (int64_t(ids.size()) >= limit) {
                    more = true;
                    break;
                }
                ids.push_back(s.xrayId);
            }
            if (auto st = forward(rejections, run.sink, run.records); !st)
                return st.error();
            run.report("GetTraceSummaries page " + std::to_string(page) + ": " + std::to_string(ids.size()) + " traces");
            if (more || !parsed->nextToken || parsed->nextToken->empty() || parsed->nextToken == token)
                break;
            if (page >= m_tuning.maxPages)
                return Error{ctx.origin, "more than " + std::to_string(m_tuning.maxPages) + " pages", "narrow the filter"};
            token = parsed->nextToken;
        }
    }
    FetchOutcome o = run.outcome();
    if (auto st = batchGetTraces(ids, run, o); !st) {
        if (isCancelled(run.cancelled)) {
            FetchOutcome c = run.outcome();
            c.complete = false;
            c.partialReason = "cancelled";
            return c;
        }
        return st.error();
    }
    const FetchOutcome counts = run.outcome();
    o.records = counts.records;
    o.requests = counts.requests;
    o.bytes = counts.bytes;
    if (more && o.complete) {
        o.complete = false;
        o.partialReason = "limit " + std::to_string(limit) + " traces reached";
    }
    return o;
}

Result<FetchOutcome> CloudWatchConnector::fetchTrace(const FetchRequest& request, Run& run)
{
    auto id = parseTraceId(request.traceId);
    if (!id)
        return Error{"cloudwatch " + m_source.name, "bad trace id: " + id.error().what, "give an X-Ray id (1-xxxxxxxx-…) or 32 hex digits"};
    FetchOutcome o = run.outcome();
    if (auto st = batchGetTraces({id->toXRay()}, run, o); !st)
        return st.error();
    if (run.records == 0)
        return Error{m_api.where(aws::Service::XRay, "BatchGetTraces"), "trace " + id->toXRay() + " not found",
                     "X-Ray keeps traces for 30 days; check the region"};
    const FetchOutcome counts = run.outcome();
    o.records = counts.records;
    o.requests = counts.requests;
    o.bytes = counts.bytes;
    return o;
}

// ------------------------------------------------------------------------------------------ alarms

// DescribeAlarms with StateValue ALARM (metric and composite alarms, NextToken pages): each alarm
// an Alert (firing since StateUpdatedTimestamp) labelled with its namespace, metric and dimensions,
// its description and state reason as annotations.
Result<FetchOutcome> CloudWatchConnector::fetchAlarms(Run& run)
{
    std::vector<Alert> alerts;
    std::optional<std::string> token;
    const std::string where = m_api.where(aws::Service::Monitoring, "DescribeAlarms");
    for (int page = 0; page < m_tuning.maxPages; ++page) {
        json body = {{"StateValue", "ALARM"}, {"AlarmTypes", json::array({"MetricAlarm", "CompositeAlarm"})}, {"MaxRecords", 100}};
        if (token)
            body["NextToken"] = *token;
        auto r = m_api.call(aws::Service::Monitoring, "DescribeAlarms", body.dump(), run.cancelled, run.stats);
        if (!r)
            return r.error();
        json doc = json::parse(*r, nullptr, false);
        if (doc.is_discarded() || !doc.is_object())
            return Error{where, "the answer is not a JSON object", {}};
        for (const char* list : {"MetricAlarms", "CompositeAlarms"}) {
            const json alarms = doc.value(list, json::array());
            if (!alarms.is_array())
                continue;
            for (const json& a : alarms) {
                if (!a.is_object())
                    continue;
                Alert alert;
                alert.name = a.value("AlarmName", "");
                alert.state = AlertState::Firing;
                alert.source = "cloudwatch:" + m_source.name;
                alert.labels.emplace_back("alertname", alert.name);
                if (a.contains("Namespace") && a["Namespace"].is_string())
                    alert.labels.emplace_back("namespace", a["Namespace"].get<std::string>());
                if (a.contains("MetricName") && a["MetricName"].is_string())
                    alert.labels.emplace_back("metric_name", a["MetricName"].get<std::string>());
                for (const json& d : a.value("Dimensions", json::array()))
                    if (d.is_object() && d.value("Name", "") != "")
                        alert.labels.emplace_back(d.value("Name", ""), d.value("Value", ""));
                for (const char* key : {"AlarmDescription", "StateReason", "AlarmArn"})
                    if (a.contains(key) && a[key].is_string())
                        alert.annotations.emplace_back(key, a[key].get<std::string>());
                if (const auto it = a.find("StateUpdatedTimestamp"); it != a.end() && it->is_number()) {
                    auto t = parseSecondsText(it->dump());
                    if (!t)
                        return Error{where, "StateUpdatedTimestamp: " + t.error().what, {}};
                    alert.activeSince = *t;
                }
                alerts.push_back(std::move(alert));
            }
        }
        run.records = int64_t(alerts.size());
        run.report("DescribeAlarms page " + std::to_string(page + 1));
        if (!doc.contains("NextToken") || !doc["NextToken"].is_string() || doc["NextToken"].get<std::string>().empty())
            break;
        token = doc["NextToken"].get<std::string>();
    }
    if (!alerts.empty()) {
        TelemetryBatch batch;
        batch.alerts = std::move(alerts);
        if (auto st = run.sink.batch(std::move(batch)); !st)
            return st.error();
    }
    return run.outcome();
}

// ------------------------------------------------------------------------------------------ completion

Result<std::vector<std::string>> CloudWatchConnector::complete(const CompletionRequest& request)
{
    using What = CompletionRequest::What;
    if (request.what != What::MetricNames && request.what != What::LabelNames && request.what != What::LabelValues)
        return std::vector<std::string>{};
    std::set<std::string> out;
    std::optional<std::string> token;
    aws::CallStats stats;
    for (int page = 0; page < 10; ++page) {
        json body = json::object();
        if (request.matcher.find('/') != std::string::npos)
            body["Namespace"] = request.matcher;
        body["RecentlyActive"] = "PT3H";
        if (token)
            body["NextToken"] = *token;
        auto r = m_api.call(aws::Service::Monitoring, "ListMetrics", body.dump(), nullptr, stats);
        if (!r)
            return r.error();
        try {
            const json j = json::parse(*r);
            for (const auto& m : j.value("Metrics", json::array())) {
                if (request.what == What::MetricNames)
                    out.insert(m.value("MetricName", ""));
                for (const auto& d : m.value("Dimensions", json::array())) {
                    if (request.what == What::LabelNames)
                        out.insert(d.value("Name", ""));
                    else if (request.what == What::LabelValues && d.value("Name", "") == request.label)
                        out.insert(d.value("Value", ""));
                }
            }
            if (!j.contains("NextToken") || !j["NextToken"].is_string())
                break;
            token = j["NextToken"].get<std::string>();
        } catch (const json::exception& e) {
            return Error{m_api.where(aws::Service::Monitoring, "ListMetrics"), std::string("bad answer: ") + e.what(), {}};
        }
    }
    out.erase(std::string());
    return std::vector<std::string>(out.begin(), out.end());
}

} // namespace rootline
