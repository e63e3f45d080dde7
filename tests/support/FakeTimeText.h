#pragma once

// Time text as the fake backends read it from query parameters (FakeLokiServer, FakeJaegerServer):
// Go's RFC 3339 in UTC ("2026-11-23T14:46:00.123Z", what a careful client sends), and digit runs.
// Header-only.

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>

namespace rootline::test {

inline bool allDigits(const std::string& s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Rfc3339Prefix {
    int64_t ns = 0;
    size_t end = 0; // just past the 'Z'
};

// "YYYY-MM-DDThh:mm:ss(.fraction)Z" at the start of `text`, fraction to 9 digits (more are read
// and dropped, as Go does). What follows the 'Z' is the caller's to judge.
inline std::optional<Rfc3339Prefix> parseRfc3339Utc(const std::string& text)
{
    std::tm tm{};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                    &tm.tm_sec, &consumed) != 6)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t frac = 0;
    size_t i = size_t(consumed);
    if (i < text.size() && text[i] == '.') {
        int digits = 0;
        for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits)
            if (digits < 9)
                frac = frac * 10 + (text[i] - '0');
        for (; digits < 9; ++digits)
            frac *= 10;
    }
    if (i >= text.size() || text[i] != 'Z')
        return std::nullopt;
    return Rfc3339Prefix{int64_t(timegm(&tm)) * 1'000'000'000 + frac, i + 1};
}

} // namespace rootline::test
