#include "FakeLokiServer.h"

#include "FakeTimeText.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <map>
#include <optional>
#include <regex>

namespace rootline::test {

namespace {

// Go's json encoder: HTML-safe (<, >, & as \u003c …) plus the usual escapes.
void appendJson(std::string& out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '<': out += "\\u003c"; break;
        case '>': out += "\\u003e"; break;
        case '&': out += "\\u0026"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 15]);
            } else {
                out.push_back(char(c));
            }
        }
    }
    out.push_back('"');
}

void appendLabels(std::string& out, const FakeLabels& labels)
{
    out.push_back('{');
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i)
            out.push_back(',');
        appendJson(out, labels[i].first);
        out.push_back(':');
        appendJson(out, labels[i].second);
    }
    out.push_back('}');
}

// How Loki words each fault: plain-text errors, streams for the large and endless answers.
const FaultBodies& lokiFaultBodies()
{
    static const FaultBodies bodies{
        [](int status) {
            return status == 429 ? FakeResponse::text("too many outstanding requests\n", 429)
                                 : FakeResponse::text("rpc error: code = Internal desc = failed to query ingester 10.0.0.7:9095\n", status);
        },
        {},
        [](size_t bytes) {
            return R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"job":"huge"},"values":[["1700000000000000000",")"
                + std::string(bytes, 'x') + R"("]]}]}})";
        },
        R"({"status":"success","data":{"resultType":"streams","result":[)",
        R"({"stream":{"job":"endless"},"values":[["1700000000000000000","again and again"]]},)"};
    return bodies;
}

const char* kStats = R"({"summary":{"bytesProcessedPerSecond":0,"linesProcessedPerSecond":0,"totalBytesProcessed":0,)"
                     R"("totalLinesProcessed":0,"execTime":0.001,"queueTime":0,"subqueries":0,"totalEntriesReturned":0,)"
                     R"("splits":0,"shards":0,"totalPostFilterLines":0,"totalStructuredMetadataBytesProcessed":0},)"
                     R"("querier":{"store":{"totalChunksRef":0,"totalChunksDownloaded":0}},"ingester":{"totalReached":1},)"
                     R"("cache":{"chunk":{"entriesFound":0}},"index":{"totalChunks":0}})";

// model.Time.String(): seconds with up to 3 decimals, trailing zeros dropped.
std::string secondsText(int64_t ns)
{
    const int64_t ms = ns / 1'000'000;
    std::string out = std::to_string(ms / 1000);
    int frac = int(ms % 1000);
    if (frac) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ".%03d", frac);
        std::string f = buf;
        while (f.back() == '0')
            f.pop_back();
        out += f;
    }
    return out;
}

std::optional<int64_t> parseDurationNs(std::string text)
{
    // Go duration ("1m", "15s", "500ms", "1h30m") or float seconds.
    if (text.empty())
        return std::nullopt;
    if (text.find_first_not_of("0123456789.") == std::string::npos)
        return int64_t(std::llround(std::stod(text) * 1e9));
    static const std::regex part(R"((\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d))");
    int64_t total = 0;
    size_t consumed = 0;
    for (std::sregex_iterator it(text.begin(), text.end(), part), end; it != end; ++it) {
        if (size_t(it->position()) != consumed)
            return std::nullopt;
        consumed += size_t(it->length());
        const double v = std::stod((*it)[1].str());
        const std::string unit = (*it)[2].str();
        const double mul = unit == "ns" ? 1 : unit == "us" || unit == "µs" ? 1e3 : unit == "ms" ? 1e6 : unit == "s" ? 1e9
            : unit == "m" ? 60e9 : unit == "h" ? 3600e9 : 86400e9;
        total += int64_t(std::llround(v * mul));
    }
    return consumed == text.size() ? std::optional<int64_t>(total) : std::nullopt;
}

