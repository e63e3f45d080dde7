#include "PrometheusConnector.h"

#include "alertmanager/AlertmanagerConnector.h"

#include "http/HttpClient.h"
#include "sources/SourceRequest.h"

#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <set>

namespace rootline {

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr int kInFlight = 4; // sub-queries of one range fetched concurrently
constexpr size_t kSamplesPerBatch = 4 * kPrometheusMaxPoints; // records per batch handed to the writer

std::string pathWithQuery(const std::string& path, const Params& params)
{
    return params.empty() ? path : path + "?" + http::HttpClient::formEncode(params);
}

} // namespace

PrometheusConnector::PrometheusConnector(Source source, http::HttpClient& client) : m_source(std::move(source)), m_http(client) {}

std::vector<FetchKind> PrometheusConnector::supportedKinds() const
{
    return {FetchKind::Series, FetchKind::Instant, FetchKind::Exemplars, FetchKind::Alerts};
}

Result<std::string> PrometheusConnector::call(const std::string& path, const Params& params, const std::atomic_bool* cancelled,
                                              int64_t* bytes)
{
    std::string get = pathWithQuery(path, params);
    const bool post = m_source.url.size() + get.size() > kMaxGetUrl;
    http::HttpRequest req = post ? sourceRequest(m_source, "POST", path) : sourceRequest(m_source, "GET", get);
    if (post) {
        req.body = http::HttpClient::formEncode(params);
        req.contentType = "application/x-www-form-urlencoded";
    }
    req.cancelled = cancelled;
    http::HttpOutcome out = m_http.execute(req);
    if (out.ok() && !post && (out.response.status == 414 || out.response.status == 431)) {
        // The server (or a proxy in front of it) refused the long URL: the same parameters as a form.
        req = sourceRequest(m_source, "POST", path);
        req.body = http::HttpClient::formEncode(params);
        req.contentType = "application/x-www-form-urlencoded";
        req.cancelled = cancelled;
        out = m_http.execute(req);
    }
    const std::string where = "prometheus " + m_source.name + " " + req.method + " " + path;
    if (!out.ok())
        return out.error;
    m_bytesReceived += int64_t(out.response.body.size());
    if (bytes)
        *bytes += int64_t(out.response.body.size());
    if (!out.response.isSuccess())
        return prometheusError(out.response.body, where, out.response.status);
    return std::move(out.response.body);
}

Result<PromBuildInfo> PrometheusConnector::buildInfo()
{
    auto body = call("/api/v1/status/buildinfo", {}, nullptr);
    if (!body)
        return body.error();
    return decodePrometheusBuildInfo(*body, "prometheus " + m_source.name + " /api/v1/status/buildinfo");
}

Result<ConnectionInfo> PrometheusConnector::testConnection()
{
    const auto started = std::chrono::steady_clock::now();
    auto info = buildInfo();
    ConnectionInfo c;
    c.latency = Duration::nanos(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - started).count());
    if (!info)
        return info.error();
    c.reachable = true;
    c.version = info->version;
    c.detail = "revision " + info->revision + (info->goVersion.empty() ? std::string() : ", " + info->goVersion);
    return c;
}

Result<PromQueryResult> PrometheusConnector::queryRange(const std::string& query, const RangeStep& range, const std::atomic_bool* cancelled)
{
    auto body = call("/api/v1/query_range",
                     {{"query", query}, {"start", formatSeconds(range.start)}, {"end", formatSeconds(range.end)}, {"step", formatStepSeconds(range.step)}},
                     cancelled);
    if (!body)
        return body.error();
    return decodePrometheusQuery(*body, "prometheus " + m_source.name + " /api/v1/query_range");
}

Result<PromQueryResult> PrometheusConnector::queryInstant(const std::string& query, Timestamp at, const std::atomic_bool* cancelled)
{
    auto body = call("/api/v1/query", {{"query", query}, {"time", formatSeconds(at)}}, cancelled);
    if (!body)
        return body.error();
    return decodePrometheusQuery(*body, "prometheus " + m_source.name + " /api/v1/query");
}

Result<std::vector<PromExemplarSeries>> PrometheusConnector::exemplars(const std::string& query, TimeWindow window,
                                                                       const std::atomic_bool* cancelled)
{
    auto body = call("/api/v1/query_exemplars", {{"query", query}, {"start", formatSeconds(window.from)}, {"end", formatSeconds(window.to)}},
                     cancelled);
    if (!body)
        return body.error();
    return decodePrometheusExemplars(*body, "prometheus " + m_source.name + " /api/v1/query_exemplars");
}

