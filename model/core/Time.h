#pragma once

// Time inside Rootline is int64 nanoseconds since the Unix epoch, UTC. Every backend's unit
// (Jaeger µs, Prometheus float seconds, Loki ns strings, CloudWatch ms and scientific-notation
// seconds, X-Ray float seconds) is converted at the edge with the functions below, which parse
// decimal text exactly instead of going through a double, so nanosecond precision survives.

#include "Result.h"

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace rootline {

class Duration {
public:
    constexpr Duration() = default;
    static constexpr Duration nanos(int64_t n) { return Duration(n); }
    static constexpr Duration micros(int64_t n) { return Duration(n * 1'000); }
    static constexpr Duration millis(int64_t n) { return Duration(n * 1'000'000); }
    static constexpr Duration seconds(int64_t n) { return Duration(n * 1'000'000'000); }
    static constexpr Duration minutes(int64_t n) { return seconds(n * 60); }
    static constexpr Duration hours(int64_t n) { return seconds(n * 3600); }

    constexpr int64_t count() const { return m_ns; }
    constexpr double toSeconds() const { return double(m_ns) / 1e9; }
    constexpr double toMillis() const { return double(m_ns) / 1e6; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration o) const { return Duration(m_ns + o.m_ns); }
    constexpr Duration operator-(Duration o) const { return Duration(m_ns - o.m_ns); }
    constexpr Duration operator*(int64_t k) const { return Duration(m_ns * k); }
    constexpr Duration operator/(int64_t k) const { return Duration(m_ns / k); }

    // "250ms", "1.5s", "3m", "2h" — for display.
    std::string toString() const;

private:
    constexpr explicit Duration(int64_t ns) : m_ns(ns) {}
    int64_t m_ns = 0;
};

// Parses a Go-style duration ("1m30s", "1.2s", "100ms", "5us", "250µs") or plain seconds ("15").
Result<Duration> parseDuration(std::string_view text);

class Timestamp {
public:
    constexpr Timestamp() = default;
    static constexpr Timestamp fromNanos(int64_t ns) { return Timestamp(ns); }
    static constexpr Timestamp fromMicros(int64_t us) { return Timestamp(us * 1'000); }
    static constexpr Timestamp fromMillis(int64_t ms) { return Timestamp(ms * 1'000'000); }
    static constexpr Timestamp fromSeconds(int64_t s) { return Timestamp(s * 1'000'000'000); }
    // Rounds to the nearest nanosecond; prefer parseSeconds() on the original text when there is one.
    static Timestamp fromSecondsDouble(double seconds);
    static constexpr Timestamp min() { return Timestamp(std::numeric_limits<int64_t>::min()); }
    static constexpr Timestamp max() { return Timestamp(std::numeric_limits<int64_t>::max()); }

    constexpr int64_t nanos() const { return m_ns; }
    constexpr int64_t micros() const { return floorDiv(m_ns, 1'000); }
    constexpr int64_t millis() const { return floorDiv(m_ns, 1'000'000); }
    constexpr int64_t seconds() const { return floorDiv(m_ns, 1'000'000'000); }
    constexpr double toSecondsDouble() const { return double(m_ns) / 1e9; }

    constexpr auto operator<=>(const Timestamp&) const = default;
    // Saturating: min() and max() stand for "unbounded" (TimeWindow::all()), and widening or
    // measuring such a window must stay there rather than overflow (undefined behaviour).
    constexpr Timestamp operator+(Duration d) const { return Timestamp(saturate(m_ns, d.count(), false)); }
    constexpr Timestamp operator-(Duration d) const { return Timestamp(saturate(m_ns, d.count(), true)); }
    constexpr Duration operator-(Timestamp o) const { return Duration::nanos(saturate(m_ns, o.m_ns, true)); }

    // RFC 3339 in UTC with as many fractional digits as needed (0, 3, 6 or 9): "2026-11-23T14:46:00Z",
    // "2026-11-23T14:46:00.123456789Z".
    std::string toRfc3339() const;

private:
    static constexpr int64_t floorDiv(int64_t a, int64_t b) { return a / b - ((a % b) != 0 && ((a < 0) != (b < 0))); }
    static constexpr int64_t saturate(int64_t a, int64_t b, bool subtract)
    {
        int64_t r = 0;
        if (subtract ? __builtin_sub_overflow(a, b, &r) : __builtin_add_overflow(a, b, &r))
            return (subtract ? b < 0 : b > 0) ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
        return r;
    }
    constexpr explicit Timestamp(int64_t ns) : m_ns(ns) {}
    int64_t m_ns = 0;
};

// Exact parsers for every unit met on the wire. Each names the unit in the error it returns.
Result<Timestamp> parseNanosText(std::string_view text);   // "1569266497240578000" (Loki, OTLP)
Result<Timestamp> parseSecondsText(std::string_view text); // "1795343321.500", "1.67119356E9", "-0.001"
Result<Timestamp> parseMillisText(std::string_view text);  // "1700000000123" (CloudWatch Logs)
Result<Timestamp> parseMicrosText(std::string_view text);  // "1700000000123456" (Jaeger)
// RFC 3339 / ISO 8601 with 'T' or ' ', optional fraction (any digits) and zone (Z, ±hh:mm, ±hhmm, none = UTC):
// "2026-11-23T14:46:00Z", "2024-09-29T22:10:00+00:00", "2022-07-18 12:34:31.195".
Result<Timestamp> parseRfc3339(std::string_view text);
// What a person types on a command line: RFC 3339, Unix seconds, or "now", "now-15m", "now+1h"
// relative to `now` (Clock::current().now() in the application).
Result<Timestamp> parseUserTime(std::string_view text, Timestamp now);

// A half-open interval [from, to).
struct TimeWindow {
    Timestamp from;
    Timestamp to;

    constexpr bool isValid() const { return from < to; }
    constexpr Duration length() const { return to - from; }
    constexpr bool contains(Timestamp t) const { return from <= t && t < to; }
    constexpr bool overlaps(const TimeWindow& o) const { return from < o.to && o.from < to; }
    constexpr TimeWindow widened(Duration margin) const { return {from - margin, to + margin}; }
    constexpr bool operator==(const TimeWindow&) const = default;
    static constexpr TimeWindow all() { return {Timestamp::min(), Timestamp::max()}; }
};

} // namespace rootline
