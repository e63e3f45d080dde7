#include "PrometheusApi.h"

#include "CheckedIterate.h"
#include "core/JsonDepth.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

namespace rootline {

namespace od = simdjson::ondemand;
using json = nlohmann::json;

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n' || s.back() == ','))
        s.remove_suffix(1);
    return s;
}

std::string snippet(std::string_view s, size_t max = 200)
{
    std::string out(trim(s.substr(0, max)));
    for (char& c : out)
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
    return out;
}

std::string hintFor(const std::string& errorType, const std::string& message)
{
    if (message.find("11,000 points") != std::string::npos || message.find("maximum resolution") != std::string::npos)
        return "increase the step or shorten the time range";
    if (message.find("too many samples") != std::string::npos)
        return "the query loads too many samples: shorten the range, raise the step or aggregate";
    if (errorType == "bad_data")
        return "check the query syntax and parameters";
    if (errorType == "execution")
        return "the query is valid but failed to evaluate; check label matching (on/ignoring, group_left)";
    if (errorType == "timeout")
        return "the query timed out on the server: shorten the range or simplify the query";
    if (errorType == "canceled")
        return "the server cancelled the query";
    if (errorType == "unavailable" || errorType == "internal")
        return "the server is unavailable or failing; try again later";
    if (errorType == "not_found")
        return "the endpoint or object does not exist on this server";
    return {};
}

// A JSON value that should be a scalar's text: strings unquoted, numbers as written.
std::string_view scalarText(od::value v)
{
    if (v.type() == od::json_type::string)
        return std::string_view(v.get_string());
    return trim(v.raw_json_token());
}

PromLabels readLabels(od::value v)
{
    PromLabels out;
    if (v.type() != od::json_type::object)
        return out;
    for (auto field : v.get_object()) {
        std::string key(std::string_view(field.unescaped_key()));
        od::value value = field.value();
        out.emplace_back(std::move(key), std::string(scalarText(value)));
    }
    return out;
}

// Checks "status" before anything else is trusted: Prometheus always sends it first, but a saved
// file may have been reformatted, so errors are found by value, not by position.
struct Envelope {
    std::string status, errorType, error;
    std::vector<std::string> warnings;
};

Error envelopeError(const Envelope& env, const std::string& origin)
{
    Error e;
    e.where = origin;
    e.what = (env.errorType.empty() ? std::string("error") : env.errorType) + ": " + (env.error.empty() ? std::string("(no message)") : env.error);
    e.hint = hintFor(env.errorType, env.error);
    return e;
}

void readStringArray(od::value v, std::vector<std::string>& out, const char* prefix = "")
{
    if (v.type() != od::json_type::array)
        return;
    for (auto item : v.get_array()) {
        od::value x = item.value();
        out.push_back(prefix + std::string(scalarText(x)));
    }
}

struct PointReader {
    const std::string& origin;
    std::vector<PromRejection>& rejections;

    std::string location(size_t series, const char* key, size_t index) const
    {
        return origin + "#result[" + std::to_string(series) + "]." + key + "[" + std::to_string(index) + "]";
    }

    // [<t>, "<v>"]
    std::optional<Sample> sample(od::value pair, size_t series, const char* key, size_t index)
    {
        Sample s;
        int i = 0;
        std::string_view tText, vText;
        for (auto el : pair.get_array()) {
            od::value x = el.value();
            if (i == 0)
                tText = scalarText(x);
            else if (i == 1)
                vText = scalarText(x);
            ++i;
        }
        if (i != 2) {
            rejections.push_back({location(series, key, index), "a point is [time, \"value\"]", std::to_string(i) + " elements"});
            return std::nullopt;
        }
        auto t = parseSecondsText(tText);
        if (!t) {
            rejections.push_back({location(series, key, index), t.error().what, std::string(tText)});
            return std::nullopt;
        }
        auto v = parsePrometheusValue(vText);
        if (!v) {
            rejections.push_back({location(series, key, index), v.error().what, std::string(vText)});
            return std::nullopt;
        }
        s.time = *t;
        s.value = *v;
        return s;
    }

