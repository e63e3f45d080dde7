// "plain-text-logs": unstructured lines read by an anchored RE2 pattern (PlainLogs.h).

#include "LogLineEmitter.h"
#include "LogTime.h"
#include "PlainLogs.h"

#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <re2/re2.h>

namespace rootline {

namespace {

struct CompiledPattern {
    PlainLogPattern spec;
    std::unique_ptr<RE2> re;
    int groups = 0;
    // Capture group numbers (RE2 numbers from 1), 0 when the pattern lacks the capture.
    int time = 0, level = 0, message = 0, traceId = 0, spanId = 0, service = 0;
};

Result<std::shared_ptr<const CompiledPattern>> compile(PlainLogPattern spec) {
    if (spec.regex.empty())
        spec.regex = defaultPlainLogRegex();
    auto p = std::make_shared<CompiledPattern>();
    RE2::Options options;
    options.set_log_errors(false);
    p->re = std::make_unique<RE2>(spec.regex, options);
    if (!p->re->ok())
        return Error{"--pattern", "the pattern does not compile: " + p->re->error(),
                     "RE2 syntax; name captures (?P<time>…)"};
    p->groups = p->re->NumberOfCapturingGroups();
    const auto& names = p->re->NamedCapturingGroups();
    auto group = [&](const char* name) {
        auto it = names.find(name);
        return it == names.end() ? 0 : it->second;
    };
    p->time = group("time");
    p->level = group("level");
    p->message = group("message");
    p->traceId = group("trace_id");
    p->spanId = group("span_id");
    p->service = group("service");
    if (!p->time)
        return Error{"--pattern", "the pattern has no (?P<time>…) capture",
                     "every log line needs a time"};
    p->spec = std::move(spec);
    return std::shared_ptr<const CompiledPattern>(std::move(p));
}

std::mutex g_patternMutex;

std::shared_ptr<const CompiledPattern>& currentSlot() {
    static std::shared_ptr<const CompiledPattern> slot = *compile({});
    return slot;
}

std::shared_ptr<const CompiledPattern> current() {
    std::lock_guard lock(g_patternMutex);
    return currentSlot();
}

struct LineMatch {
    std::string_view time, level, message, traceId, spanId, service;
};

// Matches `line` anchored at its start; nullopt when it does not match or captured no time.
std::optional<LineMatch> match(const CompiledPattern& p, std::string_view line) {
    std::vector<re2::StringPiece> groups(size_t(p.groups) + 1);
    if (!p.re->Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::ANCHOR_START,
                     groups.data(), int(groups.size())))
        return std::nullopt;
    auto at = [&](int g) {
        return g ? std::string_view(groups[size_t(g)].data(), groups[size_t(g)].size())
                 : std::string_view();
    };
    LineMatch m;
    m.time = at(p.time);
    if (m.time.empty())
        return std::nullopt;
    m.level = at(p.level);
    m.traceId = at(p.traceId);
    m.spanId = at(p.spanId);
    m.service = at(p.service);
    if (p.message) {
        m.message = at(p.message);
    } else {
        // No message capture: the rest of the line after the match.
        m.message = line.substr(size_t(groups[0].size()));
        while (!m.message.empty() && (m.message.front() == ' ' || m.message.front() == '\t'))
            m.message.remove_prefix(1);
    }
    return m;
}

bool startsWithLetter(std::string_view s) {
    return !s.empty() && std::isalpha(static_cast<unsigned char>(s.front()));
}

int sniffPlainText(std::string_view head) {
    const auto p = current();
    int matched = 0, lines = 0;
    size_t pos = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // UTF-8 byte-order mark
    while (lines < 5) {
        const size_t end = head.find('\n', pos);
        if (end == std::string_view::npos)
            break; // a cut-off last line proves nothing
        std::string_view line = head.substr(pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        ++lines;
        auto m = match(*p, line);
        const bool timed = m && parseLogTime(m->time, p->spec.syslogYear).ok();
        if (lines == 1 && !timed)
            return 0; // a log file starts with a timestamped line
        matched += timed;
    }
    // Low on purpose: every structured format (and logfmt / JSON lines) outranks a plain line.
    // Lines between timestamped ones are continuations (stack traces): they do not count against.
    return lines == 0 ? 0 : 10 + matched;
}

// What parsePlainText treats as the first line of a record (anything else continues one).
bool startsPlainTextRecord(std::string_view line) {
    if (line.find_first_not_of(" \t") == std::string_view::npos)
        return false;
    return match(*current(), line).has_value();
}

Status parsePlainText(std::string_view document, const ParseContext& ctx, RecordSink& sink) {
    const auto p = current();
    LogLineEmitter out(ctx, sink);
    LogRecordAssembler assembler;
    std::optional<LogRecord> pending;
    bool skipping = false; // continuation lines of a rejected line go with it
    int lastYear = 0;      // the year of the last full date seen, for syslog times

    Status status = out.forEachLine(document, [&](std::string_view line, int64_t number) -> Status {
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            return {};
        auto m = match(*p, line);
        if (!m) {
            if (pending) {
                pending->body += '\n';
                pending->body += line;
                return {};
            }
            if (skipping)
                return {};
            return out.reject(
                number, "the line does not start with a timestamp (and follows no log line)", line,
                "pass --pattern with a (?P<time>…) capture for this file's layout");
        }
        if (pending) {
            if (Status s = out.add(std::move(*pending)); !s)
                return s;
            pending.reset();
        }
        const bool syslogForm = startsWithLetter(m->time);
        const int year = p->spec.syslogYear ? p->spec.syslogYear : lastYear;
        auto time = parseLogTime(m->time, year);
        if (!time) {
            skipping = true;
            return out.reject(number, time.error().what, line, time.error().hint);
        }
        skipping = false;
        if (!syslogForm)
            lastYear = utcYear(*time);

        LogRecord record;
        record.time = *time;
        record.observedTime = *time;
        if (!m->level.empty()) {
            record.severityText = std::string(m->level);
            record.severity = logLevelSeverity(m->level);
        }
        record.body = std::string(m->message);
        Attributes resourceAttributes;
        if (!m->service.empty())
            resourceAttributes.set("service.name", std::string(m->service));
        if (!m->traceId.empty()) {
            if (auto id = parseTraceId(m->traceId))
                record.traceId = *id;
            else
                record.attributes.set("trace_id", std::string(m->traceId));
        }
        if (!m->spanId.empty()) {
            if (auto id = parseSpanId(m->spanId))
                record.spanId = *id;
            else
                record.attributes.set("span_id", std::string(m->spanId));
        }
        record.resource = assembler.resource(resourceAttributes);
        pending = std::move(record);
        return {};
    });
    if (!status)
        return status;
    if (pending)
        if (Status s = out.add(std::move(*pending)); !s)
            return s;
    return out.flush();
}

} // namespace

const std::string& defaultPlainLogRegex() {
    static const std::string regex =
        R"(\[?(?P<time>)"
        R"(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)"
        R"(|[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)?)"
        R"(|\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?)"
        R"()\]?)"
        R"((?:[ \t]+\[?(?P<level>(?i:trace|debug|info|notice|warn|warning|error|err|fatal|critical|crit|severe|panic))\]?:?)?)"
        R"((?:[ \t]+|$)(?P<message>.*))";
    return regex;
}

Status setPlainLogPattern(PlainLogPattern pattern) {
    auto compiled = compile(std::move(pattern));
    if (!compiled)
        return compiled.error();
    std::lock_guard lock(g_patternMutex);
    currentSlot() = std::move(*compiled);
    return {};
}

PlainLogPattern plainLogPattern() {
    return current()->spec;
}

Format plainTextLogsFormat() {
    Format f;
    f.name = "plain-text-logs";
    f.description = "plain text logs (a timestamp at each line start, or --pattern REGEX)";
    f.sniff = &sniffPlainText;
    f.parse = &parsePlainText;
    f.lineOriented = true;
    f.startsRecord = &startsPlainTextRecord;
    return f;
}

} // namespace rootline
