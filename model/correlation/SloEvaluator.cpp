#include "SloEvaluator.h"

#include "CorrelationRules.h"
#include "LatencySli.h"
#include "cache/CacheReader.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

namespace rootline {
namespace {

std::string formatRate(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f" : "%.1f", v);
    return buf;
}

std::string formatFactor(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

bool seriesMatches(const Series& s, const std::vector<std::pair<std::string, std::string>>& match, const CorrelationRules* rules)
{
    for (const auto& [key, value] : match) {
        const std::string* v = s.label(key);
        if (v && *v == value)
            continue;
        if (key == "service" || key == "service_name" || key == "job") {
            std::string service = s.resource ? s.resource->serviceName : std::string();
            if (!v && s.resource && rules)
                service = rules->canonicalService(service);
            const std::string wanted = rules ? rules->canonicalService(value) : value;
            if (v && (rules ? rules->canonicalService(*v) : *v) == wanted)
                continue;
            if (!v && service == wanted)
                continue;
        }
        return false;
    }
    return true;
}

constexpr const char* kStatusLabels[] = {"status", "code", "status_code", "http_status_code", "http_response_status_code",
                                         "http.response.status_code", "status_class"};

} // namespace

std::string SloStatus::explanation() const
{
    std::string out;
    for (const auto& r : rules) {
        if (!r.firing)
            continue;
        if (!out.empty())
            out += "; ";
        out += formatFactor(r.rule.factor) + "x " + r.rule.severity + " fired: burn " + formatRate(r.longWindow.burnRate) + "x over "
            + r.rule.longWindow.toString() + " and " + formatRate(r.shortWindow.burnRate) + "x over " + r.rule.shortWindow.toString()
            + " (threshold " + formatFactor(r.rule.factor) + "x)";
    }
    return out.empty() ? std::string("no burn-rate window fired") : out;
}

SloEvaluator::SloEvaluator(SloDefinition slo, CounterSet total, CounterSet bad, std::vector<std::string> seriesKeys)
    : m_slo(std::move(slo)), m_total(std::move(total)), m_bad(std::move(bad)), m_seriesKeys(std::move(seriesKeys))
{
}

Result<SloEvaluator> SloEvaluator::load(CacheReader& reader, const SloDefinition& slo, const CorrelationRules* rules)
{
    auto all = reader.listSeries();
    if (!all)
        return all.error();
    const auto matches = [&](const Series& s) { return seriesMatches(s, slo.match, rules); };
    auto noSeries = [&] {
        return Error{"SLO " + slo.name, "no series of metric '" + slo.metric + "' match " + std::to_string(slo.match.size()) + " label(s)",
                     "check the metric name and match labels in the rules file"};
    };
    if (slo.kind == SloDefinition::Kind::Latency) {
        auto sli = loadLatencySli(reader, slo, *all, matches);
        if (!sli)
            return sli.error();
        if (sli->total.empty())
            return noSeries();
        // m_bad holds the good (fast) events of a latency SLO; see window().
        SloEvaluator eval(slo, std::move(sli->total), std::move(sli->good), std::move(sli->seriesKeys));
        eval.m_sources = std::move(sli->sources);
        return eval;
    }
    RE2 errorPattern(slo.errorValues);
    if (!errorPattern.ok())
        return Error{"SLO " + slo.name, "bad error_values pattern: " + errorPattern.error(), "an RE2 pattern such as 5.."};
    CounterSet total, bad;
    std::vector<std::string> keys;
    for (const SeriesInfo& info : *all) {
        const Series& s = info.series;
        if (s.name != slo.metric || !matches(s))
            continue;
        const std::string* status = s.label(slo.errorLabel);
        const bool isBad = status && RE2::FullMatch(*status, errorPattern);
        auto samples = reader.samples(s.rowId, TimeWindow::all());
        if (!samples)
            return samples.error();
        keys.push_back(s.key());
        if (isBad)
            bad.add(CounterHistory(*samples));
        total.add(CounterHistory(std::move(*samples)));
    }
    if (total.empty())
        return noSeries();
    SloEvaluator eval(slo, std::move(total), std::move(bad), std::move(keys));
    eval.m_sources = {"counter " + slo.metric + ": " + std::to_string(eval.m_seriesKeys.size()) + " series, " + slo.errorLabel + " matching "
                      + slo.errorValues + " is bad"};
    return eval;
}

SloWindowResult SloEvaluator::window(Timestamp at, Duration length) const
{
    SloWindowResult r;
    r.window = length;
    const TimeWindow w{at - length, at};
    r.total = m_total.increase(w);
    const double second = m_bad.increase(w);
    // For latency SLOs m_bad holds the good (fast) events; see load().
    const double bad = m_slo.kind == SloDefinition::Kind::Latency ? std::max(0.0, r.total - second) : second;
    r.good = std::max(0.0, r.total - bad);
    r.errorRatio = r.total > 0 ? bad / r.total : 0;
    r.burnRate = r.errorRatio / (1 - m_slo.objective);
    return r;
}

SloStatus SloEvaluator::evaluate(Timestamp at) const
{
    SloStatus status;
    status.slo = m_slo;
    status.at = at;
    status.series = m_seriesKeys;
    status.sources = m_sources;
    for (const auto& rule : m_slo.rules) {
        BurnRateResult r;
        r.rule = rule;
        r.longWindow = window(at, rule.longWindow);
        r.shortWindow = window(at, rule.shortWindow);
        r.firing = r.longWindow.total > 0 && r.shortWindow.total > 0 && r.longWindow.burnRate > rule.factor
            && r.shortWindow.burnRate > rule.factor;
        status.firing |= r.firing;
        status.rules.push_back(r);
    }
    Duration budget = m_slo.period;
    if (auto range = m_total.range(); range && at - range->from < budget)
        budget = at - range->from;
    status.budgetWindow = budget;
    const auto whole = window(at, budget);
    status.sli = whole.total > 0 ? 1 - whole.errorRatio : 1;
    status.budgetLeft = 1 - whole.burnRate * (double(budget.count()) / double(m_slo.period.count()));
    return status;
}

std::optional<Timestamp> SloEvaluator::firstFiring(TimeWindow within, Duration step) const
{
    if (step.count() <= 0)
        return std::nullopt;
    for (Timestamp t = within.from; t <= within.to; t = t + step) {
        for (const auto& rule : m_slo.rules) {
            const auto l = window(t, rule.longWindow);
            const auto s = window(t, rule.shortWindow);
            if (l.total > 0 && s.total > 0 && l.burnRate > rule.factor && s.burnRate > rule.factor)
                return t;
        }
    }
    return std::nullopt;
}

std::vector<Sample> SloEvaluator::errorRatioSeries(TimeWindow within, Duration step) const
{
    std::vector<Sample> out;
    if (step.count() <= 0)
        return out;
    for (Timestamp t = within.from + step; t <= within.to; t = t + step) {
        const auto w = window(t, step);
        out.push_back({t, w.total > 0 ? w.errorRatio : std::nan("")});
    }
    return out;
}

Result<std::vector<SloDefinition>> detectSlos(CacheReader& reader, const CorrelationRules* rules)
{
    auto all = reader.listSeries();
    if (!all)
        return all.error();
    std::map<std::pair<std::string, std::string>, SloDefinition> found; // (service, metric)
    for (const SeriesInfo& info : *all) {
        const Series& s = info.series;
        const bool counter = s.kind == MetricKind::Counter || (s.name.size() > 6 && s.name.ends_with("_total"));
        if (!counter || s.name.ends_with("_bucket") || s.name.ends_with("_count") || s.name.ends_with("_sum"))
            continue;
        const char* statusLabel = nullptr;
        for (const char* l : kStatusLabels)
            if (s.label(l)) {
                statusLabel = l;
                break;
            }
        if (!statusLabel)
            continue;
        std::string service;
        if (const auto* v = s.label("service"))
            service = *v;
        else if (s.resource)
            service = s.resource->serviceName;
        if (rules)
            service = rules->canonicalService(service);
        auto& slo = found[{service, s.name}];
        if (slo.name.empty()) {
            slo.name = service + "-availability";
            slo.service = service;
            slo.metric = s.name;
            slo.match = {{"service", service}};
            slo.errorLabel = statusLabel;
            const std::string* value = s.label(statusLabel);
            // "5xx" status classes vs numeric codes.
            slo.errorValues = value && !value->empty() && (value->back() == 'x' || value->back() == 'X') ? "5[xX][xX]" : "5..";
        }
    }
    std::vector<SloDefinition> out;
    std::set<std::string> names;
    for (auto& [key, slo] : found) {
        if (!names.insert(slo.name).second)
            slo.name += "-" + slo.metric;
        out.push_back(std::move(slo));
    }
    return out;
}

Result<std::vector<Alert>> burnRateAlerts(CacheReader& reader, const std::vector<SloDefinition>& slos, Duration lookback,
                                          const CorrelationRules* rules)
{
    std::vector<Alert> out;
    for (const auto& slo : slos) {
        auto eval = SloEvaluator::load(reader, slo, rules);
        if (!eval)
            continue; // an SLO whose series are not in this cache says nothing here
        auto range = eval->dataRange();
        if (!range)
            continue;
        const Timestamp at = range->to;
        const auto status = eval->evaluate(at);
        if (!status.firing)
            continue;
        Alert a;
        a.name = slo.name + " burn rate";
        a.labels = {{"service", slo.service}, {"slo", slo.name}};
        for (const auto& r : status.rules)
            if (r.firing) {
                a.labels.emplace_back("severity", r.rule.severity);
                break;
            }
        std::sort(a.labels.begin(), a.labels.end());
        a.annotations = {{"summary", status.explanation()}};
        a.state = AlertState::Firing;
        a.activeSince = eval->firstFiring({at - lookback, at}, Duration::minutes(1)).value_or(at);
        double maxBurn = 0;
        for (const auto& r : status.rules)
            maxBurn = std::max(maxBurn, r.shortWindow.burnRate);
        a.value = maxBurn;
        a.source = "rootline burn-rate";
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace rootline
