#include "Investigation.h"

#include "ReportText.h"

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "core/Clock.h"
#include "correlation/CorrelationRules.h"
#include "correlation/CriticalPath.h"
#include "correlation/LogTemplate.h"
#include "correlation/ServiceDirectory.h"
#include "correlation/SloEvaluator.h"
#include "correlation/TraceLinks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace rootline {

const char* stepName(StepKind kind)
{
    static const char* names[] = {"alert", "sli", "logs", "traces", "span", "trace-logs", "reproduction", "confirmation"};
    return names[int(kind)];
}

const char* stepTitle(StepKind kind)
{
    static const char* titles[] = {"Alert", "Service level indicator", "Logs in the window", "Failed and slow traces",
                                   "The span that explains it", "Logs of that trace", "Reproduction facts", "Confirmation"};
    return titles[int(kind)];
}

std::string SloSummary::badEvents() const
{
    if (!latency)
        return "failed";
    char buf[48];
    std::snprintf(buf, sizeof buf, "were slower than %g s", thresholdSeconds);
    return buf;
}

const char* stepStatusName(StepStatus status)
{
    static const char* names[] = {"pending", "done", "skipped", "waiting"};
    return names[int(status)];
}

namespace {

// "14:48:00 UTC" — the report states the zone once; steps keep the short form.
std::string clock(Timestamp t) { return timeOfDay(t) + " UTC"; }

std::string millis(Duration d)
{
    char buf[32];
    const double ms = d.toMillis();
    if (ms >= 1000)
        std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
    else
        std::snprintf(buf, sizeof buf, "%.1f ms", ms);
    return buf;
}

Result<Timestamp> dataEnd(CacheReader& reader)
{
    int64_t end = INT64_MIN;
    for (const char* sql : {"SELECT max(ts) FROM logs", "SELECT max(start_ts + duration) FROM spans", "SELECT max(end_ts) FROM sample_chunks",
                            // per series, so each max is one seek in the (series, ts) key
                            "SELECT max((SELECT max(ts) FROM histogram_samples h WHERE h.series = s.id)) FROM series s"}) {
        auto stmt = reader.database().prepare(sql);
        if (!stmt)
            return stmt.error();
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (*row && !stmt->isNull(0))
            end = std::max(end, stmt->int64(0));
    }
    if (end == INT64_MIN)
        return Error{"cache " + reader.database().path(), "the cache holds no logs, spans or samples", "import or fetch data first"};
    return Timestamp::fromNanos(end);
}

std::optional<SloDefinition> findSlo(CacheReader& reader, const std::string& service, const Alert* alert, const CorrelationRules* rules)
{
    std::vector<SloDefinition> slos;
    if (rules)
        slos = rules->slos;
    if (auto detected = detectSlos(reader, rules))
        slos.insert(slos.end(), detected->begin(), detected->end());
    const std::string* sloLabel = nullptr;
    if (alert)
        for (const auto& [k, v] : alert->labels)
            if (k == "slo")
                sloLabel = &v;
    for (const auto& s : slos)
        if (sloLabel && s.name == *sloLabel)
            return s;
    for (const auto& s : slos)
        if (!service.empty() && (rules ? rules->canonicalService(s.service) : s.service) == service)
            return s;
    return std::nullopt;
}

EvidenceRef traceRef(const std::string& id, std::string label) { return {"trace", id, std::move(label)}; }

} // namespace

std::string alertService(const Alert& alert, const CorrelationRules* rules)
{
    for (const char* key : {"service", "service_name", "service.name", "app", "job"}) {
        for (const auto& [k, v] : alert.labels) {
            if (k != key)
                continue;
            std::string name = v;
            if (std::string_view(key) == "job")
                if (auto slash = name.rfind('/'); slash != std::string::npos)
                    name = name.substr(slash + 1);
            return rules ? rules->canonicalService(name) : name;
        }
    }
    return {};
}

