#include "LogLines.h"

#include "core/Records.h"

#include <algorithm>
#include <cstdio>

namespace rootline::sample {
namespace {

struct Civil {
    int year, month, day, hour, minute, second, millis, micros7; // micros7: 100 ns units within the second
};

// Howard Hinnant's days-to-civil algorithm (public domain): exact for every proleptic Gregorian date.
Civil civil(Timestamp t)
{
    const int64_t ns = t.nanos();
    int64_t secs = ns / 1'000'000'000;
    int64_t frac = ns % 1'000'000'000;
    if (frac < 0) {
        frac += 1'000'000'000;
        --secs;
    }
    int64_t days = secs / 86400;
    int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    const int64_t z = days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const int year = int(yoe + era * 400 + (month <= 2));
    return {year, month, day, int(rem / 3600), int(rem / 60 % 60), int(rem % 60), int(frac / 1'000'000), int(frac / 100)};
}

void appendf(std::string& out, const char* format, auto... args)
{
    char buf[192];
    const int n = std::snprintf(buf, sizeof buf, format, args...);
    out.append(buf, std::min(size_t(n), sizeof buf - 1));
}

void appendField(std::string& out, const char* key, std::string_view value, bool quoted = true)
{
    out.push_back(',');
    appendJsonString(out, key);
    out.push_back(':');
    if (quoted)
        appendJsonString(out, value);
    else
        out += value;
}

void appendFields(std::string& out, const PendingLog& log)
{
    for (const LogField& f : log.fields)
        appendField(out, f.key.c_str(), f.value, !f.number);
}

std::string decimal(uint64_t v) { return std::to_string(v); }

const char* lowerLevel(int severity)
{
    if (severity >= 17)
        return "error";
    if (severity >= 13)
        return "warn";
    if (severity >= 9)
        return "info";
    return "debug";
}

int pinoLevel(int severity) { return severity >= 17 ? 50 : severity >= 13 ? 40 : severity >= 9 ? 30 : 20; }

const char* serilogLevel(int severity)
{
    return severity >= 17 ? "Error" : severity >= 13 ? "Warning" : severity >= 9 ? "Information" : "Debug";
}

const char* pythonLevel(int severity) { return severity >= 17 ? "ERROR" : severity >= 13 ? "WARNING" : severity >= 9 ? "INFO" : "DEBUG"; }

} // namespace

void appendRfc3339Millis(std::string& out, Timestamp t)
{
    const Civil c = civil(t);
    appendf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis);
}

std::string nginxLine(Timestamp t, const std::string& clientIp, const char* method, const std::string& path, int status,
                      int bytes, const char* userAgent, Duration requestTime)
{
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const Civil c = civil(t);
    std::string line = clientIp;
    appendf(line, " - - [%02d/%s/%04d:%02d:%02d:%02d +0000] \"", c.day, kMonths[c.month - 1], c.year, c.hour, c.minute, c.second);
    line += method;
    line.push_back(' ');
    line += path;
    appendf(line, " HTTP/1.1\" %d %d \"-\" \"", status, bytes);
    line += userAgent;
    const int64_t ms = requestTime.count() / 1'000'000;
    appendf(line, "\" rt=%lld.%03lld uct=0.001", static_cast<long long>(ms / 1000), static_cast<long long>(ms % 1000));
    return line;
}

