#include "CausalOrder.h"

#include "LogTemplate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rootline {
namespace {

double clamp01(double v) { return std::isnan(v) ? 0 : std::clamp(v, 0.0, 1.0); }

std::string quoted(std::string_view message)
{
    std::string m(logMessage(message));
    if (m.size() > 90)
        m = m.substr(0, 87) + "...";
    return "\"" + m + "\"";
}

// Which onsets to compare: logs when both have them (the finer grain), else metrics when both
// have them, else the earliest of each at the coarser of their resolutions.
std::optional<std::pair<ServiceOnset, ServiceOnset>> comparable(const ServiceSignal& a, const ServiceSignal& b)
{
    if (a.logOnset && b.logOnset)
        return std::pair{*a.logOnset, *b.logOnset};
    if (a.metricOnset && b.metricOnset)
        return std::pair{*a.metricOnset, *b.metricOnset};
    auto ea = earliestOnset(a), eb = earliestOnset(b);
    if (ea && eb)
        return std::pair{*ea, *eb};
    return std::nullopt;
}

// Twice the coarser resolution, and never under a second: clocks of two hosts agree to about
// that, and a lead inside it orders nothing.
Duration tolerance(const ServiceOnset& a, const ServiceOnset& b)
{
    return std::max(Duration::seconds(1), Duration::nanos(2 * std::max(a.resolution.count(), b.resolution.count())));
}

} // namespace

std::string possessive(const std::string& name) { return name + (!name.empty() && name.back() == 's' ? "'" : "'s"); }

std::string durationText(Duration d)
{
    const double s = std::fabs(d.toSeconds());
    char buf[32];
    if (s >= 120)
        std::snprintf(buf, sizeof buf, "%.0f min", s / 60);
    else if (s >= 10)
        std::snprintf(buf, sizeof buf, "%.0f s", s);
    else if (s >= 1)
        std::snprintf(buf, sizeof buf, "%.1f s", s);
    else
        std::snprintf(buf, sizeof buf, "%.0f ms", s * 1000);
    return buf;
}

std::optional<ServiceOnset> earliestOnset(const ServiceSignal& signal)
{
    if (signal.logOnset && (!signal.metricOnset || signal.logOnset->time <= signal.metricOnset->time))
        return signal.logOnset;
    return signal.metricOnset;
}

namespace {

// What a signal's own messages say, read once per signal rather than once per pair: whom they
// name (service → the first message naming it) and the first that blames a dependency.
struct Words {
    std::map<std::string, std::string> names;
    std::string blames;
};

Words wordsOf(const ServiceSignal& s, const ServiceMentions& mentions)
{
    Words w;
    for (const auto& m : s.messages) {
        for (const auto& [service, word] : mentions.named(logMessage(m), s.service))
            w.names.emplace(service, quoted(m));
        if (w.blames.empty() && pointsAway(logMessage(m)))
            w.blames = quoted(m);
    }
    return w;
}

CausalLink evaluatePair(const ServiceSignal& s, const Words& sWords, const ServiceSignal& t, const Words& tWords, const ServiceTopology& topology)
{
    CausalLink link{s.service, t.service, 0, {}, {}};
    double net = 0;
    bool linked = false;

    // Words: does S name T, or T name S?
    const auto named = [](const Words& w, const std::string& service) {
        const auto it = w.names.find(service);
        return it == w.names.end() ? std::string() : it->second;
    };
    const std::string sNamesT = named(sWords, t.service), tNamesS = named(tWords, s.service), sBlames = sWords.blames;
    if (!sNamesT.empty() && tNamesS.empty()) {
        net += 1;
        linked = true;
        link.reasons.push_back(possessive(s.service) + " errors name " + t.service + " (" + sNamesT + ")");
    } else if (!tNamesS.empty() && sNamesT.empty()) {
        net -= 1;
        linked = true;
    } else if (!sNamesT.empty()) {
        linked = true;
        link.neutral.push_back("each names the other");
    } else {
        link.neutral.push_back("neither names the other");
    }

    // Topology: who calls whom, as known from outside the window.
    const auto down = topology.path(s.service, t.service);
    const auto up = topology.path(t.service, s.service);
    auto pathText = [](const std::vector<std::string>& p) {
        std::string out;
        for (const auto& step : p)
            out += (out.empty() ? "" : " → ") + step;
        return out;
    };
    if (!down.empty() && up.empty()) {
        linked = true;
        const bool direct = down.size() == 2;
        net += direct ? 1 : 0.8;
        link.reasons.push_back(direct ? s.service + " calls " + t.service + " (known from " + topology.sourceOf(s.service, t.service) + ")"
                                      : s.service + " depends on " + t.service + " through " + pathText(down));
        if (sNamesT.empty() && !sBlames.empty()) {
            net += 0.5; // it blames a dependency, and T is one
            link.reasons.push_back(possessive(s.service) + " errors blame a dependency (" + sBlames + ")");
        }
    } else if (!up.empty() && down.empty()) {
        linked = true;
        net -= 1;
    } else if (!up.empty()) {
        linked = true;
        link.neutral.push_back(s.service + " and " + t.service + " call each other");
    } else {
        link.neutral.push_back("no known dependency links them");
    }

    // Precedence: whose trouble started first, by more than the data's resolution?
    if (auto pair = comparable(s, t)) {
        const auto& [so, to] = *pair;
        const Duration lead = so.time - to.time; // > 0: T first
        const Duration tol = tolerance(so, to);
        const double vote = clamp01((std::fabs(double(lead.count())) - double(tol.count())) / double(tol.count()));
        if (vote > 0 && lead.count() > 0) {
            net += vote;
            link.reasons.push_back(possessive(t.service) + " trouble started " + durationText(lead) + " before " + possessive(s.service) + " (" + to.time.toRfc3339()
                                   + ", " + to.what + "; onsets known to within " + durationText(Duration::nanos(tol.count() / 2)) + ")");
        } else if (vote > 0) {
            net -= vote;
        } else {
            link.neutral.push_back("they started within " + durationText(lead) + " of each other, inside the " + durationText(tol)
                                   + " the data can resolve");
        }
    }

    // Metrics: whose error or saturation series moved first, and alone?
    if (s.metricOnset && t.metricOnset) {
        const Duration lead = s.metricOnset->time - t.metricOnset->time;
        const Duration step = std::max(s.metricOnset->resolution, t.metricOnset->resolution);
        if (step.count() > 0 && lead >= step) {
            net += 0.5;
            link.reasons.push_back(possessive(t.service) + " " + t.metricOnset->what + " moved first, alone for " + durationText(lead) + " before "
                                   + possessive(s.service) + " " + s.metricOnset->what);
        } else if (step.count() > 0 && Duration::nanos(-lead.count()) >= step) {
            net -= 0.5;
        } else {
            link.neutral.push_back("their series moved in the same scrape");
        }
    }

    link.strength = linked ? clamp01(net / 2) : 0;
    return link;
}

} // namespace

