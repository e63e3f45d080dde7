#include "OtlpJson.h"

#include "JsonSplitter.h"
#include "JsonValues.h"
#include "NestedJson.h"
#include "OtlpStreamIdentity.h"
#include "core/Ids.h"
#include "core/JsonDepth.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <vector>

namespace rootline {

namespace {

using namespace json;

// Thrown to stop parsing: the sink failed, the user cancelled, or --strict met a bad record.
struct Stop {
    Error error;
};

// Looks a field up in any order: true when found, false when absent; malformed JSON throws
// (a plain != SUCCESS test would take a syntax error for an absent field).
bool findField(od::object& o, std::string_view key, od::value& out)
{
    const simdjson::error_code e = o.find_field_unordered(key).get(out);
    if (e == simdjson::SUCCESS)
        return true;
    if (e == simdjson::NO_SUCH_FIELD)
        return false;
    throw simdjson::simdjson_error(e);
}

int spanKindFrom(od::value v)
{
    if (v.type() == od::json_type::string) {
        std::string_view s = v.get_string();
        static constexpr std::pair<std::string_view, int> names[] = {
            {"SPAN_KIND_UNSPECIFIED", 0}, {"SPAN_KIND_INTERNAL", 1}, {"SPAN_KIND_SERVER", 2},
            {"SPAN_KIND_CLIENT", 3},      {"SPAN_KIND_PRODUCER", 4}, {"SPAN_KIND_CONSUMER", 5}};
        for (const auto& [name, kind] : names)
            if (s == name)
                return kind;
        throw BadRecord{"\"kind\": unknown span kind \"" + std::string(s) + "\""};
    }
    const int64_t k = getInt64(v, "kind");
    if (k < 0 || k > 5)
        throw BadRecord{"\"kind\": span kind " + std::to_string(k) + " is not 0–5"};
    return int(k);
}

int statusCodeFrom(od::value v)
{
    if (v.type() == od::json_type::string) {
        std::string_view s = v.get_string();
        if (s == "STATUS_CODE_UNSET")
            return 0;
        if (s == "STATUS_CODE_OK")
            return 1;
        if (s == "STATUS_CODE_ERROR")
            return 2;
        throw BadRecord{"\"status.code\": unknown status code \"" + std::string(s) + "\""};
    }
    const int64_t c = getInt64(v, "code");
    if (c < 0 || c > 2)
        throw BadRecord{"\"status.code\": " + std::to_string(c) + " is not 0–2"};
    return int(c);
}

// OTLP AggregationTemporality: 1 delta, 2 cumulative; 0 (unspecified) or absent is read as
// cumulative, as the importers always read it and as Prometheus-compatible pipelines send.
Temporality temporalityFrom(od::value v)
{
    int64_t t = 0;
    if (v.type() == od::json_type::string) {
        const std::string_view s = v.get_string();
        if (s == "AGGREGATION_TEMPORALITY_DELTA")
            t = 1;
        else if (s == "AGGREGATION_TEMPORALITY_CUMULATIVE")
            t = 2;
        else if (s != "AGGREGATION_TEMPORALITY_UNSPECIFIED")
            throw BadRecord{"\"aggregationTemporality\": unknown value \"" + std::string(s) + "\""};
    } else {
        t = getInt64(v, "aggregationTemporality");
        if (t < 0 || t > 2)
            throw BadRecord{"\"aggregationTemporality\": " + std::to_string(t) + " is not 0–2"};
    }
    return t == 1 ? Temporality::Delta : Temporality::Cumulative;
}

int severityFrom(od::value v)
{
    if (v.type() == od::json_type::string) {
        std::string_view s = v.get_string();
        constexpr std::string_view prefix = "SEVERITY_NUMBER_";
        if (s.substr(0, prefix.size()) == prefix) {
            s.remove_prefix(prefix.size());
            int step = 0;
            if (!s.empty() && s.back() >= '2' && s.back() <= '4') {
                step = s.back() - '1';
                s.remove_suffix(1);
            }
            static constexpr std::pair<std::string_view, int> names[] = {
                {"UNSPECIFIED", 0}, {"TRACE", 1}, {"DEBUG", 5}, {"INFO", 9}, {"WARN", 13}, {"ERROR", 17}, {"FATAL", 21}};
            for (const auto& [name, base] : names)
                if (s == name)
                    return base == 0 ? 0 : base + step;
        }
        throw BadRecord{"\"severityNumber\": unknown severity \"" + std::string(v.get_string().value()) + "\""};
    }
    const int64_t n = getInt64(v, "severityNumber");
    if (n < 0 || n > 24)
        throw BadRecord{"\"severityNumber\": " + std::to_string(n) + " is not 0–24"};
    return int(n);
}

TraceId traceIdFrom(od::value v, const char* field)
{
    auto id = parseTraceId(getString(v, field));
    if (!id)
        throw BadRecord{std::string("\"") + field + "\": " + id.error().what};
    return *id;
}

// Empty or all-zero means "none" (OTLP writes "" for a root span's parent).
std::optional<SpanId> optionalSpanId(od::value v, const char* field)
{
    const std::string_view text = getString(v, field);
    if (text.empty() || text.find_first_not_of('0') == std::string_view::npos || text == "AAAAAAAAAAA=")
        return std::nullopt;
    auto id = parseSpanId(text);
    if (!id)
        throw BadRecord{std::string("\"") + field + "\": " + id.error().what};
    return *id;
}

std::optional<TraceId> optionalTraceId(od::value v, const char* field)
{
    const std::string_view text = getString(v, field);
    if (text.empty() || text.find_first_not_of('0') == std::string_view::npos)
        return std::nullopt;
    auto id = parseTraceId(text);
    if (!id)
        throw BadRecord{std::string("\"") + field + "\": " + id.error().what};
    return *id;
}

// AnyValue → plain JSON ("stringValue":"x" → "x", arrays and kvlists nested), for nested values.
// Iterative: an explicit stack of the arrays, kvlists and kvlist entries being read, so the input's
// nesting never reaches the call stack (the importers refuse more than kMaxJsonDepth levels first,
// core/JsonDepth.h; this holds whatever a caller lets through). simdjson's On-Demand reads forward
// only: each frame keeps its iterator and steps past an element once the frames it pushed for it
// are done; a value it left half-read is skipped by that step.
class AnyValueWriter {
public:
    explicit AnyValueWriter(std::string& out) : m_out(out) {}

