#include "CorrelationRules.h"

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace rootline {

std::vector<BurnRateRule> defaultBurnRateRules()
{
    return {
        {14.4, Duration::hours(1), Duration::minutes(5), "page"},
        {6.0, Duration::hours(6), Duration::minutes(30), "page"},
        {1.0, Duration::hours(72), Duration::hours(6), "ticket"},
    };
}

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

Error ruleError(const std::string& where, const YAML::Node& node, std::string what, std::string hint = {})
{
    const auto mark = node.Mark();
    std::string place = where;
    if (mark.line >= 0)
        place += ":" + std::to_string(mark.line + 1);
    return Error{place, std::move(what), std::move(hint)};
}

Result<Duration> durationOf(const YAML::Node& node, const std::string& where)
{
    std::string text = node.as<std::string>();
    // Go durations have no "d"; SLO periods are written in days, so accept a plain "30d".
    if (!text.empty() && text.back() == 'd') {
        const std::string days = text.substr(0, text.size() - 1);
        char* end = nullptr;
        const long n = std::strtol(days.c_str(), &end, 10);
        if (end && *end == '\0' && n > 0)
            return Duration::hours(24 * n);
    }
    auto d = parseDuration(text);
    if (!d)
        return ruleError(where, node, "not a duration: '" + text + "'", "write e.g. 5m, 1h, 30d");
    return *d;
}

Result<IdEncoding> encodingOf(const std::string& text)
{
    const std::string t = lower(text);
    if (t.empty() || t == "auto")
        return IdEncoding::Auto;
    if (t == "hex")
        return IdEncoding::Hex;
    if (t == "decimal")
        return IdEncoding::Decimal;
    if (t == "xray" || t == "x-ray")
        return IdEncoding::XRay;
    if (t == "base64")
        return IdEncoding::Base64;
    return Error{"", "unknown id encoding '" + text + "'", "use auto, hex, decimal, xray or base64"};
}

Result<SloDefinition> sloOf(const YAML::Node& node, const std::string& where)
{
    SloDefinition slo;
    slo.name = node["name"].as<std::string>("");
    slo.service = node["service"].as<std::string>("");
    slo.metric = node["metric"].as<std::string>("");
    if (slo.name.empty() || slo.metric.empty())
        return ruleError(where, node, "an SLO needs a name and a metric");
    const std::string kind = lower(node["kind"].as<std::string>("availability"));
    if (kind == "latency")
        slo.kind = SloDefinition::Kind::Latency;
    else if (kind != "availability")
        return ruleError(where, node, "unknown SLO kind '" + kind + "'", "use availability or latency");
    if (auto m = node["match"]; m && m.IsMap())
        for (const auto& kv : m)
            slo.match.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
    std::sort(slo.match.begin(), slo.match.end());
    slo.errorLabel = node["error_label"].as<std::string>(slo.errorLabel);
    slo.errorValues = node["error_values"].as<std::string>(slo.errorValues);
    slo.thresholdSeconds = node["threshold"].as<double>(0);
    if (slo.kind == SloDefinition::Kind::Latency && slo.thresholdSeconds <= 0)
        return ruleError(where, node, "a latency SLO needs a threshold in seconds");
    slo.objective = node["objective"].as<double>(slo.objective);
    if (slo.objective <= 0 || slo.objective >= 1)
        return ruleError(where, node, "objective must lie between 0 and 1 (e.g. 0.999)");
    if (auto p = node["period"]) {
        auto d = durationOf(p, where);
        if (!d)
            return d.error();
        slo.period = *d;
    }
    if (auto w = node["windows"]; w && w.IsSequence()) {
        slo.rules.clear();
        for (const auto& r : w) {
            BurnRateRule rule;
            rule.factor = r["factor"].as<double>(0);
            auto l = durationOf(r["long"], where);
            auto s = durationOf(r["short"], where);
            if (!l)
                return l.error();
            if (!s)
                return s.error();
            rule.longWindow = *l;
            rule.shortWindow = *s;
            rule.severity = r["severity"].as<std::string>("page");
            if (rule.factor <= 0 || rule.shortWindow >= rule.longWindow)
                return ruleError(where, r, "a burn-rate window needs factor > 0 and short < long");
            slo.rules.push_back(rule);
        }
    }
    return slo;
}

} // namespace