Result<Alert> chooseAlert(CacheReader& reader, const std::string& name, const CorrelationRules* rules)
{
    auto alerts = reader.alerts();
    if (!alerts)
        return alerts.error();
    std::vector<Alert> all = *alerts;
    auto firingOf = [](const std::vector<Alert>& v) {
        std::vector<Alert> f;
        for (const auto& a : v)
            if (a.state == AlertState::Firing)
                f.push_back(a);
        return f;
    };
    std::vector<Alert> firing = firingOf(all);
    if (firing.empty() || !name.empty()) {
        // Rootline's own burn-rate alerts, from the SLOs it knows or finds.
        std::vector<SloDefinition> slos = rules ? rules->slos : std::vector<SloDefinition>{};
        if (auto detected = detectSlos(reader, rules))
            slos.insert(slos.end(), detected->begin(), detected->end());
        if (auto computed = burnRateAlerts(reader, slos, Duration::hours(6), rules)) {
            all.insert(all.end(), computed->begin(), computed->end());
            if (firing.empty())
                firing = firingOf(*computed);
        }
    }
    if (!name.empty()) {
        for (const auto& a : all)
            if (a.name == name && a.state == AlertState::Firing)
                return a;
        for (const auto& a : all)
            if (a.name == name)
                return a;
        std::string names;
        for (const auto& a : all)
            names += (names.empty() ? "" : ", ") + a.name;
        return Error{"cache " + reader.database().path(), "no alert named '" + name + "'",
                     names.empty() ? "the cache holds no alerts; use --service with --from and --to" : "alerts in the cache: " + names};
    }
    if (firing.size() == 1)
        return firing.front();
    if (firing.empty())
        return Error{"cache " + reader.database().path(), "no firing alert in the cache",
                     "name one with --alert, or give --service, --from and --to"};
    std::string names;
    for (const auto& a : firing)
        names += (names.empty() ? "" : ", ") + a.name;
    return Error{"cache " + reader.database().path(), std::to_string(firing.size()) + " alerts are firing: " + names,
                 "choose one with --alert NAME"};
}

Result<Investigation> Investigation::start(CacheReader& reader, const InvestigationOptions& options)
{
    Investigation inv;
    inv.m_rules = options.rules;
    InvestigationState& st = inv.m_state;
    st.createdAt = Clock::current().now();
    st.cachePath = reader.database().path();
    st.alert = options.alert;
    st.service = !options.service.empty() ? (options.rules ? options.rules->canonicalService(options.service) : options.service)
                                          : (options.alert ? alertService(*options.alert, options.rules) : std::string());
    st.confirmAfter = options.confirmAfter;
    auto end = dataEnd(reader);
    if (!end)
        return end.error();
    if (options.window) {
        st.window = *options.window;
    } else if (options.alert) {
        // The alert fires after the onset: look from a few minutes before it to a while after.
        const Timestamp active = options.alert->activeSince == Timestamp() ? *end : options.alert->activeSince;
        st.window = {active - Duration::minutes(5), std::min(active + Duration::minutes(10), *end + Duration::nanos(1))};
        if (!st.window.isValid())
            st.window = {active - Duration::minutes(5), active + Duration::minutes(10)};
    } else {
        return Error{"investigate", "no alert and no window", "give --alert NAME, or --service with --from and --to"};
    }
    if (!st.window.isValid())
        return Error{"investigate", "the window is empty (from " + st.window.from.toRfc3339() + " to " + st.window.to.toRfc3339() + ")",
                     "--from must be before --to"};
    if (options.baseline) {
        st.baseline = *options.baseline;
    } else {
        const Duration len = std::max(st.window.length() * 2, Duration::minutes(30));
        st.baseline = {st.window.from - Duration::minutes(5) - len, st.window.from - Duration::minutes(5)};
    }
    st.title = !options.title.empty() ? options.title
        : options.alert            ? options.alert->name + (st.service.empty() ? "" : " — " + st.service)
                                   : "Investigation of " + (st.service.empty() ? std::string("all services") : st.service) + " at "
                       + st.window.from.toRfc3339();
    st.steps.resize(kStepCount);
    for (int i = 0; i < kStepCount; ++i)
        st.steps[size_t(i)].kind = StepKind(i);

    // SLO
    if (auto def = findSlo(reader, st.service, options.alert ? &*options.alert : nullptr, options.rules)) {
        if (auto eval = SloEvaluator::load(reader, *def, options.rules)) {
            // As things stand at the end of the window (or of the data): which windows burn now.
            const Timestamp at = std::min(st.window.to, *end);
            const SloStatus status = eval->evaluate(at);
            SloSummary s;
            s.name = def->name;
            s.service = def->service;
            s.objective = def->objective;
            s.period = def->period;
            s.sli = status.sli;
            s.budgetLeft = status.budgetLeft;
            s.budgetWindow = status.budgetWindow;
            s.firing = status.firing;
            s.evaluatedAt = at;
            s.explanation = status.explanation();
            s.series = status.series;
            s.latency = def->kind == SloDefinition::Kind::Latency;
            s.thresholdSeconds = def->thresholdSeconds;
            s.sources = status.sources;
            for (const auto& r : status.rules)
                s.windows.push_back({r.rule.factor, r.rule.longWindow, r.rule.shortWindow, r.longWindow.burnRate, r.shortWindow.burnRate,
                                     r.rule.severity, r.firing});
            s.errorRatioBaseline = eval->window(st.baseline.to, st.baseline.length()).errorRatio;
            s.errorRatioIncident = eval->window(std::min(st.window.to, *end), std::min(st.window.to, *end) - st.window.from).errorRatio;
            st.slo = std::move(s);
        }
    }

    // Root-cause candidates
    auto services = ServiceDirectory::load(reader, options.rules);
    if (!services)
        return services.error();
    RankerOptions ro;
    ro.service = st.service;
    ro.incident = st.window;
    ro.baseline = st.baseline;
    ro.rules = options.rules;
    ro.maxLogLines = options.maxLogLines;
    auto ranking = rankRootCauses(reader, *services, ro);
    if (!ranking)
        return ranking.error();
    st.candidates = ranking->candidates;
    for (const auto& [svc, off] : ranking->skew.offsets)
        st.clockSkew[svc] = off;
    st.deploys = ranking->deploys;
    st.stages = ranking->stages;
    st.limits = ranking->limits;
    st.incidentTraces = ranking->incidentTraces;
    st.incidentErrorTraces = ranking->incidentErrorTraces;
    st.baselineTraces = ranking->baselineTraces;
    st.baselineErrorTraces = ranking->baselineErrorTraces;
    return inv;
}

