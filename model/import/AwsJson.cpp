#include "AwsJson.h"

#include "CheckedIterate.h"
#include "NestedJson.h"

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cctype>
#include <deque>
#include <unordered_map>
#include <vector>

namespace rootline::aws {
namespace {

namespace od = simdjson::ondemand;

// ---------------------------------------------------------------------------------------------
// Small helpers shared by every AWS parser.

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t' || s.back() == ','))
        s.remove_suffix(1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
        s.remove_prefix(1);
    return s;
}

std::string snippetOf(std::string_view s)
{
    return std::string(s.substr(0, 200));
}

// The number's own text ("1.568835610432E9"), so times are converted exactly, not through a double.
std::string_view numberText(od::value& v)
{
    return trimmed(std::string_view(v.raw_json_token()));
}

enum class TimeUnit { Seconds, Millis };

// A time given as a number in `unit`, as a string of digits in `unit`, or as an ISO-8601 string
// (AWS CLI rendering of CloudWatch timestamps, Logs Insights "2022-07-18 12:34:31.195").
Result<Timestamp> readTime(od::value& v, TimeUnit unit, std::string& rawOut)
{
    const od::json_type type = v.type();
    if (type == od::json_type::number) {
        rawOut = std::string(numberText(v));
        return unit == TimeUnit::Seconds ? parseSecondsText(rawOut) : parseMillisText(rawOut);
    }
    if (type == od::json_type::string) {
        rawOut = std::string(std::string_view(v.get_string()));
        const bool numeric = !rawOut.empty()
            && std::all_of(rawOut.begin(), rawOut.end(), [](char c) { return std::isdigit((unsigned char)c) || c == '.' || c == 'E' || c == 'e' || c == '+' || c == '-'; })
            && rawOut.find('-', 1) == std::string::npos;
        if (numeric)
            return unit == TimeUnit::Seconds ? parseSecondsText(rawOut) : parseMillisText(rawOut);
        return parseRfc3339(rawOut);
    }
    rawOut = std::string(trimmed(std::string_view(v.raw_json_token())));
    return Error{"time", "expected a number or a date string, got " + rawOut, {}};
}

std::string readString(od::value& v)
{
    if (v.type() == od::json_type::string)
        return std::string(std::string_view(v.get_string()));
    if (v.type() == od::json_type::null)
        return {};
    // Numbers and booleans where a string is expected: keep their text.
    if (v.type() == od::json_type::number || v.type() == od::json_type::boolean)
        return std::string(trimmed(std::string_view(v.raw_json_token())));
    throw simdjson::simdjson_error(simdjson::INCORRECT_TYPE);
}

std::optional<std::string> readOptionalString(od::value& v)
{
    if (v.type() == od::json_type::null)
        return std::nullopt;
    return readString(v);
}

double readDouble(od::value& v)
{
    if (v.type() == od::json_type::string) {
        const std::string s(std::string_view(v.get_string()));
        return std::stod(s);
    }
    return v.get_double();
}

bool readBool(od::value& v)
{
    if (v.type() == od::json_type::null)
        return false;
    return v.get_bool();
}

// Any JSON value as an attribute value: numbers as int64 when integral, nested values as JSON text.
std::optional<AttributeValue> attributeValue(od::value& v)
{
    switch (od::json_type(v.type())) {
    case od::json_type::string: return AttributeValue(std::string(std::string_view(v.get_string())));
    case od::json_type::boolean: return AttributeValue(bool(v.get_bool()));
    case od::json_type::null: return std::nullopt;
    case od::json_type::number: {
        // Read from the token's text (a getter consumes the value; a failed one cannot be retried).
        const std::string_view text = numberText(v);
        if (text.find_first_of(".eE") == std::string_view::npos) {
            int64_t i = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
            if (ec == std::errc() && end == text.data() + text.size())
                return AttributeValue(i);
        }
        return AttributeValue(std::strtod(std::string(text).c_str(), nullptr));
    }
    case od::json_type::array: {
        od::array a = v.get_array();
        return AttributeValue(JsonText{std::string(std::string_view(a.raw_json()))});
    }
    case od::json_type::object: {
        od::object o = v.get_object();
        return AttributeValue(JsonText{std::string(std::string_view(o.raw_json()))});
    }
    }
    return std::nullopt;
}

// Objects flattened into dotted keys (aws.ec2.instance_id); arrays kept as JSON text.
// Iterative: one frame per object being read, and one key buffer that each frame cuts back to its
// own prefix, so neither the call stack nor memory grows with depth × depth. simdjson's On-Demand
// reads forward only: a frame steps past a field once the frame it pushed for that field's object
// is done.
void flattenInto(Attributes& attrs, const std::string& prefix, od::value v)
{
    if (v.type() != od::json_type::object) {
        if (auto av = attributeValue(v))
            attrs.set(prefix, std::move(*av));
        return;
    }
    struct Frame {
        size_t prefixLength; // of `key`
        od::object_iterator field, end;
        bool pending = false; // `field` was read: step past it first
    };
    std::vector<Frame> stack;
    std::string key = prefix;
    auto push = [&](od::value object) {
        od::object o = object.get_object();
        od::object_iterator begin = o.begin(), end = o.end();
        stack.push_back(Frame{key.size(), begin, end});
    };
    push(v);
    while (!stack.empty()) {
        Frame& f = stack.back();
        if (f.pending) {
            ++f.field;
            f.pending = false;
        }
        if (f.field == f.end) {
            stack.pop_back();
            continue;
        }
        auto field = *f.field;
        f.pending = true;
        key.resize(f.prefixLength);
        key += '.';
        key += std::string_view(field.unescaped_key());
        od::value value = field.value();
        if (value.type() == od::json_type::object)
            push(value); // `f` is not used after this
        else if (auto av = attributeValue(value))
            attrs.set(key, std::move(*av));
    }
}

size_t offsetIn(od::document& doc, const simdjson::padded_string& json)
{
    const char* at = nullptr;
    if (doc.current_location().get(at) == simdjson::SUCCESS && at >= json.data() && at <= json.data() + json.size())
        return size_t(at - json.data());
    return json.size();
}

// Where a document stops being JSON. Only on the error path: simdjson's ondemand errors carry no
// position, nlohmann's SAX parser (no DOM built) reports the byte.
struct ErrorPosition final : nlohmann::json_sax<nlohmann::json> {
    size_t position = std::string::npos;
    std::string token;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t pos, const std::string& last, const nlohmann::detail::exception&) override
    {
        position = pos;
        token = last;
        return false;
    }
};

Error malformed(const ParseContext& ctx, std::string_view body, size_t recordOffset, const simdjson::simdjson_error& e, std::string_view expected)
{
    ErrorPosition where;
    nlohmann::json::sax_parse(body.begin(), body.end(), &where, nlohmann::json::input_format_t::json, false);
    // nlohmann counts columns from 1 and stops at the offending character.
    size_t offset = recordOffset;
    std::string near;
    if (where.position != std::string::npos) {
        offset = where.position > 0 ? where.position - 1 : 0; // the offending character
        const std::string& t = where.token;
        near = " near \"" + (t.size() > 40 ? t.substr(t.size() - 40) : t) + "\"";
    }
    if (where.position == std::string::npos) // valid JSON, but not the shape we read
        return Error{ctx.origin + "@" + std::to_string(offset), std::string("unexpected JSON value: ") + e.what(),
                     "expected " + std::string(expected)};
    return Error{ctx.origin + "@" + std::to_string(offset), std::string("malformed JSON") + near + ": " + e.what(),
                 "expected " + std::string(expected) + "; the file may be truncated or not AWS CLI/API output"};
}

// Hands records to the sink in batches of ctx.batchSize, and routes bad records to reject()
// (or to an error when strict).
class Emitter {
public:
    Emitter(const ParseContext& ctx, RecordSink& sink) : m_ctx(ctx), m_sink(sink) {}

