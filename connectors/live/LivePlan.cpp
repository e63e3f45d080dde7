#include "LivePlan.h"

#include "alertmanager/AlertmanagerConnector.h"
#include "investigation/Investigation.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace rootline {
namespace {

// The per-response byte cap of a fetch: the budget, or the source's own when that is smaller.
Source budgeted(Source source, const LiveBudget& budget)
{
    if (budget.maxBytes > 0 && (!source.options.maxResponseBytes || *source.options.maxResponseBytes > budget.maxBytes))
        source.options.maxResponseBytes = budget.maxBytes;
    return source;
}

LiveFetch make(StepKind step, const Source& source, FetchRequest request, std::string purpose, const LiveBudget& budget)
{
    request.source = source.name;
    return LiveFetch{step, budgeted(source, budget), std::move(request), std::move(purpose)};
}

std::vector<const Source*> ofType(const std::vector<Source>& sources, SourceType type)
{
    std::vector<const Source*> out;
    for (const auto& s : sources)
        if (s.type == type)
            out.push_back(&s);
    return out;
}

// The sources that search traces: Jaeger, and CloudWatch (X-Ray GetTraceSummaries with a filter
// expression built from the same search terms, BatchGetTraces by id).
std::vector<const Source*> traceSources(const std::vector<Source>& sources)
{
    std::vector<const Source*> out;
    for (const auto& s : sources)
        if (s.type == SourceType::Jaeger || s.type == SourceType::CloudWatch)
            out.push_back(&s);
    return out;
}

// The Prometheus sources to ask for an alert's SLI: the one that raised it when the alert says
// (source "prometheus:<name>", or an Alertmanager alert whose generator URL starts with the
// source's URL), else every Prometheus source.
std::vector<const Source*> sliSources(const LiveTarget& target, const std::vector<Source>& sources)
{
    auto all = ofType(sources, SourceType::Prometheus);
    if (!target.alert)
        return all;
    std::string generator;
    for (const auto& [k, v] : target.alert->annotations)
        if (k == "generator_url")
            generator = v;
    for (const Source* s : all)
        if (target.alert->source == "prometheus:" + s->name || (!generator.empty() && !s->url.empty() && generator.starts_with(s->url)))
            return {s};
    return all;
}

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
bool isIdent(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }

std::string trimmed(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return std::string(s);
}

// `a="x", b=~"y,z"` → {`a="x"`, `b=~"y,z"`} (commas inside quotes kept).
std::vector<std::string> splitMatchers(std::string_view text)
{
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted && c == '\\' && i + 1 < text.size()) {
            cur += c;
            cur += text[++i];
            continue;
        }
        if (c == '"' || c == '\'' || c == '`')
            quoted = !quoted;
        if (c == ',' && !quoted) {
            if (auto t = trimmed(cur); !t.empty())
                out.push_back(std::move(t));
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (auto t = trimmed(cur); !t.empty())
        out.push_back(std::move(t));
    return out;
}

// Skips from an opening bracket to just past its closing one, over quoted text.
size_t skipBracket(std::string_view q, size_t i, char open, char close)
{
    int depth = 0;
    char quote = 0;
    for (; i < q.size(); ++i) {
        const char c = q[i];
        if (quote) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '"' || c == '\'' || c == '`')
            quote = c;
        else if (c == open)
            ++depth;
        else if (c == close && --depth == 0)
            return i + 1;
    }
    return q.size();
}

} // namespace

TimeWindow liveAlertWindow(const Alert& alert, Timestamp now)
{
    const Timestamp active = alert.activeSince == Timestamp() ? now : alert.activeSince;
    TimeWindow w{active - Duration::minutes(5), std::min(active + Duration::minutes(10), now + Duration::nanos(1))};
    if (!w.isValid())
        w = {active - Duration::minutes(5), active + Duration::minutes(10)};
    return w;
}

TimeWindow liveBaseline(TimeWindow window)
{
    const Duration len = std::max(window.length() * 2, Duration::minutes(30));
    return {window.from - Duration::minutes(5) - len, window.from - Duration::minutes(5)};
}

