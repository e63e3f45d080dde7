#include "ForeignOtlpWriter.h"

#include "ForeignJson.h"

#include <string_view>

namespace rootline::sample {

using namespace foreign;

namespace {

struct Scope {
    std::string name;
    std::string version;
    bool operator==(const Scope&) const = default;
};

std::string rawText(const Resource& r, std::string_view key) {
    return r.raw.text(key).value_or(std::string());
}

// The instrumentation library that would have produced the span in each service's language, so
// the file groups spans by scope the way a real SDK export does.
Scope spanScope(const Span& span) {
    const Resource& r = *span.resource;
    const std::string language = rawText(r, "telemetry.sdk.language");
    const bool rpc = span.attributes.find("rpc.system") != nullptr;
    const bool db = span.attributes.find("db.system") != nullptr;
    const bool http = span.attributes.find("http.request.method") != nullptr;
    if (language == "go") {
        if (rpc)
            return {"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc",
                    "0.58.0"};
        if (db)
            return {"github.com/XSAM/otelsql", "0.36.0"};
        if (http)
            return {"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "0.58.0"};
    } else if (language == "nodejs") {
        if (rpc)
            return {"@opentelemetry/instrumentation-grpc", "0.56.0"};
        if (http)
            return {"@opentelemetry/instrumentation-http", "0.56.0"};
    } else if (language == "dotnet") {
        if (rpc)
            return {"Microsoft.AspNetCore", ""};
        if (db)
            return {"OpenTelemetry.Instrumentation.StackExchangeRedis", "1.10.0-beta.1"};
        if (http)
            return {"System.Net.Http", ""};
    } else if (language == "python") {
        if (rpc)
            return {"opentelemetry.instrumentation.grpc", "0.50b0"};
        if (db)
            return {"opentelemetry.instrumentation.psycopg", "0.50b0"};
        if (http)
            return {"opentelemetry.instrumentation.requests", "0.50b0"};
    }
    return {r.serviceName, r.serviceVersion}; // the service's own tracer
}

// Logs reach the Collector through its filelog receiver; the scope names the bridge of each
// service's logging library where there is one.
Scope logScope(const LogRecord& log) {
    const std::string& service = log.resource->serviceName;
    if (service == "checkout")
        return {"go.opentelemetry.io/contrib/bridges/otelzap", "0.8.0"};
    if (service == "payment")
        return {"go.opentelemetry.io/contrib/bridges/otelslog", "0.8.0"};
    return {service, log.resource->serviceVersion};
}

// Groups records by resource (pointer identity: the generator shares one per pod) and scope, in
// order of first appearance, and writes the export request.
template <typename Record, typename ScopeOf, typename WriteRecord>
void writeRequest(std::string& line, const std::vector<const Record*>& records,
                  const char* resourceKey, const char* scopeKey, const char* recordsKey,
                  ScopeOf scopeOf, WriteRecord writeRecord) {
    struct ScopeGroup {
        Scope scope;
        std::vector<const Record*> records;
    };
    struct ResourceGroup {
        const Resource* resource;
        std::vector<ScopeGroup> scopes;
    };
    std::vector<ResourceGroup> groups;
    for (const Record* r : records) {
        ResourceGroup* group = nullptr;
        for (auto& g : groups)
            if (g.resource == r->resource.get())
                group = &g;
        if (!group)
            group = &groups.emplace_back(ResourceGroup{r->resource.get(), {}});
        Scope scope = scopeOf(*r);
        ScopeGroup* sg = nullptr;
        for (auto& s : group->scopes)
            if (s.scope == scope)
                sg = &s;
        if (!sg)
            sg = &group->scopes.emplace_back(ScopeGroup{std::move(scope), {}});
        sg->records.push_back(r);
    }
    line += "{\"";
    line += resourceKey;
    line += "\":[";
    for (size_t g = 0; g < groups.size(); ++g) {
        if (g)
            line.push_back(',');
        line += "{\"resource\":{\"attributes\":";
        appendOtlpAttributes(line, groups[g].resource->raw);
        line += "},\"";
        line += scopeKey;
        line += "\":[";
        for (size_t s = 0; s < groups[g].scopes.size(); ++s) {
            const ScopeGroup& sg = groups[g].scopes[s];
            if (s)
                line.push_back(',');
            line += "{\"scope\":{\"name\":";
            appendString(line, sg.scope.name);
            if (!sg.scope.version.empty()) {
                line += ",\"version\":";
                appendString(line, sg.scope.version);
            }
            line += "},\"";
            line += recordsKey;
            line += "\":[";
            for (size_t i = 0; i < sg.records.size(); ++i) {
                if (i)
                    line.push_back(',');
                writeRecord(line, *sg.records[i]);
            }
            line += "]}";
        }
        line += "],\"schemaUrl\":\"https://opentelemetry.io/schemas/1.26.0\"}";
    }
    line += "]}\n";
}

void appendNanos(std::string& out, const char* key, Timestamp t) {
    out += ",\"";
    out += key;
    out += "\":\"";
    out += std::to_string(t.nanos());
    out.push_back('"');
}

void writeSpan(std::string& out, const Span& s) {
    out += "{\"traceId\":\"" + s.traceId.toHex() + "\",\"spanId\":\"" + s.spanId.toHex() + "\"";
    if (s.parentSpanId)
        out += ",\"parentSpanId\":\"" + s.parentSpanId->toHex() + "\"";
    out += ",\"flags\":257,\"name\":"; // sampled, with the is-remote bit known (SDKs since 2024)
    appendString(out, s.name);
    out += ",\"kind\":" + std::to_string(int(s.kind));
    appendNanos(out, "startTimeUnixNano", s.start);
    appendNanos(out, "endTimeUnixNano", s.end());
    if (!s.attributes.empty()) {
        out += ",\"attributes\":";
        appendOtlpAttributes(out, s.attributes);
    }
    if (!s.events.empty()) {
        out += ",\"events\":[";
        for (size_t i = 0; i < s.events.size(); ++i) {
            const SpanEvent& e = s.events[i];
            if (i)
                out.push_back(',');
            out += "{\"timeUnixNano\":\"" + std::to_string(e.time.nanos()) + "\",\"name\":";
            appendString(out, e.name);
            if (!e.attributes.empty()) {
                out += ",\"attributes\":";
                appendOtlpAttributes(out, e.attributes);
            }
            out.push_back('}');
        }
        out.push_back(']');
    }
    if (!s.links.empty()) {
        out += ",\"links\":[";
        for (size_t i = 0; i < s.links.size(); ++i) {
            if (i)
                out.push_back(',');
            out += "{\"traceId\":\"" + s.links[i].traceId.toHex() + "\",\"spanId\":\"" +
                   s.links[i].spanId.toHex() + "\"";
            if (!s.links[i].attributes.empty()) {
                out += ",\"attributes\":";
                appendOtlpAttributes(out, s.links[i].attributes);
            }
            out.push_back('}');
        }
        out.push_back(']');
    }
    out += ",\"status\":{";
    if (s.status != StatusCode::Unset) {
        if (!s.statusMessage.empty()) {
            out += "\"message\":";
            appendString(out, s.statusMessage);
            out.push_back(',');
        }
        out += "\"code\":" + std::to_string(int(s.status));
    }
    out += "}}";
}

void writeLog(std::string& out, const LogRecord& r) {
    out += "{\"timeUnixNano\":\"" + std::to_string(r.time.nanos()) + "\"";
    appendNanos(out, "observedTimeUnixNano", r.observedTime);
    if (r.severity != 0)
        out += ",\"severityNumber\":" + std::to_string(r.severity);
    if (!r.severityText.empty()) {
        out += ",\"severityText\":";
        appendString(out, r.severityText);
    }
    out += ",\"body\":{\"stringValue\":";
    appendString(out, r.body);
    out.push_back('}');
    if (!r.attributes.empty()) {
        out += ",\"attributes\":";
        appendOtlpAttributes(out, r.attributes);
    }
    if (r.traceId) {
        out += ",\"flags\":1,\"traceId\":\"" + r.traceId->toHex() + "\"";
        if (r.spanId)
            out += ",\"spanId\":\"" + r.spanId->toHex() + "\"";
    }
    out.push_back('}');
}

} // namespace

void ForeignOtlpWriter::writeSpans(const std::vector<const Span*>& spans) {
    if (spans.empty())
        return;
    m_line.clear();
    writeRequest(m_line, spans, "resourceSpans", "scopeSpans", "spans", spanScope, writeSpan);
    m_out.write(m_line);
    ++m_lines;
}

void ForeignOtlpWriter::writeLogs(const std::vector<const LogRecord*>& logs) {
    if (logs.empty())
        return;
    m_line.clear();
    writeRequest(m_line, logs, "resourceLogs", "scopeLogs", "logRecords", logScope, writeLog);
    m_out.write(m_line);
    ++m_lines;
}

} // namespace rootline::sample