    Status add(LogRecord&& r) { m_batch.logs.push_back(std::move(r)); return maybeFlush(1); }
    Status add(Span&& s) { m_batch.spans.push_back(std::move(s)); return maybeFlush(1); }
    Status add(SeriesData&& s)
    {
        const size_t n = std::max<size_t>(1, s.samples.size());
        m_batch.series.push_back(std::move(s));
        return maybeFlush(n);
    }
    Status reject(const std::string& location, const std::string& message, std::string_view snippet)
    {
        if (m_ctx.strict)
            return Error{location, message, "run without --strict to skip bad records"};
        m_sink.reject(location, message, snippetOf(snippet));
        return {};
    }
    Status flush()
    {
        if (m_pending == 0)
            return {};
        m_pending = 0;
        TelemetryBatch b;
        std::swap(b, m_batch);
        return m_sink.batch(std::move(b));
    }

private:
    Status maybeFlush(size_t n)
    {
        m_pending += n;
        if (m_ctx.isCancelled())
            return Error{m_ctx.origin, "cancelled", {}};
        if (m_pending >= m_ctx.batchSize)
            return flush();
        return {};
    }
    const ParseContext& m_ctx;
    RecordSink& m_sink;
    TelemetryBatch m_batch;
    size_t m_pending = 0;
};

// ---------------------------------------------------------------------------------------------
// Logs: resources per log group, severity and trace ids read from the message.

std::string serviceFromLogGroup(std::string_view group)
{
    // "/ecs/checkout" → "checkout", "/aws/lambda/payment-fn" → "payment-fn".
    while (!group.empty() && group.back() == '/')
        group.remove_suffix(1);
    const size_t slash = group.rfind('/');
    return std::string(slash == std::string_view::npos ? group : group.substr(slash + 1));
}

class LogResources {
public:
    explicit LogResources(std::string region) : m_region(std::move(region)) {}
    ResourcePtr forGroup(const std::string& group)
    {
        auto it = m_byGroup.find(group);
        if (it != m_byGroup.end())
            return it->second;
        Attributes a;
        a.set("cloud.provider", std::string("aws"));
        if (!m_region.empty())
            a.set("cloud.region", m_region);
        if (!group.empty()) {
            a.set("aws.log.group.names", group);
            a.set("service.name", serviceFromLogGroup(group));
        }
        auto r = makeResource(a, SourceKind::CloudWatch);
        m_byGroup.emplace(group, r);
        return r;
    }

private:
    std::string m_region;
    std::unordered_map<std::string, ResourcePtr> m_byGroup;
};

bool isLevelWord(std::string_view w)
{
    if (w.size() < 4 || w.size() > 8)
        return false;
    return std::all_of(w.begin(), w.end(), [](char c) { return std::isalpha((unsigned char)c); });
}

// Reads severity and trace/span ids from a message: JSON fields when it is a JSON object, else a
// level word among the first tokens (Lambda "<time>\t<request id>\tERROR\t…", "[ERROR] …") and an
// X-Ray "Root=1-…" anywhere.
class MessageAnalyser {
public:
    void analyse(std::string_view msg, LogRecord& r)
    {
        const std::string_view t = trimmed(msg);
        if (!t.empty() && t.front() == '{' && t.back() == '}' && analyseJson(t, r))
            return;
        analyseText(msg, r);
    }

private:
    bool analyseJson(std::string_view t, LogRecord& r)
    {
        try {
            m_json = simdjson::padded_string(t);
            od::document doc = rootline::iterateChecked(m_parser, m_json);
            for (auto field : doc.get_object()) {
                const std::string_view key = field.unescaped_key();
                od::value v = field.value();
                if (v.type() != od::json_type::string)
                    continue;
                const std::string_view s = v.get_string();
                if (r.severity == 0 && (key == "level" || key == "severity" || key == "log.level" || key == "levelname"
                                        || key == "loglevel" || key == "lvl" || key == "@level")) {
                    r.severity = severityFromText(s);
                    r.severityText = std::string(s);
                } else if (!r.traceId && (key == "trace_id" || key == "traceId" || key == "traceID" || key == "otelTraceID"
                                          || key == "xray_trace_id" || key == "AWS-XRAY-TRACE-ID" || key == "@xrayTraceId")) {
                    if (auto id = parseTraceId(rootOf(s)); id)
                        r.traceId = *id;
                } else if (!r.spanId && (key == "span_id" || key == "spanId" || key == "spanID" || key == "otelSpanID")) {
                    if (auto id = parseSpanId(s); id)
                        r.spanId = *id;
                }
            }
            return true;
        } catch (const simdjson::simdjson_error&) {
            return false; // not JSON after all: read it as text
        }
    }

    static std::string_view rootOf(std::string_view s)
    {
        // "Root=1-…;Parent=…;Sampled=1" as well as a bare id.
        if (auto p = s.find("Root="); p != std::string_view::npos) {
            s = s.substr(p + 5);
            return s.substr(0, s.find(';'));
        }
        return s;
    }

    void analyseText(std::string_view msg, LogRecord& r)
    {
        size_t pos = 0;
        for (int token = 0; token < 4 && pos < msg.size() && r.severity == 0; ++token) {
            while (pos < msg.size() && (msg[pos] == ' ' || msg[pos] == '\t'))
                ++pos;
            size_t end = pos;
            while (end < msg.size() && msg[end] != ' ' && msg[end] != '\t' && msg[end] != '\n')
                ++end;
            std::string_view w = msg.substr(pos, end - pos);
            while (!w.empty() && (w.front() == '[' || w.front() == '('))
                w.remove_prefix(1);
            while (!w.empty() && (w.back() == ']' || w.back() == ')' || w.back() == ':'))
                w.remove_suffix(1);
            if (isLevelWord(w)) {
                if (const int sev = severityFromText(w); sev != 0) {
                    r.severity = sev;
                    r.severityText = std::string(w);
                }
            }
            pos = end;
        }
        if (!r.traceId) {
            if (auto p = msg.find("Root=1-"); p != std::string_view::npos && p + 5 + 35 <= msg.size()) {
                if (auto id = parseTraceId(msg.substr(p + 5, 35), IdEncoding::XRay); id)
                    r.traceId = *id;
            }
        }
    }

