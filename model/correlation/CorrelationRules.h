#pragma once

// Correlation rules a team can keep under version control and share (issue 5 item 6): derived
// fields that pull trace and span ids out of log lines, service aliases that say which names from
// different sources mean the same service, and SLO definitions. One YAML (or JSON) file:
//
//   version: 1
//   derived_fields:
//     - name: legacy-gateway
//       regex: 'txn=([0-9a-f]{32})'   # RE2 (linear time); capture group 1 is the id
//       source: body                  # or an attribute key, e.g. "labels.request"
//       target: trace_id              # or span_id
//       encoding: hex                 # auto | hex | decimal | xray | base64
//   service_aliases:
//     checkout: [checkout-service, shop/checkout, CheckoutLambda]
//   slos:
//     - name: checkout-availability
//       service: checkout
//       kind: availability            # or latency
//       metric: http_server_requests_total
//       match: {service: checkout}
//       error_label: status           # availability: bad when this label matches error_values
//       error_values: '5..'
//       threshold: 0.5                # latency: seconds; metric is the histogram's _bucket series
//       objective: 0.999
//       period: 30d
//       windows:                      # optional; the SRE-workbook defaults otherwise
//         - {factor: 14.4, long: 1h, short: 5m, severity: page}

#include "SloDefinition.h"
#include "core/Ids.h"
#include "core/Result.h"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 {
class RE2;
}

namespace rootline {

struct DerivedField {
    enum class Target { TraceId, SpanId };
    std::string name;
    std::string pattern;        // as written in the rules file
    std::string source = "body"; // "body", or the attribute key whose value is searched
    Target target = Target::TraceId;
    IdEncoding encoding = IdEncoding::Auto;
    std::shared_ptr<const re2::RE2> regex; // compiled once, shared by every copy of the rules
};

struct CorrelationRules {
    std::vector<DerivedField> derivedFields;
    // lower-cased alias → canonical service name
    std::map<std::string, std::string, std::less<>> serviceAliases;
    std::vector<SloDefinition> slos;
    std::string origin; // the file the rules came from, for messages

    // The name the rest of Rootline uses for `name`: its alias target, else `name` itself. Also
    // tries the part after a "namespace/" prefix (Prometheus job convention).
    std::string canonicalService(std::string_view name) const;

    // Parses YAML or JSON text; `where` names it in errors ("rules.yaml").
    static Result<CorrelationRules> parse(std::string_view text, const std::string& where);
    static Result<CorrelationRules> load(const std::string& path);
    // $XDG_CONFIG_HOME/rootline/rules.yaml (or ~/.config/rootline/rules.yaml).
    static std::string defaultPath();
    // Adds a derived field, compiling its regex; the error names the rule.
    Status addDerivedField(DerivedField field, const std::string& where);
};

} // namespace rootline