Result<std::vector<Alert>> PrometheusConnector::alerts(const std::atomic_bool* cancelled)
{
    auto body = call("/api/v1/alerts", {}, cancelled);
    if (!body)
        return body.error();
    return decodePrometheusAlerts(*body, "prometheus " + m_source.name + " /api/v1/alerts", alertSource());
}

Result<std::vector<PromRule>> PrometheusConnector::rules()
{
    auto body = call("/api/v1/rules", {}, nullptr);
    if (!body)
        return body.error();
    return decodePrometheusRules(*body, "prometheus " + m_source.name + " /api/v1/rules", alertSource());
}

namespace {
void addWindow(Params& p, std::optional<TimeWindow> window)
{
    if (window) {
        p.emplace_back("start", formatSeconds(window->from));
        p.emplace_back("end", formatSeconds(window->to));
    }
}
} // namespace

Result<std::vector<PromLabels>> PrometheusConnector::series(const std::vector<std::string>& matchers, std::optional<TimeWindow> window)
{
    Params p;
    for (const auto& m : matchers)
        p.emplace_back("match[]", m);
    addWindow(p, window);
    auto body = call("/api/v1/series", p, nullptr);
    if (!body)
        return body.error();
    return decodePrometheusSeriesList(*body, "prometheus " + m_source.name + " /api/v1/series");
}

Result<std::vector<std::string>> PrometheusConnector::labelNames(const std::string& matcher, std::optional<TimeWindow> window)
{
    Params p;
    if (!matcher.empty())
        p.emplace_back("match[]", matcher);
    addWindow(p, window);
    auto body = call("/api/v1/labels", p, nullptr);
    if (!body)
        return body.error();
    return decodePrometheusStringList(*body, "prometheus " + m_source.name + " /api/v1/labels");
}

Result<std::vector<std::string>> PrometheusConnector::labelValues(const std::string& label, const std::string& matcher,
                                                                  std::optional<TimeWindow> window)
{
    Params p;
    if (!matcher.empty())
        p.emplace_back("match[]", matcher);
    addWindow(p, window);
    const std::string path = "/api/v1/label/" + http::HttpClient::urlEncode(label) + "/values";
    auto body = call(path, p, nullptr);
    if (!body)
        return body.error();
    return decodePrometheusStringList(*body, "prometheus " + m_source.name + " " + path);
}

Result<std::vector<std::string>> PrometheusConnector::complete(const CompletionRequest& request)
{
    switch (request.what) {
    case CompletionRequest::What::MetricNames: return labelValues("__name__", request.matcher, request.window);
    case CompletionRequest::What::LabelNames: return labelNames(request.matcher, request.window);
    case CompletionRequest::What::LabelValues: return labelValues(request.label, request.matcher, request.window);
    default: return std::vector<std::string>{};
    }
}