std::string alertExpression(const Alert& alert)
{
    for (const auto& [k, v] : alert.annotations)
        if (k == kRuleExprAnnotation)
            return v;
    return {};
}

std::vector<std::string> metricSelectors(std::string_view q)
{
    static const char* const kKeywords[] = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
                                            "group_left", "group_right", "inf", "nan", "atan2",
                                            // aggregations, which may be followed by `by (…)` before their `(`
                                            "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk", "bottomk",
                                            "quantile", "count_values", "group", "limitk", "limit_ratio"};
    static const char* const kGroupings[] = {"by", "without", "on", "ignoring", "group_left", "group_right"};
    std::vector<std::string> order;                          // metric names in first-seen order
    std::map<std::string, std::vector<std::string>> common; // name → matchers every use shares
    size_t i = 0;
    while (i < q.size()) {
        const char c = q[i];
        if (c == '"' || c == '\'' || c == '`') {
            const size_t end = q.find(c, i + 1);
            i = end == std::string_view::npos ? q.size() : end + 1;
        } else if (c == '[') {
            i = skipBracket(q, i, '[', ']');
        } else if (c == '{') {
            i = skipBracket(q, i, '{', '}'); // a selector without a metric name: nothing to name
        } else if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && i + 1 < q.size() && std::isdigit(static_cast<unsigned char>(q[i + 1])))) {
            while (i < q.size() && (isIdent(q[i]) || q[i] == '.' || ((q[i] == '+' || q[i] == '-') && (q[i - 1] == 'e' || q[i - 1] == 'E'))))
                ++i;
        } else if (isIdentStart(c)) {
            size_t end = i;
            while (end < q.size() && isIdent(q[end]))
                ++end;
            const std::string name(q.substr(i, end - i));
            size_t next = end;
            while (next < q.size() && std::isspace(static_cast<unsigned char>(q[next])))
                ++next;
            i = end;
            std::string lower = name;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
            const bool grouping = std::find(std::begin(kGroupings), std::end(kGroupings), lower) != std::end(kGroupings);
            if (grouping) {
                if (next < q.size() && q[next] == '(')
                    i = skipBracket(q, next, '(', ')');
                continue;
            }
            if (std::find(std::begin(kKeywords), std::end(kKeywords), lower) != std::end(kKeywords))
                continue;
            if (next < q.size() && q[next] == '(')
                continue; // a function or an aggregation
            std::vector<std::string> matchers;
            if (next < q.size() && q[next] == '{') {
                const size_t close = skipBracket(q, next, '{', '}');
                matchers = splitMatchers(q.substr(next + 1, close - next - 2));
                i = close;
            }
            std::sort(matchers.begin(), matchers.end());
            auto it = common.find(name);
            if (it == common.end()) {
                order.push_back(name);
                common.emplace(name, std::move(matchers));
            } else {
                std::vector<std::string> both;
                std::set_intersection(it->second.begin(), it->second.end(), matchers.begin(), matchers.end(), std::back_inserter(both));
                it->second = std::move(both);
            }
        } else {
            ++i;
        }
    }
    std::vector<std::string> out;
    for (const auto& name : order) {
        const auto& m = common[name];
        std::string sel = name;
        if (!m.empty()) {
            sel += "{";
            for (size_t k = 0; k < m.size(); ++k)
                sel += (k ? "," : "") + m[k];
            sel += "}";
        }
        out.push_back(std::move(sel));
    }
    return out;
}

const char* liveLogCountQuery()
{
    return "sum by (service_name, level) (count_over_time({service_name=~\".+\"}[1m]))";
}

std::string liveLogLinesQuery(const std::string& service)
{
    return "{service_name=\"" + service + "\", level=~\"error|warn|warning|fatal|critical\"}";
}

std::string liveTraceLogsQuery(const std::string& traceIdHex)
{
    return "{service_name=~\".+\"} |= \"" + traceIdHex + "\"";
}