    // [<t>, {"count","sum","buckets":[[rule,"lo","hi","n"],...]}]
    std::optional<HistogramSample> histogram(od::value pair, size_t series, const char* key, size_t index)
    {
        HistogramSample h;
        int i = 0;
        std::string problem;
        std::string bad;
        for (auto el : pair.get_array()) {
            od::value x = el.value();
            if (i == 0) {
                const std::string_view tText = scalarText(x);
                auto t = parseSecondsText(tText);
                if (!t) {
                    problem = t.error().what;
                    bad = std::string(tText);
                } else {
                    h.time = *t;
                }
            } else if (i == 1 && x.type() == od::json_type::object) {
                for (auto field : x.get_object()) {
                    const std::string_view k = field.unescaped_key();
                    od::value fv = field.value();
                    if (k == "count" || k == "sum") {
                        auto v = parsePrometheusValue(scalarText(fv));
                        if (!v) {
                            problem = v.error().what;
                        } else {
                            (k == "count" ? h.count : h.sum) = *v;
                        }
                    } else if (k == "buckets" && fv.type() == od::json_type::array) {
                        for (auto b : fv.get_array()) {
                            HistogramBucket bucket;
                            int j = 0;
                            for (auto part : b.get_array()) {
                                od::value pv = part.value();
                                const std::string_view text = scalarText(pv);
                                if (j >= 1 && j <= 3) {
                                    auto v = parsePrometheusValue(text);
                                    if (!v) {
                                        problem = v.error().what;
                                        bad = std::string(text);
                                    } else {
                                        (j == 1 ? bucket.lower : j == 2 ? bucket.upper : bucket.count) = *v;
                                    }
                                }
                                ++j;
                            }
                            if (j != 4)
                                problem = "a bucket is [boundary_rule, \"lower\", \"upper\", \"count\"]";
                            h.buckets.push_back(bucket);
                        }
                    }
                }
            } else if (i == 1) {
                problem = "a native histogram is an object";
            }
            ++i;
        }
        if (i != 2 && problem.empty())
            problem = "a histogram point is [time, {count, sum, buckets}]";
        if (!problem.empty()) {
            rejections.push_back({location(series, key, index), problem, bad});
            return std::nullopt;
        }
        return h;
    }
};

Result<json> parseSmall(std::string_view body, const std::string& origin, Envelope& env)
{
    if (const auto at = jsonTooDeepAt(body))
        return Error{origin + " byte " + std::to_string(*at), "nested deeper than 1024 levels (the limit for JSON values)",
                     "is this a Prometheus API response?"};
    json doc = json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return Error{origin, "not a Prometheus API response: " + snippet(body), "expected {\"status\":...,\"data\":...}"};
    env.status = doc.value("status", "");
    if (env.status != "success") {
        env.errorType = doc.value("errorType", "");
        env.error = doc.value("error", "");
        if (env.status.empty())
            return Error{origin, "not a Prometheus API response (no \"status\"): " + snippet(body), {}};
        return envelopeError(env, origin);
    }
    if (!doc.contains("data"))
        return Error{origin, "Prometheus response without \"data\"", {}};
    return doc;
}

std::string jsonText(const json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    return v.dump();
}

PromLabels labelsOf(const json& obj)
{
    PromLabels out;
    if (obj.is_object())
        for (auto it = obj.begin(); it != obj.end(); ++it)
            out.emplace_back(it.key(), jsonText(it.value()));
    return out;
}

std::optional<std::string> findLabel(const PromLabels& labels, std::initializer_list<std::string_view> keys)
{
    for (std::string_view k : keys)
        for (const auto& [lk, lv] : labels)
            if (lk == k)
                return lv;
    return std::nullopt;
}