Status Investigation::advance(CacheReader& reader)
{
    if (finished())
        return {};
    const StepKind kind = StepKind(m_state.current);
    if (auto s = runStep(reader, kind); !s)
        return s;
    ++m_state.current;
    return {};
}

Status Investigation::runAll(CacheReader& reader)
{
    while (!finished())
        if (auto s = advance(reader); !s)
            return s;
    return {};
}

Status Investigation::runStep(CacheReader& reader, StepKind kind)
{
    InvestigationStep& step = m_state.step(kind);
    step.details.clear();
    step.lookedAt.clear();
    switch (kind) {
    case StepKind::Alert: return stepAlert(reader);
    case StepKind::Sli: return stepSli(reader);
    case StepKind::Logs: return stepLogs(reader);
    case StepKind::Traces: return stepTraces(reader);
    case StepKind::Span: return stepSpan(reader);
    case StepKind::TraceLogs: return stepTraceLogs(reader);
    case StepKind::Reproduction: return stepReproduction(reader);
    case StepKind::Confirmation: return stepConfirmation(reader);
    }
    return {};
}

Status Investigation::stepAlert(CacheReader&)
{
    InvestigationStep& step = m_state.step(StepKind::Alert);
    step.status = StepStatus::Done;
    const std::string window = clock(m_state.window.from) + " to " + clock(m_state.window.to);
    if (m_state.alert) {
        const Alert& a = *m_state.alert;
        std::string summary;
        for (const auto& [k, v] : a.annotations)
            if (k == "summary")
                summary = v;
        step.summary = a.name + " (" + alertStateName(a.state) + " since " + a.activeSince.toRfc3339() + ", from " + a.source + ")"
            + (summary.empty() ? "" : ": " + summary) + ". Investigating " + (m_state.service.empty() ? "all services" : m_state.service)
            + " from " + window + ", compared with " + clock(m_state.baseline.from) + " to " + clock(m_state.baseline.to) + ".";
        for (const auto& [k, v] : a.labels)
            step.details.push_back("label " + k + "=" + v);
        for (const auto& [k, v] : a.annotations)
            step.details.push_back("annotation " + k + ": " + v);
        step.lookedAt.push_back({"alert", a.name, a.source});
        step.pinned.push_back({"alert", a.name, "the alert that started the investigation"});
    } else {
        step.summary = "No alert: investigating " + (m_state.service.empty() ? std::string("all services") : m_state.service) + " from "
            + window + ", compared with " + clock(m_state.baseline.from) + " to " + clock(m_state.baseline.to) + ".";
    }
    return {};
}