struct Matcher {
    std::string name, op, value;
    bool matches(const FakeLabels& labels) const
    {
        std::string actual;
        for (const auto& [k, v] : labels)
            if (k == name)
                actual = v;
        if (op == "=")
            return actual == value;
        if (op == "!=")
            return actual != value;
        const bool m = std::regex_match(actual, std::regex(value));
        return op == "=~" ? m : !m;
    }
};

struct LogQuery {
    std::vector<Matcher> matchers;
    std::vector<std::string> contains; // |= "text"
    bool matchesLine(const std::string& line) const
    {
        for (const auto& c : contains)
            if (line.find(c) == std::string::npos)
                return false;
        return true;
    }
};

// `{a="b", c=~"d.*"} |= "x"` — enough LogQL for the tests. Returns an error text like Loki's.
std::optional<std::string> parseLogQuery(std::string_view q, LogQuery& out)
{
    auto skip = [&] {
        while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front())))
            q.remove_prefix(1);
    };
    auto quoted = [&](std::string& value) -> bool {
        skip();
        if (q.empty() || q.front() != '"')
            return false;
        q.remove_prefix(1);
        value.clear();
        while (!q.empty() && q.front() != '"') {
            if (q.front() == '\\' && q.size() > 1) {
                q.remove_prefix(1);
            }
            value.push_back(q.front());
            q.remove_prefix(1);
        }
        if (q.empty())
            return false;
        q.remove_prefix(1);
        return true;
    };
    skip();
    if (q.empty() || q.front() != '{')
        return std::string("parse error at line 1, col 1: syntax error: unexpected IDENTIFIER");
    q.remove_prefix(1);
    while (true) {
        skip();
        if (!q.empty() && q.front() == '}') {
            q.remove_prefix(1);
            break;
        }
        Matcher m;
        while (!q.empty() && (std::isalnum(static_cast<unsigned char>(q.front())) || q.front() == '_')) {
            m.name.push_back(q.front());
            q.remove_prefix(1);
        }
        skip();
        for (const char* op : {"=~", "!~", "!=", "="}) {
            if (q.substr(0, std::string_view(op).size()) == op) {
                m.op = op;
                q.remove_prefix(std::string_view(op).size());
                break;
            }
        }
        if (m.name.empty() || m.op.empty() || !quoted(m.value))
            return std::string("parse error at line 1, col 2: syntax error: unexpected IDENTIFIER, expecting = or =~ or != or !~");
        out.matchers.push_back(m);
        skip();
        if (!q.empty() && q.front() == ',')
            q.remove_prefix(1);
    }
    if (out.matchers.empty())
        return std::string("parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value");
    while (true) {
        skip();
        if (q.empty())
            break;
        if (q.substr(0, 2) != "|=")
            return std::string("parse error at line 1: syntax error: unexpected ") + std::string(q.substr(0, 1));
        q.remove_prefix(2);
        std::string text;
        if (!quoted(text))
            return std::string("parse error: expected a string after |=");
        out.contains.push_back(text);
    }
    return std::nullopt;
}

struct MetricQuery {
    LogQuery logs;
    int64_t rangeNs = 0;
    bool summed = false; // sum(count_over_time(…)): one series without labels
    std::vector<std::string> by; // sum by (a, b) (count_over_time(…)): one series per value of a, b
};

