#include "LokiApi.h"

#include "CheckedIterate.h"
#include "core/Utf8.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

namespace rootline {

namespace od = simdjson::ondemand;

namespace {

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

std::string snippet(std::string_view s, size_t max = 160)
{
    return std::string(s.substr(0, max));
}

// A JSON value as label text: strings unquoted, other scalars as written, nested values as JSON.
std::string valueText(od::value v)
{
    switch (v.type()) {
    case od::json_type::string:
        return std::string(std::string_view(v.get_string()));
    case od::json_type::object:
        {
        od::object o = v.get_object();
        return std::string(std::string_view(o.raw_json()));
    }
    case od::json_type::array:
        {
        od::array a = v.get_array();
        return std::string(std::string_view(a.raw_json()));
    }
    default:
        return std::string(trim(v.raw_json_token()));
    }
}

LokiLabels readLabels(od::value v)
{
    LokiLabels out;
    if (v.type() != od::json_type::object)
        return out;
    for (auto field : v.get_object()) {
        std::string key(std::string_view(field.unescaped_key()));
        out.emplace_back(std::move(key), valueText(field.value()));
    }
    return out;
}

std::string indexLocation(const std::string& origin, size_t resultIndex, size_t valueIndex)
{
    return origin + "#result[" + std::to_string(resultIndex) + "].values[" + std::to_string(valueIndex) + "]";
}

enum class ElementKind { Unknown, Stream, Metric };

struct ParsedElement {
    ElementKind kind = ElementKind::Unknown;
    LokiLabels labels;
    std::vector<LokiEntry> entries;
    std::vector<Sample> samples;
};

std::string_view scalarText(od::value part)
{
    return part.type() == od::json_type::string ? std::string_view(part.get_string()) : trim(part.raw_json_token());
}

// One item of "values" (or the "value" of a vector): a log entry `["ns", "line"]` /
// `["ns", "line", {structuredMetadata, parsed}]`, or a sample `[seconds, "value"]`. A string first
// element means an entry unless the element is known to be a metric (Loki writes "stream"/"metric"
// before "values", and sample times as numbers).
Status readValueItem(od::array arr, ElementKind kind, ParsedElement& out)
{
    int index = 0;
    bool entryMode = false;
    LokiEntry entry;
    Sample sample;
    for (od::value part : arr) {
        if (index == 0) {
            entryMode = part.type() == od::json_type::string && kind != ElementKind::Metric;
            const std::string_view raw = scalarText(part);
            auto t = entryMode ? parseNanosText(raw) : parseSecondsText(raw);
            if (!t)
                return t.error();
            (entryMode ? entry.time : sample.time) = *t;
        } else if (index == 1) {
            if (entryMode) {
                if (part.type() != od::json_type::string)
                    return Error{"", "the log line is not a string", {}};
                entry.line = std::string(std::string_view(part.get_string()));
            } else if (part.type() == od::json_type::string) {
                auto v = parseLokiSampleValue(std::string_view(part.get_string()));
                if (!v)
                    return v.error();
                sample.value = *v;
            } else {
                sample.value = double(part.get_double());
            }
        } else if (index == 2 && entryMode) {
            if (part.type() != od::json_type::object)
                return Error{"", "the third element of an entry must be an object", {}};
            for (auto field : part.get_object()) {
                const std::string_view key = field.unescaped_key();
                if (key == "structuredMetadata")
                    entry.structuredMetadata = readLabels(field.value());
                else if (key == "parsed")
                    entry.parsed = readLabels(field.value());
            }
        }
        ++index;
    }
    if (entryMode && (index < 2 || index > 3))
        return Error{"", "an entry must be [\"ns\", \"line\"] or [\"ns\", \"line\", {…}], got " + std::to_string(index)
                             + " elements",
                     {}};
    if (!entryMode && index != 2)
        return Error{"", "a sample must be [seconds, \"value\"], got " + std::to_string(index) + " elements", {}};
    if (entryMode)
        out.entries.push_back(std::move(entry));
    else
        out.samples.push_back(sample);
    return {};
}

void readResultElement(od::value elem, size_t resultIndex, const std::string& origin, LokiResponse& response,
                       ParsedElement& out)
{
    for (auto field : elem.get_object()) {
        const std::string_view key = field.unescaped_key();
        od::value v = field.value();
        if (key == "stream") {
            out.kind = ElementKind::Stream;
            out.labels = readLabels(v);
        } else if (key == "metric") {
            out.kind = ElementKind::Metric;
            out.labels = readLabels(v);
        } else if (key == "values" || key == "value") {
            if (key == "value") {
                out.kind = ElementKind::Metric;
                if (auto st = readValueItem(v.get_array(), out.kind, out); !st)
                    response.rejections.push_back({origin + "#result[" + std::to_string(resultIndex) + "].value",
                                                   st.error().what, {}});
                continue;
            }
            size_t j = 0;
            for (od::value item : v.get_array()) {
                if (item.type() != od::json_type::array)
                    response.rejections.push_back({indexLocation(origin, resultIndex, j), "not an array",
                                                   std::string(trim(item.raw_json_token()))});
                else if (auto st = readValueItem(item.get_array(), out.kind, out); !st)
                    response.rejections.push_back({indexLocation(origin, resultIndex, j), st.error().what, {}});
                ++j;
            }
        }
    }
}

void readData(od::value data, const std::string& origin, LokiResponse& response)
{
    for (auto field : data.get_object()) {
        const std::string_view key = field.unescaped_key();
        od::value v = field.value();
        if (key == "resultType") {
            response.resultType = std::string(std::string_view(v.get_string()));
        } else if (key == "encodingFlags") {
            for (od::value flag : v.get_array())
                response.encodingFlags.emplace_back(std::string_view(flag.get_string()));
        } else if (key == "stats") {
            if (v.type() == od::json_type::object)
{
                od::object o = v.get_object();
                response.statsJson = std::string(std::string_view(o.raw_json()));
            }
        } else if (key == "result") {
            size_t i = 0;
            bool scalar = false;
            Sample scalarSample;
            int scalarIndex = 0;
            for (od::value elem : v.get_array()) {
                const od::json_type type = elem.type();
                if (type == od::json_type::object) {
                    ParsedElement parsed;
                    readResultElement(elem, i, origin, response, parsed);
                    if (parsed.kind == ElementKind::Stream || !parsed.entries.empty())
                        response.streams.push_back({std::move(parsed.labels), std::move(parsed.entries)});
                    else
                        response.series.push_back({std::move(parsed.labels), std::move(parsed.samples)});
                } else {
                    // scalar: the result itself is [seconds, "value"]
                    scalar = true;
                    if (scalarIndex == 0) {
                        const std::string_view raw = type == od::json_type::string ? std::string_view(elem.get_string())
                                                                                    : trim(elem.raw_json_token());
                        if (auto t = parseSecondsText(raw))
                            scalarSample.time = *t;
                        else
                            response.rejections.push_back({origin + "#result[0]", t.error().what, std::string(raw)});
                    } else if (scalarIndex == 1) {
                        if (type == od::json_type::string) {
                            const std::string_view raw = elem.get_string();
                            if (auto val = parseLokiSampleValue(raw))
                                scalarSample.value = *val;
                            else
                                response.rejections.push_back({origin + "#result[1]", val.error().what, std::string(raw)});
                        } else {
                            scalarSample.value = double(elem.get_double());
                        }
                    }
                    ++scalarIndex;
                }
                ++i;
            }
            if (scalar && scalarIndex == 2)
                response.series.push_back({{}, {scalarSample}});
        }
    }
}

// simdjson 3.0 has no document::at_end(): past the last token current_location() is OUT_OF_BOUNDS.
bool hasTrailingContent(od::document& doc)
{
    const char* location = nullptr;
    return doc.current_location().get(location) == simdjson::SUCCESS;
}

Error jsonError(const std::string& origin, const char* what, size_t offset)
{
    return Error{origin, std::string("malformed JSON near byte ") + std::to_string(offset) + ": " + what,
                 "the response was cut short or is not Loki's JSON API (a proxy error page?)"};
}

} // namespace

size_t LokiResponse::entryCount() const
{
    size_t n = 0;
    for (const auto& s : streams)
        n += s.entries.size();
    return n;
}

bool LokiResponse::categorized() const
{
    return std::find(encodingFlags.begin(), encodingFlags.end(), "categorize-labels") != encodingFlags.end();
}

Result<double> parseLokiSampleValue(std::string_view text)
{
    std::string_view t = trim(text);
    bool negative = false;
    if (!t.empty() && (t.front() == '+' || t.front() == '-')) {
        negative = t.front() == '-';
        t.remove_prefix(1);
    }
    auto lower = [](std::string_view s) {
        std::string out(s);
        for (char& c : out)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        return out;
    };
    const std::string l = lower(t);
    if (l == "inf" || l == "infinity")
        return negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    if (l == "nan")
        return std::numeric_limits<double>::quiet_NaN();
    double value = 0;
    // from_chars is locale-independent (strtod would read "1,5" under a German locale).
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (t.empty() || ec != std::errc() || ptr != t.data() + t.size())
        return Error{"", "\"" + std::string(text) + "\" is not a sample value (a decimal number, NaN or ±Inf)", {}};
    return negative ? -value : value;
}

Result<LokiResponse> decodeLokiResponse(std::string_view body, const std::string& origin)
{
    LokiResponse response;
    // One byte that is not UTF-8 would fail the whole page (simdjson validates the document):
    // keep every line, the byte as U+FFFD, and say so beside the server's own warnings.
    std::string repaired;
    if (const size_t replaced = isValidUtf8(body) ? 0 : appendRepairedUtf8(repaired, body)) {
        body = repaired;
        response.warnings.push_back(origin + ": " + std::to_string(replaced)
                                    + (replaced == 1 ? " byte" : " bytes") + " not valid UTF-8, kept as U+FFFD");
    }
    simdjson::padded_string padded(body);
    od::parser parser;
    od::document doc;
    std::string status, errorText, errorType;
    bool iterated = false;
    try {
        doc = rootline::iterateChecked(parser, padded);
        iterated = true;
        if (doc.type() != od::json_type::object)
            return Error{origin, "expected a JSON object with \"status\" and \"data\"", "is this a Loki API response?"};
        bool sawData = false;
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "status") {
                status = std::string(std::string_view(v.get_string()));
            } else if (key == "warnings") {
                if (v.type() == od::json_type::array)
                    for (od::value w : v.get_array())
                        response.warnings.emplace_back(valueText(w));
            } else if (key == "error") {
                errorText = valueText(v);
            } else if (key == "errorType") {
                errorType = valueText(v);
            } else if (key == "data") {
                if (v.type() == od::json_type::object) {
                    sawData = true;
                    readData(v, origin, response);
                }
            }
        }
        if (hasTrailingContent(doc))
            return jsonError(origin, "trailing content after the JSON object", body.size());
        if (status != "success") {
            if (!errorText.empty() || status == "error")
                return Error{origin, "Loki answered " + (errorType.empty() ? std::string("error") : errorType) + ": " + errorText,
                             {}};
            return Error{origin, "the response has no \"status\":\"success\"", "is this a Loki API response?"};
        }
        if (!sawData)
            return Error{origin, "the response has no \"data\" object", "is this a Loki API response?"};
    } catch (const simdjson::simdjson_error& e) {
        const char* location = nullptr;
        size_t offset = body.size();
        if (iterated && doc.current_location().get(location) == simdjson::SUCCESS && location >= padded.data()
            && location <= padded.data() + padded.size())
            offset = size_t(location - padded.data());
        return jsonError(origin, e.what(), offset);
    }
    return response;
}

