#pragma once

// Cause or symptom, without a trace that connects them (issue 15). When two services start
// failing in the same incident and no trace shows which call failed first, four kinds of
// evidence still order them; each is weighed for the pair "S fails because of T":
//   words       S's new error messages name T (its service name, or a host or host:port only T
//               runs on); T naming S counts against. +1 / −1.
//   topology    S calls T, directly or through others, in the dependency edges known from traces
//               outside the window or service-graph metrics; T calling S counts against. An error
//               in a caller that follows an error in its callee is a symptom. +1 (+0.8 through
//               others) / −1.
//   precedence  T's trouble started before S's, by more than twice the resolution of the two
//               onsets (a log line every 2 s cannot order events 300 ms apart). Up to ±1.
//   metrics     T's error or saturation series left its baseline at least one sample before S's
//               did: it moved first, and alone. ±0.5.
// Timing alone does not make a symptom — two unrelated faults can start a minute apart — so the
// votes count only when words or topology link the pair; then the link's strength is
// clamp(net / 2, 0, 1): two agreeing pieces of evidence settle it, one alone half settles it.
// Pure: the ranker gathers the signals, this orders them, tests table-drive it.

#include "ServiceMentions.h"
#include "ServiceTopology.h"
#include "core/Time.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rootline {

struct ServiceOnset {
    Timestamp time;
    Duration resolution; // how precisely `time` is known: log spacing or timestamp grain, scrape interval
    std::string what;    // what started then, in words: a log template, a series key
};

// One service's trouble in the incident window, as the ranker found it.
struct ServiceSignal {
    std::string service;
    std::optional<ServiceOnset> logOnset;    // its first new or spiking warning-or-worse template
    std::optional<ServiceOnset> metricOnset; // its first error or saturation series to depart
    std::vector<std::string> messages;       // example messages of its new or spiking templates
};

struct CausalLink {
    std::string symptom, cause;
    double strength = 0; // 0..1
    std::vector<std::string> reasons; // each piece of evidence that agreed, in words
    std::vector<std::string> neutral; // what was looked at and ordered nothing, in words
};

struct CausalRole {
    double asSymptom = 0; // the strongest link to a cause
    std::string symptomOf;
    std::vector<std::string> symptomReasons;
    double asCause = 0;   // the strongest link from a symptom
    std::vector<std::string> explains; // services it explains (link ≥ 0.5)
    std::vector<std::string> causeReasons; // the strongest such link's reasons
    bool first = false;   // its trouble started decisively before every other signal's
    std::string firstText;
    std::string afterText; // it started after the first one, with no link to it: said, not hidden
};

class CausalOrder {
public:
    static CausalOrder order(std::vector<ServiceSignal> signals, const ServiceTopology& topology, const ServiceMentions& mentions);

    const CausalRole& role(const std::string& service) const;
    const std::vector<CausalLink>& links() const { return m_links; }
    // The link "symptom fails because of cause"; strength 0 when there is none.
    double strength(const std::string& symptom, const std::string& cause) const;
    // Why the evidence does not order `a` and `b`, and what would: for a reported tie.
    std::string tieText(const std::string& a, const std::string& b) const;
    const ServiceSignal* signal(const std::string& service) const;

private:
    std::vector<ServiceSignal> m_signals;
    std::map<std::string, CausalRole> m_roles;
    std::vector<CausalLink> m_links; // every ordered pair of signals, evaluated once
};

// The earliest of a signal's onsets (log or metric); nullopt when it has neither.
std::optional<ServiceOnset> earliestOnset(const ServiceSignal& signal);
// "accounts'", "billing's".
std::string possessive(const std::string& name);
// "30 s", "1.2 s", "350 ms": a lead or a resolution, as the explanations say it.
std::string durationText(Duration d);

} // namespace rootline
