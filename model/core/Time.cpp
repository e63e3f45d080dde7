#include "Time.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace rootline {
namespace {

__extension__ typedef __int128 Int128; // exact intermediate arithmetic on int64 nanoseconds

constexpr int64_t kNanosPerSecond = 1'000'000'000;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no time zone database.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

void civilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = int64_t(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

int daysInMonth(int year, int month)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

Error timeError(std::string_view text, std::string_view unit, std::string_view why)
{
    return Error{"time", "cannot read \"" + std::string(text.substr(0, 64)) + "\" as " + std::string(unit) + ": " + std::string(why), {}};
}

// Parses a decimal number with optional fraction and exponent exactly, scaled by 10^unitShift,
// into integer nanoseconds (rounded half away from zero below a nanosecond).
Result<Timestamp> parseScaledDecimal(std::string_view text, int unitShift, std::string_view unit)
{
    // Fast path for what the wire carries per point ("1795343319", "1795343319.5",
    // "1795300000000000000"): ≤ 19 digits, no sign or exponent, no digits below a nanosecond. Exact,
    // no allocation; anything else (or overflow) takes the general path below.
    if (!text.empty() && text.size() <= 20 && unitShift >= 0 && unitShift <= 18) {
        uint64_t v = 0;
        int digits = 0, fracDigits = 0;
        bool dot = false, fast = true;
        for (char c : text) {
            if (isDigit(c)) {
                v = v * 10 + uint64_t(c - '0');
                ++digits;
                fracDigits += dot;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                fast = false;
                break;
            }
        }
        if (fast && digits > 0 && digits <= 19 && fracDigits <= unitShift) {
            int64_t scale = 1;
            for (int k = fracDigits; k < unitShift; ++k)
                scale *= 10;
            int64_t scaled = 0;
            if (v <= uint64_t(std::numeric_limits<int64_t>::max()) && !__builtin_mul_overflow(int64_t(v), scale, &scaled))
                return Timestamp::fromNanos(scaled);
        }
    }
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-'))
        negative = text[i++] == '-';
    std::string digits;
    int exp10 = 0;
    bool sawDigit = false;
    for (; i < text.size() && isDigit(text[i]); ++i) {
        sawDigit = true;
        if (!(digits.empty() && text[i] == '0'))
            digits.push_back(text[i]);
    }
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && isDigit(text[i]); ++i) {
            sawDigit = true;
            if (!(digits.empty() && text[i] == '0'))
                digits.push_back(text[i]);
            --exp10;
        }
    }
    if (!sawDigit)
        return timeError(text, unit, "no digits");
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool expNegative = false;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            expNegative = text[i++] == '-';
        if (i == text.size() || !isDigit(text[i]))
            return timeError(text, unit, "exponent without digits");
        int e = 0;
        for (; i < text.size() && isDigit(text[i]); ++i) {
            e = e * 10 + (text[i] - '0');
            if (e > 400)
                return timeError(text, unit, "exponent out of range");
        }
        exp10 += expNegative ? -e : e;
    }
    if (i != text.size())
        return timeError(text, unit, "unexpected character '" + std::string(1, text[i]) + "'");
    exp10 += unitShift;

    // Drop digits below a nanosecond, remembering the first dropped one for rounding.
    bool roundUp = false;
    if (exp10 < 0) {
        const size_t drop = size_t(-exp10);
        if (drop > digits.size()) {
            digits.clear(); // the first dropped digit is an implicit leading zero: no rounding

        } else {
            roundUp = drop > 0 && digits[digits.size() - drop] >= '5';
            digits.resize(digits.size() - drop);
        }
        exp10 = 0;
    }
    Int128 value = 0;
    const Int128 limit = Int128(std::numeric_limits<int64_t>::max());
    for (char c : digits) {
        value = value * 10 + (c - '0');
        if (value > limit)
            return timeError(text, unit, "out of range");
    }
    for (int k = 0; k < exp10; ++k) {
        value *= 10;
        if (value > limit)
            return timeError(text, unit, "out of range");
    }
    if (roundUp && ++value > limit)
        return timeError(text, unit, "out of range"); // rounding up crossed the last nanosecond
    return Timestamp::fromNanos(int64_t(negative ? -value : value));
}

Result<int> fixedDigits(std::string_view text, size_t pos, size_t count, std::string_view whole)
{
    if (pos + count > text.size())
        return timeError(whole, "RFC 3339 time", "too short");
    int v = 0;
    for (size_t k = 0; k < count; ++k) {
        if (!isDigit(text[pos + k]))
            return timeError(whole, "RFC 3339 time", "expected a digit at position " + std::to_string(pos + k));
        v = v * 10 + (text[pos + k] - '0');
    }
    return v;
}

} // namespace