// count_over_time(<log query>[<range>]), or sum(…) of it
std::optional<std::string> parseMetricQuery(std::string_view q, MetricQuery& out)
{
    const std::string_view sumBy = "sum by (";
    if (q.substr(0, sumBy.size()) == sumBy && !q.empty() && q.back() == ')') {
        const size_t close = q.find(')');
        std::string_view labels = q.substr(sumBy.size(), close - sumBy.size());
        while (!labels.empty()) {
            const size_t comma = labels.find(',');
            std::string_view name = labels.substr(0, comma);
            while (!name.empty() && name.front() == ' ')
                name.remove_prefix(1);
            while (!name.empty() && name.back() == ' ')
                name.remove_suffix(1);
            if (!name.empty())
                out.by.emplace_back(name);
            if (comma == std::string_view::npos)
                break;
            labels = labels.substr(comma + 1);
        }
        q = q.substr(close + 1);
        while (!q.empty() && q.front() == ' ')
            q.remove_prefix(1);
        if (q.empty() || q.front() != '(' || q.back() != ')')
            return std::string("parse error: expected (…) after sum by");
        out.summed = true;
        q = q.substr(1, q.size() - 2);
    } else if (const std::string_view sum = "sum("; q.substr(0, sum.size()) == sum && !q.empty() && q.back() == ')') {
        out.summed = true;
        q = q.substr(sum.size(), q.size() - sum.size() - 1);
    }
    const std::string_view fn = "count_over_time(";
    if (q.substr(0, fn.size()) != fn || q.back() != ')')
        return std::string("parse error at line 1, col 1: syntax error: unexpected IDENTIFIER");
    std::string_view inner = q.substr(fn.size(), q.size() - fn.size() - 1);
    const size_t open = inner.rfind('[');
    if (open == std::string_view::npos || inner.back() != ']')
        return std::string("parse error: missing range");
    auto range = parseDurationNs(std::string(inner.substr(open + 1, inner.size() - open - 2)));
    if (!range)
        return std::string("parse error: bad range");
    out.rangeNs = *range;
    return parseLogQuery(inner.substr(0, open), out.logs);
}

std::vector<std::pair<FakeLabels, std::vector<int64_t>>> countSeries(const std::vector<FakeLokiStream>& streams,
                                                                     const MetricQuery& mq, const std::vector<int64_t>& at)
{
    // The truth, whatever page fault is set: Loki's range vectors cover (t − range, t], the lower
    // bound exclusive (grafana/loki pkg/logql/range_vector.go), one series per stream, or one
    // unlabelled series under sum() (left out when nothing matched, as Loki does).
    std::vector<std::pair<FakeLabels, std::vector<int64_t>>> out;
    std::vector<int64_t> total(at.size(), 0);
    bool any = false;
    if (!mq.by.empty()) {
        // sum by (labels): one series per distinct value of the labels, missing labels as "".
        std::vector<std::pair<FakeLabels, std::vector<int64_t>>> groups;
        for (const auto& s : streams) {
            if (!std::all_of(mq.logs.matchers.begin(), mq.logs.matchers.end(), [&](const Matcher& m) { return m.matches(s.labels); }))
                continue;
            FakeLabels key;
            for (const auto& name : mq.by)
                for (const auto& [k, v] : s.labels)
                    if (k == name)
                        key.emplace_back(k, v);
            std::sort(key.begin(), key.end());
            auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == key; });
            if (g == groups.end()) {
                groups.emplace_back(key, std::vector<int64_t>(at.size(), 0));
                g = groups.end() - 1;
            }
            for (size_t i = 0; i < at.size(); ++i)
                for (const auto& e : s.entries)
                    if (e.ns > at[i] - mq.rangeNs && e.ns <= at[i] && mq.logs.matchesLine(e.line))
                        ++g->second[i];
        }
        return groups;
    }
    for (const auto& s : streams) {
        if (!std::all_of(mq.logs.matchers.begin(), mq.logs.matchers.end(), [&](const Matcher& m) { return m.matches(s.labels); }))
            continue;
        std::vector<int64_t> counts(at.size(), 0);
        for (size_t i = 0; i < at.size(); ++i)
            for (const auto& e : s.entries)
                if (e.ns > at[i] - mq.rangeNs && e.ns <= at[i] && mq.logs.matchesLine(e.line))
                    ++counts[i];
        for (size_t i = 0; i < at.size(); ++i) {
            total[i] += counts[i];
            any = any || counts[i] > 0;
        }
        if (!mq.summed)
            out.emplace_back(s.labels, std::move(counts));
    }
    if (mq.summed && any)
        out.emplace_back(FakeLabels{}, std::move(total));
    return out;
}

} // namespace