    void anyValue(od::value v)
    {
        beginAnyValue(v);
        run();
    }
    // The object holding "values" of an arrayValue, or of a kvlistValue.
    void arrayValue(od::value v)
    {
        beginContainer(v, Kind::Array);
        run();
    }
    void kvlistValue(od::value v)
    {
        beginContainer(v, Kind::Kvlist);
        run();
    }

private:
    enum class Kind { Array, Kvlist, Entry };
    struct Frame {
        Kind kind;
        od::object_iterator field, fieldsEnd; // the container's fields ("values"), or the entry's (key, value)
        bool fieldPending = false;            // `field` was read: step past it before reading on
        bool inValues = false;
        od::array_iterator item, itemsEnd;
        bool itemPending = false;
        bool first = true;
        // Entry: `"key":value` is written from `at`; a value that comes before its key gets the
        // key inserted in front when the key arrives (the last key and the last value win).
        size_t at = 0, valueAt = std::string::npos;
        size_t prefixEnd = std::string::npos; // end of `,"key":` once written
        std::string key;
    };

    std::string& m_out;
    std::vector<Frame> m_stack;

    void beginContainer(od::value v, Kind kind)
    {
        Frame f{kind};
        od::object o = v.get_object();
        f.field = o.begin();
        f.fieldsEnd = o.end();
        m_out += kind == Kind::Array ? '[' : '{';
        m_stack.push_back(std::move(f));
    }

    void beginAnyValue(od::value v)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"an attribute value is not an AnyValue object"};
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            if (k == "stringValue" || k == "bytesValue")
                appendJsonString(m_out, getString(f.value(), "stringValue"));
            else if (k == "intValue")
                m_out += std::to_string(getInt64(f.value(), "intValue"));
            else if (k == "doubleValue")
                appendDouble(m_out, getDouble(f.value(), "doubleValue"));
            else if (k == "boolValue")
                m_out += getBool(f.value(), "boolValue") ? "true" : "false";
            else if (k == "arrayValue")
                beginContainer(f.value(), Kind::Array);
            else if (k == "kvlistValue")
                beginContainer(f.value(), Kind::Kvlist);
            else
                continue;
            return; // the rest of the AnyValue is skipped by whoever steps past it
        }
        m_out += "null"; // an empty AnyValue is legal
    }

    void writeEntryPrefix(Frame& e, bool replace)
    {
        std::string prefix;
        appendJsonString(prefix, e.key);
        prefix += ':';
        if (replace) { // a second key: replace the first
            m_out.replace(e.at, e.prefixEnd - e.at, prefix);
            if (e.valueAt != std::string::npos)
                e.valueAt = e.valueAt - (e.prefixEnd - e.at) + prefix.size();
        } else if (e.valueAt != std::string::npos) { // the value came first
            m_out.insert(e.at, prefix);
            e.valueAt += prefix.size();
        } else {
            m_out += prefix;
        }
        e.prefixEnd = e.at + prefix.size();
    }

    void finishEntry(Frame& e)
    {
        if (e.prefixEnd == std::string::npos)
            writeEntryPrefix(e, false); // no key: "" as before
        if (e.valueAt == std::string::npos)
            m_out += "null";
    }

    // One step of the frame on top: read its next field or element, or close it.
    void step()
    {
        Frame& f = m_stack.back();
        if (f.kind == Kind::Entry) {
            if (f.fieldPending) {
                ++f.field;
                f.fieldPending = false;
            }
            if (f.field == f.fieldsEnd) {
                finishEntry(f);
                m_stack.pop_back();
                return;
            }
            auto g = *f.field;
            f.fieldPending = true;
            const std::string_view k = g.unescaped_key();
            if (k == "key") {
                f.key = getString(g.value(), "key");
                writeEntryPrefix(f, f.prefixEnd != std::string::npos);
            } else if (k == "value") {
                if (f.valueAt != std::string::npos)
                    m_out.resize(f.valueAt); // a second value: the last one wins
                f.valueAt = m_out.size();
                beginAnyValue(g.value()); // may push; `f` is not used after this
            }
            return;
        }
        if (f.inValues) {
            if (f.itemPending) {
                ++f.item;
                f.itemPending = false;
            }
            if (f.item != f.itemsEnd) {
                od::value item = *f.item;
                f.itemPending = true;
                if (!f.first)
                    m_out += ',';
                f.first = false;
                if (f.kind == Kind::Array) {
                    beginAnyValue(item);
                } else {
                    Frame e{Kind::Entry};
                    od::object kv = item.get_object();
                    e.field = kv.begin();
                    e.fieldsEnd = kv.end();
                    e.at = m_out.size();
                    m_stack.push_back(std::move(e));
                }
                return;
            }
            f.inValues = false;
            f.fieldPending = true; // done with this "values"
        }
        if (f.fieldPending) {
            ++f.field;
            f.fieldPending = false;
        }
        if (f.field == f.fieldsEnd) {
            m_out += f.kind == Kind::Array ? ']' : '}';
            m_stack.pop_back();
            return;
        }
        auto field = *f.field;
        if (field.unescaped_key().value() != "values") {
            f.fieldPending = true;
            return;
        }
        od::array values = field.value().get_array();
        f.item = values.begin();
        f.itemsEnd = values.end();
        f.itemPending = false;
        f.inValues = true;
    }

    void run()
    {
        while (!m_stack.empty())
            step();
    }
};

