#include "JaegerJson.h"

#include "JsonSplitter.h"
#include "JsonValues.h"
#include "core/Ids.h"
#include "core/JsonDepth.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace rootline {

namespace {

using namespace json;

struct Stop {
    Error error;
};

struct Reference {
    bool childOf = true;
    TraceId traceId;
    SpanId spanId;
};

struct RawSpan {
    Span span;
    bool haveTraceId = false;
    std::string processId;
    ResourcePtr embeddedProcess;
    std::vector<Reference> references;
    std::optional<SpanId> parentSpanIdField; // the deprecated `parentSpanID`
    const char* start = nullptr;
};

// A tag's value as written, converted once its `type` is known (it may come before or after).
struct TagValue {
    od::json_type jsonType = od::json_type::null;
    std::string text; // string content, or the number's text
    bool boolean = false;
};

AttributeValue convertTag(const std::string& key, std::string_view type, const TagValue& v)
{
    auto asInt = [&](std::string_view text) -> std::optional<int64_t> {
        int64_t i = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
        if (ec == std::errc() && end == text.data() + text.size() && !text.empty())
            return i;
        return std::nullopt;
    };
    auto asDouble = [&](std::string_view text) -> std::optional<double> {
        double d = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
        if (ec == std::errc() && end == text.data() + text.size() && !text.empty())
            return d;
        return std::nullopt;
    };
    if (v.jsonType == od::json_type::null)
        return JsonText{"null"};
    if (type.empty()) { // omitempty: infer from the JSON
        if (v.jsonType == od::json_type::boolean)
            return v.boolean;
        if (v.jsonType == od::json_type::number) {
            if (auto i = asInt(v.text))
                return *i;
            if (auto d = asDouble(v.text))
                return *d;
        }
        return v.text;
    }
    if (type == "string" || type == "binary") // binary stays base64 text
        return v.jsonType == od::json_type::boolean ? std::string(v.boolean ? "true" : "false") : v.text;
    if (type == "bool") {
        if (v.jsonType == od::json_type::boolean)
            return v.boolean;
        if (v.text == "true" || v.text == "false")
            return v.text == "true";
    } else if (type == "int64") {
        // Past ±(2^53−1) Jaeger writes the number as a string; either way it is read exactly.
        if (auto i = asInt(v.text))
            return *i;
        if (auto d = asDouble(v.text); d && std::floor(*d) == *d && std::fabs(*d) < 9.2e18)
            return int64_t(*d);
    } else if (type == "float64") {
        if (auto d = asDouble(v.text))
            return *d;
        if (v.jsonType == od::json_type::string) {
            std::string lower = v.text;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
            if (lower == "nan")
                return std::nan("");
            if (lower == "inf" || lower == "+inf" || lower == "infinity")
                return INFINITY;
            if (lower == "-inf" || lower == "-infinity")
                return -INFINITY;
        }
    } else {
        throw BadRecord{"tag \"" + key + "\": unknown type \"" + std::string(type) + "\""};
    }
    throw BadRecord{"tag \"" + key + "\": value does not fit type \"" + std::string(type) + "\""};
}

void readTags(od::value v, Attributes& out, const char* field)
{
    if (v.type() == od::json_type::null)
        return;
    if (v.type() != od::json_type::array)
        throw BadRecord{std::string("\"") + field + "\": expected an array of {key, type, value}"};
    for (od::value tag : v.get_array()) {
        if (tag.type() != od::json_type::object)
            throw BadRecord{std::string("\"") + field + "\": expected an array of {key, type, value}"};
        std::string key;
        std::string type;
        TagValue value;
        for (auto f : tag.get_object()) {
            const std::string_view k = f.unescaped_key();
            od::value fv = f.value();
            if (k == "key") {
                key = getString(fv, "key");
            } else if (k == "type") {
                type = getString(fv, "type");
            } else if (k == "value") {
                value.jsonType = fv.type();
                switch (value.jsonType) {
                case od::json_type::string:
                    value.text = fv.get_string().value();
                    break;
                case od::json_type::number:
                    value.text = trimmed(fv.raw_json_token());
                    break;
                case od::json_type::boolean:
                    value.boolean = fv.get_bool();
                    break;
                case od::json_type::null:
                    break;
                default:
                    throw BadRecord{"tag \"" + key + "\": value is an array or object"};
                }
            }
        }
        out.set(key, convertTag(key, type, value));
    }
}

SpanKind kindFromTag(std::string_view s)
{
    if (s == "server")
        return SpanKind::Server;
    if (s == "client")
        return SpanKind::Client;
    if (s == "producer")
        return SpanKind::Producer;
    if (s == "consumer")
        return SpanKind::Consumer;
    if (s == "internal")
        return SpanKind::Internal;
    return SpanKind::Unspecified;
}

TraceId traceIdFrom(std::string_view text, const char* field)
{
    auto id = parseTraceId(text, IdEncoding::Hex);
    if (!id)
        throw BadRecord{std::string("\"") + field + "\": " + id.error().what};
    return *id;
}

SpanId spanIdFrom(std::string_view text, const char* field)
{
    auto id = parseSpanId(text, IdEncoding::Hex);
    if (!id)
        throw BadRecord{std::string("\"") + field + "\": " + id.error().what};
    return *id;
}

class JaegerParser {
public:
    JaegerParser(const ParseContext& ctx, RecordSink& sink) : m_ctx(ctx), m_sink(sink) {}