std::string Duration::toString() const
{
    const int64_t ns = m_ns < 0 ? -m_ns : m_ns;
    const char* sign = m_ns < 0 ? "-" : "";
    char buf[64];
    if (ns < 1'000)
        std::snprintf(buf, sizeof buf, "%s%lldns", sign, (long long)ns);
    else if (ns < 1'000'000)
        std::snprintf(buf, sizeof buf, "%s%.4gµs", sign, double(ns) / 1e3);
    else if (ns < kNanosPerSecond)
        std::snprintf(buf, sizeof buf, "%s%.4gms", sign, double(ns) / 1e6);
    else if (ns < 60 * kNanosPerSecond)
        std::snprintf(buf, sizeof buf, "%s%.4gs", sign, double(ns) / 1e9);
    else if (ns < 3600 * kNanosPerSecond)
        std::snprintf(buf, sizeof buf, "%s%.4gm", sign, double(ns) / 60e9);
    else
        std::snprintf(buf, sizeof buf, "%s%.4gh", sign, double(ns) / 3600e9);
    return buf;
}

Result<Duration> parseDuration(std::string_view text)
{
    auto fail = [&](std::string_view why) {
        return Error{"duration", "cannot read \"" + std::string(text) + "\": " + std::string(why), "use a form like 90s, 1m30s, 250ms"};
    };
    if (text.empty())
        return fail("empty");
    bool allNumeric = true;
    for (char c : text)
        allNumeric = allNumeric && (isDigit(c) || c == '.');
    if (allNumeric) {
        auto t = parseScaledDecimal(text, 9, "seconds");
        if (!t)
            return fail(t.error().what);
        return Duration::nanos(t->nanos());
    }
    size_t i = 0;
    bool negative = false;
    if (text[0] == '-' || text[0] == '+')
        negative = text[i++] == '-';
    if (i == text.size())
        return fail("expected a number"); // a lone sign is not zero
    int64_t total = 0;
    while (i < text.size()) {
        const size_t start = i;
        while (i < text.size() && (isDigit(text[i]) || text[i] == '.'))
            ++i;
        if (start == i)
            return fail("expected a number");
        const std::string_view number = text.substr(start, i - start);
        const size_t unitStart = i;
        while (i < text.size() && !isDigit(text[i]) && text[i] != '.')
            ++i;
        const std::string_view unit = text.substr(unitStart, i - unitStart);
        int shift;
        int64_t multiplier = 1;
        if (unit == "ns") shift = 0;
        else if (unit == "us" || unit == "µs" || unit == "μs") shift = 3;
        else if (unit == "ms") shift = 6;
        else if (unit == "s") shift = 9;
        else if (unit == "m") { shift = 9; multiplier = 60; }
        else if (unit == "h") { shift = 9; multiplier = 3600; }
        else if (unit == "d") { shift = 9; multiplier = 86400; }
        else return fail(unit.empty() ? "missing unit" : "unknown unit \"" + std::string(unit) + "\"");
        auto part = parseScaledDecimal(number, shift, "duration");
        if (!part)
            return fail(part.error().what);
        // Checked: "2562048h" is past the int64 nanosecond range and must not wrap around.
        int64_t scaled = 0;
        if (__builtin_mul_overflow(part->nanos(), multiplier, &scaled) || __builtin_add_overflow(total, scaled, &total))
            return fail("out of range (more than 292 years)");
    }
    return Duration::nanos(negative ? -total : total);
}

Timestamp Timestamp::fromSecondsDouble(double seconds)
{
    // llround of a NaN or of a value past int64 is undefined; clamp instead (NaN has no time: 0).
    const double ns = seconds * 1e9;
    if (std::isnan(ns))
        return Timestamp();
    if (ns >= 9.2233720368547758e18)
        return max();
    if (ns <= -9.2233720368547758e18)
        return min();
    return Timestamp(int64_t(std::llround(ns)));
}

std::string Timestamp::toRfc3339() const
{
    const int64_t secs = seconds();
    // m_ns - secs * 1e9 would overflow at Timestamp::min(); the floored remainder is the same value.
    const int64_t frac = m_ns % kNanosPerSecond + (m_ns % kNanosPerSecond < 0 ? kNanosPerSecond : 0);
    const int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    const int64_t sod = secs - days * 86400;
    int64_t y;
    unsigned mo, d;
    civilFromDays(days, y, mo, d);
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, mo, d,
                          int(sod / 3600), int(sod / 60 % 60), int(sod % 60));
    if (frac != 0) {
        if (frac % 1'000'000 == 0)
            n += std::snprintf(buf + n, sizeof buf - size_t(n), ".%03lld", (long long)(frac / 1'000'000));
        else if (frac % 1'000 == 0)
            n += std::snprintf(buf + n, sizeof buf - size_t(n), ".%06lld", (long long)(frac / 1'000));
        else
            n += std::snprintf(buf + n, sizeof buf - size_t(n), ".%09lld", (long long)frac);
    }
    std::snprintf(buf + n, sizeof buf - size_t(n), "Z");
    return buf;
}

Result<Timestamp> parseNanosText(std::string_view text)
{
    for (char c : text)
        if (!isDigit(c) && c != '-')
            return timeError(text, "integer nanoseconds", "not an integer");
    return parseScaledDecimal(text, 0, "integer nanoseconds");
}

Result<Timestamp> parseSecondsText(std::string_view text) { return parseScaledDecimal(text, 9, "seconds"); }

Result<Timestamp> parseMillisText(std::string_view text) { return parseScaledDecimal(text, 6, "milliseconds"); }

Result<Timestamp> parseMicrosText(std::string_view text) { return parseScaledDecimal(text, 3, "microseconds"); }

Result<Timestamp> parseRfc3339(std::string_view text)
{
    const std::string_view unit = "RFC 3339 time";
    auto year = fixedDigits(text, 0, 4, text);
    if (!year)
        return year.error();
    if (text.size() < 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't' && text[10] != ' ')
        || text[13] != ':' || text[16] != ':')
        return timeError(text, unit, "expected YYYY-MM-DDThh:mm:ss");
    auto month = fixedDigits(text, 5, 2, text);
    auto day = fixedDigits(text, 8, 2, text);
    auto hour = fixedDigits(text, 11, 2, text);
    auto minute = fixedDigits(text, 14, 2, text);
    auto second = fixedDigits(text, 17, 2, text);
    for (const auto* r : {&month, &day, &hour, &minute, &second})
        if (!*r)
            return r->error();
    // Each field is checked on its own so the error says which one; days against the month's
    // length (2023-02-29 is not a date, 2024-02-29 is). Second 60 is a leap second (RFC 3339 §5.7)
    // and folds into the next minute, as Unix time has no place for it.
    if (*month < 1 || *month > 12)
        return timeError(text, unit, "month " + std::to_string(*month) + " out of range");
    if (*day < 1 || *day > daysInMonth(*year, *month))
        return timeError(text, unit, "day " + std::to_string(*day) + " out of range for " + std::string(text.substr(0, 7)));
    if (*hour > 23)
        return timeError(text, unit, "hour " + std::to_string(*hour) + " out of range");
    if (*minute > 59)
        return timeError(text, unit, "minute " + std::to_string(*minute) + " out of range");
    if (*second > 60)
        return timeError(text, unit, "second " + std::to_string(*second) + " out of range");
    size_t i = 19;
    int64_t fracNs = 0;
    if (i < text.size() && (text[i] == '.' || text[i] == ',')) {
        ++i;
        int64_t scale = 100'000'000;
        const size_t start = i;
        bool roundUp = false;
        for (; i < text.size() && isDigit(text[i]); ++i) {
            if (i - start == 9)
                roundUp = text[i] >= '5'; // below a nanosecond: round half up, as parseSecondsText does
            fracNs += (text[i] - '0') * scale;
            scale /= 10;
        }
        if (i == start)
            return timeError(text, unit, "empty fraction");
        fracNs += roundUp;
    }
    int64_t offsetSeconds = 0;
    if (i < text.size()) {
        const char z = text[i];
        if ((z == 'Z' || z == 'z') && i + 1 == text.size()) {
            ++i;
        } else if (z == '+' || z == '-') {
            auto oh = fixedDigits(text, i + 1, 2, text);
            if (!oh)
                return oh.error();
            size_t j = i + 3;
            if (j < text.size() && text[j] == ':')
                ++j;
            auto om = fixedDigits(text, j, 2, text);
            if (!om)
                return om.error();
            if (j + 2 != text.size())
                return timeError(text, unit, "trailing characters after the zone");
            if (*oh > 23 || *om > 59)
                return timeError(text, unit, "zone offset out of range");
            offsetSeconds = (int64_t(*oh) * 3600 + int64_t(*om) * 60) * (z == '-' ? -1 : 1);
            i = text.size();
        } else {
            return timeError(text, unit, "unexpected character '" + std::string(1, z) + "'");
        }
    }
    const int64_t days = daysFromCivil(*year, unsigned(*month), unsigned(*day));
    const int64_t secs = days * 86400 + int64_t(*hour) * 3600 + int64_t(*minute) * 60 + *second - offsetSeconds;
    // Nanoseconds in int64 reach from 1677-09-21 to 2262-04-11; outside that the product would wrap.
    const Int128 ns = Int128(secs) * kNanosPerSecond + fracNs;
    if (ns > Int128(std::numeric_limits<int64_t>::max()) || ns < Int128(std::numeric_limits<int64_t>::min()))
        return timeError(text, unit, "out of range (representable: 1677-09-21 to 2262-04-11)");
    return Timestamp::fromNanos(int64_t(ns));
}

Result<Timestamp> parseUserTime(std::string_view text, Timestamp now)
{
    if (text.substr(0, 3) == "now") {
        std::string_view rest = text.substr(3);
        if (rest.empty())
            return now;
        if (rest[0] != '-' && rest[0] != '+')
            return timeError(text, "a time", "expected now-15m or now+1h");
        auto d = parseDuration(rest.substr(1));
        if (!d)
            return d.error();
        return rest[0] == '-' ? now - *d : now + *d;
    }
    if (text.size() >= 10 && text[4] == '-')
        return parseRfc3339(text);
    auto t = parseSecondsText(text);
    if (!t)
        return Error{"time", "cannot read \"" + std::string(text) + "\" as a time", "use RFC 3339 (2026-11-23T14:46:00Z), Unix seconds, or now-15m"};
    return t;
}

} // namespace rootline
