#include "LiveRunner.h"

#include "alertmanager/AlertmanagerConnector.h"
#include "cache/CacheReader.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "investigation/Investigation.h"
#include "prometheus/PrometheusConnector.h"
#include "sources/SourcesFile.h"

#include <algorithm>
#include <chrono>
#include <set>

namespace rootline {

std::string LiveFetchResult::statusText() const
{
    if (error)
        return "error: " + error->message();
    if (!report)
        return "not run";
    if (!report->complete)
        return "PARTIAL: " + report->partialReason;
    return report->fromCache() ? "cached" : "complete";
}

bool LiveRun::complete() const
{
    return !cancelled && std::all_of(fetches.begin(), fetches.end(), [](const LiveFetchResult& f) { return f.complete(); });
}

namespace {

class Runner {
public:
    Runner(const LiveRunOptions& options, LiveRun& run)
        : m_options(options)
        , m_run(run)
    {
    }

    bool cancelled() const { return m_options.cancelled && m_options.cancelled->load(); }

    void step(StepKind kind)
    {
        if (m_options.onStep)
            m_options.onStep(kind);
    }

    void fetchAll(const std::vector<LiveFetch>& fetches)
    {
        for (const auto& f : fetches) {
            if (cancelled()) {
                m_run.cancelled = true;
                return;
            }
            LiveFetchResult result = runLiveFetch(f, m_options);
            if (m_options.onFetch)
                m_options.onFetch(result);
            m_run.fetches.push_back(std::move(result));
        }
    }

