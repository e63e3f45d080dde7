#include "LogFields.h"

#include "LogTime.h"

#include <algorithm>
#include <array>

namespace rootline {

namespace {

constexpr std::array kTimeKeys{"timestamp", "time", "ts", "@timestamp", "t", "date", "@t"};
constexpr std::array kLevelKeys{"level",     "severity", "lvl", "levelname",
                                "log.level", "loglevel", "@l",  "severity_text"};
constexpr std::array kMessageKeys{"msg", "message", "@m", "log", "body"};
constexpr std::array kTraceKeys{"trace_id", "traceId",     "traceID",
                                "trace.id", "otelTraceID", "dd.trace_id"};
constexpr std::array kSpanKeys{"span_id", "spanId",     "spanID",
                               "span.id", "otelSpanID", "dd.span_id"};
// Keys Resource::fromAttributes understands, kept as written; the emitting service's identity.
constexpr std::array kResourceKeys{"service",
                                   "service.name",
                                   "service_name",
                                   "serviceName",
                                   "app",
                                   "service.namespace",
                                   "service.version",
                                   "deployment.environment",
                                   "deployment.environment.name",
                                   "env",
                                   "environment",
                                   "host",
                                   "hostname",
                                   "host.name",
                                   "k8s.pod.name",
                                   "pod",
                                   "k8s.namespace.name",
                                   "k8s.container.name",
                                   "container.name"};
// Other spellings of the service name, renamed to service.name.
constexpr std::array kServiceAliases{"otelServiceName", "application"};

template <size_t N> int rankOf(const std::array<const char*, N>& keys, std::string_view key) {
    for (size_t i = 0; i < N; ++i)
        if (key == keys[i])
            return int(i);
    return -1;
}

// The index of the field whose key ranks first in `keys`, or -1.
template <size_t N>
int pick(const std::vector<LogField>& fields, const std::array<const char*, N>& keys,
         bool stringsOnly = false) {
    int best = -1, bestRank = int(N);
    for (size_t i = 0; i < fields.size(); ++i) {
        const int r = rankOf(keys, fields[i].key);
        if (r >= 0 && r < bestRank &&
            (!stringsOnly || std::holds_alternative<std::string>(fields[i].value))) {
            best = int(i);
            bestRank = r;
        }
    }
    return best;
}

} // namespace

int logLevelSeverity(std::string_view text) {
    if (text.size() == 2 && text[1] == '0' && text[0] >= '1' && text[0] <= '6') {
        static constexpr int pino[] = {1, 5, 9, 13, 17, 21};
        return pino[text[0] - '1'];
    }
    return severityFromText(text);
}

ResourcePtr LogRecordAssembler::resource(const Attributes& attributes) {
    std::string key = attributes.toJson();
    auto it = m_resources.find(key);
    if (it == m_resources.end())
        it = m_resources.emplace(std::move(key), makeResource(attributes, SourceKind::File)).first;
    return it->second;
}

Result<LogRecord> LogRecordAssembler::assemble(std::vector<LogField>&& fields,
                                               std::string_view fallbackBody) {
    LogRecord record;
    std::vector<bool> used(fields.size(), false);

    const int timeAt = pick(fields, kTimeKeys);
    if (timeAt < 0)
        return Error{"", "no time field (timestamp, time, ts, @timestamp, t, date)", {}};
    std::string timeText = fields[size_t(timeAt)].text;
    if (const auto* nested = std::get_if<JsonText>(&fields[size_t(timeAt)].value)) {
        // MongoDB and Extended JSON: {"t":{"$date":"2026-11-20T14:47:01.123Z"}} — the object's one
        // member.
        const Attributes inner = Attributes::fromJson(nested->text);
        if (inner.size() == 1)
            timeText = attributeToText(inner.begin()->value);
    }
    auto time = parseLogTime(timeText, syslogYear);
    if (!time)
        return time.error();
    record.time = *time;
    record.observedTime = *time;
    used[size_t(timeAt)] = true;

    if (const int at = pick(fields, kLevelKeys); at >= 0) {
        const std::string& text = fields[size_t(at)].text;
        record.severity = logLevelSeverity(text);
        const bool numeric = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
            return c >= '0' && c <= '9';
        });
        record.severityText = numeric && record.severity ? severityName(record.severity) : text;
        used[size_t(at)] = true;
    }

    if (const int at = pick(fields, kMessageKeys, true); at >= 0) {
        record.body = fields[size_t(at)].text;
        used[size_t(at)] = true;
    } else {
        record.body = std::string(fallbackBody);
    }

    // Ids that do not parse stay attributes: nothing is lost.
    if (const int at = pick(fields, kTraceKeys); at >= 0) {
        const bool decimal = fields[size_t(at)].key == "dd.trace_id";
        if (auto id = parseTraceId(fields[size_t(at)].text,
                                   decimal ? IdEncoding::Decimal : IdEncoding::Auto)) {
            record.traceId = *id;
            used[size_t(at)] = true;
        }
    }
    if (const int at = pick(fields, kSpanKeys); at >= 0) {
        const bool decimal = fields[size_t(at)].key == "dd.span_id";
        if (auto id = parseSpanId(fields[size_t(at)].text,
                                  decimal ? IdEncoding::Decimal : IdEncoding::Auto)) {
            record.spanId = *id;
            used[size_t(at)] = true;
        }
    }

    Attributes resourceAttributes;
    bool hasService = false;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (used[i])
            continue;
        const std::string& key = fields[i].key;
        if (rankOf(kResourceKeys, key) >= 0) {
            hasService = hasService || key == "service" || key == "service.name" ||
                         key == "service_name" || key == "serviceName" || key == "app";
            resourceAttributes.set(key, fields[i].value);
            used[i] = true;
        } else if (rankOf(kServiceAliases, key) >= 0) {
            hasService = true;
            resourceAttributes.set("service.name", fields[i].value);
            used[i] = true;
        }
    }
    for (size_t i = 0; i < fields.size(); ++i) {
        if (used[i])
            continue;
        // The logger names the service only when nothing else does; it stays an attribute too.
        if (!hasService && fields[i].key == "logger") {
            resourceAttributes.set("service.name", fields[i].value);
            hasService = true;
        }
        record.attributes.set(std::move(fields[i].key), std::move(fields[i].value));
    }
    record.resource = resource(resourceAttributes);
    return record;
}

} // namespace rootline