Result<Alert> alertFrom(const json& a, const std::string& where, const std::string& source)
{
    Alert alert;
    alert.labels = labelsOf(a.value("labels", json::object()));
    alert.annotations = labelsOf(a.value("annotations", json::object()));
    alert.name = findLabel(alert.labels, {"alertname"}).value_or("");
    alert.state = prometheusAlertState(a.value("state", "firing"));
    alert.source = source;
    if (a.contains("activeAt") && a["activeAt"].is_string()) {
        auto t = parseRfc3339(a["activeAt"].get<std::string>());
        if (!t)
            return Error{where, "activeAt: " + t.error().what, {}};
        alert.activeSince = *t;
    }
    if (a.contains("value")) {
        auto v = parsePrometheusValue(jsonText(a["value"]));
        if (!v)
            return Error{where, "value: " + v.error().what, {}};
        alert.value = *v;
    }
    return alert;
}

Attributes attributesOf(const PromLabels& labels)
{
    Attributes a;
    for (const auto& [k, v] : labels)
        a.set(k, v);
    return a;
}

Series seriesOf(const PromLabels& labels, const std::string& fallbackName)
{
    Series s;
    PromLabels rest;
    for (const auto& [k, v] : labels) {
        if (k == "__name__")
            s.name = v;
        else
            rest.emplace_back(k, v);
    }
    if (s.name.empty())
        s.name = fallbackName;
    std::sort(rest.begin(), rest.end());
    s.labels = rest;
    s.resource = makeResource(attributesOf(rest), SourceKind::Prometheus);
    auto endsWith = [&](std::string_view suffix) {
        return s.name.size() >= suffix.size() && s.name.compare(s.name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (endsWith("_total"))
        s.kind = MetricKind::Counter;
    else if (endsWith("_bucket"))
        s.kind = MetricKind::Histogram;
    return s;
}

} // namespace

size_t PromQueryResult::pointCount() const
{
    size_t n = 0;
    for (const auto& s : series)
        n += s.samples.size() + s.histograms.size();
    return n;
}

Result<double> parsePrometheusValue(std::string_view text)
{
    text = trim(text);
    if (text == "NaN")
        return std::numeric_limits<double>::quiet_NaN();
    if (text == "+Inf" || text == "Inf")
        return std::numeric_limits<double>::infinity();
    if (text == "-Inf")
        return -std::numeric_limits<double>::infinity();
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+')
        digits.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
        return Error{{}, "not a sample value: \"" + std::string(text.substr(0, 40)) + "\"", "values are decimal text, \"NaN\", \"+Inf\" or \"-Inf\""};
    return v;
}

AlertState prometheusAlertState(std::string_view state)
{
    if (state == "firing")
        return AlertState::Firing;
    if (state == "pending")
        return AlertState::Pending;
    if (state == "inactive")
        return AlertState::Inactive;
    return AlertState::Firing;
}

std::optional<PromApiError> prometheusErrorOf(std::string_view body)
{
    if (jsonTooDeepAt(body))
        return std::nullopt;
    json doc = json::parse(body.begin(), body.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("status", "") != "error")
        return std::nullopt;
    return PromApiError{doc.value("errorType", ""), doc.value("error", "")};
}

Error prometheusError(std::string_view body, const std::string& origin, long httpStatus)
{
    const std::string status = httpStatus ? "HTTP " + std::to_string(httpStatus) + ", " : std::string();
    if (auto e = prometheusErrorOf(body))
        return Error{origin, status + e->errorType + ": " + e->message, hintFor(e->errorType, e->message)};
    std::string hint;
    if (httpStatus == 404)
        hint = "check the source URL (it should be the Prometheus base URL, without /api/v1)";
    else if (httpStatus == 401 || httpStatus == 403)
        hint = "check the source's credentials";
    else if (httpStatus >= 500)
        hint = "the server failed; try again later";
    return Error{origin, status + "unexpected response: " + snippet(body), hint};
}

Result<PromQueryResult> decodePrometheusQuery(std::string_view body, const std::string& origin)
{
    PromQueryResult out;
    Envelope env;
    try {
        od::parser parser;
        simdjson::padded_string padded(body);
        od::document doc = rootline::iterateChecked(parser, padded);
        od::object root = doc.get_object();
        bool sawData = false;
        for (auto field : root) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "status") {
                env.status = std::string(scalarText(v));
            } else if (key == "errorType") {
                env.errorType = std::string(scalarText(v));
            } else if (key == "error") {
                env.error = std::string(scalarText(v));
            } else if (key == "warnings") {
                readStringArray(v, out.warnings);
            } else if (key == "infos") {
                readStringArray(v, out.warnings, "info: ");
            } else if (key == "data" && v.type() == od::json_type::object) {
                sawData = true;
                PointReader reader{origin, out.rejections};
                for (auto dfield : v.get_object()) {
                    const std::string_view dkey = dfield.unescaped_key();
                    od::value dv = dfield.value();
                    if (dkey == "resultType") {
                        out.resultType = std::string(scalarText(dv));
                    } else if (dkey == "result") {
                        if (dv.type() != od::json_type::array)
                            return Error{origin, "data.result is not an array", {}};
                        // scalar/string results are a bare [t, v] pair; matrix/vector an array of objects.
                        size_t index = 0;
                        std::vector<std::string_view> pairText;
                        for (auto item : dv.get_array()) {
                            od::value iv = item.value();
                            if (iv.type() != od::json_type::object) {
                                pairText.push_back(scalarText(iv));
                                continue;
                            }
                            PromSeries s;
                            for (auto sfield : iv.get_object()) {
                                const std::string_view skey = sfield.unescaped_key();
                                od::value sv = sfield.value();
                                if (skey == "metric") {
                                    s.labels = readLabels(sv);
                                } else if (skey == "values") {
                                    size_t j = 0;
                                    for (auto p : sv.get_array())
                                        if (auto sample = reader.sample(p.value(), index, "values", j++))
                                            s.samples.push_back(*sample);
                                } else if (skey == "value") {
                                    if (auto sample = reader.sample(sv, index, "value", 0))
                                        s.samples.push_back(*sample);
                                } else if (skey == "histograms") {
                                    size_t j = 0;
                                    for (auto p : sv.get_array())
                                        if (auto h = reader.histogram(p.value(), index, "histograms", j++))
                                            s.histograms.push_back(std::move(*h));
                                } else if (skey == "histogram") {
                                    if (auto h = reader.histogram(sv, index, "histogram", 0))
                                        s.histograms.push_back(std::move(*h));
                                }
                            }
                            out.series.push_back(std::move(s));
                            ++index;
                        }
                        if (!pairText.empty()) {
                            if (pairText.size() != 2)
                                return Error{origin, "a scalar/string result is [time, \"value\"]", {}};
                            auto t = parseSecondsText(pairText[0]);
                            if (!t)
                                return Error{origin + "#result[0]", t.error().what, {}};
                            if (out.resultType == "string") {
                                out.text = std::make_pair(*t, std::string(pairText[1]));
                            } else {
                                auto value = parsePrometheusValue(pairText[1]);
                                if (!value)
                                    return Error{origin + "#result[1]", value.error().what, {}};
                                out.scalar = Sample{*t, *value};
                            }
                        }
                    }
                }
            }
        }
        if (env.status != "success") {
            if (env.status.empty())
                return Error{origin, "not a Prometheus API response (no \"status\")", {}};
            return envelopeError(env, origin);
        }
        if (!sawData)
            return Error{origin, "Prometheus response without \"data\"", {}};
        // scalar/string results can come before resultType in a reformatted file: settle now.
        if (out.resultType == "string" && out.scalar && !out.text) {
            out.scalar.reset();
            return Error{origin, "string result could not be read", {}};
        }
    } catch (const simdjson::simdjson_error& e) {
        if (env.status == "error")
            return envelopeError(env, origin);
        return Error{origin, std::string("malformed JSON: ") + e.what(), "the response was cut off or is not JSON: " + snippet(body, 80)};
    }
    return out;
}