    od::parser m_parser;
    simdjson::padded_string m_json;
};

std::string withoutTrailingNewline(std::string s)
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

// ---------------------------------------------------------------------------------------------
// X-Ray segment documents.

std::string cloudPlatform(std::string_view origin)
{
    if (origin == "AWS::EC2::Instance") return "aws_ec2";
    if (origin == "AWS::ECS::Container") return "aws_ecs";
    if (origin == "AWS::EKS::Container") return "aws_eks";
    if (origin == "AWS::ElasticBeanstalk::Environment") return "aws_elastic_beanstalk";
    if (origin == "AWS::Lambda::Function" || origin == "AWS::Lambda") return "aws_lambda";
    if (origin == "AWS::AppRunner::Service") return "aws_app_runner";
    return {};
}

struct SegmentFields {
    std::optional<SpanId> id;
    std::string idText;
    std::string name;
    std::optional<TraceId> traceId;
    std::optional<Timestamp> start, end;
    std::string startText;
    bool inProgress = false;
    std::optional<SpanId> parent;
    bool isSubsegment = false;
    std::string origin, ns;
    bool inferred = false;
    bool fault = false, error = false, throttle = false;
    Attributes attrs;
    Attributes resourceAttrs;
    std::vector<SpanEvent> exceptions;
    std::string causeMessage;
    std::string subsegmentsJson; // deferred: the parent's id, trace and resource are known only at the end
    std::string problem;         // first field that could not be read
};

class SegmentParser {
public:
    // `depth` picks a parser per nesting level: ondemand documents cannot be re-entered.
    Status parse(std::string_view json, const std::optional<TraceId>& traceHint, const std::optional<SpanId>& enclosing,
                 const ResourcePtr& enclosingResource, std::vector<Span>& out, std::string_view where, size_t depth)
    {
        if (depth > 64)
            return Error{std::string(where), "subsegments nested deeper than 64 levels", {}};
        while (m_parsers.size() <= depth)
            m_parsers.emplace_back();
        simdjson::padded_string padded(json);
        try {
            od::document doc = rootline::iterateChecked(m_parsers[depth], padded);
            if (doc.type() == od::json_type::array) {
                size_t i = 0;
                for (auto element : doc.get_array()) {
                    od::object o = element.get_object();
                    if (auto st = parseOne(o, traceHint, enclosing, enclosingResource, out, std::string(where) + "[" + std::to_string(i++) + "]", depth); !st)
                        return st;
                }
                return {};
            }
            od::object o = doc.get_object();
            return parseOne(o, traceHint, enclosing, enclosingResource, out, std::string(where), depth);
        } catch (const simdjson::simdjson_error& e) {
            return Error{std::string(where), std::string("malformed segment document: ") + e.what(),
                         "X-Ray `Document` must be a JSON object serialised into a string"};
        }
    }

private:
    Status parseOne(od::object& o, const std::optional<TraceId>& traceHint, const std::optional<SpanId>& enclosing,
                    const ResourcePtr& enclosingResource, std::vector<Span>& out, const std::string& where, size_t depth)
    {
        SegmentFields f;
        for (auto field : o) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            readField(key, v, f);
        }
        if (!f.problem.empty())
            return Error{where, f.problem, {}};
        if (!f.id)
            return Error{where, "segment without a valid `id` (16 hex digits)" + (f.idText.empty() ? std::string() : ": " + f.idText), {}};
        if (!f.traceId)
            f.traceId = traceHint;
        if (!f.traceId)
            return Error{where, "segment " + f.idText + " has no `trace_id`", {}};
        if (!f.start)
            return Error{where, "segment " + f.idText + " has no `start_time`", {}};

        Span s;
        s.traceId = *f.traceId;
        s.spanId = *f.id;
        s.parentSpanId = f.parent ? f.parent : enclosing;
        s.name = f.name;
        s.start = *f.start;
        s.duration = f.end ? (*f.end - *f.start) : Duration();
        if (f.inProgress || !f.end)
            f.attrs.set("xray.in_progress", true);
        const bool topLevel = !enclosing && !f.isSubsegment;
        if (topLevel)
            s.kind = SpanKind::Server;
        else if (f.ns == "remote" || f.ns == "aws")
            s.kind = SpanKind::Client;
        else
            s.kind = SpanKind::Internal;
        if (!f.origin.empty())
            f.attrs.set("aws.xray.origin", f.origin);
        if (!f.ns.empty())
            f.attrs.set("aws.xray.namespace", f.ns);
        if (f.inferred)
            f.attrs.set("aws.xray.inferred", true);
        if (f.isSubsegment && !enclosing)
            f.attrs.set("aws.xray.type", std::string("subsegment"));
        if (f.fault || f.error || f.throttle) {
            s.status = StatusCode::Error;
            std::string what = f.fault ? "fault" : f.throttle ? "throttle" : "error";
            s.statusMessage = f.causeMessage.empty() ? what : what + ": " + f.causeMessage;
            if (f.fault) f.attrs.set("aws.xray.fault", true);
            if (f.error) f.attrs.set("aws.xray.error", true);
            if (f.throttle) f.attrs.set("aws.xray.throttle", true);
        }
        for (auto& e : f.exceptions)
            e.time = f.end.value_or(*f.start);
        s.events = std::move(f.exceptions);
        s.attributes = std::move(f.attrs);

        // A segment (and an inferred segment) is its own service; a subsegment belongs to its segment's.
        if (topLevel || !enclosingResource) {
            Attributes ra = std::move(f.resourceAttrs);
            ra.set("service.name", f.name.empty() ? std::string("unknown_service") : f.name);
            ra.set("cloud.provider", std::string("aws"));
            if (const std::string p = cloudPlatform(f.origin); !p.empty())
                ra.set("cloud.platform", p);
            s.resource = resourceFor(ra);
        } else {
            s.resource = enclosingResource;
        }
        const ResourcePtr resource = s.resource;
        const SpanId self = s.spanId;
        const TraceId trace = s.traceId;
        out.push_back(std::move(s));
        if (!f.subsegmentsJson.empty())
            return parse(f.subsegmentsJson, trace, self, resource, out, where + ".subsegments", depth + 1);
        return {};
    }