std::vector<LiveFetch> planAlertFetches(const std::vector<Source>& sources, Timestamp now)
{
    std::vector<LiveFetch> out;
    const LiveBudget budget;
    for (const auto& s : sources) {
        if (s.type != SourceType::Prometheus && s.type != SourceType::Alertmanager && s.type != SourceType::CloudWatch)
            continue;
        FetchRequest r;
        r.kind = FetchKind::Alerts;
        r.window = {now - Duration::minutes(1), now + Duration::nanos(1)};
        out.push_back(make(StepKind::Alert, s, std::move(r), "firing and pending alerts", budget));
    }
    return out;
}

std::vector<LiveFetch> planSliFetches(const LiveTarget& target, const std::vector<Source>& sources, const LiveBudget& budget)
{
    std::vector<LiveFetch> out;
    if (!target.alert)
        return out;
    const auto selectors = metricSelectors(alertExpression(*target.alert));
    for (const Source* s : sliSources(target, sources)) {
        for (const auto& sel : selectors) {
            FetchRequest series;
            series.kind = FetchKind::Series;
            series.query = sel;
            series.window = {target.baseline.from, target.window.to};
            out.push_back(make(StepKind::Sli, *s, std::move(series), "the SLI's " + sel + ", window and baseline", budget));
            FetchRequest ex;
            ex.kind = FetchKind::Exemplars;
            ex.query = sel;
            ex.window = target.window;
            out.push_back(make(StepKind::Sli, *s, std::move(ex), "exemplars of " + sel, budget));
        }
    }
    return out;
}

std::vector<LiveFetch> planLogCountFetches(const LiveTarget& target, const std::vector<Source>& sources, const LiveBudget& budget)
{
    std::vector<LiveFetch> out;
    for (const Source* s : ofType(sources, SourceType::Loki)) {
        FetchRequest r;
        r.kind = FetchKind::Series;
        r.query = liveLogCountQuery();
        r.window = {target.baseline.from, target.window.to};
        r.step = budget.logCountStep;
        out.push_back(make(StepKind::Logs, *s, std::move(r), "log lines per service, level and minute (counted by Loki)", budget));
    }
    return out;
}

std::vector<LiveFetch> planLogLineFetches(const LiveTarget& target, const std::vector<Source>& sources,
                                          const std::vector<std::string>& services, const LiveBudget& budget)
{
    std::vector<LiveFetch> out;
    for (const Source* s : ofType(sources, SourceType::Loki))
        for (const auto& service : services) {
            FetchRequest r;
            r.kind = FetchKind::Logs;
            r.query = liveLogLinesQuery(service);
            r.window = target.window;
            r.limit = budget.logLines;
            out.push_back(make(StepKind::Logs, *s, std::move(r), "error and warning lines of " + service, budget));
        }
    return out;
}

std::vector<LiveFetch> planTraceFetches(const LiveTarget& target, const std::vector<Source>& sources,
                                        const std::vector<std::string>& services, const std::vector<TraceId>& exemplarTraces,
                                        const LiveBudget& budget)
{
    std::vector<LiveFetch> out;
    const int64_t slowMs = budget.slowTrace.count() / 1'000'000;
    for (const Source* s : traceSources(sources)) {
        // Jaeger's error tag; X-Ray's server faults (`fault = true`, a 5xx), the same search terms else.
        const bool xray = s->type == SourceType::CloudWatch;
        for (const auto& service : services) {
            FetchRequest failing;
            failing.kind = FetchKind::Traces;
            failing.search = {{"service", service}, {xray ? "fault" : "error", "true"}};
            failing.window = target.window;
            failing.limit = budget.traces;
            out.push_back(make(StepKind::Traces, *s, std::move(failing), "failing traces of " + service, budget));
            FetchRequest slow;
            slow.kind = FetchKind::Traces;
            slow.search = {{"service", service}, {"minDuration", std::to_string(slowMs) + "ms"}};
            slow.window = target.window;
            slow.limit = budget.traces;
            out.push_back(make(StepKind::Traces, *s, std::move(slow), "slow traces of " + service, budget));
            FetchRequest base;
            base.kind = FetchKind::Traces;
            base.search = {{"service", service}};
            base.window = target.baseline;
            base.limit = budget.baselineTraces;
            out.push_back(make(StepKind::Traces, *s, std::move(base), "a baseline sample of " + service + "'s traces", budget));
        }
        int64_t n = 0;
        for (const auto& id : exemplarTraces) {
            if (n++ >= budget.exemplarTraces)
                break;
            FetchRequest r;
            r.kind = FetchKind::Trace;
            r.traceId = id.toHex();
            r.window = target.window;
            out.push_back(make(StepKind::Traces, *s, std::move(r), "the exemplar's trace " + id.toHex(), budget));
        }
    }
    return out;
}