Result<std::vector<PromExemplarSeries>> decodePrometheusExemplars(std::string_view body, const std::string& origin)
{
    std::vector<PromExemplarSeries> out;
    Envelope env;
    try {
        od::parser parser;
        simdjson::padded_string padded(body);
        od::document doc = rootline::iterateChecked(parser, padded);
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "status") {
                env.status = std::string(scalarText(v));
            } else if (key == "errorType") {
                env.errorType = std::string(scalarText(v));
            } else if (key == "error") {
                env.error = std::string(scalarText(v));
            } else if (key == "data" && v.type() == od::json_type::array) {
                size_t si = 0;
                for (auto item : v.get_array()) {
                    PromExemplarSeries s;
                    size_t ei = 0;
                    for (auto sfield : item.get_object()) {
                        const std::string_view skey = sfield.unescaped_key();
                        od::value sv = sfield.value();
                        if (skey == "seriesLabels") {
                            s.labels = readLabels(sv);
                        } else if (skey == "exemplars") {
                            for (auto ex : sv.get_array()) {
                                Exemplar e;
                                PromLabels labels;
                                std::string_view tText, vText;
                                for (auto efield : ex.get_object()) {
                                    const std::string_view ekey = efield.unescaped_key();
                                    od::value ev = efield.value();
                                    if (ekey == "labels")
                                        labels = readLabels(ev);
                                    else if (ekey == "value")
                                        vText = scalarText(ev);
                                    else if (ekey == "timestamp")
                                        tText = scalarText(ev);
                                }
                                const std::string where = origin + "#data[" + std::to_string(si) + "].exemplars[" + std::to_string(ei++) + "]";
                                auto t = parseSecondsText(tText);
                                auto value = parsePrometheusValue(vText);
                                if (!t || !value)
                                    return Error{where, !t ? "timestamp: " + t.error().what : "value: " + value.error().what, {}};
                                e.time = *t;
                                e.value = *value;
                                if (auto id = findLabel(labels, {"trace_id", "traceID", "traceId", "trace.id"}))
                                    if (auto tid = parseTraceId(*id))
                                        e.traceId = *tid;
                                if (auto id = findLabel(labels, {"span_id", "spanID", "spanId", "span.id"}))
                                    if (auto sid = parseSpanId(*id))
                                        e.spanId = *sid;
                                e.labels = attributesOf(labels);
                                s.exemplars.push_back(std::move(e));
                            }
                        }
                    }
                    out.push_back(std::move(s));
                    ++si;
                }
            }
        }
    } catch (const simdjson::simdjson_error& e) {
        if (env.status == "error")
            return envelopeError(env, origin);
        return Error{origin, std::string("malformed JSON: ") + e.what(), "the response was cut off or is not JSON: " + snippet(body, 80)};
    }
    if (env.status != "success") {
        if (env.status.empty())
            return Error{origin, "not a Prometheus API response (no \"status\")", {}};
        return envelopeError(env, origin);
    }
    return out;
}