    void readField(std::string_view key, od::value& v, SegmentFields& f)
    {
        std::string raw;
        if (key == "id") {
            f.idText = readString(v);
            if (auto id = parseSpanId(f.idText, IdEncoding::Hex); id)
                f.id = *id;
        } else if (key == "name") {
            f.name = readString(v);
        } else if (key == "trace_id") {
            const std::string t = readString(v);
            auto id = parseTraceId(t, IdEncoding::Auto);
            if (id)
                f.traceId = *id;
            else if (f.problem.empty())
                f.problem = "bad trace_id: " + id.error().what;
        } else if (key == "start_time") {
            auto t = readTime(v, TimeUnit::Seconds, raw);
            if (t)
                f.start = *t;
            else if (f.problem.empty())
                f.problem = "bad start_time " + raw + ": " + t.error().what;
        } else if (key == "end_time") {
            auto t = readTime(v, TimeUnit::Seconds, raw);
            if (t)
                f.end = *t;
            else if (f.problem.empty())
                f.problem = "bad end_time " + raw + ": " + t.error().what;
        } else if (key == "in_progress") {
            f.inProgress = readBool(v);
        } else if (key == "parent_id") {
            const std::string p = readString(v);
            if (auto id = parseSpanId(p, IdEncoding::Hex); id)
                f.parent = *id;
            else if (f.problem.empty())
                f.problem = "bad parent_id " + p;
        } else if (key == "type") {
            f.isSubsegment = readString(v) == "subsegment";
        } else if (key == "origin") {
            f.origin = readString(v);
        } else if (key == "namespace") {
            f.ns = readString(v);
        } else if (key == "inferred") {
            f.inferred = readBool(v);
        } else if (key == "fault") {
            f.fault = readBool(v);
        } else if (key == "error") {
            f.error = readBool(v);
        } else if (key == "throttle") {
            f.throttle = readBool(v);
        } else if (key == "http") {
            readHttp(v, f.attrs);
        } else if (key == "aws") {
            readAws(v, f);
        } else if (key == "sql") {
            flattenInto(f.attrs, "sql", v);
        } else if (key == "service") {
            if (v.type() == od::json_type::object) {
                for (auto field : v.get_object()) {
                    const std::string_view k = field.unescaped_key();
                    od::value sv = field.value();
                    if (auto av = attributeValue(sv))
                        f.resourceAttrs.set(k == "version" ? std::string("service.version") : "service." + std::string(k), std::move(*av));
                }
            }
        } else if (key == "annotations") {
            // X-Ray annotations are the user's own indexed keys: kept under their own names.
            if (v.type() == od::json_type::object) {
                for (auto field : v.get_object()) {
                    const std::string k(std::string_view(field.unescaped_key()));
                    od::value av = field.value();
                    if (auto value = attributeValue(av))
                        f.attrs.set(k, std::move(*value));
                }
            }
        } else if (key == "metadata") {
            if (v.type() == od::json_type::object) {
                for (auto field : v.get_object()) {
                    const std::string k = "xray.metadata." + std::string(std::string_view(field.unescaped_key()));
                    od::value mv = field.value();
                    if (auto value = attributeValue(mv))
                        f.attrs.set(k, std::move(*value));
                }
            }
        } else if (key == "cause") {
            readCause(v, f);
        } else if (key == "user") {
            f.attrs.set("enduser.id", readString(v));
        } else if (key == "resource_arn") {
            f.attrs.set("cloud.resource_id", readString(v));
        } else if (key == "subsegments") {
            od::array a = v.get_array();
            f.subsegmentsJson = std::string(std::string_view(a.raw_json()));
        } else {
            flattenInto(f.attrs, "xray." + std::string(key), v);
        }
    }

    static void readHttp(od::value& v, Attributes& attrs)
    {
        if (v.type() != od::json_type::object)
            return;
        for (auto part : v.get_object()) {
            const std::string_view which = part.unescaped_key();
            od::value pv = part.value();
            if (pv.type() != od::json_type::object)
                continue;
            for (auto field : pv.get_object()) {
                const std::string k(std::string_view(field.unescaped_key()));
                od::value fv = field.value();
                std::string name;
                if (which == "request") {
                    if (k == "method") name = "http.request.method";
                    else if (k == "url") name = "url.full";
                    else if (k == "user_agent") name = "user_agent.original";
                    else if (k == "client_ip") name = "client.address";
                    else name = "http.request." + k;
                } else if (which == "response") {
                    if (k == "status") name = "http.response.status_code";
                    else if (k == "content_length") name = "http.response.body.size";
                    else name = "http.response." + k;
                } else {
                    name = "http." + std::string(which) + "." + k;
                }
                flattenInto(attrs, name, fv);
            }
        }
    }

    static void readAws(od::value& v, SegmentFields& f)
    {
        if (v.type() != od::json_type::object)
            return;
        Attributes flat;
        flattenInto(flat, "aws", v);
        for (const auto& a : flat) {
            f.attrs.set(a.key, a.value);
            // What identifies the emitter goes to the resource too.
            if (a.key == "aws.ec2.instance_id")
                f.resourceAttrs.set("host.id", a.value);
            else if (a.key == "aws.elastic_beanstalk.environment_name")
                f.resourceAttrs.set("deployment.environment", a.value);
            else if (a.key == "aws.ecs.container")
                f.resourceAttrs.set("container.name", a.value);
            else if (a.key == "aws.eks.pod")
                f.resourceAttrs.set("k8s.pod.name", a.value);
            else if (a.key == "aws.account_id")
                f.resourceAttrs.set("cloud.account.id", a.value);
        }
    }

    static void readCause(od::value& v, SegmentFields& f)
    {
        if (v.type() == od::json_type::string) {
            // Refers to an exception recorded in another (sub)segment.
            f.attrs.set("aws.xray.cause_id", std::string(std::string_view(v.get_string())));
            return;
        }
        if (v.type() != od::json_type::object)
            return;
        for (auto field : v.get_object()) {
            const std::string_view k = field.unescaped_key();
            od::value cv = field.value();
            if (k != "exceptions" || cv.type() != od::json_type::array) {
                if (auto av = attributeValue(cv))
                    f.attrs.set("aws.xray.cause." + std::string(k), std::move(*av));
                continue;
            }
            for (auto ex : cv.get_array()) {
                od::object eo = ex.get_object();
                SpanEvent e;
                e.name = "exception";
                for (auto ef : eo) {
                    const std::string_view ek = ef.unescaped_key();
                    od::value ev = ef.value();
                    if (ek == "message") {
                        const std::string m = readString(ev);
                        e.attributes.set("exception.message", m);
                        if (f.causeMessage.empty())
                            f.causeMessage = m;
                    } else if (ek == "type") {
                        e.attributes.set("exception.type", readString(ev));
                    } else if (ek == "stack" && ev.type() == od::json_type::array) {
                        std::string trace;
                        for (auto frame : ev.get_array()) {
                            std::string label, path, line;
                            for (auto ff : frame.get_object()) {
                                const std::string_view fk = ff.unescaped_key();
                                od::value fv = ff.value();
                                if (fk == "label") label = readString(fv);
                                else if (fk == "path") path = readString(fv);
                                else if (fk == "line") line = readString(fv);
                            }
                            trace += "at " + label + " (" + path + (line.empty() ? "" : ":" + line) + ")\n";
                        }
                        e.attributes.set("exception.stacktrace", trace);
                    } else if (auto av = attributeValue(ev)) {
                        e.attributes.set("exception." + std::string(ek), std::move(*av));
                    }
                }
                f.exceptions.push_back(std::move(e));
            }
        }
    }

    ResourcePtr resourceFor(const Attributes& ra)
    {
        const std::string key = ra.toJson();
        auto it = m_resources.find(key);
        if (it != m_resources.end())
            return it->second;
        auto r = makeResource(ra, SourceKind::XRay);
        m_resources.emplace(key, r);
        return r;
    }

    std::deque<od::parser> m_parsers;
    std::unordered_map<std::string, ResourcePtr> m_resources;
};

// ---------------------------------------------------------------------------------------------
// Sniffing: by content (keys near the start), never by file name.

bool has(std::string_view head, std::string_view needle) { return head.find(needle) != std::string_view::npos; }

bool startsWithObject(std::string_view head)
{
    const std::string_view t = trimmed(head.substr(0, 64));
    return !t.empty() && t.front() == '{';
}