    Status parse(std::string_view document)
    {
        try {
            // One value that the caller vouches for is parsed whole, unless it nests too deep:
            // then the scanner below rejects it with its place.
            if (m_ctx.singleValue && !jsonTooDeepAt(document)) {
                parsePiece(JsonSplitter::wholeValue(document));
                flush(true);
                return {};
            }
            Status s = JsonSplitter::scan(document, {}, [&](const JsonPiece& piece) -> Status {
                if (piece.broken) {
                    reject(m_ctx.lineLocation(piece.startLine), std::string("malformed JSON: ") + piece.broken,
                           std::string(piece.document.substr(0, 240)));
                    return {};
                }
                parsePiece(piece);
                return {};
            });
            if (!s)
                return s;
            flush(true);
        } catch (Stop& stop) {
            return stop.error;
        }
        return {};
    }

private:
    void parsePiece(const JsonPiece& piece)
    {
        m_pieceLine = piece.startLine;
        auto padded = m_lease.buffer().load(piece.document);
        m_end = m_lease.buffer().data() + piece.document.size();
        od::document doc;
        bool iterating = false; // current_location() is only valid once iterate() succeeded
        try {
            doc = m_lease.parser().iterate(padded);
            iterating = true;
            const od::json_type type = doc.type();
            if (type == od::json_type::array) {
                for (od::value item : doc.get_array())
                    readTraceValue(item);
            } else if (type == od::json_type::object) {
                readObject(doc.get_object(), m_lease.buffer().data());
            } else {
                reject(m_ctx.lineLocation(piece.startLine), "not a Jaeger JSON document", snippetAt(m_lease.buffer().data(), m_end));
            }
        } catch (simdjson::simdjson_error& e) {
            // The traces read before the error stay; the rest of this value is lost.
            const char* at = nullptr;
            if (!iterating || doc.current_location().get(at) != simdjson::SUCCESS || !at)
                at = m_lease.buffer().data();
            reject(locate(at), std::string("malformed JSON: ") + e.what(), snippetAt(at, m_end));
        }
    }

    void readTraceValue(od::value v)
    {
        const char* start = v.raw_json_token().data();
        if (v.type() != od::json_type::object) {
            reject(locate(start), "a trace is not a JSON object", snippetAt(start, m_end));
            return;
        }
        readObject(v.get_object(), start);
    }

    struct TraceState {
        std::optional<TraceId> traceId;
        std::unordered_map<std::string, ResourcePtr> processes;
        std::vector<RawSpan> spans;
        bool isTrace = false;
    };