CausalOrder CausalOrder::order(std::vector<ServiceSignal> signals, const ServiceTopology& topology, const ServiceMentions& mentions)
{
    CausalOrder out;
    std::sort(signals.begin(), signals.end(), [](const ServiceSignal& a, const ServiceSignal& b) { return a.service < b.service; });
    out.m_signals = std::move(signals);
    std::vector<Words> words;
    for (const auto& s : out.m_signals) {
        out.m_roles[s.service];
        words.push_back(wordsOf(s, mentions));
    }
    for (size_t si = 0; si < out.m_signals.size(); ++si)
        for (size_t ti = 0; ti < out.m_signals.size(); ++ti) {
            const ServiceSignal& s = out.m_signals[si];
            const ServiceSignal& t = out.m_signals[ti];
            if (si == ti)
                continue;
            CausalLink link = evaluatePair(s, words[si], t, words[ti], topology);
            CausalRole& sr = out.m_roles[s.service];
            CausalRole& tr = out.m_roles[t.service];
            if (link.strength > sr.asSymptom) {
                sr.asSymptom = link.strength;
                sr.symptomOf = t.service;
                sr.symptomReasons = link.reasons;
            }
            if (link.strength >= 0.5)
                tr.explains.push_back(s.service);
            if (link.strength > tr.asCause) {
                tr.asCause = link.strength;
                tr.causeReasons = link.reasons;
            }
            out.m_links.push_back(std::move(link));
        }
    // First, decisively, before every other signal: worth saying even with no link to them.
    for (const auto& s : out.m_signals) {
        const auto so = earliestOnset(s);
        if (!so || out.m_signals.size() < 2)
            continue;
        Duration smallestLead = Duration::hours(24 * 365);
        std::string next;
        bool first = true;
        for (const auto& t : out.m_signals) {
            if (t.service == s.service)
                continue;
            auto pair = comparable(t, s);
            if (!pair)
                continue;
            const Duration lead = pair->first.time - pair->second.time;
            if (lead < tolerance(pair->first, pair->second) * 2) {
                first = false;
                break;
            }
            if (lead < smallestLead) {
                smallestLead = lead;
                next = t.service;
            }
        }
        if (first && !next.empty()) {
            CausalRole& r = out.m_roles[s.service];
            r.first = true;
            r.firstText = possessive(s.service) + " trouble started first, " + durationText(smallestLead) + " before " + possessive(next) + " (" + so->what + " at "
                + so->time.toRfc3339() + ")";
        }
    }
    // Whoever started after the first one, with nothing linking them, says so: a separate fault,
    // or a link the data does not show — either way not hidden behind the first.
    for (const auto& s : out.m_signals) {
        CausalRole& r = out.m_roles[s.service];
        if (r.first || r.asSymptom > 0)
            continue;
        for (const auto& f : out.m_signals) {
            const CausalRole& fr = out.m_roles[f.service];
            const auto pair = comparable(s, f);
            if (!fr.first || !pair)
                continue;
            r.afterText = possessive(s.service) + " trouble started " + durationText(pair->first.time - pair->second.time) + " after "
                + possessive(f.service) + ", with nothing linking the two: a separate fault, or a link the data does not show";
        }
    }
    return out;
}

const CausalRole& CausalOrder::role(const std::string& service) const
{
    static const CausalRole none;
    const auto it = m_roles.find(service);
    return it == m_roles.end() ? none : it->second;
}

double CausalOrder::strength(const std::string& symptom, const std::string& cause) const
{
    for (const auto& l : m_links)
        if (l.symptom == symptom && l.cause == cause)
            return l.strength;
    return 0;
}

const ServiceSignal* CausalOrder::signal(const std::string& service) const
{
    for (const auto& s : m_signals)
        if (s.service == service)
            return &s;
    return nullptr;
}

std::string CausalOrder::tieText(const std::string& a, const std::string& b) const
{
    const CausalLink* link = nullptr;
    for (const auto& l : m_links)
        if (l.symptom == a && l.cause == b)
            link = &l;
    std::string why;
    if (link)
        for (const auto& n : link->neutral)
            why += (why.empty() ? "" : "; ") + n;
    if (why.empty())
        why = "the evidence points both ways";
    return "equally likely as " + b + ": " + why + ". A trace through both services, a service-graph metric, or a longer window with an "
        + "earlier start would separate them; they may also be two separate faults";
}

} // namespace rootline