void appendAnyValueJson(std::string& out, od::value v)
{
    AnyValueWriter(out).anyValue(v);
}

void appendArrayValueJson(std::string& out, od::value v)
{
    AnyValueWriter(out).arrayValue(v);
}

void appendKvlistValueJson(std::string& out, od::value v)
{
    AnyValueWriter(out).kvlistValue(v);
}

AttributeValue anyValue(od::value v)
{
    if (v.type() != od::json_type::object)
        throw BadRecord{"an attribute value is not an AnyValue object"};
    for (auto f : v.get_object()) {
        const std::string_view k = f.unescaped_key();
        if (k == "stringValue")
            return std::string(getString(f.value(), "stringValue"));
        if (k == "intValue")
            return getInt64(f.value(), "intValue");
        if (k == "doubleValue")
            return getDouble(f.value(), "doubleValue");
        if (k == "boolValue")
            return getBool(f.value(), "boolValue");
        if (k == "bytesValue")
            return std::string(getString(f.value(), "bytesValue")); // kept as base64 text
        if (k == "arrayValue") {
            JsonText t;
            appendArrayValueJson(t.text, f.value());
            return t;
        }
        if (k == "kvlistValue") {
            JsonText t;
            appendKvlistValueJson(t.text, f.value());
            return t;
        }
    }
    return JsonText{"null"};
}

void readAttributes(od::value v, Attributes& out, const char* field = "attributes")
{
    if (v.type() != od::json_type::array)
        throw BadRecord{std::string("\"") + field + "\": expected an array of {key, value}"};
    for (od::value kv : v.get_array()) {
        if (kv.type() != od::json_type::object)
            throw BadRecord{std::string("\"") + field + "\": expected an array of {key, value}"};
        std::string key;
        AttributeValue value = JsonText{"null"};
        for (auto f : kv.get_object()) {
            const std::string_view k = f.unescaped_key();
            if (k == "key")
                key = getString(f.value(), "key");
            else if (k == "value")
                value = anyValue(f.value());
        }
        out.set(std::move(key), std::move(value));
    }
}

std::vector<std::pair<std::string, std::string>> labelsFrom(od::value v)
{
    Attributes attrs;
    readAttributes(v, attrs);
    std::vector<std::pair<std::string, std::string>> labels;
    labels.reserve(attrs.size());
    for (const auto& a : attrs)
        labels.emplace_back(a.key, attributeToText(a.value));
    std::sort(labels.begin(), labels.end());
    return labels;
}

struct Scope {
    std::string name, version;
};

struct MetricPoint {
    std::vector<std::pair<std::string, std::string>> labels;
    Timestamp time;
    double value = std::nan("");
    bool hasHistogram = false;
    HistogramSample histogram;
    std::vector<std::pair<double, double>> quantiles; // summary
    std::vector<Exemplar> exemplars;
};