    // A trace, or the {"data":..., "errors":...} envelope around traces.
    void readObject(od::object obj, const char* start)
    {
        TraceState trace;
        bool envelope = false;
        std::vector<std::string> errors;
        try {
            for (auto f : obj) {
                const std::string_view k = f.unescaped_key();
                od::value fv = f.value();
                if (k == "data") {
                    envelope = true;
                    const od::json_type t = fv.type();
                    if (t == od::json_type::array) {
                        for (od::value item : fv.get_array())
                            readTraceValue(item);
                    } else if (t == od::json_type::object) {
                        readTraceValue(fv);
                    }
                } else if (k == "errors") {
                    if (fv.type() == od::json_type::array)
                        for (od::value e : fv.get_array()) {
                            std::string msg;
                            if (e.type() == od::json_type::object)
                                for (auto g : e.get_object())
                                    if (g.unescaped_key().value() == "msg" && g.value().type() == od::json_type::string)
                                        msg = std::string(g.value().get_string().value());
                            errors.push_back(msg.empty() ? "unknown error" : msg);
                        }
                } else if (k == "traceID") {
                    trace.traceId = traceIdFrom(getString(fv, "traceID"), "traceID");
                    trace.isTrace = true;
                } else if (k == "spans") {
                    trace.isTrace = true;
                    if (fv.type() != od::json_type::array)
                        throw BadRecord{"\"spans\": expected an array"};
                    for (od::value sv : fv.get_array()) {
                        const char* spanStart = sv.raw_json_token().data();
                        try {
                            RawSpan raw;
                            raw.start = spanStart;
                            readSpan(sv, raw);
                            trace.spans.push_back(std::move(raw));
                        } catch (BadRecord& e) {
                            reject(locate(spanStart), "span: " + e.what, snippetAt(spanStart, m_end));
                        }
                    }
                } else if (k == "processes") {
                    trace.isTrace = true;
                    if (fv.type() == od::json_type::object)
                        for (auto p : fv.get_object()) {
                            std::string pid(p.unescaped_key().value());
                            trace.processes[pid] = readProcess(p.value());
                        }
                    else if (fv.type() != od::json_type::null)
                        throw BadRecord{"\"processes\": expected an object"};
                }
            }
        } catch (BadRecord& e) {
            reject(locate(start), "trace: " + e.what, snippetAt(start, m_end));
            return;
        }
        if (!errors.empty()) {
            std::string all;
            for (const auto& e : errors)
                all += (all.empty() ? "" : "; ") + e;
            (void)envelope; // {"data":null,"errors":[...]} or per-trace failures beside data
            reject(locate(start), "Jaeger reported: " + all, {});
        }
        if (trace.isTrace)
            finishTrace(trace, start);
    }