std::vector<LiveFetch> planSpanFetches(const std::vector<Source>& sources, const TraceId& trace, TimeWindow window,
                                       const LiveBudget& budget)
{
    std::vector<LiveFetch> out;
    for (const Source* s : traceSources(sources)) {
        FetchRequest r;
        r.kind = FetchKind::Trace;
        r.traceId = trace.toHex();
        r.window = window;
        out.push_back(make(StepKind::Span, *s, std::move(r), "the candidate trace, whole", budget));
    }
    return out;
}

std::vector<LiveFetch> planTraceLogFetches(const std::vector<Source>& sources, const TraceId& trace, TimeWindow traceWindow,
                                           const LiveBudget& budget)
{
    std::vector<LiveFetch> out;
    for (const Source* s : ofType(sources, SourceType::Loki)) {
        FetchRequest r;
        r.kind = FetchKind::Logs;
        r.query = liveTraceLogsQuery(trace.toHex());
        r.window = traceWindow.widened(budget.traceLogMargin);
        r.limit = budget.traceLogLines;
        out.push_back(make(StepKind::TraceLogs, *s, std::move(r), "the lines of trace " + trace.toHex(), budget));
    }
    return out;
}

std::vector<LiveFetch> planConfirmationFetches(const LiveTarget& target, const std::vector<Source>& sources, Timestamp now,
                                               const LiveBudget& budget)
{
    std::vector<LiveFetch> out;
    if (!target.alert || !target.confirmAfter || *target.confirmAfter >= now)
        return out;
    const TimeWindow after{*target.confirmAfter, std::min(*target.confirmAfter + target.window.length(), now)};
    for (const Source* s : sliSources(target, sources))
        for (const auto& sel : metricSelectors(alertExpression(*target.alert))) {
            FetchRequest r;
            r.kind = FetchKind::Series;
            r.query = sel;
            r.window = after;
            out.push_back(make(StepKind::Confirmation, *s, std::move(r), "the SLI's " + sel + " after the fix", budget));
        }
    return out;
}

std::vector<std::string> implicatedServices(const std::vector<LevelCount>& counts, const LiveTarget& target, int max)
{
    static const char* const kTrouble[] = {"error", "err", "warn", "warning", "fatal", "critical", "crit", "panic"};
    const double scale = target.baseline.length().count() > 0
        ? double(target.window.length().count()) / double(target.baseline.length().count())
        : 1.0;
    std::map<std::string, std::pair<double, double>> trouble; // service → (window, baseline)
    for (const auto& c : counts) {
        std::string level = c.level;
        std::transform(level.begin(), level.end(), level.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
        if (std::find(std::begin(kTrouble), std::end(kTrouble), level) == std::end(kTrouble) || c.service.empty())
            continue;
        auto& t = trouble[c.service];
        t.first += c.window;
        t.second += c.baseline;
    }
    std::vector<std::pair<double, std::string>> ranked;
    for (const auto& [service, t] : trouble)
        if (t.first > 0 && t.first > 2.0 * t.second * scale)
            ranked.emplace_back(t.first, service);
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    std::vector<std::string> out;
    const std::string own = target.alert ? alertService(*target.alert, nullptr) : target.service;
    if (!own.empty())
        out.push_back(own);
    for (const auto& [n, service] : ranked)
        if (int(out.size()) < max && std::find(out.begin(), out.end(), service) == out.end())
            out.push_back(service);
    return out;
}

} // namespace rootline