int sniffLogs(std::string_view head)
{
    if (!startsWithObject(head) || !has(head, "\"events\""))
        return 0;
    int score = 40;
    for (std::string_view k : {"\"logStreamName\"", "\"eventId\"", "\"ingestionTime\"", "\"nextForwardToken\"", "\"searchedLogStreams\""})
        if (has(head, k))
            score += 15;
    return std::min(score, 95);
}

int sniffInsights(std::string_view head)
{
    if (!startsWithObject(head) || !has(head, "\"results\""))
        return 0;
    int score = 30;
    for (std::string_view k : {"\"field\"", "\"@timestamp\"", "\"@ptr\"", "\"statistics\"", "\"recordsMatched\""})
        if (has(head, k))
            score += 13;
    if (has(head, "\"status\""))
        score += 10;
    return std::min(score, 95);
}

int sniffMetrics(std::string_view head)
{
    if (!startsWithObject(head) || !has(head, "\"MetricDataResults\""))
        return 0;
    return has(head, "\"Timestamps\"") || has(head, "\"StatusCode\"") || has(head, "\"Id\"") ? 95 : 70;
}

int sniffXRay(std::string_view head)
{
    if (!startsWithObject(head))
        return 0;
    if (has(head, "\"Traces\"") && (has(head, "\"Segments\"") || has(head, "\"Document\"")))
        return 95;
    if (has(head, "\"TraceSummaries\""))
        return 80;
    if (has(head, "\"Traces\"") && has(head, "\"UnprocessedTraceIds\""))
        return 70;
    return 0;
}

// A Logs Insights `stats` row with a time bucket ("bin(5m)" or any "2022-07-18 12:30:00.000" value):
// every numeric field becomes a sample of the series named after it, the other fields its labels.
bool statsRowToSamples(const std::vector<std::pair<std::string, std::string>>& cells, std::map<std::string, SeriesData>& out,
                       const ResourcePtr& resource)
{
    const std::pair<std::string, std::string>* timeCell = nullptr;
    std::optional<Timestamp> time;
    for (const auto& c : cells) {
        const bool looksLikeTime = c.second.size() == 23 && c.second[10] == ' ' && c.second[4] == '-';
        if (c.first.rfind("bin(", 0) == 0 || looksLikeTime) {
            if (auto t = parseRfc3339(c.second); t) {
                timeCell = &c;
                time = *t;
                break;
            }
        }
    }
    if (!timeCell)
        return false;
    std::vector<std::pair<std::string, double>> numbers;
    std::vector<std::pair<std::string, std::string>> labels;
    for (const auto& c : cells) {
        if (&c == timeCell)
            continue;
        char* end = nullptr;
        const double v = std::strtod(c.second.c_str(), &end);
        if (!c.second.empty() && end == c.second.c_str() + c.second.size())
            numbers.emplace_back(c.first, v);
        else
            labels.emplace_back(c.first, c.second);
    }
    if (numbers.empty())
        return false;
    for (const auto& [name, value] : numbers) {
        Series s;
        s.name = name;
        for (const auto& [k, v] : labels)
            s.setLabel(k, v);
        s.kind = MetricKind::Gauge;
        s.resource = resource;
        const std::string key = s.key();
        auto it = out.find(key);
        if (it == out.end())
            it = out.emplace(key, SeriesData{std::move(s), {}, {}, {}}).first;
        it->second.samples.push_back({*time, value});
    }
    return true;
}

Status parseLogsDocument(std::string_view doc, const ParseContext& ctx, RecordSink& sink)
{
    auto page = parseLogEvents(doc, ctx, sink);
    if (!page)
        return page.error();
    return {};
}

Status parseInsightsDocument(std::string_view doc, const ParseContext& ctx, RecordSink& sink)
{
    auto page = parseInsightsResults(doc, ctx, sink);
    if (!page)
        return page.error();
    if (page->status == "Running" || page->status == "Scheduled")
        sink.reject(ctx.origin, "the query was still " + page->status + " when these results were saved: they are partial",
                    page->status);
    return {};
}

Status parseMetricsDocument(std::string_view doc, const ParseContext& ctx, RecordSink& sink)
{
    auto page = parseMetricData(doc, ctx, sink);
    if (!page)
        return page.error();
    for (const auto& f : page->failures)
        sink.reject(ctx.origin, "metric result not complete: " + f, {});
    return {};
}

Status parseXRayDocument(std::string_view doc, const ParseContext& ctx, RecordSink& sink)
{
    if (sniffXRay(doc.substr(0, 4096)) == 80 || (has(doc.substr(0, 4096), "\"TraceSummaries\"") && !has(doc.substr(0, 4096), "\"Segments\""))) {
        auto page = parseTraceSummaries(doc, ctx, sink);
        if (!page)
            return page.error();
        if (!page->summaries.empty())
            sink.reject(ctx.origin, std::to_string(page->summaries.size()) + " trace summaries carry no spans",
                        "fetch the traces with `aws xray batch-get-traces --trace-ids <ids>` and import that output");
        return {};
    }
    auto page = parseBatchGetTraces(doc, ctx, sink);
    if (!page)
        return page.error();
    for (const auto& id : page->unprocessedTraceIds)
        sink.reject(ctx.origin, "X-Ray did not return trace " + id + " (UnprocessedTraceIds)", id);
    return {};
}

} // namespace

// -------------------------------------------------------------------------------------------------

Result<LogEventsPage> parseLogEvents(std::string_view body, const ParseContext& ctx, RecordSink& sink, const LogsContext& logs)
{
    LogEventsPage page;
    Emitter emit(ctx, sink);
    LogResources resources(logs.region);
    MessageAnalyser analyser;
    simdjson::padded_string json(body);
    od::parser parser;
    od::document doc;
    size_t at = 0;
    try {
        doc = rootline::iterateChecked(parser, json);
        bool sawEvents = false;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "events") {
                sawEvents = true;
                size_t index = 0;
                for (auto element : v.get_array()) {
                    at = offsetIn(doc, json);
                    const std::string location = ctx.origin + "@" + std::to_string(at);
                    od::object e = element.get_object();
                    LogRecord r;
                    std::string stream, eventId, problem, problemSnippet;
                    bool haveTime = false;
                    for (auto ef : e) {
                        const std::string_view k = ef.unescaped_key();
                        od::value ev = ef.value();
                        std::string raw;
                        if (k == "timestamp") {
                            auto t = readTime(ev, TimeUnit::Millis, raw);
                            if (t) {
                                r.time = *t;
                                haveTime = true;
                            } else if (problem.empty()) {
                                problem = "event " + std::to_string(index) + ": bad timestamp (epoch milliseconds): " + t.error().what;
                                problemSnippet = raw;
                            }
                        } else if (k == "ingestionTime") {
                            if (auto t = readTime(ev, TimeUnit::Millis, raw); t)
                                r.observedTime = *t;
                        } else if (k == "message") {
                            r.body = withoutTrailingNewline(readString(ev));
                        } else if (k == "logStreamName") {
                            stream = readString(ev);
                        } else if (k == "eventId") {
                            eventId = readString(ev);
                        } else if (auto av = attributeValue(ev)) {
                            r.attributes.set("aws.log." + std::string(k), std::move(*av));
                        }
                    }
                    ++index;
                    if (!haveTime && problem.empty())
                        problem = "event " + std::to_string(index - 1) + " has no timestamp";
                    if (!problem.empty()) {
                        ++page.rejected;
                        if (auto st = emit.reject(location, problem, problemSnippet.empty() ? r.body : problemSnippet); !st)
                            return st.error();
                        continue;
                    }
                    if (!stream.empty())
                        r.attributes.set("aws.log.stream.name", stream);
                    if (!eventId.empty())
                        r.attributes.set("aws.log.event.id", eventId);
                    if (r.observedTime == Timestamp())
                        r.observedTime = r.time;
                    analyser.analyse(r.body, r);
                    r.resource = resources.forGroup(logs.logGroup);
                    page.eventIds.push_back(eventId);
                    ++page.events;
                    if (auto st = emit.add(std::move(r)); !st)
                        return st.error();
                }
            } else if (key == "nextToken") {
                page.nextToken = readOptionalString(v);
            } else if (key == "nextForwardToken") {
                page.nextForwardToken = readOptionalString(v);
            } else if (key == "nextBackwardToken") {
                page.nextBackwardToken = readOptionalString(v);
            }
        }
        if (!sawEvents)
            return Error{ctx.origin, "no `events` array", "expected the output of `aws logs filter-log-events` or `get-log-events`"};
    } catch (const simdjson::simdjson_error& e) {
        return malformed(ctx, body, at, e, "a CloudWatch Logs events object");
    }
    if (auto st = emit.flush(); !st)
        return st.error();
    return page;
}