Result<std::vector<Alert>> decodePrometheusAlerts(std::string_view body, const std::string& origin, const std::string& source)
{
    Envelope env;
    auto doc = parseSmall(body, origin, env);
    if (!doc)
        return doc.error();
    const json& data = (*doc)["data"];
    if (!data.is_object() || !data.contains("alerts") || !data["alerts"].is_array())
        return Error{origin, "data.alerts is missing", "expected the response of /api/v1/alerts"};
    std::vector<Alert> out;
    size_t i = 0;
    for (const auto& a : data["alerts"]) {
        auto alert = alertFrom(a, origin + "#data.alerts[" + std::to_string(i++) + "]", source);
        if (!alert)
            return alert.error();
        out.push_back(std::move(*alert));
    }
    return out;
}

Result<std::vector<PromRule>> decodePrometheusRules(std::string_view body, const std::string& origin, const std::string& source)
{
    Envelope env;
    auto doc = parseSmall(body, origin, env);
    if (!doc)
        return doc.error();
    const json& data = (*doc)["data"];
    if (!data.is_object() || !data.contains("groups") || !data["groups"].is_array())
        return Error{origin, "data.groups is missing", "expected the response of /api/v1/rules"};
    std::vector<PromRule> out;
    size_t gi = 0;
    for (const auto& g : data["groups"]) {
        size_t ri = 0;
        for (const auto& r : g.value("rules", json::array())) {
            PromRule rule;
            rule.group = g.value("name", "");
            rule.file = g.value("file", "");
            rule.name = r.value("name", "");
            rule.type = r.value("type", "");
            rule.query = r.value("query", "");
            rule.health = r.value("health", "");
            rule.state = r.value("state", "");
            rule.labels = labelsOf(r.value("labels", json::object()));
            rule.annotations = labelsOf(r.value("annotations", json::object()));
            size_t ai = 0;
            for (const auto& a : r.value("alerts", json::array())) {
                auto alert = alertFrom(a, origin + "#groups[" + std::to_string(gi) + "].rules[" + std::to_string(ri) + "].alerts["
                                              + std::to_string(ai++) + "]",
                                       source);
                if (!alert)
                    return alert.error();
                rule.alerts.push_back(std::move(*alert));
            }
            out.push_back(std::move(rule));
            ++ri;
        }
        ++gi;
    }
    return out;
}