class OtlpParser {
public:
    OtlpParser(const ParseContext& ctx, RecordSink& sink) : m_ctx(ctx), m_sink(sink) {}

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
                    if (item.type() == od::json_type::object)
                        readTop(item.get_object());
            } else if (type == od::json_type::object) {
                readTop(doc.get_object());
            } else {
                reject(m_ctx.lineLocation(piece.startLine), "not an OTLP/JSON document", snippetAt(m_lease.buffer().data(), m_end));
            }
        } catch (simdjson::simdjson_error& e) {
            const char* at = nullptr;
            if (!iterating || doc.current_location().get(at) != simdjson::SUCCESS || !at)
                at = m_lease.buffer().data();
            reject(locate(at), std::string("malformed JSON: ") + e.what(), snippetAt(at, m_end));
        } catch (BadRecord& e) {
            reject(m_ctx.lineLocation(piece.startLine), e.what, snippetAt(m_lease.buffer().data(), m_end));
        }
    }

    void readTop(od::object top)
    {
        for (auto field : top) {
            const std::string_view key = field.unescaped_key();
            if (key == "resourceSpans" || key == "batches")
                forEachBlock(field.value(), key, [&](od::object b) { readResourceSpans(b); });
            else if (key == "resourceLogs")
                forEachBlock(field.value(), key, [&](od::object b) { readResourceLogs(b); });
            else if (key == "resourceMetrics")
                forEachBlock(field.value(), key, [&](od::object b) { readResourceMetrics(b); });
            else if (key == "result" || key == "trace") {
                od::value v = field.value();
                if (v.type() == od::json_type::object)
                    readTop(v.get_object());
            } else if (key == "error") {
                // Jaeger api_v3 error body: {"error":{"httpCode":404,"message":"..."}}
                std::string message = "error response";
                od::value v = field.value();
                if (v.type() == od::json_type::object)
                    for (auto f : v.get_object())
                        if (f.unescaped_key().value() == "message" && f.value().type() == od::json_type::string)
                            message = std::string(f.value().get_string().value());
                throw Stop{Error{m_ctx.origin, "the document is an error response: " + message, {}}};
            }
        }
    }

    template <class Fn>
    void forEachBlock(od::value v, std::string_view key, Fn&& fn)
    {
        if (v.type() != od::json_type::array)
            throw BadRecord{"\"" + std::string(key) + "\": expected an array"};
        for (od::value block : v.get_array()) {
            const char* start = tokenStart(block);
            try {
                if (block.type() != od::json_type::object)
                    throw BadRecord{"\"" + std::string(key) + "\": expected an array of objects"};
                fn(block.get_object());
            } catch (BadRecord& e) {
                reject(locate(start), e.what, snippetAt(start, m_end));
            }
            flush(false);
        }
    }

    ResourcePtr readResource(od::object block)
    {
        Attributes attrs;
        od::value v;
        if (findField(block, "resource", v) && v.type() == od::json_type::object) {
            for (auto f : v.get_object())
                if (f.unescaped_key().value() == "attributes")
                    readAttributes(f.value(), attrs);
        }
        return makeResource(attrs, SourceKind::Otlp);
    }

    // Calls fn(scope, records array) for each scope block under `scopeKey` (or its legacy alias).
    template <class Fn>
    void forEachScope(od::object block, const char* scopeKey, const char* legacyKey, const char* recordsKey, Fn&& fn)
    {
        od::value scopes;
        if (!findField(block, scopeKey, scopes) && !findField(block, legacyKey, scopes))
            return;
        if (scopes.type() != od::json_type::array)
            throw BadRecord{std::string("\"") + scopeKey + "\": expected an array"};
        for (od::value s : scopes.get_array()) {
            if (s.type() != od::json_type::object)
                throw BadRecord{std::string("\"") + scopeKey + "\": expected an array of objects"};
            od::object so = s.get_object();
            Scope scope;
            od::value sv;
            if ((findField(so, "scope", sv) || findField(so, "instrumentationLibrary", sv))
                && sv.type() == od::json_type::object) {
                for (auto f : sv.get_object()) {
                    const std::string_view k = f.unescaped_key();
                    if (k == "name")
                        scope.name = getString(f.value(), "scope.name");
                    else if (k == "version")
                        scope.version = getString(f.value(), "scope.version");
                }
            }
            od::value records;
            if (!findField(so, recordsKey, records))
                continue;
            if (records.type() != od::json_type::array)
                throw BadRecord{std::string("\"") + recordsKey + "\": expected an array"};
            fn(scope, records.get_array());
        }
    }

    static void addScope(Attributes& attrs, const Scope& scope)
    {
        if (!scope.name.empty())
            attrs.set("otel.scope.name", scope.name);
        if (!scope.version.empty())
            attrs.set("otel.scope.version", scope.version);
    }

    // ---- traces ------------------------------------------------------------------------------

    void readResourceSpans(od::object block)
    {
        const ResourcePtr resource = readResource(block);
        forEachScope(block, "scopeSpans", "instrumentationLibrarySpans", "spans", [&](const Scope& scope, od::array spans) {
            for (od::value v : spans) {
                const char* start = tokenStart(v);
                try {
                    Span span;
                    readSpan(v, span);
                    addScope(span.attributes, scope);
                    span.resource = resource;
                    m_batch.spans.push_back(std::move(span));
                } catch (BadRecord& e) {
                    reject(locate(start), "span: " + e.what, snippetAt(start, m_end));
                }
            }
        });
    }

    void readSpan(od::value v, Span& span)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"expected a span object"};
        bool haveTrace = false, haveSpan = false, haveStart = false;
        Timestamp end;
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            od::value fv = f.value();
            if (k == "traceId") {
                span.traceId = traceIdFrom(fv, "traceId");
                haveTrace = true;
            } else if (k == "spanId") {
                auto id = optionalSpanId(fv, "spanId");
                if (!id)
                    throw BadRecord{"\"spanId\": empty or all-zero"};
                span.spanId = *id;
                haveSpan = true;
            } else if (k == "parentSpanId") {
                span.parentSpanId = optionalSpanId(fv, "parentSpanId");
            } else if (k == "name") {
                span.name = getString(fv, "name");
            } else if (k == "kind") {
                span.kind = SpanKind(spanKindFrom(fv));
            } else if (k == "startTimeUnixNano") {
                span.start = getNanos(fv, "startTimeUnixNano");
                haveStart = true;
            } else if (k == "endTimeUnixNano") {
                end = getNanos(fv, "endTimeUnixNano");
            } else if (k == "attributes") {
                readAttributes(fv, span.attributes);
            } else if (k == "events") {
                readEvents(fv, span.events);
            } else if (k == "links") {
                readLinks(fv, span.links);
            } else if (k == "status") {
                if (fv.type() != od::json_type::object)
                    throw BadRecord{"\"status\": expected an object"};
                for (auto g : fv.get_object()) {
                    const std::string_view sk = g.unescaped_key();
                    if (sk == "code")
                        span.status = StatusCode(statusCodeFrom(g.value()));
                    else if (sk == "message")
                        span.statusMessage = getString(g.value(), "status.message");
                }
            }
        }
        if (!haveTrace)
            throw BadRecord{"no \"traceId\""};
        if (!haveSpan)
            throw BadRecord{"no \"spanId\""};
        (void)haveStart; // api_v3 snapshots omit times; the span then sits at the epoch
        span.duration = end > span.start ? end - span.start : Duration();
    }

    void readEvents(od::value v, std::vector<SpanEvent>& events)
    {
        if (v.type() != od::json_type::array)
            throw BadRecord{"\"events\": expected an array"};
        for (od::value e : v.get_array()) {
            if (e.type() != od::json_type::object)
                throw BadRecord{"\"events\": expected an array of objects"};
            SpanEvent event;
            for (auto f : e.get_object()) {
                const std::string_view k = f.unescaped_key();
                if (k == "timeUnixNano")
                    event.time = getNanos(f.value(), "events.timeUnixNano");
                else if (k == "name")
                    event.name = getString(f.value(), "events.name");
                else if (k == "attributes")
                    readAttributes(f.value(), event.attributes, "events.attributes");
            }
            events.push_back(std::move(event));
        }
    }

    void readLinks(od::value v, std::vector<SpanLink>& links)
    {
        if (v.type() != od::json_type::array)
            throw BadRecord{"\"links\": expected an array"};
        for (od::value l : v.get_array()) {
            if (l.type() != od::json_type::object)
                throw BadRecord{"\"links\": expected an array of objects"};
            SpanLink link;
            link.relation = "link";
            for (auto f : l.get_object()) {
                const std::string_view k = f.unescaped_key();
                if (k == "traceId")
                    link.traceId = traceIdFrom(f.value(), "links.traceId");
                else if (k == "spanId") {
                    if (auto id = optionalSpanId(f.value(), "links.spanId"))
                        link.spanId = *id;
                } else if (k == "attributes")
                    readAttributes(f.value(), link.attributes, "links.attributes");
                else if (k == "traceState") {
                    const std::string_view ts = getString(f.value(), "links.traceState");
                    if (!ts.empty())
                        link.attributes.set("w3c.tracestate", std::string(ts));
                }
            }
            links.push_back(std::move(link));
        }
    }

    // ---- logs --------------------------------------------------------------------------------

    void readResourceLogs(od::object block)
    {
        const ResourcePtr resource = readResource(block);
        forEachScope(block, "scopeLogs", "instrumentationLibraryLogs", "logRecords", [&](const Scope& scope, od::array logs) {
            for (od::value v : logs) {
                const char* start = tokenStart(v);
                try {
                    LogRecord log;
                    readLog(v, log);
                    addScope(log.attributes, scope);
                    log.resource = resource;
                    m_batch.logs.push_back(std::move(log));
                } catch (BadRecord& e) {
                    reject(locate(start), "log record: " + e.what, snippetAt(start, m_end));
                }
            }
        });
    }

    void readLog(od::value v, LogRecord& log)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"expected a log record object"};
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            od::value fv = f.value();
            if (k == "timeUnixNano")
                log.time = getNanos(fv, "timeUnixNano");
            else if (k == "observedTimeUnixNano")
                log.observedTime = getNanos(fv, "observedTimeUnixNano");
            else if (k == "severityNumber")
                log.severity = severityFrom(fv);
            else if (k == "severityText")
                log.severityText = getString(fv, "severityText");
            else if (k == "body") {
                AttributeValue body = anyValue(fv);
                if (auto* s = std::get_if<std::string>(&body))
                    log.body = std::move(*s);
                else if (auto* j = std::get_if<JsonText>(&body); !(j && j->text == "null"))
                    log.body = attributeToText(body);
            } else if (k == "attributes")
                readAttributes(fv, log.attributes);
            else if (k == "traceId")
                log.traceId = optionalTraceId(fv, "traceId");
            else if (k == "spanId")
                log.spanId = optionalSpanId(fv, "spanId");
            else if (k == "eventName") {
                const std::string_view name = getString(fv, "eventName");
                if (!name.empty())
                    log.attributes.set("event.name", std::string(name));
            }
        }
        if (log.time == Timestamp())
            log.time = log.observedTime; // the spec's fallback when the source gave no time
        if (log.time == Timestamp())
            throw BadRecord{"neither \"timeUnixNano\" nor \"observedTimeUnixNano\""};
        if (log.severity == 0 && !log.severityText.empty())
            log.severity = severityFromText(log.severityText);
    }

    // ---- metrics -----------------------------------------------------------------------------

    void readResourceMetrics(od::object block)
    {
        const ResourcePtr resource = readResource(block);
        forEachScope(block, "scopeMetrics", "instrumentationLibraryMetrics", "metrics", [&](const Scope& scope, od::array metrics) {
            // Once per scope block, not per point: the series' stream identity beyond its labels.
            const std::string stream = otlpStreamIdentity(*resource, scope.name);
            for (od::value v : metrics) {
                const char* start = tokenStart(v);
                try {
                    readMetric(v, resource, stream);
                } catch (BadRecord& e) {
                    reject(locate(start), "metric: " + e.what, snippetAt(start, m_end));
                }
            }
        });
    }

    void readMetric(od::value v, const ResourcePtr& resource, const std::string& stream)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"expected a metric object"};
        std::string name, unit;
        std::string_view dataKind;
        bool monotonic = false;
        Temporality temporality = Temporality::Cumulative;
        std::vector<MetricPoint> points;
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            if (k == "name")
                name = getString(f.value(), "name");
            else if (k == "unit")
                unit = getString(f.value(), "unit");
            else if (k == "gauge" || k == "sum" || k == "histogram" || k == "exponentialHistogram" || k == "summary") {
                dataKind = k == "gauge" ? "gauge" : k == "sum" ? "sum" : k == "histogram" ? "histogram" : k == "summary" ? "summary" : "exponentialHistogram";
                od::value data = f.value();
                if (data.type() != od::json_type::object)
                    throw BadRecord{"\"" + std::string(dataKind) + "\": expected an object"};
                for (auto g : data.get_object()) {
                    const std::string_view dk = g.unescaped_key();
                    if (dk == "isMonotonic")
                        monotonic = getBool(g.value(), "isMonotonic");
                    else if (dk == "aggregationTemporality")
                        temporality = temporalityFrom(g.value());
                    else if (dk == "dataPoints")
                        readPoints(g.value(), dataKind, points);
                }
            }
        }
        if (name.empty())
            throw BadRecord{"no \"name\""};
        MetricKind kind = MetricKind::Gauge;
        if (dataKind == "sum")
            kind = monotonic ? MetricKind::Counter : MetricKind::Gauge;
        else if (dataKind == "histogram" || dataKind == "exponentialHistogram")
            kind = MetricKind::Histogram;
        else if (dataKind == "summary")
            kind = MetricKind::Summary;

        std::unordered_map<std::string, size_t> index; // series key → position in the batch
        auto seriesFor = [&](const std::string& seriesName, std::vector<std::pair<std::string, std::string>> labels,
                             MetricKind seriesKind) -> SeriesData& {
            Series s;
            s.name = seriesName;
            s.labels = std::move(labels);
            s.kind = seriesKind;
            s.unit = unit;
            s.resource = resource;
            s.stream = stream;
            // Gauges and summaries have no temporality on the wire (their points are values).
            if (dataKind == "sum" || dataKind == "histogram" || dataKind == "exponentialHistogram")
                s.temporality = temporality;
            std::string key = s.key();
            auto it = index.find(key);
            if (it != index.end())
                return m_batch.series[it->second];
            index.emplace(std::move(key), m_batch.series.size());
            m_batch.series.push_back(SeriesData{std::move(s), {}, {}, {}});
            return m_batch.series.back();
        };
        for (auto& p : points) {
            if (dataKind == "summary") {
                for (const auto& [q, value] : p.quantiles) {
                    auto labels = p.labels;
                    std::string qt;
                    appendDouble(qt, q);
                    labels.emplace_back("quantile", qt);
                    std::sort(labels.begin(), labels.end());
                    seriesFor(name, std::move(labels), kind).samples.push_back({p.time, value});
                }
                seriesFor(name + "_sum", p.labels, kind).samples.push_back({p.time, p.histogram.sum});
                seriesFor(name + "_count", p.labels, kind).samples.push_back({p.time, p.histogram.count});
                continue;
            }
            SeriesData& sd = seriesFor(name, std::move(p.labels), kind);
            if (p.hasHistogram)
                sd.histograms.push_back(std::move(p.histogram));
            else
                sd.samples.push_back({p.time, p.value});
            for (auto& e : p.exemplars)
                sd.exemplars.push_back(std::move(e));
        }
    }

    void readPoints(od::value v, std::string_view dataKind, std::vector<MetricPoint>& points)
    {
        if (v.type() != od::json_type::array)
            throw BadRecord{"\"dataPoints\": expected an array"};
        for (od::value pv : v.get_array()) {
            const char* start = tokenStart(pv);
            try {
                points.push_back(readPoint(pv, dataKind));
            } catch (BadRecord& e) {
                reject(locate(start), "data point: " + e.what, snippetAt(start, m_end));
            }
        }
    }

    static std::vector<double> numbers(od::value v, const char* field)
    {
        if (v.type() != od::json_type::array)
            throw BadRecord{std::string("\"") + field + "\": expected an array"};
        std::vector<double> out;
        for (od::value x : v.get_array())
            out.push_back(getDouble(x, field));
        return out;
    }

    // An exponential histogram's positive or negative buckets: {offset, bucketCounts}.
    static std::pair<int64_t, std::vector<double>> expBuckets(od::value v)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"exponential buckets: expected an object"};
        std::pair<int64_t, std::vector<double>> out;
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            if (k == "offset")
                out.first = getInt64(f.value(), "offset");
            else if (k == "bucketCounts")
                out.second = numbers(f.value(), "bucketCounts");
        }
        return out;
    }

    MetricPoint readPoint(od::value v, std::string_view dataKind)
    {
        if (v.type() != od::json_type::object)
            throw BadRecord{"expected a data point object"};
        MetricPoint p;
        std::vector<double> bounds, counts;
        std::pair<int64_t, std::vector<double>> positive, negative;
        int64_t scale = 0;
        double zeroCount = 0, zeroThreshold = 0;
        bool haveValue = false;
        for (auto f : v.get_object()) {
            const std::string_view k = f.unescaped_key();
            od::value fv = f.value();
            if (k == "attributes")
                p.labels = labelsFrom(fv);
            else if (k == "timeUnixNano")
                p.time = getNanos(fv, "timeUnixNano");
            else if (k == "asDouble") {
                p.value = getDouble(fv, "asDouble");
                haveValue = true;
            } else if (k == "asInt") {
                p.value = double(getInt64(fv, "asInt"));
                haveValue = true;
            } else if (k == "count")
                p.histogram.count = double(getUint64(fv, "count"));
            else if (k == "sum")
                p.histogram.sum = getDouble(fv, "sum");
            else if (k == "bucketCounts")
                counts = numbers(fv, "bucketCounts");
            else if (k == "explicitBounds")
                bounds = numbers(fv, "explicitBounds");
            else if (k == "scale")
                scale = getInt64(fv, "scale");
            else if (k == "zeroCount")
                zeroCount = double(getUint64(fv, "zeroCount"));
            else if (k == "zeroThreshold")
                zeroThreshold = getDouble(fv, "zeroThreshold");
            else if (k == "positive")
                positive = expBuckets(fv);
            else if (k == "negative")
                negative = expBuckets(fv);
            else if (k == "quantileValues") {
                if (fv.type() != od::json_type::array)
                    throw BadRecord{"\"quantileValues\": expected an array"};
                for (od::value q : fv.get_array()) {
                    double quantile = 0, value = 0;
                    for (auto g : q.get_object()) {
                        const std::string_view qk = g.unescaped_key();
                        if (qk == "quantile")
                            quantile = getDouble(g.value(), "quantile");
                        else if (qk == "value")
                            value = getDouble(g.value(), "value");
                    }
                    p.quantiles.emplace_back(quantile, value);
                }
            } else if (k == "exemplars")
                readExemplars(fv, p.exemplars);
        }
        if (p.time == Timestamp())
            throw BadRecord{"no \"timeUnixNano\""};
        p.histogram.time = p.time;
        if (dataKind == "histogram") {
            p.hasHistogram = true;
            if (!counts.empty() && counts.size() != bounds.size() + 1)
                throw BadRecord{"\"bucketCounts\" must have one more entry than \"explicitBounds\""};
            for (size_t i = 0; i < counts.size(); ++i)
                p.histogram.buckets.push_back({i == 0 ? -INFINITY : bounds[i - 1], i < bounds.size() ? bounds[i] : INFINITY, counts[i]});
        } else if (dataKind == "exponentialHistogram") {
            p.hasHistogram = true;
            if (scale < -10 || scale > 20)
                throw BadRecord{"\"scale\" " + std::to_string(scale) + " is outside -10..20"};
            const double step = std::ldexp(1.0, -int(scale)); // log2 of the bucket base
            auto bound = [&](int64_t index) { return std::exp2(double(index) * step); };
            for (size_t i = negative.second.size(); i-- > 0;) {
                const int64_t idx = negative.first + int64_t(i);
                p.histogram.buckets.push_back({-bound(idx + 1), -bound(idx), negative.second[i]});
            }
            if (zeroCount > 0)
                p.histogram.buckets.push_back({-zeroThreshold, zeroThreshold, zeroCount});
            for (size_t i = 0; i < positive.second.size(); ++i) {
                const int64_t idx = positive.first + int64_t(i);
                p.histogram.buckets.push_back({bound(idx), bound(idx + 1), positive.second[i]});
            }
        } else if (dataKind == "summary") {
            // count and sum were read into the histogram fields; quantiles become series
        } else if (!haveValue) {
            p.value = std::nan(""); // no recorded value (OTLP flag): a gap
        }
        for (auto& e : p.exemplars)
            if (e.time == Timestamp())
                e.time = p.time;
        return p;
    }

    void readExemplars(od::value v, std::vector<Exemplar>& out)
    {
        if (v.type() != od::json_type::array)
            throw BadRecord{"\"exemplars\": expected an array"};
        for (od::value ev : v.get_array()) {
            if (ev.type() != od::json_type::object)
                throw BadRecord{"\"exemplars\": expected an array of objects"};
            Exemplar e;
            for (auto f : ev.get_object()) {
                const std::string_view k = f.unescaped_key();
                od::value fv = f.value();
                if (k == "timeUnixNano")
                    e.time = getNanos(fv, "exemplars.timeUnixNano");
                else if (k == "asDouble")
                    e.value = getDouble(fv, "exemplars.asDouble");
                else if (k == "asInt")
                    e.value = double(getInt64(fv, "exemplars.asInt"));
                else if (k == "traceId")
                    e.traceId = optionalTraceId(fv, "exemplars.traceId");
                else if (k == "spanId")
                    e.spanId = optionalSpanId(fv, "exemplars.spanId");
                else if (k == "filteredAttributes")
                    readAttributes(fv, e.labels, "exemplars.filteredAttributes");
            }
            out.push_back(std::move(e));
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------

    static const char* tokenStart(od::value& v)
    {
        return v.raw_json_token().data();
    }

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

bool headHasKey(std::string_view head, std::string_view quotedKey)
{
    return head.find(quotedKey) != std::string_view::npos;
}

int sniff(std::string_view head)
{
    return sniffOtlpJson(head);
}

Status parse(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    return parseOtlpJson(document, ctx, sink);
}

} // namespace

Status parseOtlpJson(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    OtlpParser parser(ctx, sink);
    return parser.parse(document);
}

int sniffOtlpJson(std::string_view head)
{
    size_t i = 0;
    if (head.substr(0, 3) == "\xEF\xBB\xBF")
        i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
        ++i;
    if (i >= head.size() || (head[i] != '{' && head[i] != '['))
        return 0;
    if (headHasKey(head, "\"resourceSpans\"") || headHasKey(head, "\"resourceLogs\"") || headHasKey(head, "\"resourceMetrics\""))
        return 95;
    if (headHasKey(head, "\"batches\"") && (headHasKey(head, "\"scopeSpans\"") || headHasKey(head, "\"instrumentationLibrarySpans\"")))
        return 80;
    return 0;
}

Format otlpJsonFormat()
{
    Format f;
    f.name = "otlp-json";
    f.description = "OpenTelemetry OTLP/JSON traces, logs and metrics (export requests, Collector file exporter JSON lines, Jaeger api_v3)";
    f.sniff = &sniff;
    f.parse = &parse;
    f.lineOriented = false;
    f.splitPaths = {"", "resourceSpans", "resourceLogs", "resourceMetrics", "batches", "result.resourceSpans"};
    // A huge resource (or request): its spans or log records in runs, each with the resource and scope.
    f.elementSplitPaths = {"scopeSpans.spans", "instrumentationLibrarySpans.spans", "scopeLogs.logRecords",
                           "instrumentationLibraryLogs.logRecords", "resourceSpans.scopeSpans.spans",
                           "resourceLogs.scopeLogs.logRecords", "batches.scopeSpans.spans"};
    return f;
}

Result<std::string> nested::otlpAnyValueJson(std::string_view anyValue)
{
    const simdjson::padded_string padded(anyValue);
    od::parser parser;
    // No depth limit here (the callers' is the point): room for every level the text could open.
    if (parser.allocate(padded.size(), padded.size() / 2 + 1) != simdjson::SUCCESS)
        return Error{"OTLP AnyValue", "cannot allocate a parser", {}};
    try {
        od::document doc = parser.iterate(padded);
        std::string out;
        appendAnyValueJson(out, doc.get_value());
        return out;
    } catch (const BadRecord& bad) {
        return Error{"OTLP AnyValue", bad.what, {}};
    } catch (const simdjson::simdjson_error& e) {
        return Error{"OTLP AnyValue", e.what(), {}};
    }
}

} // namespace rootline