Result<InsightsPage> parseInsightsResults(std::string_view body, const ParseContext& ctx, RecordSink& sink, const LogsContext& logs, bool emitRows)
{
    InsightsPage page;
    std::map<std::string, SeriesData> statsSeries;
    Emitter emit(ctx, sink);
    LogResources resources(logs.region);
    MessageAnalyser analyser;
    simdjson::padded_string json(body);
    od::parser parser;
    od::document doc;
    size_t at = 0;
    try {
        doc = rootline::iterateChecked(parser, json);
        bool sawResults = false;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "status") {
                page.status = readString(v);
            } else if (key == "nextToken") {
                page.nextToken = readOptionalString(v);
            } else if (key == "statistics" && v.type() == od::json_type::object) {
                for (auto sf : v.get_object()) {
                    const std::string_view sk = sf.unescaped_key();
                    od::value sv = sf.value();
                    if (sk == "recordsMatched")
                        page.recordsMatched = readDouble(sv);
                    else if (sk == "recordsScanned")
                        page.recordsScanned = readDouble(sv);
                }
            } else if (key == "results") {
                sawResults = true;
                for (auto row : v.get_array()) {
                    at = offsetIn(doc, json);
                    ++page.rows;
                    if (!emitRows)
                        continue; // skipped unread: ondemand moves past it
                    const std::string location = ctx.origin + "@" + std::to_string(at);
                    LogRecord r;
                    std::string group, ptr, level, problem, snippet;
                    bool haveTime = false, haveMessage = false;
                    std::vector<std::pair<std::string, std::string>> cells; // in order, for `stats` rows
                    for (auto cell : row.get_array()) {
                        std::string name, value;
                        bool hasValue = false;
                        for (auto cf : cell.get_object()) {
                            const std::string_view ck = cf.unescaped_key();
                            od::value cv = cf.value();
                            if (ck == "field")
                                name = readString(cv);
                            else if (ck == "value") {
                                value = readString(cv);
                                hasValue = true;
                            }
                        }
                        if (!hasValue)
                            continue;
                        cells.emplace_back(name, value);
                        if (name == "@timestamp") {
                            auto t = parseRfc3339(value);
                            if (t) {
                                r.time = *t;
                                haveTime = true;
                            } else if (problem.empty()) {
                                problem = "bad @timestamp: " + t.error().what;
                                snippet = value;
                            }
                        } else if (name == "@ingestionTime") {
                            if (auto t = parseRfc3339(value); t)
                                r.observedTime = *t;
                        } else if (name == "@message") {
                            r.body = withoutTrailingNewline(value);
                            haveMessage = true;
                        } else if (name == "@log") {
                            // "123456789012:/ecs/checkout"
                            const size_t colon = value.find(':');
                            group = colon == std::string::npos ? value : value.substr(colon + 1);
                            r.attributes.set("aws.log.group.name", group);
                        } else if (name == "@logStream") {
                            r.attributes.set("aws.log.stream.name", value);
                        } else if (name == "@ptr") {
                            ptr = value;
                            r.attributes.set("aws.log.ptr", value);
                        } else if (name == "@xrayTraceId" || name == "xray_trace_id" || name == "trace_id" || name == "traceId") {
                            if (auto id = parseTraceId(value); id)
                                r.traceId = *id;
                            r.attributes.set(name, value);
                        } else if (name == "level" || name == "@level" || name == "severity" || name == "log.level" || name == "levelname") {
                            level = value;
                            r.attributes.set(name, value);
                        } else {
                            r.attributes.set(name, value);
                        }
                    }
                    if (!haveTime && problem.empty()) {
                        // `stats … by bin(5m)`: a time bucket and numbers — samples of series, not a log record.
                        if (statsRowToSamples(cells, statsSeries, resources.forGroup(group.empty() ? logs.logGroup : group))) {
                            ++page.statsRows;
                            continue;
                        }
                        problem = "row without @timestamp or a bin() time (aggregated `stats` rows without bin() are not records; query "
                                  "`fields @timestamp, @message` or `stats … by bin(5m)`)";
                    }
                    if (!problem.empty()) {
                        ++page.rejected;
                        if (auto st = emit.reject(location, problem, snippet.empty() ? r.attributes.toJson() : snippet); !st)
                            return st.error();
                        continue;
                    }
                    if (!haveMessage)
                        r.body = r.attributes.toJson(); // a `fields a, b` query without @message: keep what it said
                    if (r.observedTime == Timestamp())
                        r.observedTime = r.time;
                    if (!level.empty()) {
                        r.severity = severityFromText(level);
                        r.severityText = level;
                    }
                    analyser.analyse(r.body, r);
                    r.resource = resources.forGroup(group.empty() ? logs.logGroup : group);
                    page.ptrs.push_back(ptr);
                    ++page.records;
                    if (auto st = emit.add(std::move(r)); !st)
                        return st.error();
                }
            }
        }
        if (!sawResults && page.status.empty())
            return Error{ctx.origin, "no `results` array", "expected the output of `aws logs get-query-results`"};
    } catch (const simdjson::simdjson_error& e) {
        return malformed(ctx, body, at, e, "a Logs Insights GetQueryResults object");
    }
    for (auto& [key, sd] : statsSeries) {
        std::sort(sd.samples.begin(), sd.samples.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
        page.samples += sd.samples.size();
        if (auto st = emit.add(std::move(sd)); !st)
            return st.error();
    }
    if (auto st = emit.flush(); !st)
        return st.error();
    return page;
}