Status Investigation::stepSli(CacheReader&)
{
    InvestigationStep& step = m_state.step(StepKind::Sli);
    if (!m_state.slo) {
        step.status = StepStatus::Skipped;
        step.summary = "No SLI series found for " + (m_state.service.empty() ? std::string("these services") : m_state.service)
            + " (no request counter with a status label, and no SLO in the rules file).";
        return {};
    }
    const SloSummary& s = *m_state.slo;
    step.status = StepStatus::Done;
    step.summary = s.name + ": " + percentText(s.errorRatioIncident, 2) + " of requests " + s.badEvents() + " in the window vs " + percentText(s.errorRatioBaseline, 2)
        + " in the baseline; SLI " + percentText(s.sli, 2) + " over the last " + s.budgetWindow.toString() + " against an objective of "
        + percentText(s.objective, 2) + ", error budget left " + percentText(s.budgetLeft, 0) + ". At " + clock(s.evaluatedAt) + ": " + s.explanation
        + ".";
    for (const auto& w : s.windows) {
        char buf[200];
        std::snprintf(buf, sizeof buf, "%gx %s: burn %.1fx over %s, %.1fx over %s — %s", w.factor, w.severity.c_str(), w.longBurn,
                      w.longWindow.toString().c_str(), w.shortBurn, w.shortWindow.toString().c_str(), w.firing ? "fired" : "quiet");
        step.details.push_back(buf);
    }
    for (const auto& source : s.sources)
        step.details.push_back("SLI from " + source);
    for (const auto& key : s.series) {
        if (step.lookedAt.size() >= 12)
            break;
        step.lookedAt.push_back({"series", key, "SLI series"});
    }
    return {};
}

Status Investigation::stepLogs(CacheReader& reader)
{
    InvestigationStep& step = m_state.step(StepKind::Logs);
    auto services = ServiceDirectory::load(reader, m_rules);
    if (!services)
        return services.error();
    auto count = [&](TimeWindow w) -> Result<std::map<std::string, std::pair<int64_t, int64_t>>> {
        auto stmt = reader.database().prepare(
            "SELECT resource, sum(severity >= 17), sum(severity >= 13 AND severity < 17) FROM logs WHERE ts >= ?1 AND ts < ?2 AND severity >= 13"
            " GROUP BY resource");
        if (!stmt)
            return stmt.error();
        stmt->bind(1, w.from.nanos());
        stmt->bind(2, w.to.nanos());
        std::map<std::string, std::pair<int64_t, int64_t>> out;
        auto rows = stmt->forEach([&] {
            auto& c = out[services->serviceOf(stmt->isNull(0) ? 0 : stmt->int64(0))];
            c.first += stmt->int64(1);
            c.second += stmt->int64(2);
        });
        if (!rows)
            return rows.error();
        return out;
    };
    auto inc = count(m_state.window);
    if (!inc)
        return inc.error();
    auto base = count(m_state.baseline);
    if (!base)
        return base.error();
    int64_t errors = 0, warnings = 0, baseErrors = 0;
    std::vector<std::pair<int64_t, std::string>> byService;
    for (const auto& [svc, c] : *inc) {
        errors += c.first;
        warnings += c.second;
        byService.emplace_back(c.first + c.second, svc);
    }
    for (const auto& [svc, c] : *base)
        baseErrors += c.first;
    std::sort(byService.rbegin(), byService.rend());
    const double scale = m_state.baseline.length().count() > 0 ? double(m_state.window.length().count()) / double(m_state.baseline.length().count()) : 1;
    step.status = StepStatus::Done;
    step.summary = std::to_string(errors) + " error and " + std::to_string(warnings) + " warning lines in the window (about "
        + std::to_string(int64_t(std::round(double(baseErrors) * scale))) + " errors expected from the baseline)";
    if (!byService.empty())
        step.summary += "; most from " + byService.front().second + " (" + std::to_string(byService.front().first) + ")";
    step.summary += ".";
    for (const auto& l : m_state.limits)
        if (l.starts_with("log templates:")) {
            step.summary += " Partial: " + l + ".";
            step.details.push_back(l);
        }
    for (const auto& [n, svc] : byService) {
        const auto& c = (*inc)[svc];
        const auto b = base->count(svc) ? (*base)[svc].first : 0;
        step.details.push_back(svc + ": " + std::to_string(c.first) + " errors, " + std::to_string(c.second) + " warnings (baseline "
                               + std::to_string(b) + " errors)");
    }
    // The new or spiking templates the ranking found.
    for (const auto& c : m_state.candidates) {
        for (const auto& [k, v] : c.evidence.attributes)
            if (k == "log.template") {
                step.details.push_back("template from " + c.service + ": \"" + v + "\"");
                step.lookedAt.push_back({"template", v, c.service});
            }
    }
    for (const auto& c : m_state.candidates) {
        if (c.evidence.logIds.empty())
            continue;
        for (size_t i = 0; i < c.evidence.logIds.size() && i < 3; ++i)
            step.pinned.push_back({"log", std::to_string(c.evidence.logIds[i]), c.service + " log line"});
        break;
    }
    return {};
}

