#include "ForeignJaegerWriter.h"

#include "ForeignJson.h"

#include <cmath>
#include <cstdio>

namespace rootline::sample {

using namespace foreign;

namespace {

std::string jaegerTraceId(const TraceId& id) {
    if (id.high != 0)
        return id.toHex();
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(id.low));
    return buf;
}

void appendTag(std::string& out, const std::string& key, const AttributeValue& value) {
    out += "{\"key\":";
    appendString(out, key);
    if (const auto* s = std::get_if<std::string>(&value)) {
        out += ",\"type\":\"string\",\"value\":";
        appendString(out, *s);
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
        constexpr int64_t kSafe =
            (int64_t(1) << 53) - 1; // beyond it Jaeger writes the number as a string
        out += ",\"type\":\"int64\",\"value\":";
        out += (*i > kSafe || *i < -kSafe) ? "\"" + std::to_string(*i) + "\"" : std::to_string(*i);
    } else if (const auto* d = std::get_if<double>(&value)) {
        out += ",\"type\":\"float64\",\"value\":";
        appendGoFloat(out, *d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += ",\"type\":\"bool\",\"value\":";
        out += *b ? "true" : "false";
    } else {
        out += ",\"type\":\"string\",\"value\":";
        appendString(out, std::get<JsonText>(value).text);
    }
    out.push_back('}');
}

void appendTags(std::string& out, const Attributes& attributes, bool& first) {
    for (const Attribute& a : attributes) {
        if (!first)
            out.push_back(',');
        first = false;
        appendTag(out, a.key, a.value);
    }
}

const char* kindTag(SpanKind kind) {
    switch (kind) {
    case SpanKind::Server:
        return "server";
    case SpanKind::Client:
        return "client";
    case SpanKind::Producer:
        return "producer";
    case SpanKind::Consumer:
        return "consumer";
    case SpanKind::Internal:
        return "internal";
    default:
        return nullptr;
    }
}

// The version string a Jaeger client library puts in its process tags.
std::string clientVersion(const Resource& r) {
    const std::string language = r.raw.text("telemetry.sdk.language").value_or("");
    if (language == "java")
        return "Java-1.8.1";
    if (language == "ruby")
        return "Ruby-1.3.0";
    return "Go-2.30.0";
}

void writeSpan(std::string& out, const Span& s, const std::string& traceId, int process) {
    out += "{\"traceID\":\"" + traceId + "\",\"spanID\":\"" + s.spanId.toHex() +
           "\",\"flags\":1,\"operationName\":";
    appendString(out, s.name);
    out += ",\"references\":[";
    if (s.parentSpanId)
        out += "{\"refType\":\"CHILD_OF\",\"traceID\":\"" + traceId + "\",\"spanID\":\"" +
               s.parentSpanId->toHex() + "\"}";
    for (size_t i = 0; i < s.links.size(); ++i) {
        if (i || s.parentSpanId)
            out.push_back(',');
        out += "{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\"" + jaegerTraceId(s.links[i].traceId) +
               "\",\"spanID\":\"" + s.links[i].spanId.toHex() + "\"}";
    }
    const int64_t startMicros = s.start.micros();
    out += "],\"startTime\":" + std::to_string(startMicros) +
           ",\"duration\":" + std::to_string(s.duration.count() / 1000) + ",\"tags\":[";
    bool first = true;
    appendTags(out, s.attributes, first);
    if (const char* kind = kindTag(s.kind)) {
        if (!first)
            out.push_back(',');
        first = false;
        appendTag(out, "span.kind", std::string(kind));
    }
    if (s.status == StatusCode::Error) {
        if (!first)
            out.push_back(',');
        first = false;
        appendTag(out, "error", true);
        out.push_back(',');
        appendTag(out, "otel.status_code", std::string("ERROR"));
        if (!s.statusMessage.empty()) {
            out.push_back(',');
            appendTag(out, "otel.status_description", s.statusMessage);
        }
    }
    out += "],\"logs\":[";
    for (size_t i = 0; i < s.events.size(); ++i) {
        const SpanEvent& e = s.events[i];
        if (i)
            out.push_back(',');
        out += "{\"timestamp\":" + std::to_string(e.time.micros()) + ",\"fields\":[";
        appendTag(out, "event", e.name);
        bool none = false;
        appendTags(out, e.attributes, none);
        out += "]}";
    }
    out += "],\"processID\":\"p" + std::to_string(process) + "\",\"warnings\":null}";
}

} // namespace

ForeignJaegerWriter::ForeignJaegerWriter(ForeignFile& out)
    : m_out(out) {
    m_out.write("{\"data\":[");
}

void ForeignJaegerWriter::writeSpans(const std::vector<const Span*>& spans) {
    struct Trace {
        TraceId id;
        std::vector<const Span*> spans;
    };
    std::vector<Trace> traces;
    for (const Span* s : spans) {
        Trace* t = nullptr;
        // A batch holds a few traces of this file, each together: the last one is almost always it.
        for (auto it = traces.rbegin(); it != traces.rend() && !t; ++it)
            if (it->id == s->traceId)
                t = &*it;
        if (!t)
            t = &traces.emplace_back(Trace{s->traceId, {}});
        t->spans.push_back(s);
    }
    for (const Trace& t : traces) {
        const std::string traceId = jaegerTraceId(t.id);
        std::vector<const Resource*> processes;
        m_text += m_traces++ ? ",\n{" : "\n{";
        m_text += "\"traceID\":\"" + traceId + "\",\"spans\":[";
        for (size_t i = 0; i < t.spans.size(); ++i) {
            const Resource* r = t.spans[i]->resource.get();
            size_t p = 0;
            while (p < processes.size() && processes[p] != r)
                ++p;
            if (p == processes.size())
                processes.push_back(r);
            if (i)
                m_text.push_back(',');
            writeSpan(m_text, *t.spans[i], traceId, int(p) + 1);
        }
        m_text += "],\"processes\":{";
        for (size_t p = 0; p < processes.size(); ++p) {
            const Resource& r = *processes[p];
            if (p)
                m_text.push_back(',');
            m_text += "\"p" + std::to_string(p + 1) + "\":{\"serviceName\":";
            appendString(m_text, r.serviceName);
            m_text += ",\"tags\":[";
            bool first = true;
            for (const Attribute& a : r.raw) {
                if (a.key == "service.name")
                    continue;
                if (!first)
                    m_text.push_back(',');
                first = false;
                appendTag(m_text, a.key, a.value);
            }
            if (!first)
                m_text.push_back(',');
            appendTag(m_text, "jaeger.version", clientVersion(r));
            m_text += "]}";
        }
        m_text += "},\"warnings\":null}";
        m_out.drain(m_text, size_t(1) << 16);
    }
}

void ForeignJaegerWriter::finish() {
    m_text += "\n],\"total\":0,\"limit\":0,\"offset\":0,\"errors\":null}\n";
    m_out.drain(m_text);
}

} // namespace rootline::sample