bool parseLokiTimeParam(const std::string& text, int64_t& ns)
{
    if (allDigits(text)) {
        // grafana/loki pkg/loghttp/params.go: an integer up to 1e10 is seconds, beyond that nanoseconds.
        const long double v = std::stold(text);
        ns = v <= 1e10L ? int64_t(v) * 1'000'000'000 : int64_t(std::stoll(text));
        return true;
    }
    if (text.find('.') != std::string::npos && text.find_first_not_of("0123456789.") == std::string::npos) {
        const double seconds = std::stod(text);
        ns = int64_t(std::llround(seconds * 1000.0)) * 1'000'000; // rounded to ms
        return true;
    }
    // RFC 3339 "2026-11-23T14:46:00(.fff)Z"
    const auto t = parseRfc3339Utc(text);
    if (!t)
        return false;
    ns = t->ns;
    return true;
}

FakeLokiServer::FakeLokiServer() : m_http([this](const FakeRequest& r) { return handle(r); }) {}

FakeLokiServer::~FakeLokiServer()
{
    m_http.stop();
}

bool FakeLokiServer::start()
{
    return m_http.start();
}

void FakeLokiServer::addStream(FakeLokiStream stream)
{
    std::lock_guard lock(m_mutex);
    m_streams.push_back(std::move(stream));
}

void FakeLokiServer::setTenant(std::string tenant)
{
    std::lock_guard lock(m_mutex);
    m_tenant = std::move(tenant);
}

void FakeLokiServer::setMaxEntriesLimit(int64_t limit)
{
    std::lock_guard lock(m_mutex);
    m_maxEntries = limit;
}

void FakeLokiServer::setBuildInfoAvailable(bool available)
{
    std::lock_guard lock(m_mutex);
    m_buildInfo = available;
}

void FakeLokiServer::setShuffleTies(bool shuffle)
{
    std::lock_guard lock(m_mutex);
    m_shuffleTies = shuffle;
}

void FakeLokiServer::setPageFault(LokiPageFault fault)
{
    std::lock_guard lock(m_mutex);
    m_pageFault = fault;
}

int FakeLokiServer::pageFaultsCommitted() const
{
    std::lock_guard lock(m_mutex);
    return m_pageFaults;
}

void FakeLokiServer::setUnreturnable(int64_t ns)
{
    std::lock_guard lock(m_mutex);
    m_unreturnable = ns;
}

std::vector<std::pair<int64_t, int64_t>> FakeLokiServer::countWindows() const
{
    std::lock_guard lock(m_mutex);
    return m_countWindows;
}

std::vector<FakeRequest> FakeLokiServer::queryRequests() const
{
    auto out = m_http.requests();
    std::erase_if(out, [](const FakeRequest& r) { return r.path != "/loki/api/v1/query_range" && r.path != "/loki/api/v1/query"; });
    return out;
}