Result<std::vector<std::string>> decodeLokiStringList(std::string_view body, const std::string& origin)
{
    std::vector<std::string> out;
    simdjson::padded_string padded(body);
    od::parser parser;
    std::string status;
    try {
        od::document doc = rootline::iterateChecked(parser, padded);
        for (auto field : doc.get_object()) {
            const std::string_view key = field.unescaped_key();
            od::value v = field.value();
            if (key == "status")
                status = std::string(std::string_view(v.get_string()));
            else if (key == "data" && v.type() == od::json_type::array)
                for (od::value s : v.get_array())
                    out.push_back(valueText(s));
        }
        if (hasTrailingContent(doc))
            return jsonError(origin, "trailing content after the JSON object", body.size());
    } catch (const simdjson::simdjson_error& e) {
        return jsonError(origin, e.what(), 0);
    }
    if (status != "success")
        return Error{origin, "the response has no \"status\":\"success\"", "is this a Loki API response?"};
    // Loki omits "data" entirely when there are no labels: that is an empty list, not an error.
    return out;
}

ResourcePtr lokiResource(const LokiLabels& streamLabels)
{
    Attributes attributes;
    for (const auto& [k, v] : streamLabels)
        attributes.set(k, v);
    return makeResource(attributes, SourceKind::Loki);
}