Status Investigation::stepTraces(CacheReader& reader)
{
    InvestigationStep& step = m_state.step(StepKind::Traces);
    auto services = ServiceDirectory::load(reader, m_rules);
    if (!services)
        return services.error();
    auto links = tracesForBucket(reader, *services, 0, m_state.service, "", m_state.window, 10);
    if (!links)
        return links.error();
    int exemplars = 0, failing = 0;
    for (const auto& l : *links) {
        exemplars += l.fromExemplar;
        failing += l.error;
        std::string label = l.fromExemplar ? "exemplar" : "trace of " + m_state.service + " in the window";
        if (l.fromExemplar) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " (value %g)", l.value);
            label += buf;
        }
        if (l.error)
            label += ", failing";
        step.lookedAt.push_back(traceRef(l.traceId.toHex(), label));
        step.details.push_back(l.traceId.toHex() + " at " + clock(l.time) + ": " + label);
    }
    if (m_state.incidentTraces == 0 && links->empty()) {
        step.status = StepStatus::Skipped;
        step.summary = "No trace was sampled in the window" + (m_state.service.empty() ? std::string() : " for " + m_state.service)
            + "; the evidence is in the logs and metrics.";
        return {};
    }
    step.status = StepStatus::Done;
    step.summary = std::to_string(m_state.incidentErrorTraces) + " of " + std::to_string(m_state.incidentTraces) + " traces"
        + (m_state.service.empty() ? std::string() : " through " + m_state.service) + " failed in the window, vs "
        + std::to_string(m_state.baselineErrorTraces) + " of " + std::to_string(m_state.baselineTraces) + " in the baseline. ";
    step.summary += exemplars > 0 ? std::to_string(exemplars) + " exemplars point at traces (" + std::to_string(failing) + " failing)."
                                  : "No exemplars in the window; traces of the service in the window stand in.";
    if (!m_state.candidates.empty())
        for (const auto& id : m_state.candidates.front().evidence.traceIds)
            step.pinned.push_back(traceRef(id, "evidence for " + m_state.candidates.front().service + " " + m_state.candidates.front().operation));
    if (step.pinned.empty())
        for (const auto& l : *links)
            if (l.error && step.pinned.size() < 3)
                step.pinned.push_back(traceRef(l.traceId.toHex(), "failing trace"));
    return {};
}