    Result<std::unique_ptr<CacheReader>> reader() const { return CacheReader::open(m_options.cachePath); }

private:
    const LiveRunOptions& m_options;
    LiveRun& m_run;
};

// A past incident: an alert rule named in a Prometheus source's rules, as an alert over `window`.
std::optional<Alert> alertFromRules(const std::string& name, const std::vector<Source>& sources, TimeWindow window)
{
    for (const auto& original : sources) {
        if (original.type != SourceType::Prometheus)
            continue;
        Source source = original;
        if (!resolveSecrets(source))
            continue;
        PrometheusConnector connector(source, http::HttpClient::shared());
        auto rules = connector.rules();
        if (!rules)
            continue;
        for (const auto& rule : *rules) {
            if (rule.type != "alerting" || rule.name != name)
                continue;
            Alert a;
            a.name = name;
            a.labels = rule.labels;
            a.labels.emplace_back("alertname", name);
            a.annotations = rule.annotations;
            a.annotations.emplace_back(kRuleExprAnnotation, rule.query);
            a.state = AlertState::Inactive;
            a.activeSince = window.from;
            a.source = "prometheus:" + source.name;
            return a;
        }
    }
    return std::nullopt;
}

double sum(const std::vector<Sample>& samples)
{
    double s = 0;
    for (const auto& x : samples)
        if (x.value == x.value)
            s += x.value;
    return s;
}

std::string labelOf(const Series& series, const char* key)
{
    for (const auto& [k, v] : series.labels)
        if (k == key)
            return v;
    return {};
}

std::string metricName(const std::string& selector)
{
    return selector.substr(0, selector.find('{'));
}

} // namespace

LiveFetchResult runLiveFetch(const LiveFetch& f, const LiveRunOptions& options)
{
    LiveFetchResult result;
    result.fetch = f;
    const auto started = std::chrono::steady_clock::now();
    try {
        auto report = fetchIntoCache(f.source, f.request, options.cachePath, options.cancelled, {}, options.fetch);
        if (report)
            result.report = std::move(*report);
        else
            result.error = report.error();
    } catch (const std::exception& e) {
        result.error = Error{"fetch from " + f.source.name, std::string("the fetch failed: ") + e.what(), {}};
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

LiveFetch withEditedQuery(LiveFetch fetch, const std::string& text)
{
    FetchRequest& r = fetch.request;
    if (r.kind == FetchKind::Traces) {
        r.query.clear();
        r.search.clear();
        size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && text[i] == ' ')
                ++i;
            const size_t end = std::min(text.find(' ', i), text.size());
            const std::string term = text.substr(i, end - i);
            if (const size_t eq = term.find('='); eq != std::string::npos && eq > 0)
                r.search.emplace_back(term.substr(0, eq), term.substr(eq + 1));
            i = end;
        }
    } else if (r.kind == FetchKind::Trace) {
        r.traceId = text.starts_with("trace:") ? text.substr(6) : text;
    } else {
        r.query = text;
    }
    fetch.purpose += " (query edited)";
    return fetch;
}

Result<LiveRun> runLiveInvestigation(const LiveStart& start, const LiveRunOptions& options)
{
    LiveRun run;
    Runner runner(options, run);
    const Timestamp now = Clock::current().now();
    LiveTarget& target = run.target;
    target.confirmAfter = start.confirmAfter;

    // Alert: what the alert sources say now, into the cache; then the alert by name.
    if (start.service.empty()) {
        runner.step(StepKind::Alert);
        const auto alertFetches = planAlertFetches(options.sources, now);
        runner.fetchAll(alertFetches);
        auto reader = runner.reader();
        if (!reader && alertFetches.empty())
            return Error{"live investigation", "no source serves alerts, and the cache holds none",
                         "add a prometheus, alertmanager or cloudwatch source, or start from a service and a window"};
        if (!reader)
            return reader.error();
        auto alert = chooseAlert(**reader, start.alertName, options.rules);
        if (!alert && start.window && !start.alertName.empty()) {
            if (auto fromRules = alertFromRules(start.alertName, options.sources, *start.window))
                alert = *fromRules;
        }
        if (!alert)
            return alert.error();
        target.alert = *alert;
        target.service = alertService(*alert, options.rules);
        target.window = start.window ? *start.window : liveAlertWindow(*alert, now);
    } else {
        if (!start.window)
            return Error{"investigate --live", "a service needs a window", "give --from and --to"};
        target.service = start.service;
        target.window = *start.window;
    }
    target.baseline = liveBaseline(target.window);

    // SLI: the series behind the expression, and their exemplars' trace ids.
    runner.step(StepKind::Sli);
    const auto sli = planSliFetches(target, options.sources, options.budget);
    runner.fetchAll(sli);
    if (!sli.empty() && !run.cancelled) {
        auto reader = runner.reader();
        if (!reader)
            return reader.error();
        std::set<std::string> names;
        for (const auto& f : sli)
            names.insert(metricName(f.request.query));
        if (auto list = (*reader)->listSeries()) {
            std::set<TraceId> seen;
            for (const auto& info : *list) {
                if (!names.count(info.series.name))
                    continue;
                if (auto ex = (*reader)->exemplars(info.series.rowId, target.window))
                    for (const auto& e : *ex)
                        if (e.traceId && seen.insert(*e.traceId).second)
                            run.exemplarTraces.push_back(*e.traceId);
            }
        }
    }

    // Logs: counts first, then the lines of the services they implicate.
    runner.step(StepKind::Logs);
    const auto counts = planLogCountFetches(target, options.sources, options.budget);
    runner.fetchAll(counts);
    std::vector<LevelCount> levels;
    if (!counts.empty() && !run.cancelled) {
        auto reader = runner.reader();
        if (!reader)
            return reader.error();
        if (auto list = (*reader)->listSeries())
            for (const auto& info : *list) {
                if (info.series.name != liveLogCountQuery())
                    continue;
                LevelCount c;
                c.service = labelOf(info.series, "service_name");
                c.level = labelOf(info.series, "level");
                if (auto w = (*reader)->samples(info.series.rowId, target.window))
                    c.window = sum(*w);
                if (auto b = (*reader)->samples(info.series.rowId, target.baseline))
                    c.baseline = sum(*b);
                levels.push_back(std::move(c));
            }
    }
    run.services = implicatedServices(levels, target, options.budget.maxServices);
    runner.fetchAll(planLogLineFetches(target, options.sources, run.services, options.budget));

    // Traces: failing, slow and baseline samples of the implicated services; the exemplars' traces.
    runner.step(StepKind::Traces);
    runner.fetchAll(planTraceFetches(target, options.sources, run.services, run.exemplarTraces, options.budget));

    // Span: the candidate trace an investigation over what arrived points at, whole.
    runner.step(StepKind::Span);
    if (!run.cancelled) {
        auto reader = runner.reader();
        if (!reader)
            return reader.error();
        InvestigationOptions io;
        io.alert = target.alert;
        io.service = target.service;
        io.window = target.window;
        io.baseline = target.baseline;
        io.rules = options.rules;
        if (auto inv = Investigation::start(**reader, io)) {
            if (inv->runAll(**reader) && !inv->state().focusTraceId.empty())
                if (auto id = parseTraceId(inv->state().focusTraceId))
                    run.candidateTrace = *id;
        }
        if (!run.candidateTrace) {
            TraceQuery q;
            q.window = target.window;
            q.errorsOnly = true;
            q.limit = 1;
            if (auto t = (*reader)->traces(q); t && !t->empty())
                run.candidateTrace = t->front().traceId;
        }
    }
    if (run.candidateTrace) {
        runner.fetchAll(planSpanFetches(options.sources, *run.candidateTrace, target.window, options.budget));
        // Trace logs: the lines carrying its id, over its window and a margin.
        runner.step(StepKind::TraceLogs);
        TimeWindow traceWindow = target.window;
        if (auto reader = runner.reader())
            if (auto summary = (*reader)->traceSummary(*run.candidateTrace); summary && *summary)
                traceWindow = {(*summary)->start, (*summary)->start + std::max((*summary)->duration, Duration::nanos(1))};
        runner.fetchAll(planTraceLogFetches(options.sources, *run.candidateTrace, traceWindow, options.budget));
    }

    // Confirmation: the SLI after the fix.
    runner.step(StepKind::Confirmation);
    runner.fetchAll(planConfirmationFetches(target, options.sources, now, options.budget));
    if (runner.cancelled())
        run.cancelled = true;
    return run;
}

} // namespace rootline