    ResourcePtr readProcess(od::value v)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"a process is not an object"};
        Attributes attrs;
        std::string service;
        Attributes tags;
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            if (k == "serviceName")
                service = getString(f.value(), "serviceName");
            else if (k == "tags")
                readTags(f.value(), tags, "process.tags");
        }
        attrs.set("service.name", service);
        for (const auto& t : tags)
            attrs.set(t.key, t.value);
        return makeResource(attrs, SourceKind::Jaeger);
    }

    void readSpan(od::value v, RawSpan& raw)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"expected a span object"};
        Span& span = raw.span;
        bool haveSpanId = false;
        std::vector<std::string> warnings;
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            od::value fv = f.value();
            if (k == "traceID") {
                span.traceId = traceIdFrom(getString(fv, "traceID"), "traceID");
                raw.haveTraceId = true;
            } else if (k == "spanID") {
                span.spanId = spanIdFrom(getString(fv, "spanID"), "spanID");
                haveSpanId = true;
            } else if (k == "parentSpanID") {
                const std::string_view p = getString(fv, "parentSpanID");
                if (!p.empty() && p.find_first_not_of('0') != std::string_view::npos)
                    raw.parentSpanIdField = spanIdFrom(p, "parentSpanID");
            } else if (k == "operationName") {
                span.name = getString(fv, "operationName");
            } else if (k == "references") {
                if (fv.type() == od::json_type::null)
                    continue;
                if (fv.type() != od::json_type::array)
                    throw BadRecord{"\"references\": expected an array"};
                for (od::value r : fv.get_array()) {
                    if (r.type() != od::json_type::object)
                        throw BadRecord{"\"references\": expected an array of objects"};
                    Reference ref;
                    bool haveRefSpan = false;
                    for (auto g : r.get_object()) {
                        const std::string_view rk = g.unescaped_key();
                        if (rk == "refType") {
                            const std::string_view t = getString(g.value(), "refType");
                            if (t == "CHILD_OF")
                                ref.childOf = true;
                            else if (t == "FOLLOWS_FROM")
                                ref.childOf = false;
                            else
                                throw BadRecord{"\"refType\": expected CHILD_OF or FOLLOWS_FROM, not \"" + std::string(t) + "\""};
                        } else if (rk == "traceID") {
                            ref.traceId = traceIdFrom(getString(g.value(), "references.traceID"), "references.traceID");
                        } else if (rk == "spanID") {
                            ref.spanId = spanIdFrom(getString(g.value(), "references.spanID"), "references.spanID");
                            haveRefSpan = true;
                        }
                    }
                    if (!haveRefSpan)
                        throw BadRecord{"a reference without \"spanID\""};
                    raw.references.push_back(ref);
                }
            } else if (k == "startTime") {
                span.start = getMicros(fv, "startTime");
            } else if (k == "duration") {
                const Timestamp d = getMicros(fv, "duration");
                if (d.nanos() < 0)
                    throw BadRecord{"\"duration\": negative"};
                span.duration = Duration::nanos(d.nanos());
            } else if (k == "tags") {
                readTags(fv, span.attributes, "tags");
            } else if (k == "logs") {
                if (fv.type() == od::json_type::null)
                    continue;
                if (fv.type() != od::json_type::array)
                    throw BadRecord{"\"logs\": expected an array"};
                for (od::value l : fv.get_array()) {
                    if (l.type() != od::json_type::object)
                        throw BadRecord{"\"logs\": expected an array of objects"};
                    SpanEvent event;
                    Attributes fields;
                    for (auto g : l.get_object()) {
                        const std::string_view lk = g.unescaped_key();
                        if (lk == "timestamp")
                            event.time = getMicros(g.value(), "logs.timestamp");
                        else if (lk == "fields")
                            readTags(g.value(), fields, "logs.fields");
                    }
                    for (const auto& a : fields) {
                        if (a.key == "event" && event.name.empty())
                            event.name = attributeToText(a.value);
                        else
                            event.attributes.set(a.key, a.value);
                    }
                    if (event.name.empty())
                        event.name = "log";
                    span.events.push_back(std::move(event));
                }
            } else if (k == "processID") {
                raw.processId = getString(fv, "processID");
            } else if (k == "process") {
                if (fv.type() != od::json_type::null)
                    raw.embeddedProcess = readProcess(fv);
            } else if (k == "warnings") {
                if (fv.type() == od::json_type::array)
                    for (od::value w : fv.get_array())
                        warnings.emplace_back(getString(w, "warnings"));
                else if (fv.type() != od::json_type::null)
                    throw BadRecord{"\"warnings\": expected an array or null"};
            }
        }
        if (!haveSpanId)
            throw BadRecord{"no \"spanID\""};
        if (!warnings.empty()) {
            JsonText list{"["};
            for (size_t i = 0; i < warnings.size(); ++i) {
                if (i)
                    list.text += ',';
                appendJsonString(list.text, warnings[i]);
            }
            list.text += ']';
            span.attributes.set("jaeger.warnings", std::move(list));
        }
        // Kind and status travel as tags in Jaeger's model.
        if (auto kind = span.attributes.text("span.kind"))
            span.kind = kindFromTag(*kind);
        if (const auto* err = span.attributes.find("error")) {
            if ((std::holds_alternative<bool>(*err) && std::get<bool>(*err))
                || (std::holds_alternative<std::string>(*err) && std::get<std::string>(*err) == "true"))
                span.status = StatusCode::Error;
        }
        if (auto code = span.attributes.text("otel.status_code")) {
            if (*code == "ERROR")
                span.status = StatusCode::Error;
            else if (*code == "OK")
                span.status = StatusCode::Ok;
        }
        if (auto description = span.attributes.text("otel.status_description"))
            span.statusMessage = *description;
    }

    void finishTrace(TraceState& trace, const char* start)
    {
        std::unordered_set<SpanId, SpanIdHash> present;
        for (auto& raw : trace.spans) {
            if (!raw.haveTraceId) {
                if (!trace.traceId) {
                    reject(locate(raw.start), "span: no \"traceID\" in the span or its trace", snippetAt(raw.start, m_end));
                    raw.span.traceId = TraceId();
                    continue;
                }
                raw.span.traceId = *trace.traceId;
            }
            present.insert(raw.span.spanId);
        }
        ResourcePtr unknownProcess;
        for (auto& raw : trace.spans) {
            Span& span = raw.span;
            if (!span.traceId.isValid())
                continue;
            if (raw.embeddedProcess) {
                span.resource = raw.embeddedProcess;
            } else if (auto it = trace.processes.find(raw.processId); it != trace.processes.end()) {
                span.resource = it->second;
            } else {
                if (!unknownProcess)
                    unknownProcess = makeResource({}, SourceKind::Jaeger);
                span.resource = unknownProcess;
                if (!raw.processId.empty())
                    span.attributes.set("jaeger.process_id", raw.processId);
            }
            // The parent: the first CHILD_OF in this trace whose span is here, else the first
            // CHILD_OF in this trace (an absent parent still says the span is not a root), else
            // the first FOLLOWS_FROM (as Jaeger's own model does), else `parentSpanID`.
            const Reference* parent = nullptr;
            for (const auto& r : raw.references)
                if (r.childOf && r.traceId == span.traceId && present.count(r.spanId)) {
                    parent = &r;
                    break;
                }
            for (const auto& r : raw.references)
                if (!parent && r.childOf && r.traceId == span.traceId)
                    parent = &r;
            for (const auto& r : raw.references)
                if (!parent && !r.childOf && r.traceId == span.traceId)
                    parent = &r;
            if (parent)
                span.parentSpanId = parent->spanId;
            else if (raw.parentSpanIdField)
                span.parentSpanId = raw.parentSpanIdField;
            for (const auto& r : raw.references) {
                if (&r == parent && r.childOf)
                    continue;
                SpanLink link;
                link.traceId = r.traceId.isValid() ? r.traceId : span.traceId;
                link.spanId = r.spanId;
                link.relation = r.childOf ? "CHILD_OF" : "FOLLOWS_FROM";
                span.links.push_back(std::move(link));
            }
            m_batch.spans.push_back(std::move(span));
        }
        (void)start;
        flush(false);
    }

    struct SpanIdHash {
        size_t operator()(const SpanId& id) const noexcept { return size_t(id.value * 0x9E3779B97F4A7C15ULL); }
    };

    std::string locate(const char* at)
    {
        if (!at || at < m_lease.buffer().data() || at > m_end)
            return m_ctx.lineLocation(m_pieceLine);
        return m_ctx.lineLocation(m_pieceLine + std::count(m_lease.buffer().data(), at, '\n'));
    }

    void reject(std::string location, std::string message, std::string snippet)
    {
        if (m_ctx.strict)
            throw Stop{Error{location, message, "without --strict the record would be skipped and the rest imported"}};
        m_sink.reject(std::move(location), std::move(message), std::move(snippet));
    }

    void flush(bool final)
    {
        if (m_ctx.isCancelled())
            throw Stop{Error{m_ctx.origin, "cancelled", {}}};
        if (m_batch.empty() || (!final && m_batch.recordCount() < m_ctx.batchSize))
            return;
        Status s = m_sink.batch(std::move(m_batch));
        m_batch = TelemetryBatch();
        if (!s)
            throw Stop{s.error()};
    }

    const ParseContext& m_ctx;
    RecordSink& m_sink;
    TelemetryBatch m_batch;
    ParserLease m_lease; // the thread's simdjson parser and buffer, reused across documents
    const char* m_end = nullptr;
    int64_t m_pieceLine = 1;
};