Result<FetchOutcome> PrometheusConnector::fetchRange(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                                     const ProgressCallback& progress)
{
    const Duration step = request.step && request.step->count() > 0 ? *request.step : autoStep(request.window);
    std::deque<RangeStep> pending;
    for (const auto& r : planRange(request.window, step))
        pending.push_back(r);

    FetchOutcome outcome;
    FetchProgress prog;
    prog.requestsPlanned = int(pending.size());
    const std::string where = "prometheus " + m_source.name + " /api/v1/query_range";
    ParseContext ctx;
    ctx.origin = where;
    ctx.cancelled = cancelled;
    // Whole series per batch: a sub-query holds at most 11,001 points per series, so with the
    // default 5,000 every long series was copied into slices and stored as ragged chunks.
    ctx.batchSize = kSamplesPerBatch;
    std::set<std::string> seriesSeen;

    // Each sub-query is decoded on its own thread as soon as its answer arrives, so the answers of
    // the requests in flight are decoded in parallel while this thread hands earlier ones to the sink.
    struct Answer {
        http::HttpOutcome out;
        int64_t bytes = 0;
        std::optional<Result<PromQueryResult>> decoded; // set for a 2xx answer
    };
    struct InFlight {
        RangeStep range;
        std::future<Answer> future;
    };
    std::deque<InFlight> inFlight;
    auto submit = [&](const RangeStep& r) {
        const Params params{{"query", request.query}, {"start", formatSeconds(r.start)}, {"end", formatSeconds(r.end)},
                            {"step", formatStepSeconds(r.step)}};
        const std::string get = pathWithQuery("/api/v1/query_range", params);
        const bool post = m_source.url.size() + get.size() > kMaxGetUrl;
        http::HttpRequest req = post ? sourceRequest(m_source, "POST", "/api/v1/query_range") : sourceRequest(m_source, "GET", get);
        if (post) {
            req.body = http::HttpClient::formEncode(params);
            req.contentType = "application/x-www-form-urlencoded";
        }
        req.cancelled = cancelled;
        inFlight.push_back({r, std::async(std::launch::async, [http = m_http.submitFuture(std::move(req)), &where]() mutable {
                                Answer a;
                                a.out = http.get();
                                a.bytes = int64_t(a.out.response.body.size());
                                if (a.out.ok() && a.out.response.isSuccess()) {
                                    a.decoded = decodePrometheusQuery(a.out.response.body, where);
                                    if (*a.decoded)
                                        a.out.response.body = {}; // decoded: free the raw answer now
                                }
                                return a;
                            })});
    };
    auto partial = [&](std::string reason) -> Result<FetchOutcome> {
        for (auto& f : inFlight)
            f.future.wait(); // the cancel flag (or their own timeouts) ends them; never leave a request behind
        if (outcome.requests == 0 && outcome.records == 0 && reason != "cancelled")
            return Error{where, reason, {}};
        outcome.complete = false;
        outcome.partialReason = std::move(reason);
        return outcome;
    };

    while (!pending.empty() || !inFlight.empty()) {
        while (!pending.empty() && int(inFlight.size()) < kInFlight) {
            if (cancelled && cancelled->load())
                return partial("cancelled");
            submit(pending.front());
            pending.pop_front();
        }
        InFlight current = std::move(inFlight.front());
        inFlight.pop_front();
        Answer answer = current.future.get();
        http::HttpOutcome& out = answer.out;
        if (out.failure == http::HttpFailure::TooLarge && current.range.points() > 1) {
            // Split the sub-range and fetch the halves (first) instead.
            auto halves = halve(current.range);
            for (auto it = halves.rbegin(); it != halves.rend(); ++it)
                pending.push_front(*it);
            prog.requestsPlanned += 1;
            continue;
        }
        if (out.failure == http::HttpFailure::Cancelled)
            return partial("cancelled");
        if (!out.ok()) {
            if (out.failure == http::HttpFailure::TooLarge)
                return partial("response too large for a single point at " + current.range.start.toRfc3339());
            if (outcome.requests == 0) {
                for (auto& f : inFlight)
                    f.future.wait();
                return out.error;
            }
            return partial(out.error.message());
        }
        outcome.bytes += answer.bytes;
        if (!out.response.isSuccess()) {
            Error e = prometheusError(out.response.body, where, out.response.status);
            auto apiError = prometheusErrorOf(out.response.body);
            const bool tooManySamples = apiError && apiError->message.find("too many samples") != std::string::npos;
            if (tooManySamples && current.range.points() > 1) {
                auto halves = halve(current.range);
                for (auto it = halves.rbegin(); it != halves.rend(); ++it)
                    pending.push_front(*it);
                prog.requestsPlanned += 1;
                continue;
            }
            for (auto& f : inFlight)
                f.future.wait();
            if (outcome.requests == 0 || (out.response.status >= 400 && out.response.status < 500))
                return e; // a bad query fails the same way for every sub-range
            return partial(e.message());
        }
        auto& decoded = *answer.decoded;
        if (!decoded) {
            for (auto& f : inFlight)
                f.future.wait();
            return decoded.error();
        }
        ++outcome.requests;
        for (const auto& w : decoded->warnings)
            outcome.warnings.push_back(w);
        // A limit on series: Prometheus has none for query_range, so it is applied here.
        if (request.limit > 0) {
            auto& list = decoded->series;
            std::vector<PromSeries> kept;
            bool dropped = false;
            for (auto& s : list) {
                std::string key;
                for (const auto& [k, v] : s.labels)
                    key += k + "=" + v + ",";
                if (seriesSeen.count(key) || int64_t(seriesSeen.size()) < request.limit) {
                    seriesSeen.insert(key);
                    kept.push_back(std::move(s));
                } else {
                    dropped = true;
                }
            }
            list = std::move(kept);
            if (dropped && outcome.partialReason.empty())
                outcome.partialReason = "series limit " + std::to_string(request.limit) + " reached";
        }
        outcome.records += int64_t(decoded->pointCount() + (decoded->scalar ? 1 : 0));
        if (auto st = emitPrometheusQuery(*decoded, request.query, ctx, sink); !st) {
            if (cancelled && cancelled->load())
                return partial("cancelled");
            for (auto& f : inFlight)
                f.future.wait();
            return st.error();
        }
        ++prog.requestsDone;
        prog.bytes = outcome.bytes;
        prog.records = outcome.records;
        prog.stage = "query_range " + std::to_string(prog.requestsDone) + "/" + std::to_string(prog.requestsPlanned);
        if (progress)
            progress(prog);
    }
    if (!outcome.partialReason.empty())
        outcome.complete = false;
    return outcome;
}