Result<std::vector<PromLabels>> decodePrometheusSeriesList(std::string_view body, const std::string& origin)
{
    Envelope env;
    auto doc = parseSmall(body, origin, env);
    if (!doc)
        return doc.error();
    const json& data = (*doc)["data"];
    if (!data.is_array())
        return Error{origin, "data is not a list of label sets", {}};
    std::vector<PromLabels> out;
    for (const auto& s : data)
        out.push_back(labelsOf(s));
    return out;
}

Result<std::vector<std::string>> decodePrometheusStringList(std::string_view body, const std::string& origin)
{
    Envelope env;
    auto doc = parseSmall(body, origin, env);
    if (!doc)
        return doc.error();
    const json& data = (*doc)["data"];
    if (!data.is_array())
        return Error{origin, "data is not a list of strings", {}};
    std::vector<std::string> out;
    for (const auto& s : data)
        out.push_back(jsonText(s));
    return out;
}

Result<PromBuildInfo> decodePrometheusBuildInfo(std::string_view body, const std::string& origin)
{
    Envelope env;
    auto doc = parseSmall(body, origin, env);
    if (!doc)
        return doc.error();
    const json& data = (*doc)["data"];
    if (!data.is_object() || !data.contains("version"))
        return Error{origin, "buildinfo without a version", "is this a Prometheus server?"};
    return PromBuildInfo{data.value("version", ""), data.value("revision", ""), data.value("branch", ""), data.value("goVersion", "")};
}

SeriesData prometheusSeriesData(const PromSeries& series, const std::string& fallbackName)
{
    SeriesData d;
    d.series = seriesOf(series.labels, fallbackName);
    d.samples = series.samples;
    d.histograms = series.histograms;
    if (!d.histograms.empty())
        d.series.kind = MetricKind::Histogram;
    return d;
}

SeriesData prometheusExemplarData(const PromExemplarSeries& series)
{
    SeriesData d;
    d.series = seriesOf(series.labels, "exemplars");
    d.exemplars = series.exemplars;
    return d;
}

Status emitPrometheusQuery(const PromQueryResult& result, const std::string& fallbackName, const ParseContext& ctx, RecordSink& sink)
{
    for (const auto& r : result.rejections) {
        if (ctx.strict)
            return Error{r.location, r.message, {}};
        sink.reject(r.location, r.message, r.snippet);
    }
    TelemetryBatch batch;
    size_t inBatch = 0;
    const size_t batchSize = std::max<size_t>(1, ctx.batchSize);
    auto flush = [&]() -> Status {
        if (batch.empty())
            return {};
        if (ctx.isCancelled())
            return Error{ctx.origin, "cancelled", {}};
        auto s = sink.batch(std::move(batch));
        batch = TelemetryBatch{};
        inBatch = 0;
        return s;
    };
    auto add = [&](SeriesData&& d) -> Status {
        inBatch += d.samples.size() + d.histograms.size() + d.exemplars.size();
        batch.series.push_back(std::move(d));
        if (inBatch >= batchSize)
            return flush();
        return {};
    };
    for (const auto& s : result.series) {
        SeriesData whole = prometheusSeriesData(s, fallbackName);
        // A long series goes in slices so no batch grows past the batch size.
        if (whole.samples.size() + whole.histograms.size() <= batchSize) {
            if (auto st = add(std::move(whole)); !st)
                return st;
            continue;
        }
        for (size_t i = 0; i < whole.samples.size(); i += batchSize) {
            SeriesData part;
            part.series = whole.series;
            part.samples.assign(whole.samples.begin() + i, whole.samples.begin() + std::min(whole.samples.size(), i + batchSize));
            if (auto st = add(std::move(part)); !st)
                return st;
        }
        for (size_t i = 0; i < whole.histograms.size(); i += batchSize) {
            SeriesData part;
            part.series = whole.series;
            part.series.kind = MetricKind::Histogram;
            part.histograms.assign(whole.histograms.begin() + i, whole.histograms.begin() + std::min(whole.histograms.size(), i + batchSize));
            if (auto st = add(std::move(part)); !st)
                return st;
        }
    }
    if (result.scalar) {
        SeriesData d;
        d.series.name = fallbackName.empty() ? std::string("scalar") : fallbackName;
        d.series.resource = makeResource({}, SourceKind::Prometheus);
        d.samples.push_back(*result.scalar);
        if (auto st = add(std::move(d)); !st)
            return st;
    }
    return flush();
}