int sniff(std::string_view head)
{
    return sniffJaegerJson(head);
}

Status parse(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    return parseJaegerJson(document, ctx, sink);
}

} // namespace

Status parseJaegerJson(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    JaegerParser parser(ctx, sink);
    return parser.parse(document);
}

int sniffJaegerJson(std::string_view head)
{
    size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF")
        i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        ++i;
    if (i >= head.size() || (head[i] != '{' && head[i] != '['))
        return 0;
    const bool traceId = head.find("\"traceID\"") != std::string_view::npos;
    if (traceId && (head.find("\"spanID\"") != std::string_view::npos || head.find("\"operationName\"") != std::string_view::npos))
        return 95;
    if (traceId && (head.find("\"spans\"") != std::string_view::npos || head.find("\"processes\"") != std::string_view::npos))
        return 85;
    return 0;
}

Format jaegerJsonFormat()
{
    Format f;
    f.name = "jaeger-json";
    f.description = "Jaeger JSON traces (jaeger-ui Download JSON, /api/traces responses)";
    f.sniff = &sniff;
    f.parse = &parse;
    f.lineOriented = false;
    f.splitPaths = {"", "data"};
    f.elementSplitPaths = {"spans"}; // a huge trace: its spans in runs, each with the processes
    return f;
}

} // namespace rootline