Result<FetchOutcome> PrometheusConnector::fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled,
                                                const ProgressCallback& progress)
{
    const int64_t bytesBefore = m_bytesReceived;
    switch (request.kind) {
    case FetchKind::Series: {
        if (request.query.empty())
            return Error{"prometheus " + m_source.name, "no query", "pass a PromQL expression"};
        if (!request.window.isValid())
            return Error{"prometheus " + m_source.name, "empty time window", "--from must be before --to"};
        return fetchRange(request, sink, cancelled, progress);
    }
    case FetchKind::Instant: {
        auto r = queryInstant(request.query, request.window.to, cancelled);
        if (!r) {
            if (http::HttpClient::failureOf(r.error()) == http::HttpFailure::Cancelled)
                return FetchOutcome{false, "cancelled"};
            return r.error();
        }
        ParseContext ctx;
        ctx.origin = "prometheus " + m_source.name + " /api/v1/query";
        ctx.cancelled = cancelled;
        if (auto st = emitPrometheusQuery(*r, request.query, ctx, sink); !st)
            return st.error();
        FetchOutcome o;
        o.requests = 1;
        o.records = int64_t(r->pointCount() + (r->scalar ? 1 : 0));
        o.warnings = r->warnings;
        o.bytes = m_bytesReceived - bytesBefore;
        return o;
    }
    case FetchKind::Exemplars: {
        auto r = exemplars(request.query, request.window, cancelled);
        if (!r)
            return r.error();
        TelemetryBatch batch;
        FetchOutcome o;
        o.requests = 1;
        for (const auto& s : *r) {
            o.records += int64_t(s.exemplars.size());
            batch.series.push_back(prometheusExemplarData(s));
        }
        if (!batch.empty())
            if (auto st = sink.batch(std::move(batch)); !st)
                return st.error();
        o.bytes = m_bytesReceived - bytesBefore;
        return o;
    }
    case FetchKind::Alerts: {
        auto r = alerts(cancelled);
        if (!r)
            return r.error();
        FetchOutcome o;
        o.requests = 1;
        o.records = int64_t(r->size());
        // Each alert gains its rule's expression (annotation rule_expr, as Alertmanager's alerts
        // do from their generator URL): the live investigation plans its SLI fetch from it.
        if (!r->empty()) {
            ++o.requests;
            if (auto ruleList = rules(); !ruleList) {
                o.warnings.push_back("the alerts' rule expressions are missing: " + ruleList.error().message());
            } else {
                for (Alert& alert : *r)
                    for (const PromRule& rule : *ruleList)
                        if (rule.type == "alerting" && rule.name == alert.name && !rule.query.empty()) {
                            alert.annotations.emplace_back(kRuleExprAnnotation, rule.query);
                            break;
                        }
            }
        }
        TelemetryBatch batch;
        batch.alerts = std::move(*r);
        if (!batch.empty())
            if (auto st = sink.batch(std::move(batch)); !st)
                return st.error();
        o.bytes = m_bytesReceived - bytesBefore;
        return o;
    }
    default: break;
    }
    return Error{"prometheus " + m_source.name, std::string("cannot fetch ") + fetchKindName(request.kind) + " from Prometheus",
                 "Prometheus serves series, instant, exemplars and alerts"};
}

} // namespace rootline