Result<MetricDataPage> parseMetricData(std::string_view body, const ParseContext& ctx, RecordSink& sink,
                                       const std::map<std::string, MetricTemplate>* templates)
{
    MetricDataPage page;
    Emitter emit(ctx, sink);
    simdjson::padded_string json(body);
    od::parser parser;
    od::document doc;
    size_t at = 0;
    std::unordered_map<std::string, ResourcePtr> resources;
    auto resourceFor = [&](const Attributes& a) {
        const std::string key = a.toJson();
        auto it = resources.find(key);
        if (it == resources.end())
            it = resources.emplace(key, makeResource(a, SourceKind::CloudWatch)).first;
        return it->second;
    };
    try {
        doc = rootline::iterateChecked(parser, json);
        bool sawResults = false;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "NextToken") {
                page.nextToken = readOptionalString(v);
            } else if (key == "Messages" && v.type() == od::json_type::array) {
                for (auto m : v.get_array()) {
                    std::string code, value;
                    for (auto mf : m.get_object()) {
                        const std::string_view mk = mf.unescaped_key();
                        od::value mv = mf.value();
                        if (mk == "Code") code = readString(mv);
                        else if (mk == "Value") value = readString(mv);
                    }
                    page.messages.emplace_back(code, value);
                }
            } else if (key == "MetricDataResults") {
                sawResults = true;
                size_t index = 0;
                for (auto result : v.get_array()) {
                    at = offsetIn(doc, json);
                    const std::string location = ctx.origin + "@" + std::to_string(at);
                    std::string id, label, status, problem, snippet;
                    std::vector<Timestamp> times;
                    std::vector<double> values;
                    std::vector<std::string> messages;
                    for (auto rf : result.get_object()) {
                        const std::string_view rk = rf.unescaped_key();
                        od::value rv = rf.value();
                        if (rk == "Id") id = readString(rv);
                        else if (rk == "Label") label = readString(rv);
                        else if (rk == "StatusCode") status = readString(rv);
                        else if (rk == "Timestamps") {
                            for (auto tv : rv.get_array()) {
                                od::value t = std::move(tv);
                                std::string raw;
                                auto ts = readTime(t, TimeUnit::Seconds, raw);
                                if (!ts) {
                                    if (problem.empty()) {
                                        problem = "bad timestamp in Timestamps[" + std::to_string(times.size()) + "]: " + ts.error().what;
                                        snippet = raw;
                                    }
                                    times.push_back(Timestamp());
                                } else {
                                    times.push_back(*ts);
                                }
                            }
                        } else if (rk == "Values") {
                            for (auto vv : rv.get_array()) {
                                od::value x = std::move(vv);
                                values.push_back(readDouble(x));
                            }
                        } else if (rk == "Messages" && rv.type() == od::json_type::array) {
                            for (auto m : rv.get_array()) {
                                std::string text;
                                for (auto mf : m.get_object()) {
                                    od::value mv = mf.value();
                                    text += (text.empty() ? "" : " ") + readString(mv);
                                }
                                messages.push_back(text);
                            }
                        }
                    }
                    ++index;
                    ++page.results;
                    if (problem.empty() && times.size() != values.size())
                        problem = "result " + id + ": " + std::to_string(times.size()) + " Timestamps but " + std::to_string(values.size()) + " Values";
                    if (problem.empty() && id.empty())
                        problem = "result " + std::to_string(index - 1) + " has no Id";
                    if (status == "PartialData")
                        page.partialIds.push_back(id);
                    else if (status == "InternalError" || status == "Forbidden") {
                        std::string f = id + ": " + status;
                        for (const auto& m : messages)
                            f += " (" + m + ")";
                        page.failures.push_back(f);
                    }
                    if (!problem.empty()) {
                        ++page.rejected;
                        if (auto st = emit.reject(location, problem, snippet); !st)
                            return st.error();
                        continue;
                    }
                    SeriesData sd;
                    const MetricTemplate* tmpl = nullptr;
                    if (templates) {
                        if (auto it = templates->find(id); it != templates->end())
                            tmpl = &it->second;
                    }
                    Attributes ra;
                    if (tmpl) {
                        sd.series.name = tmpl->name.empty() ? (label.empty() ? id : label) : tmpl->name;
                        for (const auto& [k, val] : tmpl->labels)
                            sd.series.setLabel(k, val);
                        sd.series.unit = tmpl->unit;
                        ra = tmpl->resourceAttributes;
                    } else {
                        sd.series.name = label.empty() ? id : label;
                    }
                    sd.series.setLabel("id", id);
                    // Metrics Insights GROUP BY: one Id, several Labels — the label tells them apart.
                    if (!label.empty() && label != sd.series.name)
                        sd.series.setLabel("label", label);
                    sd.series.kind = MetricKind::Gauge;
                    if (!ra.find("cloud.provider"))
                        ra.set("cloud.provider", std::string("aws"));
                    sd.series.resource = resourceFor(ra);
                    sd.samples.reserve(times.size());
                    for (size_t i = 0; i < times.size(); ++i)
                        sd.samples.push_back({times[i], values[i]});
                    // CloudWatch answers newest first by default; the cache wants time order.
                    std::stable_sort(sd.samples.begin(), sd.samples.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
                    page.samples += sd.samples.size();
                    if (auto st = emit.add(std::move(sd)); !st)
                        return st.error();
                }
            }
        }
        if (!sawResults)
            return Error{ctx.origin, "no `MetricDataResults` array", "expected the output of `aws cloudwatch get-metric-data`"};
    } catch (const simdjson::simdjson_error& e) {
        return malformed(ctx, body, at, e, "a GetMetricData response");
    } catch (const std::exception& e) {
        return Error{ctx.origin + "@" + std::to_string(at), std::string("bad number: ") + e.what(), {}};
    }
    if (auto st = emit.flush(); !st)
        return st.error();
    return page;
}

Result<TraceSummariesPage> parseTraceSummaries(std::string_view body, const ParseContext& ctx, RecordSink& sink)
{
    TraceSummariesPage page;
    Emitter emit(ctx, sink);
    simdjson::padded_string json(body);
    od::parser parser;
    od::document doc;
    size_t at = 0;
    try {
        doc = rootline::iterateChecked(parser, json);
        bool saw = false;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "NextToken") {
                page.nextToken = readOptionalString(v);
            } else if (key == "TracesProcessedCount") {
                page.tracesProcessed = int64_t(readDouble(v));
            } else if (key == "TraceSummaries") {
                saw = true;
                for (auto element : v.get_array()) {
                    at = offsetIn(doc, json);
                    TraceSummary s;
                    std::string problem;
                    for (auto sf : element.get_object()) {
                        const std::string_view k = sf.unescaped_key();
                        od::value sv = sf.value();
                        std::string raw;
                        if (k == "Id") {
                            s.xrayId = readString(sv);
                            auto id = parseTraceId(s.xrayId);
                            if (id)
                                s.traceId = *id;
                            else
                                problem = id.error().what;
                        } else if (k == "StartTime") {
                            if (auto t = readTime(sv, TimeUnit::Seconds, raw); t)
                                s.start = *t;
                        } else if (k == "Duration") {
                            if (auto t = readTime(sv, TimeUnit::Seconds, raw); t)
                                s.duration = Duration::nanos(t->nanos());
                        } else if (k == "ResponseTime") {
                            if (auto t = readTime(sv, TimeUnit::Seconds, raw); t)
                                s.responseTime = Duration::nanos(t->nanos());
                        } else if (k == "HasFault") s.hasFault = readBool(sv);
                        else if (k == "HasError") s.hasError = readBool(sv);
                        else if (k == "HasThrottle") s.hasThrottle = readBool(sv);
                        else if (k == "IsPartial") s.isPartial = readBool(sv);
                    }
                    if (s.xrayId.empty() && problem.empty())
                        problem = "trace summary without Id";
                    if (!problem.empty()) {
                        ++page.rejected;
                        if (auto st = emit.reject(ctx.origin + "@" + std::to_string(at), problem, s.xrayId); !st)
                            return st.error();
                        continue;
                    }
                    page.summaries.push_back(std::move(s));
                }
            }
        }
        if (!saw)
            return Error{ctx.origin, "no `TraceSummaries` array", "expected the output of `aws xray get-trace-summaries`"};
    } catch (const simdjson::simdjson_error& e) {
        return malformed(ctx, body, at, e, "a GetTraceSummaries response");
    } catch (const std::exception& e) {
        return Error{ctx.origin + "@" + std::to_string(at), std::string("bad number: ") + e.what(), {}};
    }
    return page;
}

