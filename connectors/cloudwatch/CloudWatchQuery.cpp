#include "CloudWatchQuery.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <set>
#include <sstream>

namespace rootline::aws {
namespace {

std::string trim(std::string_view s)
{
    while (!s.empty() && std::isspace((unsigned char)s.front()))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace((unsigned char)s.back()))
        s.remove_suffix(1);
    return std::string(s);
}

Error queryError(const std::string& what, const std::string& hint = {})
{
    return Error{"cloudwatch query", what,
                 hint.empty() ? "write `Namespace MetricName Dim=Value stat=Average`, `= m1 * 100`, or the MetricDataQueries JSON" : hint};
}

bool validId(const std::string& id)
{
    if (id.empty() || id.size() > 255 || !std::islower((unsigned char)id[0]))
        return false;
    for (char c : id)
        if (!std::isalnum((unsigned char)c) && c != '_')
            return false;
    return true;
}

// Splits on spaces, keeping "quoted values" together (dimension values may contain spaces).
std::vector<std::string> tokens(const std::string& s)
{
    std::vector<std::string> out;
    std::string cur;
    bool quoted = false;
    for (char c : s) {
        if (c == '"') {
            quoted = !quoted;
            continue;
        }
        if (!quoted && std::isspace((unsigned char)c)) {
            if (!cur.empty())
                out.push_back(std::move(cur));
            cur.clear();
            continue;
        }
        cur.push_back(c);
    }
    if (!cur.empty())
        out.push_back(std::move(cur));
    return out;
}

Result<std::vector<MetricQuerySpec>> fromJson(const std::string& text)
{
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded())
        return queryError("the query looks like JSON but does not parse");
    if (j.is_object() && j.contains("MetricDataQueries"))
        j = j["MetricDataQueries"];
    if (j.is_object())
        j = nlohmann::json::array({j});
    if (!j.is_array())
        return queryError("expected an array of MetricDataQuery objects");
    std::vector<MetricQuerySpec> out;
    try {
        for (const auto& q : j) {
            MetricQuerySpec s;
            s.id = q.value("Id", "");
            s.label = q.value("Label", "");
            s.returnData = q.value("ReturnData", true);
            s.period = q.value("Period", 0);
            if (q.contains("Expression")) {
                s.expression = q["Expression"].get<std::string>();
            } else if (q.contains("MetricStat")) {
                const auto& ms = q["MetricStat"];
                const auto& m = ms.at("Metric");
                s.ns = m.value("Namespace", "");
                s.metricName = m.value("MetricName", "");
                if (m.contains("Dimensions"))
                    for (const auto& d : m["Dimensions"])
                        s.dimensions.emplace_back(d.at("Name").get<std::string>(), d.at("Value").get<std::string>());
                s.stat = ms.value("Stat", "Average");
                s.unit = ms.value("Unit", "");
                s.period = ms.value("Period", 0);
            } else {
                return queryError("MetricDataQuery " + s.id + " has neither MetricStat nor Expression");
            }
            out.push_back(std::move(s));
        }
    } catch (const nlohmann::json::exception& e) {
        return queryError(std::string("bad MetricDataQuery JSON: ") + e.what());
    }
    return out;
}

} // namespace

Result<std::vector<MetricQuerySpec>> parseMetricQuery(const std::string& textIn)
{
    const std::string text = trim(textIn);
    if (text.empty())
        return queryError("empty metric query");
    std::vector<MetricQuerySpec> specs;
    if (text.front() == '[' || text.front() == '{') {
        auto r = fromJson(text);
        if (!r)
            return r.error();
        specs = std::move(*r);
    } else {
        std::stringstream ss(text);
        std::string statement;
        while (std::getline(ss, statement, ';')) {
            statement = trim(statement);
            if (statement.empty())
                continue;
            MetricQuerySpec s;
            std::string upper;
            for (size_t i = 0; i < std::min<size_t>(7, statement.size()); ++i)
                upper.push_back(char(std::toupper((unsigned char)statement[i])));
            if (upper.rfind("SELECT ", 0) == 0) {
                s.expression = statement; // Metrics Insights: one statement, taken whole
                specs.push_back(std::move(s));
                continue;
            }
            const bool expression = statement.front() == '=';
            std::vector<std::string> words = tokens(expression ? statement.substr(1) : statement);
            std::vector<std::string> positional;
            for (const auto& w : words) {
                const auto eq = w.find('=');
                // In an expression only the trailing option words are key=value.
                const std::string key = eq == std::string::npos ? std::string() : w.substr(0, eq);
                const bool option = key == "id" || key == "label" || key == "stat" || key == "period" || key == "unit";
                if (eq == std::string::npos || (expression && !option)) {
                    positional.push_back(w);
                    continue;
                }
                const std::string value = w.substr(eq + 1);
                if (key == "id") s.id = value;
                else if (key == "label") s.label = value;
                else if (key == "stat") s.stat = value;
                else if (key == "unit") s.unit = value;
                else if (key == "period") {
                    try {
                        s.period = std::stoi(value);
                    } catch (...) {
                        return queryError("period=" + value + " is not a number of seconds");
                    }
                } else s.dimensions.emplace_back(key, value);
            }
            if (expression) {
                for (const auto& p : positional)
                    s.expression += (s.expression.empty() ? "" : " ") + p;
                if (s.expression.empty())
                    return queryError("empty expression after '='");
            } else {
                if (positional.size() != 2)
                    return queryError("`" + statement + "`: expected a namespace and a metric name, then Dim=Value words");
                s.ns = positional[0];
                s.metricName = positional[1];
            }
            specs.push_back(std::move(s));
        }
    }
    if (specs.empty())
        return queryError("no metric statements");
    if (specs.size() > 500)
        return queryError("more than 500 metric queries", "GetMetricData takes at most 500 per call: split the query");
    // Ids: as given, else m1…/e1…; unique and AWS-valid.
    std::set<std::string> used;
    for (const auto& s : specs)
        if (!s.id.empty())
            used.insert(s.id);
    int m = 0, e = 0;
    std::set<std::string> seen;
    for (auto& s : specs) {
        if (s.id.empty()) {
            do
                s.id = s.expression.empty() ? "m" + std::to_string(++m) : "e" + std::to_string(++e);
            while (used.count(s.id));
        }
        if (!validId(s.id))
            return queryError("invalid id `" + s.id + "`", "ids start with a lower-case letter, then letters, digits and _");
        if (!seen.insert(s.id).second)
            return queryError("id `" + s.id + "` used twice");
        if (s.period < 0)
            return queryError("negative period");
    }
    return specs;
}