Status Investigation::stepSpan(CacheReader& reader)
{
    InvestigationStep& step = m_state.step(StepKind::Span);
    // The top candidate with a trace behind it names the trace and span to look at.
    const RootCauseCandidate* cand = nullptr;
    for (const auto& c : m_state.candidates)
        if (!c.evidence.traceIds.empty()) {
            cand = &c;
            break;
        }
    if (!cand) {
        step.status = StepStatus::Skipped;
        step.summary = "No candidate has a trace behind it, so there is no span to open; the logs carry the evidence.";
        return {};
    }
    m_state.focusTraceId = cand->evidence.traceIds.front();
    m_state.focusSpanId = cand->evidence.spanIds.empty() ? std::string() : cand->evidence.spanIds.front();
    auto tid = parseTraceId(m_state.focusTraceId);
    if (!tid)
        return tid.error();
    auto spans = reader.traceSpans(*tid);
    if (!spans)
        return spans.error();
    auto services = ServiceDirectory::load(reader, m_rules);
    if (!services)
        return services.error();
    std::vector<Duration> offsets;
    for (const auto& s : *spans) {
        const auto it = m_state.clockSkew.find(services->serviceOf(s.resource));
        offsets.push_back(it == m_state.clockSkew.end() ? Duration() : it->second);
    }
    const CriticalPath path = computeCriticalPath(*spans, &offsets);
    const Span* focus = nullptr;
    for (const auto& s : *spans)
        if (s.spanId.toHex() == m_state.focusSpanId)
            focus = &s;
    step.status = StepStatus::Done;
    const Duration total = path.empty() ? Duration() : (*spans)[path.root].duration;
    if (focus) {
        Duration onPath;
        for (size_t i = 0; i < spans->size(); ++i)
            if (&(*spans)[i] == focus)
                onPath = path.selfTime[i];
        step.summary = "In trace " + m_state.focusTraceId + " (" + millis(total) + "), " + services->serviceOf(focus->resource) + " "
            + focus->name + " took " + millis(focus->duration) + ", " + millis(onPath) + " of it on the critical path"
            + (focus->isError() ? ", and failed: " + (focus->statusMessage.empty() ? std::string("error status") : focus->statusMessage) : std::string())
            + ".";
    } else {
        step.summary = "Trace " + m_state.focusTraceId + " (" + millis(total) + ") is the strongest evidence for " + cand->service + ".";
    }
    // The critical path, longest contributions first.
    std::vector<std::pair<Duration, size_t>> contrib;
    for (size_t i = 0; i < spans->size(); ++i)
        if (!path.selfTime.empty() && path.selfTime[i] > Duration())
            contrib.emplace_back(path.selfTime[i], i);
    std::sort(contrib.rbegin(), contrib.rend());
    for (size_t k = 0; k < contrib.size() && k < 8; ++k) {
        const Span& s = (*spans)[contrib[k].second];
        step.details.push_back("critical path: " + services->serviceOf(s.resource) + " " + s.name + " " + millis(contrib[k].first) + " self"
                               + (s.isError() ? " (failed)" : ""));
    }
    for (const auto& [svc, off] : m_state.clockSkew)
        step.details.push_back("clock skew corrected: " + svc + " runs " + millis(off) + " ahead of the reference clock");
    step.lookedAt.push_back(traceRef(m_state.focusTraceId, "trace"));
    if (!m_state.focusSpanId.empty())
        step.pinned.push_back({"span", m_state.focusSpanId, focus ? focus->name : std::string("span")});
    return {};
}

Status Investigation::stepTraceLogs(CacheReader& reader)
{
    InvestigationStep& step = m_state.step(StepKind::TraceLogs);
    if (m_state.focusTraceId.empty()) {
        step.status = StepStatus::Skipped;
        step.summary = "No trace in focus; see the logs in the window.";
        return {};
    }
    auto tid = parseTraceId(m_state.focusTraceId);
    if (!tid)
        return tid.error();
    LogQuery q;
    q.traceId = *tid;
    auto logs = reader.logPage(q, std::nullopt, 200);
    if (!logs)
        return logs.error();
    std::vector<const LogRecord*> ofSpan;
    for (const auto& l : *logs)
        if (l.spanId && l.spanId->toHex() == m_state.focusSpanId)
            ofSpan.push_back(&l);
    step.status = StepStatus::Done;
    std::vector<const LogRecord*> shown;
    if (!ofSpan.empty()) {
        shown = ofSpan;
        step.summary = std::to_string(ofSpan.size()) + " log lines belong to the span; the whole trace has " + std::to_string(logs->size()) + ".";
    } else if (!logs->empty()) {
        for (const auto& l : *logs)
            shown.push_back(&l);
        step.summary = "The span has no log lines of its own, so the window was widened to the whole trace: " + std::to_string(logs->size())
            + " lines.";
    } else {
        // Nothing carries the trace id: widen to the span's service around the span's time.
        auto spans = reader.traceSpans(*tid);
        if (!spans)
            return spans.error();
        const Span* focus = nullptr;
        for (const auto& s : *spans)
            if (s.spanId.toHex() == m_state.focusSpanId || (!focus && !s.parentSpanId))
                focus = &s;
        if (!focus) {
            step.status = StepStatus::Skipped;
            step.summary = "The trace has no spans in the cache.";
            return {};
        }
        LogQuery around;
        around.window = {focus->start - Duration::seconds(30), focus->end() + Duration::seconds(30)};
        if (focus->resource)
            around.services = {focus->resource->serviceName};
        around.minSeverity = int(Severity::Warn);
        auto near = reader.logPage(around, std::nullopt, 50);
        if (!near)
            return near.error();
        *logs = std::move(*near);
        for (const auto& l : *logs)
            shown.push_back(&l);
        step.summary = "No log line carries this trace id, so the window was widened to " + (focus->resource ? focus->resource->serviceName : std::string("the service"))
            + "'s warnings and errors within 30 s of the span: " + std::to_string(logs->size()) + " lines.";
    }
    std::sort(shown.begin(), shown.end(), [](const LogRecord* a, const LogRecord* b) { return a->severity > b->severity || (a->severity == b->severity && a->time < b->time); });
    for (size_t i = 0; i < shown.size() && i < 10; ++i) {
        const LogRecord& l = *shown[i];
        const std::string service = l.resource ? l.resource->serviceName : std::string();
        step.details.push_back(clock(l.time) + " " + severityName(l.severity) + " " + service + ": " + std::string(logMessage(l.body)).substr(0, 200));
        step.lookedAt.push_back({"log", std::to_string(l.rowId), service});
        if (l.severity >= int(Severity::Warn) && step.pinned.size() < 3)
            step.pinned.push_back({"log", std::to_string(l.rowId), service + " " + severityName(l.severity)});
    }
    return {};
}