namespace {

const std::string* findLabel(const LokiLabels& labels, std::string_view key)
{
    for (const auto& [k, v] : labels)
        if (k == key)
            return &v;
    return nullptr;
}

} // namespace

LogRecord lokiLogRecord(const LokiEntry& entry, const LokiLabels& streamLabels, const ResourcePtr& resource)
{
    LogRecord r;
    r.time = entry.time;
    r.observedTime = entry.time;
    r.body = entry.line;
    r.resource = resource;
    for (const auto& [k, v] : entry.structuredMetadata)
        r.attributes.set(k, v);
    for (const auto& [k, v] : entry.parsed)
        r.attributes.set(k, v);

    // Severity: the most specific place first (OTLP severity in structured metadata, then what a parser
    // extracted, then Loki's detected_level, then the stream's own level label).
    static constexpr std::string_view severityKeys[] = {"severity_text", "level", "detected_level", "severity", "lvl"};
    for (const LokiLabels* labels : {&entry.structuredMetadata, &entry.parsed, &streamLabels}) {
        for (std::string_view key : severityKeys) {
            if (const std::string* v = findLabel(*labels, key); v && !v->empty()) {
                const int number = severityFromText(*v);
                if (number != 0 || r.severityText.empty()) {
                    r.severityText = *v;
                    r.severity = number;
                }
                if (number != 0)
                    goto severityDone;
            }
        }
    }
severityDone:
    if (const std::string* n = findLabel(entry.structuredMetadata, "severity_number")) {
        int value = 0;
        const auto [ptr, ec] = std::from_chars(n->data(), n->data() + n->size(), value);
        if (ec == std::errc() && ptr == n->data() + n->size() && value >= 1 && value <= 24)
            r.severity = value;
    }
    if (const std::string* o = findLabel(entry.structuredMetadata, "observed_timestamp"))
        if (auto t = parseNanosText(*o))
            r.observedTime = *t;

    for (const LokiLabels* labels : {&entry.structuredMetadata, &entry.parsed}) {
        for (std::string_view key : {"trace_id", "traceID", "traceId"}) {
            if (r.traceId)
                break;
            if (const std::string* v = findLabel(*labels, key))
                if (auto id = parseTraceId(*v, IdEncoding::Hex))
                    r.traceId = *id;
        }
        for (std::string_view key : {"span_id", "spanID", "spanId"}) {
            if (r.spanId)
                break;
            if (const std::string* v = findLabel(*labels, key))
                if (auto id = parseSpanId(*v, IdEncoding::Hex))
                    r.spanId = *id;
        }
    }
    return r;
}