FakeResponse FakeLokiServer::handle(const FakeRequest& request)
{
    std::string tenant;
    bool buildInfo;
    {
        std::lock_guard lock(m_mutex);
        tenant = m_tenant;
        buildInfo = m_buildInfo;
    }
    if (request.method != "GET" && request.method != "POST")
        return FakeResponse::text("405 method not allowed\n", 405);
    if (request.path == "/ready")
        return FakeResponse::text("ready\n", 200);
    if (request.path == "/loki/api/v1/status/buildinfo") {
        if (!buildInfo)
            return FakeResponse::text("404 page not found\n", 404);
        return FakeResponse::json(R"({"version":"3.1.0","revision":"935aee77ed","branch":"HEAD","buildUser":"root@fake",)"
                                  R"("buildDate":"2024-07-01T00:00:00Z","goVersion":"go1.22.2"})");
    }
    if (!tenant.empty()) {
        const std::string* h = request.header("x-scope-orgid");
        if (!h) {
            problem("no X-Scope-OrgID on " + request.target);
            return FakeResponse::text("no org id\n", 401);
        }
        if (*h != tenant) {
            problem("X-Scope-OrgID is \"" + *h + "\", expected \"" + tenant + "\"");
            // Another tenant simply has no data.
            if (request.path == "/loki/api/v1/query_range")
                return FakeResponse::json(R"({"status":"success","data":{"resultType":"streams","result":[],"stats":)"
                                          + std::string(kStats) + "}}");
        }
    }
    const bool categorize = [&] {
        const std::string* flags = request.header("x-loki-response-encoding-flags");
        return flags && flags->find("categorize-labels") != std::string::npos;
    }();

    if (request.path == "/loki/api/v1/query_range" || request.path == "/loki/api/v1/query") {
        const FaultInjector::Shot shot = m_faults.take();
        if (!categorize)
            problem("no X-Loki-Response-Encoding-Flags: categorize-labels on " + request.target);
        FakeResponse normal = request.path == "/loki/api/v1/query" ? instantQuery(request) : queryRange(request, categorize);
        return FaultInjector::apply(shot, std::move(normal), lokiFaultBodies());
    }
    if (request.path == "/loki/api/v1/labels" || request.path.rfind("/loki/api/v1/label/", 0) == 0) {
        std::vector<std::string> values;
        std::string name;
        if (request.path != "/loki/api/v1/labels") {
            name = request.path.substr(std::string("/loki/api/v1/label/").size());
            if (name.size() < 7 || name.substr(name.size() - 7) != "/values")
                return FakeResponse::text("404 page not found\n", 404);
            name.resize(name.size() - 7);
        }
        for (const char* p : {"start", "end"})
            if (auto v = request.param(p); v && !(allDigits(*v) && v->size() == 19))
                problem(std::string(p) + "=" + *v + " is not a 19-digit nanosecond integer");
        std::lock_guard lock(m_mutex);
        for (const auto& s : m_streams)
            for (const auto& [k, v] : s.labels) {
                const std::string& item = name.empty() ? k : v;
                if ((name.empty() || k == name) && std::find(values.begin(), values.end(), item) == values.end())
                    values.push_back(item);
            }
        std::sort(values.begin(), values.end());
        if (values.empty())
            return FakeResponse::json(R"({"status":"success"})"); // Loki leaves "data" out when empty
        std::string body = R"({"status":"success","data":[)";
        for (size_t i = 0; i < values.size(); ++i) {
            if (i)
                body += ',';
            appendJson(body, values[i]);
        }
        return FakeResponse::json(body + "]}");
    }
    return FakeResponse::text("404 page not found\n", 404);
}