Status Investigation::stepReproduction(CacheReader& reader)
{
    InvestigationStep& step = m_state.step(StepKind::Reproduction);
    m_state.reproduction.clear();
    if (m_state.focusTraceId.empty()) {
        step.status = StepStatus::Skipped;
        const RootCauseCandidate* top = m_state.candidates.empty() ? nullptr : &m_state.candidates.front();
        step.summary = "No failing span to take request attributes from.";
        if (top)
            for (const auto& [k, v] : top->evidence.attributes)
                if (k == "log.example") {
                    m_state.reproduction.emplace_back("log line", v);
                    step.summary += " The failing log line reads: " + v;
                }
        return {};
    }
    auto tid = parseTraceId(m_state.focusTraceId);
    if (!tid)
        return tid.error();
    auto spans = reader.traceSpans(*tid);
    if (!spans)
        return spans.error();
    const Span* focus = nullptr;
    const Span* root = nullptr;
    for (const auto& s : *spans) {
        if (s.spanId.toHex() == m_state.focusSpanId)
            focus = &s;
        if (!s.parentSpanId)
            root = &s;
    }
    if (!focus)
        focus = root;
    if (!focus) {
        step.status = StepStatus::Skipped;
        step.summary = "The focused span is not in the cache.";
        return {};
    }
    // The server span of the focused span's service: where the request entered that service.
    const Span* entry = nullptr;
    {
        const Span* cur = focus;
        for (int guard = 0; cur && guard < 64; ++guard) {
            if (cur->kind == SpanKind::Server && cur->resource && focus->resource && cur->resource->serviceName == focus->resource->serviceName) {
                entry = cur;
                break;
            }
            const Span* parent = nullptr;
            if (cur->parentSpanId)
                for (const auto& s : *spans)
                    if (s.spanId == *cur->parentSpanId)
                        parent = &s;
            cur = parent;
        }
    }
    auto& facts = m_state.reproduction;
    auto fact = [&](const std::string& name, const Span* s, std::initializer_list<const char*> keys) {
        if (!s)
            return;
        for (const char* k : keys)
            if (auto v = s->attributes.text(k)) {
                facts.emplace_back(name, *v);
                return;
            }
    };
    fact("route", root, {"http.route", "url.path", "rpc.method"});
    fact("method", root, {"http.request.method", "http.method"});
    if (entry && entry != root) {
        fact("service entry", entry, {"http.route", "rpc.method", "url.path"});
        if (facts.empty() || facts.back().first != "service entry")
            facts.emplace_back("service entry", entry->name);
    }
    facts.emplace_back("failing operation", (focus->resource ? focus->resource->serviceName + " " : std::string()) + focus->name);
    fact("target", focus, {"url.full", "http.url", "db.statement", "rpc.method"});
    fact("target method", focus, {"http.request.method", "http.method", "db.operation"});
    fact("peer", focus, {"peer.service", "server.address", "net.peer.name", "db.name"});
    fact("peer port", focus, {"server.port", "net.peer.port"});
    if (focus->resource) {
        if (!focus->resource->serviceVersion.empty())
            facts.emplace_back("version", focus->resource->serviceVersion);
        if (!focus->resource->pod.empty())
            facts.emplace_back("pod", focus->resource->pod);
        if (!focus->resource->host.empty())
            facts.emplace_back("host", focus->resource->host);
    }
    // Request parameters: application attributes along the path (app.*, rpc, db pool).
    for (const Span* s : {root, entry, focus}) {
        if (!s)
            continue;
        for (const auto& a : s->attributes)
            if ((a.key.starts_with("app.") || a.key == "url.query" || a.key == "db.pool.name")
                && std::none_of(facts.begin(), facts.end(), [&](const auto& f) { return f.first == "parameter " + a.key; }))
                facts.emplace_back("parameter " + a.key, attributeToText(a.value));
    }
    if (focus->isError())
        facts.emplace_back("error", focus->statusMessage.empty() ? std::string("error status") : focus->statusMessage);
    facts.emplace_back("duration", millis(focus->duration));
    facts.emplace_back("trace", m_state.focusTraceId);
    step.status = StepStatus::Done;
    std::string target, peer, method, route, version;
    for (const auto& [k, v] : facts) {
        if (k == "target" && target.empty()) target = v;
        if (k == "peer" && peer.empty()) peer = v;
        if (k == "target method" && method.empty()) method = v;
        if (k == "route" && route.empty()) route = v;
        if (k == "version" && version.empty()) version = v;
    }
    step.summary = "Requests " + (route.empty() ? std::string("to the service") : "to " + route) + " reach "
        + (focus->resource ? focus->resource->serviceName : std::string("?")) + (version.empty() ? "" : " " + version) + ", which calls "
        + (method.empty() ? std::string() : method + " ") + (target.empty() ? focus->name : target) + (peer.empty() ? "" : " on " + peer)
        + (focus->isError() ? " and fails after " : " and takes ") + millis(focus->duration) + ".";
    for (const auto& [k, v] : facts)
        step.details.push_back(k + ": " + v);
    return {};
}