SeriesData lokiSeriesData(const LokiSeries& series, const std::string& fallbackName)
{
    SeriesData data;
    Attributes attributes;
    data.series.name = fallbackName;
    for (const auto& [k, v] : series.labels) {
        if (k == "__name__") {
            data.series.name = v;
            continue;
        }
        data.series.setLabel(k, v);
        attributes.set(k, v);
    }
    data.series.kind = MetricKind::Gauge;
    data.series.resource = makeResource(attributes, SourceKind::Loki);
    data.samples = series.samples;
    return data;
}

// ---- the file-import format ----

namespace {

int sniffLoki(std::string_view head)
{
    if (head.find("\"encodingFlags\"") != std::string_view::npos && head.find("\"resultType\"") != std::string_view::npos)
        return 100;
    if (head.find("\"resultType\"") != std::string_view::npos) {
        const size_t at = head.find("\"resultType\"");
        const std::string_view rest = head.substr(at, 64);
        if (rest.find("\"streams\"") != std::string_view::npos)
            return 95;
        // Loki matrix/vector results look exactly like Prometheus's: let prometheus-api claim them.
        if (rest.find("\"matrix\"") != std::string_view::npos || rest.find("\"vector\"") != std::string_view::npos)
            return 15;
    }
    // logcli --output=jsonl: {"labels":{…},"line":"…","timestamp":"RFC3339"} per line.
    const std::string_view first = trim(head.substr(0, head.find('\n')));
    if (!first.empty() && first.front() == '{' && first.find("\"line\":") != std::string_view::npos
        && first.find("\"timestamp\":") != std::string_view::npos)
        return first.find("\"labels\":") != std::string_view::npos ? 90 : 60;
    return 0;
}

class BatchEmitter {
public:
    BatchEmitter(const ParseContext& ctx, RecordSink& sink) : m_ctx(ctx), m_sink(sink) {}
    Status add(LogRecord&& record)
    {
        m_batch.logs.push_back(std::move(record));
        return m_batch.logs.size() >= m_ctx.batchSize ? flush() : Status{};
    }
    Status add(SeriesData&& series)
    {
        m_batch.series.push_back(std::move(series));
        return m_batch.recordCount() >= m_ctx.batchSize ? flush() : Status{};
    }
    Status flush()
    {
        if (m_ctx.isCancelled())
            return Error{m_ctx.origin, "cancelled", {}};
        if (m_batch.empty())
            return {};
        TelemetryBatch b = std::move(m_batch);
        m_batch = {};
        return m_sink.batch(std::move(b));
    }

private:
    const ParseContext& m_ctx;
    RecordSink& m_sink;
    TelemetryBatch m_batch;
};

Status rejectOrFail(const ParseContext& ctx, RecordSink& sink, std::string location, std::string message,
                    std::string snip)
{
    if (ctx.strict)
        return Error{location, message, "run without --strict to skip bad records"};
    sink.reject(std::move(location), std::move(message), std::move(snip));
    return {};
}

std::string labelsKey(const LokiLabels& labels)
{
    LokiLabels sorted = labels;
    std::sort(sorted.begin(), sorted.end());
    std::string key;
    for (const auto& [k, v] : sorted) {
        key += k;
        key += '\x1f';
        key += v;
        key += '\x1e';
    }
    return key;
}

Status parseJsonLines(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    BatchEmitter out(ctx, sink);
    std::map<std::string, ResourcePtr> resources;
    od::parser parser;
    size_t lineNo = 0;
    size_t pos = 0;
    while (pos < document.size()) {
        size_t end = document.find('\n', pos);
        if (end == std::string_view::npos)
            end = document.size();
        const std::string_view line = trim(document.substr(pos, end - pos));
        pos = end + 1;
        ++lineNo;
        if (line.empty())
            continue;
        const std::string location = ctx.origin + ":" + std::to_string(lineNo);
        LokiLabels labels;
        LokiEntry entry;
        bool haveLine = false, haveTime = false;
        std::string problem;
        try {
            simdjson::padded_string padded(line);
            od::document doc = rootline::iterateChecked(parser, padded);
            for (auto field : doc.get_object()) {
                const std::string_view key = field.unescaped_key();
                od::value v = field.value();
                if (key == "labels") {
                    labels = readLabels(v);
                } else if (key == "line") {
                    entry.line = std::string(std::string_view(v.get_string()));
                    haveLine = true;
                } else if (key == "timestamp") {
                    const std::string_view ts = v.get_string();
                    if (auto t = parseRfc3339(ts)) {
                        entry.time = *t;
                        haveTime = true;
                    } else {
                        problem = t.error().what;
                    }
                }
            }
        } catch (const simdjson::simdjson_error& e) {
            problem = std::string("malformed JSON: ") + e.what();
        }
        if (problem.empty() && (!haveLine || !haveTime))
            problem = "a logcli JSON line needs \"line\" and \"timestamp\"";
        if (!problem.empty()) {
            if (auto st = rejectOrFail(ctx, sink, location, problem, snippet(line)); !st)
                return st;
            continue;
        }
        ResourcePtr& resource = resources[labelsKey(labels)];
        if (!resource)
            resource = lokiResource(labels);
        if (auto st = out.add(lokiLogRecord(entry, labels, resource)); !st)
            return st;
    }
    return out.flush();
}

Status parseEnvelope(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    auto decoded = decodeLokiResponse(document, ctx.origin);
    if (!decoded)
        return decoded.error();
    LokiResponse& response = *decoded;
    for (auto& r : response.rejections)
        if (auto st = rejectOrFail(ctx, sink, std::move(r.location), std::move(r.message), std::move(r.snippet)); !st)
            return st;
    BatchEmitter out(ctx, sink);
    for (const auto& stream : response.streams) {
        const ResourcePtr resource = lokiResource(stream.labels);
        for (const auto& entry : stream.entries)
            if (auto st = out.add(lokiLogRecord(entry, stream.labels, resource)); !st)
                return st;
    }
    for (const auto& series : response.series)
        if (auto st = out.add(lokiSeriesData(series, "loki_query")); !st)
            return st;
    return out.flush();
}

Status parseLoki(std::string_view document, const ParseContext& ctx, RecordSink& sink)
{
    const std::string_view body = trim(document);
    const std::string_view first = trim(body.substr(0, body.find('\n')));
    // JSON lines when the first line is itself a whole logcli record; otherwise one API response.
    const bool jsonLines = first.size() >= 2 && first.front() == '{' && first.back() == '}'
        && first.find("\"line\":") != std::string_view::npos && first.find("\"resultType\"") == std::string_view::npos
        && first.find("\"status\"") == std::string_view::npos;
    return jsonLines ? parseJsonLines(body, ctx, sink) : parseEnvelope(body, ctx, sink);
}

} // namespace

Format lokiApiFormat()
{
    Format f;
    f.name = "loki-api";
    f.description = "Grafana Loki HTTP API response (query_range streams/matrix) or logcli --output=jsonl";
    f.sniff = &sniffLoki;
    f.parse = &parseLoki;
    f.lineOriented = false;
    // A big response (a long query_range, a whole incident's exemplars) is imported one series or
    // stream at a time, so memory stays bounded whatever the file size.
    f.splitPaths = {"data.result"};
    return f;
}

} // namespace rootline
