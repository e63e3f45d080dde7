#include "TraceContextExtractor.h"

#include "CorrelationRules.h"

#include <re2/re2.h>

#include <array>

namespace rootline {
namespace {

enum class IdKind { Trace, Span, TraceParent, AmznHeader };

struct KnownField {
    std::string_view key;
    IdKind kind;
    IdEncoding encoding;
};

// wire-formats.md §6: where trace ids show up in logs.
constexpr std::array kFields{
    KnownField{"trace_id", IdKind::Trace, IdEncoding::Auto},
    KnownField{"traceId", IdKind::Trace, IdEncoding::Auto},
    KnownField{"traceID", IdKind::Trace, IdEncoding::Auto},
    KnownField{"otelTraceID", IdKind::Trace, IdEncoding::Auto},
    KnownField{"trace.id", IdKind::Trace, IdEncoding::Auto},
    // Legacy access and logback lines: `trace=<hex>`, `[trace=<hex>,span=<hex>]`. The value must
    // still be 16/32 hex digits, so a word "trace" elsewhere links nothing.
    KnownField{"trace", IdKind::Trace, IdEncoding::Auto},
    KnownField{"span", IdKind::Span, IdEncoding::Auto},
    KnownField{"dd.trace_id", IdKind::Trace, IdEncoding::Decimal},
    KnownField{"AWS-XRAY-TRACE-ID", IdKind::AmznHeader, IdEncoding::XRay},
    KnownField{"xray_trace_id", IdKind::AmznHeader, IdEncoding::XRay},
    KnownField{"@xrayTraceId", IdKind::AmznHeader, IdEncoding::XRay},
    KnownField{"X-Amzn-Trace-Id", IdKind::AmznHeader, IdEncoding::XRay},
    KnownField{"traceparent", IdKind::TraceParent, IdEncoding::Hex},
    KnownField{"span_id", IdKind::Span, IdEncoding::Auto},
    KnownField{"spanId", IdKind::Span, IdEncoding::Auto},
    KnownField{"spanID", IdKind::Span, IdEncoding::Auto},
    KnownField{"otelSpanID", IdKind::Span, IdEncoding::Auto},
    KnownField{"span.id", IdKind::Span, IdEncoding::Auto},
    KnownField{"dd.span_id", IdKind::Span, IdEncoding::Decimal},
};

const KnownField* knownField(std::string_view key)
{
    if (key.size() < 4 || key.size() > 17)
        return nullptr;
    // Most keys of a log line are rejected by their first letter, before any comparison.
    switch (key[0]) {
    case 't': case 'o': case 'd': case 'A': case 'x': case '@': case 'X': case 's': break;
    default: return nullptr;
    }
    for (const auto& f : kFields)
        if (f.key == key)
            return &f;
    return nullptr;
}

bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool allHex(std::string_view s)
{
    for (char c : s)
        if (!isHex(c))
            return false;
    return true;
}
bool allDigits(std::string_view s)
{
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    return !s.empty();
}

struct Found {
    std::optional<TraceId> trace;
    std::optional<SpanId> span;
    std::string_view via;
};

// "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", or the bare id.
void takeAmzn(std::string_view value, Found& f, std::string_view via)
{
    std::string_view root = value;
    if (auto p = value.find("Root="); p != std::string_view::npos) {
        root = value.substr(p + 5);
        root = root.substr(0, root.find(';'));
    }
    if (!f.trace)
        if ((f.trace = traceIdFromLogValue(root, IdEncoding::XRay)))
            f.via = via;
    if (auto p = value.find("Parent="); p != std::string_view::npos && !f.span) {
        std::string_view parent = value.substr(p + 7);
        f.span = spanIdFromLogValue(parent.substr(0, parent.find(';')), IdEncoding::Hex);
    }
}

// W3C traceparent: 00-<32 hex>-<16 hex>-<2 hex>; version ff invalid.
void takeTraceParent(std::string_view v, Found& f, std::string_view via)
{
    if (v.size() < 55 || v[2] != '-' || v[35] != '-' || v[52] != '-' || v.substr(0, 2) == "ff")
        return;
    if (!f.trace)
        if ((f.trace = traceIdFromLogValue(v.substr(3, 32), IdEncoding::Hex)))
            f.via = via;
    if (!f.span)
        f.span = spanIdFromLogValue(v.substr(36, 16), IdEncoding::Hex);
}

void take(const KnownField& field, std::string_view value, Found& f)
{
    switch (field.kind) {
    case IdKind::Trace:
        if (!f.trace)
            if ((f.trace = traceIdFromLogValue(value, field.encoding)))
                f.via = field.key;
        break;
    case IdKind::Span:
        if (!f.span)
            f.span = spanIdFromLogValue(value, field.encoding);
        break;
    case IdKind::TraceParent:
        takeTraceParent(value, f, field.key);
        break;
    case IdKind::AmznHeader:
        takeAmzn(value, f, field.key);
        break;
    }
}

void fromAttributes(const Attributes& attributes, Found& f)
{
    for (const auto& a : attributes) {
        const KnownField* field = knownField(a.key);
        if (!field)
            continue;
        if (const auto* s = std::get_if<std::string>(&a.value)) {
            take(*field, *s, f);
        } else if (const auto* i = std::get_if<int64_t>(&a.value); i && field->encoding == IdEncoding::Decimal && *i > 0) {
            // Datadog ids arrive as JSON numbers; only the rare match allocates this text.
            take(*field, std::to_string(*i), f);
        }
    }
}

// Top-level "key": "value" (or number) pairs of a JSON object body, without building a DOM: the
// body is scanned for quoted keys; nested objects are skipped by tracking depth.
void fromJsonBody(std::string_view body, Found& f)
{
    int depth = 0;
    for (size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c == '{' || c == '[') {
            ++depth;
            continue;
        }
        if (c == '}' || c == ']') {
            --depth;
            continue;
        }
        if (c != '"')
            continue;
        size_t end = i + 1;
        while (end < body.size() && body[end] != '"') {
            if (body[end] == '\\')
                ++end;
            ++end;
        }
        if (end >= body.size())
            return;
        const std::string_view key = body.substr(i + 1, end - i - 1);
        i = end;
        if (depth != 1)
            continue;
        size_t p = end + 1;
        while (p < body.size() && (body[p] == ' ' || body[p] == '\t'))
            ++p;
        if (p >= body.size() || body[p] != ':')
            continue; // a value, not a key
        const KnownField* field = knownField(key);
        ++p;
        while (p < body.size() && (body[p] == ' ' || body[p] == '\t'))
            ++p;
        if (!field || p >= body.size())
            continue;
        std::string_view value;
        if (body[p] == '"') {
            const size_t close = body.find('"', p + 1);
            if (close == std::string_view::npos)
                return;
            value = body.substr(p + 1, close - p - 1);
            i = close;
        } else {
            size_t q = p;
            while (q < body.size() && body[q] >= '0' && body[q] <= '9')
                ++q;
            value = body.substr(p, q - p);
            i = q - 1;
        }
        take(*field, value, f);
    }
}

bool isKeyChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '@';
}