Status Investigation::stepConfirmation(CacheReader& reader)
{
    InvestigationStep& step = m_state.step(StepKind::Confirmation);
    if (!m_state.confirmAfter) {
        step.status = StepStatus::Waiting;
        step.summary = "Give the time a fix went out (confirm after) to compare the SLI in the 15 minutes after it with the incident.";
        return {};
    }
    if (!m_state.slo) {
        step.status = StepStatus::Skipped;
        step.summary = "No SLI to confirm recovery with.";
        return {};
    }
    std::optional<SloDefinition> def = findSlo(reader, m_state.service, m_state.alert ? &*m_state.alert : nullptr, m_rules);
    if (!def) {
        step.status = StepStatus::Skipped;
        step.summary = "The SLI series are no longer in the cache.";
        return {};
    }
    auto eval = SloEvaluator::load(reader, *def, m_rules);
    if (!eval)
        return eval.error();
    const Timestamp from = *m_state.confirmAfter;
    const auto range = eval->dataRange();
    if (!range || range->to <= from) {
        step.status = StepStatus::Waiting;
        step.summary = "No SLI data after " + from.toRfc3339() + " yet; fetch again later.";
        return {};
    }
    const Timestamp to = std::min(from + Duration::minutes(15), range->to);
    const auto w = eval->window(to, to - from);
    step.status = StepStatus::Done;
    const bool recovered = w.burnRate < 1;
    char burn[32];
    std::snprintf(burn, sizeof burn, "%.1fx", w.burnRate);
    step.summary = std::string(recovered ? "Recovered" : "Not recovered") + ": " + percentText(w.errorRatio, 2) + " of requests " + m_state.slo->badEvents() + " from "
        + clock(from) + " to " + clock(to) + " (burn " + burn + "; during the incident " + percentText(m_state.slo->errorRatioIncident, 2) + ").";
    step.details.push_back("SLI " + percentText(1 - w.errorRatio, 3) + " over " + std::to_string(int64_t(w.total)) + " requests");
    return {};
}

Status Investigation::confirmAfter(CacheReader& reader, Timestamp t)
{
    m_state.confirmAfter = t;
    if (m_state.current > int(StepKind::Confirmation))
        return runStep(reader, StepKind::Confirmation);
    return {};
}

void Investigation::pin(StepKind step, EvidenceRef ref)
{
    auto& pinned = m_state.step(step).pinned;
    if (std::find(pinned.begin(), pinned.end(), ref) == pinned.end())
        pinned.push_back(std::move(ref));
}

void Investigation::unpin(StepKind step, const EvidenceRef& ref)
{
    auto& pinned = m_state.step(step).pinned;
    pinned.erase(std::remove(pinned.begin(), pinned.end(), ref), pinned.end());
}

void Investigation::addNote(StepKind step, std::string text, Timestamp at)
{
    m_state.step(step).notes.push_back({at, std::move(text)});
}

Result<int64_t> Investigation::save(CacheWriter& writer)
{
    auto id = writer.saveInvestigation(m_state.id, m_state.title, toJson());
    if (id)
        m_state.id = *id;
    return id;
}

} // namespace rootline
