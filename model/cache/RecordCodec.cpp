#include "RecordCodec.h"

#include "core/JsonDepth.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace rootline::codec {
namespace {

using ordered_json = nlohmann::ordered_json;

void appendNumber(std::string& out, double v)
{
    if (!std::isfinite(v)) {
        appendJsonString(out, std::isnan(v) ? "NaN" : (v > 0 ? "+Inf" : "-Inf"));
        return;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    out += buf;
}

double numberFrom(const ordered_json& j)
{
    if (j.is_number())
        return j.get<double>();
    if (j.is_string()) {
        const auto s = j.get<std::string>();
        if (s == "NaN")
            return std::nan("");
        if (s == "+Inf")
            return INFINITY;
        if (s == "-Inf")
            return -INFINITY;
    }
    return 0;
}

// A JSON string literal; text that is plain printable ASCII without quotes or backslashes (nearly
// every key and value) is copied in one append, anything else goes the careful way.
void appendString(std::string& out, std::string_view text)
{
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
            appendJsonString(out, text);
            return;
        }
    }
    out.push_back('"');
    out.append(text);
    out.push_back('"');
}

} // namespace

void appendAttributesJson(std::string& out, const Attributes& attributes)
{
    out.push_back('{');
    bool first = true;
    for (const Attribute& item : attributes) {
        if (!first)
            out.push_back(',');
        first = false;
        appendString(out, item.key);
        out.push_back(':');
        if (const auto* s = std::get_if<std::string>(&item.value)) {
            appendString(out, *s);
        } else if (const auto* i = std::get_if<int64_t>(&item.value)) {
            char buf[24];
            const auto end = std::to_chars(buf, buf + sizeof buf, *i).ptr;
            out.append(buf, end);
        } else if (const auto* d = std::get_if<double>(&item.value); d && !std::isfinite(*d)) {
            appendJsonString(out, std::isnan(*d) ? "NaN" : (*d > 0 ? "+Inf" : "-Inf")); // as toJson: JSON has none
        } else {
            out += attributeToText(item.value);
        }
    }
    out.push_back('}');
}

std::string labelsToJson(const Labels& labels)
{
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first)
            out.push_back(',');
        first = false;
        appendJsonString(out, k);
        out.push_back(':');
        appendJsonString(out, v);
    }
    out.push_back('}');
    return out;
}

Labels labelsFromJson(std::string_view json)
{
    Labels labels;
    if (jsonTooDeepAt(json)) // written before the depth limit; never walked (see core/JsonDepth.h)
        return {{std::string(Attributes::kTooDeepAttribute), std::string(Attributes::kTooDeepNote)}};
    const auto doc = ordered_json::parse(json, nullptr, false);
    if (!doc.is_object())
        return labels;
    for (const auto& [k, v] : doc.items())
        labels.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    return labels;
}

std::string eventsToJson(const std::vector<SpanEvent>& events)
{
    if (events.empty())
        return "[]";
    std::string out = "[";
    for (size_t i = 0; i < events.size(); ++i) {
        if (i)
            out.push_back(',');
        out += "{\"time\":" + std::to_string(events[i].time.nanos()) + ",\"name\":";
        appendJsonString(out, events[i].name);
        out += ",\"attributes\":" + events[i].attributes.toJson() + "}";
    }
    out.push_back(']');
    return out;
}

std::vector<SpanEvent> eventsFromJson(std::string_view json)
{
    std::vector<SpanEvent> events;
    if (jsonTooDeepAt(json)) // written before the depth limit: not walked (core/JsonDepth.h)
        return events;
    const auto doc = ordered_json::parse(json, nullptr, false);
    if (!doc.is_array())
        return events;
    for (const auto& e : doc) {
        SpanEvent ev;
        ev.time = Timestamp::fromNanos(e.value("time", int64_t(0)));
        ev.name = e.value("name", std::string());
        if (e.contains("attributes"))
            ev.attributes = Attributes::fromJson(e["attributes"].dump());
        events.push_back(std::move(ev));
    }
    return events;
}

std::string linksToJson(const std::vector<SpanLink>& links)
{
    if (links.empty())
        return "[]";
    std::string out = "[";
    for (size_t i = 0; i < links.size(); ++i) {
        if (i)
            out.push_back(',');
        out += "{\"trace_id\":\"" + links[i].traceId.toHex() + "\",\"span_id\":\"" + links[i].spanId.toHex() + "\",\"relation\":";
        appendJsonString(out, links[i].relation);
        out += ",\"attributes\":" + links[i].attributes.toJson() + "}";
    }
    out.push_back(']');
    return out;
}

std::vector<SpanLink> linksFromJson(std::string_view json)
{
    std::vector<SpanLink> links;
    if (jsonTooDeepAt(json)) // written before the depth limit: not walked (core/JsonDepth.h)
        return links;
    const auto doc = ordered_json::parse(json, nullptr, false);
    if (!doc.is_array())
        return links;
    for (const auto& l : doc) {
        SpanLink link;
        if (auto t = parseTraceId(l.value("trace_id", std::string()), IdEncoding::Hex))
            link.traceId = *t;
        if (auto s = parseSpanId(l.value("span_id", std::string()), IdEncoding::Hex))
            link.spanId = *s;
        link.relation = l.value("relation", std::string());
        if (l.contains("attributes"))
            link.attributes = Attributes::fromJson(l["attributes"].dump());
        links.push_back(std::move(link));
    }
    return links;
}

std::string bucketsToJson(const std::vector<HistogramBucket>& buckets)
{
    std::string out = "[";
    for (size_t i = 0; i < buckets.size(); ++i) {
        if (i)
            out.push_back(',');
        out.push_back('[');
        appendNumber(out, buckets[i].lower);
        out.push_back(',');
        appendNumber(out, buckets[i].upper);
        out.push_back(',');
        appendNumber(out, buckets[i].count);
        out.push_back(']');
    }
    out.push_back(']');
    return out;
}

std::vector<HistogramBucket> bucketsFromJson(std::string_view json)
{
    std::vector<HistogramBucket> buckets;
    if (jsonTooDeepAt(json)) // written before the depth limit: not walked (core/JsonDepth.h)
        return buckets;
    const auto doc = ordered_json::parse(json, nullptr, false);
    if (!doc.is_array())
        return buckets;
    for (const auto& b : doc)
        if (b.is_array() && b.size() == 3)
            buckets.push_back({numberFrom(b[0]), numberFrom(b[1]), numberFrom(b[2])});
    return buckets;
}

} // namespace rootline::codec