// logfmt pairs anywhere in a line: `... trace_id=4bf9... span_id="00f0..."`.
void fromLogfmt(std::string_view body, Found& f)
{
    for (size_t eq = body.find('='); eq != std::string_view::npos; eq = body.find('=', eq + 1)) {
        size_t k = eq;
        while (k > 0 && isKeyChar(body[k - 1]))
            --k;
        const KnownField* field = knownField(body.substr(k, eq - k));
        if (!field)
            continue;
        size_t v = eq + 1;
        size_t e;
        if (v < body.size() && body[v] == '"') {
            ++v;
            e = body.find('"', v);
            if (e == std::string_view::npos)
                e = body.size();
        } else {
            e = v;
            while (e < body.size() && body[e] != ' ' && body[e] != '\t' && body[e] != ',' && body[e] != ';' && body[e] != '&'
                   && body[e] != ']' && body[e] != ')')
                ++e;
        }
        // An X-Amzn-Trace-Id header value carries ';' inside: take the rest of the token.
        if (field->kind == IdKind::AmznHeader) {
            e = v;
            while (e < body.size() && body[e] != ' ' && body[e] != '\t' && body[e] != '"')
                ++e;
        }
        take(*field, body.substr(v, e - v), f);
    }
}

// The capture must not be part of a longer word: "anchored" as wire-formats.md §6 asks, so a
// rule written for 32 hex digits does not pick 32 digits out of a 40-digit hash.
bool bounded(std::string_view text, re2::StringPiece capture)
{
    const size_t begin = size_t(capture.data() - text.data());
    const size_t end = begin + capture.size();
    auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
    return (begin == 0 || !word(text[begin - 1])) && (end >= text.size() || !word(text[end]));
}