std::string formatLogBody(const PendingLog& log, const TraceRef* trace, const char* service, const std::string& version)
{
    std::string out;
    out.reserve(256);
    const Civil c = civil(log.time);
    switch (log.style) {
    case LogStyle::Nginx:
        out = log.message;
        out += " trace=";
        out += trace ? trace->trace.toHex() : std::string("-");
        return out;
    case LogStyle::Logback:
        appendf(out, "%04d-%02d-%02d %02d:%02d:%02d.%03d %5s 1 --- [%15s] %-40s : ", c.year, c.month, c.day, c.hour, c.minute,
                c.second, c.millis, severityName(log.severity), log.thread, log.logger);
        out += log.message;
        if (trace)
            out += " [trace=" + trace->trace.toHex() + ",span=" + trace->span.toHex() + "]";
        return out;
    case LogStyle::Pino:
        appendf(out, "{\"level\":%d,\"time\":%lld,\"pid\":1", pinoLevel(log.severity), static_cast<long long>(log.time.millis()));
        if (trace) {
            appendField(out, "traceId", trace->trace.toHex());
            appendField(out, "spanId", trace->span.toHex());
        }
        appendFields(out, log);
        appendField(out, "msg", log.message);
        break;
    case LogStyle::Zap:
        out = "{\"level\":";
        appendJsonString(out, lowerLevel(log.severity));
        out += ",\"ts\":\"";
        appendRfc3339Millis(out, log.time);
        out += "\"";
        appendField(out, "caller", log.logger);
        appendField(out, "msg", log.message);
        appendFields(out, log);
        if (trace) {
            appendField(out, "trace_id", trace->trace.toHex());
            appendField(out, "span_id", trace->span.toHex());
        }
        break;
    case LogStyle::Slog:
        out = "{\"time\":\"";
        appendRfc3339Millis(out, log.time);
        out += "\"";
        appendField(out, "level", severityName(log.severity));
        appendField(out, "msg", log.message);
        appendFields(out, log);
        if (trace) {
            appendField(out, "trace_id", trace->trace.toHex());
            appendField(out, "span_id", trace->span.toHex());
        }
        break;
    case LogStyle::Serilog:
        appendf(out, "{\"@t\":\"%04d-%02d-%02dT%02d:%02d:%02d.%07dZ\"", c.year, c.month, c.day, c.hour, c.minute, c.second, c.micros7);
        appendField(out, "@m", log.message);
        if (log.severity != 9)
            appendField(out, "@l", serilogLevel(log.severity));
        appendField(out, "SourceContext", log.logger);
        appendFields(out, log);
        if (trace) {
            appendField(out, "traceID", trace->trace.toHex());
            appendField(out, "spanID", trace->span.toHex());
        }
        break;
    case LogStyle::PythonJson:
        appendf(out, "{\"asctime\":\"%04d-%02d-%02d %02d:%02d:%02d,%03d\"", c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis);
        appendField(out, "levelname", pythonLevel(log.severity));
        appendField(out, "name", log.logger);
        appendField(out, "message", log.message);
        appendFields(out, log);
        if (trace) {
            appendField(out, "otelTraceID", trace->trace.toHex());
            appendField(out, "otelSpanID", trace->span.toHex());
            appendField(out, "otelServiceName", service);
            appendField(out, "otelTraceSampled", "true", false);
        }
        break;
    case LogStyle::DatadogJson:
        out = "{\"level\":";
        appendJsonString(out, lowerLevel(log.severity));
        appendField(out, "message", log.message);
        out += ",\"timestamp\":\"";
        appendRfc3339Millis(out, log.time);
        out += "\"";
        appendFields(out, log);
        if (trace) {
            // Datadog writes 64-bit trace ids in decimal and 128-bit ones as 32 hex digits.
            appendField(out, "dd.trace_id", trace->trace.high == 0 ? decimal(trace->trace.low) : trace->trace.toHex());
            appendField(out, "dd.span_id", decimal(trace->span.value));
        }
        appendField(out, "dd.service", service);
        appendField(out, "dd.env", "prod");
        appendField(out, "dd.version", version);
        break;
    case LogStyle::Lograge:
        out = "{\"severity\":";
        appendJsonString(out, severityName(log.severity));
        out += ",\"time\":\"";
        appendRfc3339Millis(out, log.time);
        out += "\"";
        appendField(out, "progname", service);
        appendField(out, "message", log.message);
        appendFields(out, log);
        if (trace) {
            appendField(out, "trace_id", trace->trace.toHex());
            appendField(out, "span_id", trace->span.toHex());
        }
        break;
    }
    out.push_back('}');
    return out;
}

} // namespace rootline::sample