std::string CorrelationRules::canonicalService(std::string_view name) const
{
    if (serviceAliases.empty())
        return std::string(name);
    const std::string key = lower(name);
    if (auto it = serviceAliases.find(key); it != serviceAliases.end())
        return it->second;
    if (auto slash = key.rfind('/'); slash != std::string::npos) {
        if (auto it = serviceAliases.find(std::string_view(key).substr(slash + 1)); it != serviceAliases.end())
            return it->second;
    }
    return std::string(name);
}

Status CorrelationRules::addDerivedField(DerivedField field, const std::string& where)
{
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_shared<const RE2>(field.pattern, options);
    if (!re->ok())
        return Error{where, "derived field '" + field.name + "': bad regular expression: " + re->error(),
                     "RE2 syntax (no backreferences or lookaround)"};
    if (re->NumberOfCapturingGroups() < 1)
        return Error{where, "derived field '" + field.name + "': the regular expression has no capture group",
                     "put the id in parentheses, e.g. traceID=(\\w+)"};
    field.regex = std::move(re);
    derivedFields.push_back(std::move(field));
    return {};
}

Result<CorrelationRules> CorrelationRules::parse(std::string_view text, const std::string& where)
{
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        return Error{where + ":" + std::to_string(e.mark.line + 1), "not valid YAML or JSON: " + e.msg, {}};
    }
    CorrelationRules rules;
    rules.origin = where;
    if (root.IsNull())
        return rules;
    if (!root.IsMap())
        return Error{where, "the rules file must be a mapping with derived_fields, service_aliases and slos", {}};
    try {
        if (auto v = root["version"]; v && v.as<int>(1) != 1)
            return ruleError(where, v, "rules version " + v.as<std::string>() + " is newer than this Rootline reads (1)");
        if (auto fields = root["derived_fields"]; fields) {
            if (!fields.IsSequence())
                return ruleError(where, fields, "derived_fields must be a list");
            for (const auto& f : fields) {
                DerivedField field;
                field.name = f["name"].as<std::string>("");
                field.pattern = f["regex"].as<std::string>("");
                if (field.pattern.empty())
                    return ruleError(where, f, "derived field '" + field.name + "' has no regex");
                field.source = f["source"].as<std::string>("body");
                const std::string target = lower(f["target"].as<std::string>("trace_id"));
                if (target == "span_id" || target == "spanid")
                    field.target = DerivedField::Target::SpanId;
                else if (target != "trace_id" && target != "traceid")
                    return ruleError(where, f, "unknown target '" + target + "'", "use trace_id or span_id");
                auto enc = encodingOf(f["encoding"].as<std::string>("auto"));
                if (!enc)
                    return ruleError(where, f, enc.error().what, enc.error().hint);
                field.encoding = *enc;
                const auto mark = f.Mark();
                if (auto s = rules.addDerivedField(std::move(field), where + ":" + std::to_string(mark.line + 1)); !s)
                    return s.error();
            }
        }
        if (auto aliases = root["service_aliases"]; aliases) {
            if (!aliases.IsMap())
                return ruleError(where, aliases, "service_aliases must map a service to its other names");
            for (const auto& kv : aliases) {
                const std::string canonical = kv.first.as<std::string>();
                rules.serviceAliases[lower(canonical)] = canonical;
                if (kv.second.IsSequence()) {
                    for (const auto& a : kv.second)
                        rules.serviceAliases[lower(a.as<std::string>())] = canonical;
                } else if (kv.second.IsScalar()) {
                    rules.serviceAliases[lower(kv.second.as<std::string>())] = canonical;
                }
            }
        }
        if (auto slos = root["slos"]; slos) {
            if (!slos.IsSequence())
                return ruleError(where, slos, "slos must be a list");
            for (const auto& s : slos) {
                auto slo = sloOf(s, where);
                if (!slo)
                    return slo.error();
                rules.slos.push_back(std::move(*slo));
            }
        }
    } catch (const YAML::Exception& e) {
        return Error{where + ":" + std::to_string(e.mark.line + 1), "unexpected value: " + e.msg, {}};
    }
    return rules;
}

Result<CorrelationRules> CorrelationRules::load(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{path, "cannot open the rules file", "check the path given with --rules"};
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

std::string CorrelationRules::defaultPath()
{
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        return std::string(xdg) + "/rootline/rules.yaml";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.config/rootline/rules.yaml";
    return "rules.yaml";
}

} // namespace rootline
