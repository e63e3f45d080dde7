// Investigation ↔ JSON: the saved record (toJson/fromJson, everything needed to reopen it) and
// the CLI's result document (resultJson, the shape issue 5 item 5 fixes).

#include "Investigation.h"

#include <nlohmann/json.hpp>

namespace rootline {
namespace {

using json = nlohmann::ordered_json;

json timeJson(Timestamp t) { return t.toRfc3339(); }
json windowJson(const TimeWindow& w) { return {{"from", w.from.toRfc3339()}, {"to", w.to.toRfc3339()}}; }

Timestamp timeOf(const json& j)
{
    if (!j.is_string())
        return {};
    auto t = parseRfc3339(j.get<std::string>());
    return t ? *t : Timestamp();
}
TimeWindow windowOf(const json& j)
{
    if (!j.is_object())
        return {};
    return {timeOf(j.value("from", json())), timeOf(j.value("to", json()))};
}

json pairsJson(const std::vector<std::pair<std::string, std::string>>& pairs)
{
    json o = json::object();
    for (const auto& [k, v] : pairs) {
        if (o.contains(k))
            o[k] = o[k].get<std::string>() + "; " + v;
        else
            o[k] = v;
    }
    return o;
}
std::vector<std::pair<std::string, std::string>> pairsOf(const json& j)
{
    std::vector<std::pair<std::string, std::string>> out;
    if (j.is_object())
        for (auto it = j.begin(); it != j.end(); ++it)
            out.emplace_back(it.key(), it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
    return out;
}

json alertJson(const Alert& a)
{
    return {{"name", a.name},
            {"state", alertStateName(a.state)},
            {"active_since", a.activeSince == Timestamp() ? json() : timeJson(a.activeSince)},
            {"value", a.value},
            {"source", a.source},
            {"labels", pairsJson(a.labels)},
            {"annotations", pairsJson(a.annotations)}};
}
Alert alertOf(const json& j)
{
    Alert a;
    a.name = j.value("name", "");
    const std::string state = j.value("state", "firing");
    for (AlertState s : {AlertState::Inactive, AlertState::Pending, AlertState::Firing, AlertState::Resolved})
        if (state == alertStateName(s))
            a.state = s;
    a.activeSince = timeOf(j.value("active_since", json()));
    a.value = j.value("value", 0.0);
    a.source = j.value("source", "");
    a.labels = pairsOf(j.value("labels", json::object()));
    a.annotations = pairsOf(j.value("annotations", json::object()));
    return a;
}

json sloJson(const SloSummary& s)
{
    json windows = json::array();
    for (const auto& w : s.windows)
        windows.push_back({{"factor", w.factor},
                           {"long", w.longWindow.toString()},
                           {"short", w.shortWindow.toString()},
                           {"long_burn_rate", w.longBurn},
                           {"short_burn_rate", w.shortBurn},
                           {"severity", w.severity},
                           {"firing", w.firing}});
    return {{"name", s.name},
            {"service", s.service},
            {"objective", s.objective},
            {"period", s.period.toString()},
            {"sli", s.sli},
            {"error_budget_left", s.budgetLeft},
            {"budget_window", s.budgetWindow.toString()},
            {"firing", s.firing},
            {"evaluated_at", timeJson(s.evaluatedAt)},
            {"explanation", s.explanation},
            {"error_ratio_baseline", s.errorRatioBaseline},
            {"error_ratio_window", s.errorRatioIncident},
            {"windows", windows},
            {"series", s.series},
            {"kind", s.latency ? "latency" : "availability"},
            {"threshold_seconds", s.thresholdSeconds},
            {"sli_sources", s.sources}};
}
Duration durationOf(const json& j)
{
    if (!j.is_string())
        return {};
    auto d = parseDuration(j.get<std::string>());
    return d ? *d : Duration();
}
SloSummary sloOf(const json& j)
{
    SloSummary s;
    s.name = j.value("name", "");
    s.service = j.value("service", "");
    s.objective = j.value("objective", 0.0);
    s.period = durationOf(j.value("period", json()));
    s.sli = j.value("sli", 1.0);
    s.budgetLeft = j.value("error_budget_left", 1.0);
    s.budgetWindow = durationOf(j.value("budget_window", json()));
    s.firing = j.value("firing", false);
    s.evaluatedAt = timeOf(j.value("evaluated_at", json()));
    s.explanation = j.value("explanation", "");
    s.errorRatioBaseline = j.value("error_ratio_baseline", 0.0);
    s.errorRatioIncident = j.value("error_ratio_window", 0.0);
    for (const auto& w : j.value("windows", json::array()))
        s.windows.push_back({w.value("factor", 0.0), durationOf(w.value("long", json())), durationOf(w.value("short", json())),
                             w.value("long_burn_rate", 0.0), w.value("short_burn_rate", 0.0), w.value("severity", ""), w.value("firing", false)});
    s.series = j.value("series", std::vector<std::string>{});
    s.latency = j.value("kind", "") == "latency";
    s.thresholdSeconds = j.value("threshold_seconds", 0.0);
    s.sources = j.value("sli_sources", std::vector<std::string>{});
    return s;
}

json candidateJson(const RootCauseCandidate& c, bool withComponents)
{
    json j = {{"rank", c.rank},
              {"service", c.service},
              {"operation", c.operation},
              {"kind", c.kind},
              {"score", std::round(c.score * 1000) / 1000},
              {"explanation", c.explanation},
              {"evidence",
               {{"trace_ids", c.evidence.traceIds},
                {"span_ids", c.evidence.spanIds},
                {"log_ids", c.evidence.logIds},
                {"series", c.evidence.series},
                {"attributes", pairsJson(c.evidence.attributes)}}}};
    // Issue 15: what a candidate is a symptom of, and whom it ties with (same rank), when so.
    if (!c.symptomOf.empty())
        j["symptom_of"] = c.symptomOf;
    if (!c.tiedWith.empty())
        j["tied_with"] = c.tiedWith;
    if (withComponents)
        j["components"] = c.components;
    return j;
}
RootCauseCandidate candidateOf(const json& j)
{
    RootCauseCandidate c;
    c.rank = j.value("rank", 0);
    c.service = j.value("service", "");
    c.operation = j.value("operation", "");
    c.kind = j.value("kind", "");
    c.score = j.value("score", 0.0);
    c.explanation = j.value("explanation", "");
    const json e = j.value("evidence", json::object());
    c.evidence.traceIds = e.value("trace_ids", std::vector<std::string>{});
    c.evidence.spanIds = e.value("span_ids", std::vector<std::string>{});
    c.evidence.logIds = e.value("log_ids", std::vector<int64_t>{});
    c.evidence.series = e.value("series", std::vector<std::string>{});
    c.evidence.attributes = pairsOf(e.value("attributes", json::object()));
    c.components = j.value("components", std::map<std::string, double>{});
    c.symptomOf = j.value("symptom_of", "");
    c.tiedWith = j.value("tied_with", std::vector<std::string>{});
    return c;
}

json refsJson(const std::vector<EvidenceRef>& refs)
{
    json a = json::array();
    for (const auto& r : refs)
        a.push_back({{"kind", r.kind}, {"id", r.id}, {"label", r.label}});
    return a;
}
std::vector<EvidenceRef> refsOf(const json& j)
{
    std::vector<EvidenceRef> out;
    if (j.is_array())
        for (const auto& r : j)
            out.push_back({r.value("kind", ""), r.value("id", ""), r.value("label", "")});
    return out;
}

} // namespace

std::string Investigation::toJson() const
{
    const auto& st = m_state;
    json j;
    j["format"] = "rootline-investigation";
    j["version"] = 1;
    j["title"] = st.title;
    j["cache"] = st.cachePath;
    j["created_at"] = timeJson(st.createdAt);
    j["alert"] = st.alert ? alertJson(*st.alert) : json();
    j["service"] = st.service;
    j["window"] = windowJson(st.window);
    j["baseline"] = windowJson(st.baseline);
    j["slo"] = st.slo ? sloJson(*st.slo) : json();
    json candidates = json::array();
    for (const auto& c : st.candidates)
        candidates.push_back(candidateJson(c, true));
    j["candidates"] = candidates;
    json skew = json::object();
    for (const auto& [svc, off] : st.clockSkew)
        skew[svc] = off.count();
    j["clock_skew_ns"] = skew;
    json deploys = json::array();
    for (const auto& d : st.deploys)
        deploys.push_back({{"service", d.service}, {"from", d.fromVersion}, {"to", d.toVersion}, {"time", timeJson(d.time)}, {"signal", d.signal}});
    j["deploys"] = deploys;
    json stages = json::array();
    for (const auto& s : st.stages)
        stages.push_back({{"stage", s.stage}, {"ms", s.milliseconds}});
    j["stages"] = stages;
    j["limits"] = st.limits;
    j["traces"] = {{"window", st.incidentTraces}, {"window_failed", st.incidentErrorTraces}, {"baseline", st.baselineTraces},
                   {"baseline_failed", st.baselineErrorTraces}};
    json steps = json::array();
    for (const auto& s : st.steps) {
        json notes = json::array();
        for (const auto& n : s.notes)
            notes.push_back({{"at", timeJson(n.at)}, {"text", n.text}});
        steps.push_back({{"name", stepName(s.kind)},
                         {"status", stepStatusName(s.status)},
                         {"summary", s.summary},
                         {"details", s.details},
                         {"looked_at", refsJson(s.lookedAt)},
                         {"pinned", refsJson(s.pinned)},
                         {"notes", notes}});
    }
    j["steps"] = steps;
    j["current"] = st.current;
    j["focus"] = {{"trace_id", st.focusTraceId}, {"span_id", st.focusSpanId}};
    json repro = json::array();
    for (const auto& [k, v] : st.reproduction)
        repro.push_back({k, v});
    j["reproduction"] = repro;
    j["confirm_after"] = st.confirmAfter ? timeJson(*st.confirmAfter) : json();
    return j.dump();
}

Result<Investigation> Investigation::fromJson(std::string_view text)
{
    json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != "rootline-investigation")
        return Error{"investigation", "not a saved Rootline investigation", {}};
    if (j.value("version", 0) > 1)
        return Error{"investigation", "saved by a newer Rootline (version " + std::to_string(j.value("version", 0)) + ")", "upgrade Rootline"};
    Investigation inv;
    auto& st = inv.m_state;
    st.title = j.value("title", "");
    st.cachePath = j.value("cache", "");
    st.createdAt = timeOf(j.value("created_at", json()));
    if (j["alert"].is_object())
        st.alert = alertOf(j["alert"]);
    st.service = j.value("service", "");
    st.window = windowOf(j.value("window", json()));
    st.baseline = windowOf(j.value("baseline", json()));
    if (j["slo"].is_object())
        st.slo = sloOf(j["slo"]);
    for (const auto& c : j.value("candidates", json::array()))
        st.candidates.push_back(candidateOf(c));
    for (auto it = j["clock_skew_ns"].begin(); j["clock_skew_ns"].is_object() && it != j["clock_skew_ns"].end(); ++it)
        st.clockSkew[it.key()] = Duration::nanos(it.value().get<int64_t>());
    for (const auto& d : j.value("deploys", json::array()))
        st.deploys.push_back({d.value("service", ""), d.value("from", ""), d.value("to", ""), timeOf(d.value("time", json())), d.value("signal", "")});
    for (const auto& s : j.value("stages", json::array()))
        st.stages.push_back({s.value("stage", ""), s.value("ms", 0.0)});
    st.limits = j.value("limits", std::vector<std::string>{});
    const json traces = j.value("traces", json::object());
    st.incidentTraces = traces.value("window", int64_t(0));
    st.incidentErrorTraces = traces.value("window_failed", int64_t(0));
    st.baselineTraces = traces.value("baseline", int64_t(0));
    st.baselineErrorTraces = traces.value("baseline_failed", int64_t(0));
    st.steps.resize(kStepCount);
    for (int i = 0; i < kStepCount; ++i)
        st.steps[size_t(i)].kind = StepKind(i);
    for (const auto& s : j.value("steps", json::array())) {
        const std::string name = s.value("name", "");
        for (int i = 0; i < kStepCount; ++i) {
            if (name != stepName(StepKind(i)))
                continue;
            auto& step = st.steps[size_t(i)];
            const std::string status = s.value("status", "pending");
            for (StepStatus ss : {StepStatus::Pending, StepStatus::Done, StepStatus::Skipped, StepStatus::Waiting})
                if (status == stepStatusName(ss))
                    step.status = ss;
            step.summary = s.value("summary", "");
            step.details = s.value("details", std::vector<std::string>{});
            step.lookedAt = refsOf(s.value("looked_at", json::array()));
            step.pinned = refsOf(s.value("pinned", json::array()));
            for (const auto& n : s.value("notes", json::array()))
                step.notes.push_back({timeOf(n.value("at", json())), n.value("text", "")});
        }
    }
    st.current = std::clamp(j.value("current", 0), 0, kStepCount);
    const json focus = j.value("focus", json::object());
    st.focusTraceId = focus.value("trace_id", "");
    st.focusSpanId = focus.value("span_id", "");
    for (const auto& r : j.value("reproduction", json::array()))
        if (r.is_array() && r.size() == 2)
            st.reproduction.emplace_back(r[0].get<std::string>(), r[1].get<std::string>());
    if (j["confirm_after"].is_string())
        st.confirmAfter = timeOf(j["confirm_after"]);
    return inv;
}

std::string Investigation::resultJson() const
{
    const auto& st = m_state;
    json j;
    j["alert"] = st.alert ? alertJson(*st.alert) : json();
    j["window"] = windowJson(st.window);
    j["baseline"] = windowJson(st.baseline);
    j["slo"] = st.slo ? sloJson(*st.slo) : json();
    json candidates = json::array();
    for (const auto& c : st.candidates)
        candidates.push_back(candidateJson(c, false));
    j["candidates"] = candidates;
    json steps = json::array();
    for (const auto& s : st.steps)
        steps.push_back({{"name", stepName(s.kind)}, {"status", stepStatusName(s.status)}, {"summary", s.summary}});
    j["steps"] = steps;
    // An honest partial: what the analysis did not read because of a cap; empty when complete.
    j["partial"] = !st.limits.empty();
    j["limits"] = st.limits;
    return j.dump();
}

} // namespace rootline