MetricTemplate metricTemplate(const MetricQuerySpec& spec, const std::string& region)
{
    MetricTemplate t;
    t.resourceAttributes.set("cloud.provider", std::string("aws"));
    if (!region.empty())
        t.resourceAttributes.set("cloud.region", region);
    if (spec.expression.empty()) {
        t.name = spec.metricName;
        t.labels.emplace_back("namespace", spec.ns);
        t.labels.emplace_back("stat", spec.stat);
        t.resourceAttributes.set("aws.namespace", spec.ns);
        for (const auto& [k, v] : spec.dimensions) {
            t.labels.emplace_back(k, v);
            t.resourceAttributes.set(k, v);
            // CloudWatch dimensions that name the emitter.
            if (k == "ServiceName" || k == "FunctionName" || k == "Service" || k == "service" || k == "ApiName"
                || k == "TableName" || k == "QueueName" || k == "DBInstanceIdentifier")
                if (!t.resourceAttributes.find("service.name"))
                    t.resourceAttributes.set("service.name", v);
            if (k == "InstanceId")
                t.resourceAttributes.set("host.id", v);
            if (k == "ClusterName")
                t.resourceAttributes.set("service.namespace", v);
        }
        t.unit = spec.unit;
    } else {
        t.name = spec.label.empty() ? spec.id : spec.label;
        t.labels.emplace_back("expression", spec.expression);
    }
    return t;
}

Result<LogsQuerySpec> parseLogsQuery(const std::string& textIn)
{
    const std::string text = trim(textIn);
    LogsQuerySpec spec;
    size_t end = 0;
    while (end < text.size() && !std::isspace((unsigned char)text[end]) && text[end] != '|')
        ++end;
    const std::string groups = text.substr(0, end);
    std::stringstream ss(groups);
    std::string g;
    while (std::getline(ss, g, ','))
        if (!(g = trim(g)).empty())
            spec.groups.push_back(g);
    if (spec.groups.empty())
        return Error{"cloudwatch logs query", "no log group", "start the query with the log group(s): `/ecs/checkout[,/ecs/payment] [filter pattern | | insights query]`"};
    std::string rest = trim(text.substr(end));
    if (!rest.empty() && rest.front() == '|' && (rest.size() < 2 || rest[1] != '|')) {
        spec.insightsQuery = trim(rest.substr(1));
        if (spec.insightsQuery.empty())
            return Error{"cloudwatch logs query", "nothing after '|'", "write a Logs Insights query, e.g. `| fields @timestamp, @message`"};
        if (spec.groups.size() > 50)
            return Error{"cloudwatch logs query", "more than 50 log groups", "Logs Insights queries at most 50 groups"};
    } else {
        spec.filterPattern = rest;
    }
    return spec;
}

std::string xrayFilterExpression(const std::string& query, const std::vector<std::pair<std::string, std::string>>& search)
{
    std::vector<std::string> clauses;
    if (!trim(query).empty())
        clauses.push_back(trim(query));
    auto quoted = [](const std::string& v) {
        std::string q = "\"";
        for (char c : v) {
            if (c == '"' || c == '\\')
                q.push_back('\\');
            q.push_back(c);
        }
        return q + "\"";
    };
    auto seconds = [](const std::string& v) -> std::string {
        auto d = parseDuration(v);
        if (!d)
            return v;
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.6g", d->toSeconds());
        return buf;
    };
    for (const auto& [k, v] : search) {
        if (k == "filter") clauses.push_back(v);
        else if (k == "service") clauses.push_back("service(" + quoted(v) + ")");
        else if (k == "operation") clauses.push_back("http.url CONTAINS " + quoted(v));
        else if (k == "minDuration") clauses.push_back("duration >= " + seconds(v));
        else if (k == "maxDuration") clauses.push_back("duration <= " + seconds(v));
        else if (k == "error" || k == "fault" || k == "throttle") clauses.push_back(k + " = " + (v == "false" ? "false" : "true"));
        else if (k == "lookback" || k == "limit") continue;
        else if (k == "tags") continue; // logfmt tags: not expressible generically in X-Ray
        else clauses.push_back("annotation." + k + " = " + quoted(v));
    }
    std::string out;
    for (const auto& c : clauses)
        out += (out.empty() ? "" : " AND ") + c;
    return out;
}

} // namespace rootline::aws