FakeResponse FakeLokiServer::queryRange(const FakeRequest& request, bool categorize)
{
    const std::string query = request.param("query").value_or("");
    int64_t start = 0, end = 0;
    for (const char* p : {"start", "end"}) {
        const auto v = request.param(p);
        if (!v) {
            problem(std::string("no ") + p + " on " + request.target);
            continue;
        }
        if (!(allDigits(*v) && v->size() == 19))
            problem(std::string(p) + "=" + *v + " is not a 19-digit nanosecond integer");
        int64_t& target = std::string(p) == "start" ? start : end;
        if (!parseLokiTimeParam(*v, target))
            return FakeResponse::text("invalid parameter \"" + std::string(p) + "\": cannot parse \"" + *v + "\"\n", 400);
    }
    if (end < start)
        return FakeResponse::text("end timestamp must not be before start time\n", 400);
    std::string direction = request.param("direction").value_or("backward");
    std::transform(direction.begin(), direction.end(), direction.begin(), [](char c) { return char(std::tolower(c)); });
    if (direction != "forward" && direction != "backward")
        return FakeResponse::text("invalid direction \"" + direction + "\"\n", 400);
    const bool backward = direction == "backward";

    if (query.rfind("count_over_time(", 0) == 0 || query.rfind("sum(count_over_time(", 0) == 0 || query.rfind("sum by (", 0) == 0) {
        MetricQuery mq;
        if (auto err = parseMetricQuery(query, mq))
            return FakeResponse::text(*err + "\n", 400);
        const auto stepText = request.param("step");
        if (!stepText) {
            problem("no step on a metric query_range");
        }
        const auto step = parseDurationNs(stepText.value_or("1"));
        if (!step || *step <= 0)
            return FakeResponse::text("zero or negative query resolution step widths are not accepted. Try a positive integer\n", 400);
        if ((end - start) / *step + 1 > 11000)
            return FakeResponse::text("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter\n", 400);
        std::vector<int64_t> steps;
        for (int64_t t = start; t <= end; t += *step)
            steps.push_back(t);
        std::lock_guard lock(m_mutex);
        std::string body = R"({"status":"success","data":{"resultType":"matrix","result":[)";
        bool firstSeries = true;
        for (const auto& [labels, counts] : countSeries(m_streams, mq, steps)) {
            std::string values;
            for (size_t i = 0; i < steps.size(); ++i) {
                if (counts[i] == 0)
                    continue; // Loki leaves out steps with no samples
                values += (values.empty() ? "" : ",") + std::string("[") + secondsText(steps[i]) + ",\"" + std::to_string(counts[i]) + "\"]";
            }
            if (values.empty())
                continue;
            body += firstSeries ? "" : ",";
            firstSeries = false;
            body += R"({"metric":)";
            appendLabels(body, labels);
            body += R"(,"values":[)" + values + "]}";
        }
        return FakeResponse::json(body + R"(],"stats":)" + kStats + "}}");
    }

    LogQuery lq;
    if (auto err = parseLogQuery(query, lq))
        return FakeResponse::text(*err + "\n", 400);
    const auto limitText = request.param("limit");
    if (!limitText)
        problem("no limit on a log query_range (Loki's default is 100)");
    const int64_t limit = limitText && allDigits(*limitText) ? std::stoll(*limitText) : 100;
    std::lock_guard lock(m_mutex);
    if (limit > m_maxEntries)
        return FakeResponse::text("max entries limit per query exceeded, limit > max_entries_limit_per_query (" + std::to_string(limit)
                                      + " > " + std::to_string(m_maxEntries) + ")\n",
                                  400);

    // What Loki would return: the stream a line belongs to is its label set, plus its structured
    // metadata when the client did not ask for it apart.
    struct Hit {
        int64_t ns;
        FakeLabels labels;
        size_t streamIndex, entryIndex;
        const FakeLokiEntry* entry;
    };
    std::vector<Hit> hits;
    for (size_t si = 0; si < m_streams.size(); ++si) {
        const auto& s = m_streams[si];
        if (!std::all_of(lq.matchers.begin(), lq.matchers.end(), [&](const Matcher& m) { return m.matches(s.labels); }))
            continue;
        for (size_t ei = 0; ei < s.entries.size(); ++ei) {
            const auto& e = s.entries[ei];
            if (e.ns < start || e.ns >= end || !lq.matchesLine(e.line) || e.ns == m_unreturnable)
                continue;
            FakeLabels labels = s.labels;
            if (!categorize) {
                labels.insert(labels.end(), e.structuredMetadata.begin(), e.structuredMetadata.end());
                std::sort(labels.begin(), labels.end());
            }
            hits.push_back({e.ns, std::move(labels), si, ei, &e});
        }
    }
    // Merge order: time in the direction; among equal times stream then insertion order, or an order
    // that changes with every request when shuffling.
    const uint64_t seed = uint64_t(m_faults.count()) * 0x9E3779B97F4A7C15ULL;
    auto tieRank = [&](const Hit& h) {
        uint64_t x = (uint64_t(h.streamIndex) << 32 | uint64_t(h.entryIndex)) ^ seed;
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        return m_shuffleTies ? x : (uint64_t(h.streamIndex) << 32 | uint64_t(h.entryIndex));
    };
    std::sort(hits.begin(), hits.end(), [&](const Hit& a, const Hit& b) {
        if (a.ns != b.ns)
            return backward ? a.ns > b.ns : a.ns < b.ns;
        return tieRank(a) < tieRank(b);
    });
    if (int64_t(hits.size()) > limit) {
        const size_t middle = size_t(limit / 2);
        if (m_pageFault == LokiPageFault::SwapOnFullPage && limit >= 2 && hits[middle].ns != hits[size_t(limit)].ns) {
            // grafana/loki#10658: the full page leaves out an entry newer than its oldest and takes
            // the next older one instead (backward; mirrored forward). Seen on Loki 2.7: of 12,460
            // lines the first backward page of 5000 missed the one at 1770718319.857236992.
            hits.erase(hits.begin() + std::ptrdiff_t(middle));
            ++m_pageFaults;
        }
        hits.resize(size_t(limit));
    }

    std::vector<std::pair<FakeLabels, std::vector<const Hit*>>> streams;
    for (const auto& h : hits) {
        auto it = std::find_if(streams.begin(), streams.end(), [&](const auto& s) { return s.first == h.labels; });
        if (it == streams.end()) {
            streams.push_back({h.labels, {}});
            it = streams.end() - 1;
        }
        it->second.push_back(&h);
    }
    std::string body = R"({"status":"success","data":{"resultType":"streams",)";
    if (categorize)
        body += R"("encodingFlags":["categorize-labels"],)";
    body += R"("result":[)";
    for (size_t i = 0; i < streams.size(); ++i) {
        if (i)
            body += ',';
        body += R"({"stream":)";
        appendLabels(body, streams[i].first);
        body += R"(,"values":[)";
        for (size_t j = 0; j < streams[i].second.size(); ++j) {
            const Hit& h = *streams[i].second[j];
            if (j)
                body += ',';
            body += "[\"" + std::to_string(h.ns) + "\",";
            appendJson(body, h.entry->line);
            if (categorize) {
                body += ",{";
                if (!h.entry->structuredMetadata.empty()) {
                    body += R"("structuredMetadata":)";
                    appendLabels(body, h.entry->structuredMetadata);
                }
                body += "}";
            }
            body += "]";
        }
        body += "]}";
    }
    return FakeResponse::json(body + R"(],"stats":)" + kStats + "}}");
}


