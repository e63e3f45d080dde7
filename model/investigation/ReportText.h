#pragma once

// Small text forms shared by the investigation's steps and its report, so that both say a time or
// a share the same way.

#include "core/Time.h"

#include <cstdio>
#include <string>

namespace rootline {

// "14:48:00": the time of day in UTC (the caller states the zone).
inline std::string timeOfDay(Timestamp t)
{
    const std::string s = t.toRfc3339();
    return s.size() >= 19 ? s.substr(11, 8) : s;
}

// 0.0312 → "3.1%" (digits after the point).
inline std::string percentText(double fraction, int digits = 1)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f%%", digits, fraction * 100);
    return buf;
}

} // namespace rootline