Result<BatchTracesPage> parseBatchGetTraces(std::string_view body, const ParseContext& ctx, RecordSink& sink)
{
    BatchTracesPage page;
    Emitter emit(ctx, sink);
    SegmentParser segments;
    simdjson::padded_string json(body);
    od::parser parser;
    od::document doc;
    size_t at = 0;
    try {
        doc = rootline::iterateChecked(parser, json);
        bool saw = false;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "NextToken") {
                page.nextToken = readOptionalString(v);
            } else if (key == "UnprocessedTraceIds" && v.type() == od::json_type::array) {
                for (auto id : v.get_array()) {
                    od::value iv = std::move(id);
                    page.unprocessedTraceIds.push_back(readString(iv));
                }
            } else if (key == "Traces") {
                saw = true;
                for (auto trace : v.get_array()) {
                    std::string xrayId;
                    std::optional<TraceId> traceId;
                    bool limitExceeded = false;
                    // Segments may precede Id in the object: hold their documents until the object ends.
                    std::vector<std::pair<size_t, std::string>> documents;
                    for (auto tf : trace.get_object()) {
                        const std::string_view tk = tf.unescaped_key();
                        od::value tv = tf.value();
                        if (tk == "Id") {
                            xrayId = readString(tv);
                            if (auto id = parseTraceId(xrayId); id)
                                traceId = *id;
                        } else if (tk == "LimitExceeded") {
                            limitExceeded = readBool(tv);
                        } else if (tk == "Segments") {
                            for (auto seg : tv.get_array()) {
                                at = offsetIn(doc, json);
                                for (auto sf : seg.get_object()) {
                                    const std::string_view sk = sf.unescaped_key();
                                    od::value sv = sf.value();
                                    if (sk == "Document")
                                        documents.emplace_back(at, readString(sv)); // JSON inside a JSON string
                                }
                            }
                        }
                    }
                    ++page.traces;
                    if (limitExceeded)
                        page.limitExceeded.push_back(xrayId);
                    for (auto& [offset, document] : documents) {
                        std::vector<Span> spans;
                        const std::string where = ctx.origin + "@" + std::to_string(offset);
                        if (auto st = segments.parse(document, traceId, std::nullopt, nullptr, spans, where, 0); !st) {
                            ++page.rejected;
                            if (auto rs = emit.reject(st.error().where, st.error().what, document); !rs)
                                return rs.error();
                            continue;
                        }
                        for (auto& s : spans) {
                            ++page.spans;
                            if (auto st = emit.add(std::move(s)); !st)
                                return st.error();
                        }
                    }
                }
            }
        }
        if (!saw)
            return Error{ctx.origin, "no `Traces` array", "expected the output of `aws xray batch-get-traces`"};
    } catch (const simdjson::simdjson_error& e) {
        return malformed(ctx, body, at, e, "a BatchGetTraces response");
    }
    if (auto st = emit.flush(); !st)
        return st.error();
    return page;
}

Status parseSegmentDocument(std::string_view document, const std::optional<TraceId>& traceIdHint, std::vector<Span>& out,
                            std::string_view where)
{
    SegmentParser p;
    return p.parse(document, traceIdHint, std::nullopt, nullptr, out, where, 0);
}

ErrorBody parseErrorBody(std::string_view body, const std::string* errorTypeHeader)
{
    ErrorBody e;
    auto clean = [](std::string code) {
        if (auto hash = code.rfind('#'); hash != std::string::npos)
            code = code.substr(hash + 1);
        if (auto colon = code.find(':'); colon != std::string::npos)
            code = code.substr(0, colon);
        return std::string(trimmed(code));
    };
    if (errorTypeHeader && !errorTypeHeader->empty())
        e.code = clean(*errorTypeHeader);
    try {
        simdjson::padded_string json(body);
        od::parser parser;
        od::document doc = rootline::iterateChecked(parser, json);
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if ((key == "__type" || key == "code" || key == "Code") && e.code.empty() && v.type() == od::json_type::string)
                e.code = clean(std::string(std::string_view(v.get_string())));
            else if ((key == "message" || key == "Message") && v.type() == od::json_type::string)
                e.message = std::string(std::string_view(v.get_string()));
        }
    } catch (const simdjson::simdjson_error&) {
        if (e.message.empty())
            e.message = snippetOf(trimmed(body));
    }
    return e;
}

bool isThrottlingCode(std::string_view code)
{
    for (std::string_view c : {"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
                               "TooManyRequestsException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
                               "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
                               "PriorRequestNotComplete", "EC2ThrottledException"})
        if (code == c)
            return true;
    return false;
}

Format cloudWatchLogsFormat()
{
    return {"aws-cloudwatch-logs", "AWS CloudWatch Logs events (FilterLogEvents / GetLogEvents, aws logs filter-log-events)",
            &sniffLogs, &parseLogsDocument, false};
}

Format logsInsightsFormat()
{
    return {"aws-logs-insights", "AWS CloudWatch Logs Insights results (GetQueryResults, aws logs get-query-results)",
            &sniffInsights, &parseInsightsDocument, false};
}

Format cloudWatchMetricsFormat()
{
    return {"aws-cloudwatch-metrics", "AWS CloudWatch metrics (GetMetricData, aws cloudwatch get-metric-data)",
            &sniffMetrics, &parseMetricsDocument, false};
}

Format xrayTracesFormat()
{
    return {"aws-xray-traces", "AWS X-Ray traces (BatchGetTraces, aws xray batch-get-traces)", &sniffXRay, &parseXRayDocument, false};
}

} // namespace rootline::aws

namespace rootline {

Result<Attributes> nested::flattenedObject(std::string_view json, const std::string& prefix)
{
    const simdjson::padded_string padded(json);
    aws::od::parser parser;
    if (parser.allocate(padded.size(), padded.size() / 2 + 1) != simdjson::SUCCESS)
        return Error{"JSON object", "cannot allocate a parser", {}};
    try {
        aws::od::document doc = parser.iterate(padded);
        Attributes attrs;
        aws::flattenInto(attrs, prefix, doc.get_value());
        return attrs;
    } catch (const simdjson::simdjson_error& e) {
        return Error{"JSON object", e.what(), {}};
    }
}

} // namespace rootline