FakeResponse FakeLokiServer::instantQuery(const FakeRequest& request)
{
    const std::string query = request.param("query").value_or("");
    const auto timeText = request.param("time");
    int64_t at = 0;
    if (!timeText || !parseLokiTimeParam(*timeText, at))
        return FakeResponse::text("invalid parameter \"time\"\n", 400);
    if (!(allDigits(*timeText) && timeText->size() == 19))
        problem("time=" + *timeText + " is not a 19-digit nanosecond integer");
    if (query.rfind("{", 0) == 0)
        return FakeResponse::text("log queries are not supported as an instant query type, please change your query to a range query type\n", 400);
    MetricQuery mq;
    if (auto err = parseMetricQuery(query, mq))
        return FakeResponse::text(*err + "\n", 400);
    std::string body = R"({"status":"success","data":{"resultType":"vector","result":[)";
    bool first = true;
    std::lock_guard lock(m_mutex);
    m_countWindows.emplace_back(at - mq.rangeNs + 1, at + 1);
    for (const auto& [labels, counts] : countSeries(m_streams, mq, {at})) {
        if (!counts[0])
            continue;
        body += first ? "" : ",";
        first = false;
        body += R"({"metric":)";
        appendLabels(body, labels);
        body += R"(,"value":[)" + secondsText(at) + ",\"" + std::to_string(counts[0]) + "\"]}";
    }
    return FakeResponse::json(body + R"(],"stats":)" + kStats + "}}");
}

} // namespace rootline::test
