#include "LokiCountQuery.h"

#include <cmath>

namespace rootline {

namespace {

constexpr int64_t kMilli = 1'000'000;

// A Go/Prometheus duration in whole milliseconds: "1h2m3s4ms", "15m", "250ms".
std::string durationText(int64_t ms)
{
    std::string out;
    const int64_t h = ms / 3'600'000, m = ms / 60'000 % 60, s = ms / 1000 % 60, rest = ms % 1000;
    if (h)
        out += std::to_string(h) + "h";
    if (m)
        out += std::to_string(m) + "m";
    if (s)
        out += std::to_string(s) + "s";
    if (rest || out.empty())
        out += std::to_string(rest) + "ms";
    return out;
}

} // namespace

bool lokiCountable(TimeWindow window)
{
    const int64_t length = window.length().count();
    return window.isValid() && length >= kMilli && length % kMilli == 0;
}

std::string lokiCountQuery(const std::string& logQuery, TimeWindow window)
{
    return "sum(count_over_time(" + logQuery + "\n[" + durationText(window.length().count() / kMilli) + "]))";
}

Timestamp lokiCountTime(TimeWindow window)
{
    return window.to - Duration::nanos(1);
}

Result<int64_t> lokiCountFromResponse(const LokiResponse& response, const std::string& where)
{
    if (!response.streams.empty())
        return Error{where, "the count query returned log lines, not a number", {}};
    double total = 0;
    for (const auto& s : response.series)
        for (const auto& sample : s.samples) {
            if (!std::isfinite(sample.value) || sample.value < 0)
                return Error{where, "the count query returned " + std::to_string(sample.value), {}};
            total += sample.value;
        }
    return int64_t(std::llround(total));
}

} // namespace rootline