void fromDerivedFields(const LogRecord& log, const CorrelationRules& rules, Found& f)
{
    for (const DerivedField& field : rules.derivedFields) {
        const bool wantTrace = field.target == DerivedField::Target::TraceId;
        if (wantTrace ? f.trace.has_value() : f.span.has_value())
            continue;
        std::string_view text;
        std::optional<std::string> attributeText;
        if (field.source == "body") {
            text = log.body;
        } else if (const auto* v = log.attributes.find(field.source)) {
            if (const auto* s = std::get_if<std::string>(v))
                text = *s;
            else if ((attributeText = attributeToText(*v)))
                text = *attributeText;
        }
        if (text.empty())
            continue;
        re2::StringPiece capture;
        if (!RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *field.regex, &capture) || capture.empty())
            continue;
        if (!bounded(text, capture))
            continue;
        const std::string_view value(capture.data(), capture.size());
        if (wantTrace) {
            if ((f.trace = traceIdFromLogValue(value, field.encoding)))
                f.via = field.name;
        } else {
            f.span = spanIdFromLogValue(value, field.encoding);
        }
    }
}

} // namespace

std::optional<TraceId> traceIdFromLogValue(std::string_view text, IdEncoding encoding)
{
    if (text.empty())
        return std::nullopt;
    IdEncoding use = encoding;
    if (encoding == IdEncoding::Auto) {
        if (text.size() == 35 && text[0] == '1' && text[1] == '-')
            use = IdEncoding::XRay;
        else if ((text.size() == 32 || text.size() == 16) && allHex(text))
            use = IdEncoding::Hex;
        else if (text.size() == 24 && text.substr(22) == "==")
            use = IdEncoding::Base64;
        else
            return std::nullopt;
    } else if (encoding == IdEncoding::Hex && !((text.size() == 32 || text.size() == 16) && allHex(text))) {
        return std::nullopt;
    } else if (encoding == IdEncoding::Decimal && text.size() == 32 && allHex(text)) {
        use = IdEncoding::Hex; // Datadog writes 64-bit ids in decimal but 128-bit ones in hex
    } else if (encoding == IdEncoding::Decimal && !allDigits(text)) {
        return std::nullopt;
    }
    auto id = parseTraceId(text, use);
    return id ? std::optional<TraceId>(*id) : std::nullopt;
}

std::optional<SpanId> spanIdFromLogValue(std::string_view text, IdEncoding encoding)
{
    if (text.empty())
        return std::nullopt;
    IdEncoding use = encoding;
    if (encoding == IdEncoding::Auto || encoding == IdEncoding::Hex) {
        if (text.size() == 16 && allHex(text))
            use = IdEncoding::Hex;
        else if (encoding == IdEncoding::Auto && text.size() == 12 && text.back() == '=')
            use = IdEncoding::Base64;
        else
            return std::nullopt;
    } else if (encoding == IdEncoding::Decimal && !allDigits(text)) {
        return std::nullopt;
    }
    auto id = parseSpanId(text, use);
    return id ? std::optional<SpanId>(*id) : std::nullopt;
}

TraceContext extractTraceContext(const LogRecord& log, const CorrelationRules* rules)
{
    Found f;
    fromAttributes(log.attributes, f);
    if (!f.trace) {
        const std::string_view body = log.body;
        size_t first = 0;
        while (first < body.size() && (body[first] == ' ' || body[first] == '\t'))
            ++first;
        if (first < body.size() && body[first] == '{')
            fromJsonBody(body.substr(first), f);
        if (!f.trace && body.find('=') != std::string_view::npos)
            fromLogfmt(body, f);
    }
    if (rules && !rules->derivedFields.empty() && (!f.trace || !f.span))
        fromDerivedFields(log, *rules, f);
    if (!f.trace)
        return {};
    return {f.trace, f.span, f.via};
}

bool applyTraceContext(LogRecord& log, const CorrelationRules* rules)
{
    if (log.traceId)
        return false;
    TraceContext c = extractTraceContext(log, rules);
    if (!c.traceId)
        return false;
    log.traceId = c.traceId;
    if (!log.spanId)
        log.spanId = c.spanId;
    return true;
}

} // namespace rootline
