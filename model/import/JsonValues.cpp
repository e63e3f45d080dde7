#include "JsonValues.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace rootline::json {

namespace {

[[noreturn]] void bad(const char* field, const char* expected)
{
    throw BadRecord{std::string("\"") + field + "\": expected " + expected};
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if ((a[i] | 0x20) != (b[i] | 0x20))
            return false;
    return true;
}

} // namespace

simdjson::padded_string_view PaddedBuffer::load(std::string_view text)
{
    const size_t need = text.size() + simdjson::SIMDJSON_PADDING;
    if (need > m_capacity) {
        m_capacity = std::max(need, m_capacity * 2);
        m_data.reset(new char[m_capacity]);
    }
    if (!text.empty())
        std::memcpy(m_data.get(), text.data(), text.size());
    std::memset(m_data.get() + text.size(), ' ', simdjson::SIMDJSON_PADDING);
    return simdjson::padded_string_view(m_data.get(), text.size(), m_capacity);
}

struct ParserLease::Scratch {
    od::parser parser;
    PaddedBuffer buffer;
    bool busy = false;
};

namespace {
thread_local std::unique_ptr<ParserLease::Scratch> t_scratch;
constexpr size_t kKeepScratchBytes = size_t(64) << 20;
} // namespace

ParserLease::ParserLease()
{
    if (!t_scratch)
        t_scratch = std::make_unique<Scratch>();
    if (t_scratch->busy) {
        m_own = std::make_unique<Scratch>();
        m_scratch = m_own.get();
    } else {
        m_scratch = t_scratch.get();
    }
    m_scratch->busy = true;
}

ParserLease::~ParserLease()
{
    m_scratch->busy = false;
    if (!m_own && (m_scratch->parser.capacity() > kKeepScratchBytes || m_scratch->buffer.capacity() > kKeepScratchBytes))
        t_scratch.reset(); // one huge document must not pin its buffers for the thread's life
}

od::parser& ParserLease::parser() { return m_scratch->parser; }
PaddedBuffer& ParserLease::buffer() { return m_scratch->buffer; }

std::string_view trimmed(std::string_view raw)
{
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t'))
        raw.remove_suffix(1);
    return raw;
}

std::string snippetAt(const char* from, const char* end, size_t max)
{
    if (!from || from >= end)
        return {};
    return std::string(from, std::min(size_t(end - from), max));
}

std::string_view getString(od::value v, const char* field)
{
    if (v.type() != od::json_type::string)
        bad(field, "a string");
    return v.get_string();
}

bool getBool(od::value v, const char* field)
{
    switch (v.type()) {
    case od::json_type::boolean:
        return v.get_bool();
    case od::json_type::string: {
        const std::string_view s = v.get_string();
        if (s == "true")
            return true;
        if (s == "false")
            return false;
        break;
    }
    default:
        break;
    }
    bad(field, "a boolean");
}

int64_t getInt64(od::value v, const char* field)
{
    switch (v.type()) {
    case od::json_type::number: {
        int64_t i = 0;
        if (v.get_int64().get(i) == simdjson::SUCCESS)
            return i;
        double d = 0;
        if (v.get_double().get(d) == simdjson::SUCCESS && std::floor(d) == d && std::fabs(d) < 9.2e18)
            return int64_t(d);
        break;
    }
    case od::json_type::string: {
        const std::string_view s = v.get_string();
        int64_t i = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty())
            return i;
        break;
    }
    default:
        break;
    }
    bad(field, "a 64-bit integer (number or decimal string)");
}

uint64_t getUint64(od::value v, const char* field)
{
    switch (v.type()) {
    case od::json_type::number: {
        uint64_t u = 0;
        if (v.get_uint64().get(u) == simdjson::SUCCESS)
            return u;
        double d = 0;
        if (v.get_double().get(d) == simdjson::SUCCESS && std::floor(d) == d && d >= 0 && d < 1.8e19)
            return uint64_t(d);
        break;
    }
    case od::json_type::string: {
        const std::string_view s = v.get_string();
        uint64_t u = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), u);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty())
            return u;
        break;
    }
    default:
        break;
    }
    bad(field, "an unsigned 64-bit integer (number or decimal string)");
}

double getDouble(od::value v, const char* field)
{
    switch (v.type()) {
    case od::json_type::number:
        return v.get_double();
    case od::json_type::string: {
        std::string_view s = v.get_string();
        const bool negative = !s.empty() && s[0] == '-';
        const std::string_view body = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
        if (equalsNoCase(body, "nan"))
            return std::nan("");
        if (equalsNoCase(body, "inf") || equalsNoCase(body, "infinity"))
            return negative ? -INFINITY : INFINITY;
        double d = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty())
            return d;
        break;
    }
    default:
        break;
    }
    bad(field, "a number");
}

Timestamp getNanos(od::value v, const char* field)
{
    switch (v.type()) {
    case od::json_type::string: {
        const std::string_view s = v.get_string();
        if (s.empty())
            return Timestamp();
        auto t = parseNanosText(s);
        if (!t)
            throw BadRecord{std::string("\"") + field + "\": " + t.error().what};
        return *t;
    }
    case od::json_type::number: {
        int64_t i = 0;
        if (v.get_int64().get(i) == simdjson::SUCCESS)
            return Timestamp::fromNanos(i);
        double d = 0;
        if (v.get_double().get(d) == simdjson::SUCCESS && std::fabs(d) < 9.2e18)
            return Timestamp::fromNanos(int64_t(std::llround(d)));
        break;
    }
    default:
        break;
    }
    bad(field, "nanoseconds since the epoch (decimal string or number)");
}

Timestamp getMicros(od::value v, const char* field)
{
    switch (v.type()) {
    case od::json_type::number: {
        int64_t i = 0;
        if (v.get_int64().get(i) == simdjson::SUCCESS && std::llabs(i) < 9'000'000'000'000'000LL)
            return Timestamp::fromMicros(i);
        break;
    }
    case od::json_type::string: {
        auto t = parseMicrosText(v.get_string());
        if (t)
            return *t;
        throw BadRecord{std::string("\"") + field + "\": " + t.error().what};
    }
    default:
        break;
    }
    bad(field, "microseconds since the epoch");
}

void appendDouble(std::string& out, double d)
{
    if (!std::isfinite(d)) {
        out += std::isnan(d) ? "\"NaN\"" : (d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return;
    }
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    if (ec == std::errc())
        out.append(buf, end);
    else
        out += "0";
}

} // namespace rootline::json