namespace {

int sniffPrometheus(std::string_view head)
{
    const bool envelope = head.find("\"status\"") != std::string_view::npos;
    if (!envelope)
        return 0;
    // Loki shares the envelope and the matrix shape; its responses carry streams or a stats block.
    if (head.find("\"streams\"") != std::string_view::npos || head.find("\"stats\"") != std::string_view::npos
        || head.find("\"encodingFlags\"") != std::string_view::npos)
        return 0;
    if (head.find("\"seriesLabels\"") != std::string_view::npos)
        return 90;
    if (head.find("\"resultType\"") != std::string_view::npos)
        return 70;
    if (head.find("\"groups\"") != std::string_view::npos && head.find("\"rules\"") != std::string_view::npos)
        return 80;
    if (head.find("\"alerts\"") != std::string_view::npos && head.find("\"activeAt\"") != std::string_view::npos)
        return 80;
    return 0;
}

Status parsePrometheusDocument(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    const std::string origin = ctx.origin;
    const std::string source = "file";
    if (document.find("\"resultType\"") != std::string_view::npos) {
        auto r = decodePrometheusQuery(document, origin);
        if (!r)
            return r.error();
        if (r->text)
            sink.reject(origin + "#result", "a string result holds no telemetry", r->text->second.substr(0, 80));
        return emitPrometheusQuery(*r, "query", ctx, sink);
    }
    if (document.find("\"seriesLabels\"") != std::string_view::npos) {
        auto r = decodePrometheusExemplars(document, origin);
        if (!r)
            return r.error();
        TelemetryBatch batch;
        for (const auto& s : *r)
            batch.series.push_back(prometheusExemplarData(s));
        return batch.empty() ? Status{} : sink.batch(std::move(batch));
    }
    std::vector<Alert> alerts;
    if (document.find("\"groups\"") != std::string_view::npos) {
        auto r = decodePrometheusRules(document, origin, source);
        if (!r)
            return r.error();
        for (auto& rule : *r)
            for (auto& a : rule.alerts)
                alerts.push_back(std::move(a));
    } else if (document.find("\"alerts\"") != std::string_view::npos) {
        auto r = decodePrometheusAlerts(document, origin, source);
        if (!r)
            return r.error();
        alerts = std::move(*r);
    } else {
        return Error{origin, "a Prometheus API response this importer does not read", "import query, query_range, query_exemplars, alerts or rules responses"};
    }
    TelemetryBatch batch;
    batch.alerts = std::move(alerts);
    return batch.empty() ? Status{} : sink.batch(std::move(batch));
}

} // namespace

Format prometheusApiFormat()
{
    Format f;
    f.name = "prometheus-api";
    f.description = "Prometheus HTTP API response (query, query_range, query_exemplars, alerts, rules)";
    f.sniff = &sniffPrometheus;
    f.parse = &parsePrometheusDocument;
    f.lineOriented = false;
    // A big response (a long query_range, a whole incident's exemplars) is imported one series or
    // stream at a time, so memory stays bounded whatever the file size.
    f.splitPaths = {"data.result", "data"};
    return f;
}

} // namespace rootline
