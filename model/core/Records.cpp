#include "Records.h"

#include <algorithm>
#include <cctype>

namespace rootline {

int severityFromText(std::string_view text)
{
    std::string t;
    for (char c : text)
        t.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    if (t.empty())
        return 0;
    if (t.size() == 1 && t[0] >= '0' && t[0] <= '7') {
        // syslog: 0 emerg … 7 debug
        static constexpr int syslog[] = {21, 21, 21, 17, 13, 10, 9, 5};
        return syslog[t[0] - '0'];
    }
    if (t == "trace" || t == "t" || t == "finest" || t == "verbose" || t == "v") return 1;
    if (t == "debug" || t == "d" || t == "dbug" || t == "fine" || t == "finer") return 5;
    if (t == "info" || t == "i" || t == "information" || t == "informational" || t == "notice") return 9;
    if (t == "warn" || t == "w" || t == "warning") return 13;
    if (t == "error" || t == "e" || t == "err" || t == "eror" || t == "severe") return 17;
    if (t == "fatal" || t == "f" || t == "crit" || t == "critical" || t == "alert" || t == "emerg" || t == "emergency"
        || t == "panic")
        return 21;
    return 0;
}

const char* severityName(int n)
{
    if (n <= 0) return "";
    if (n <= 4) return "TRACE";
    if (n <= 8) return "DEBUG";
    if (n <= 12) return "INFO";
    if (n <= 16) return "WARN";
    if (n <= 20) return "ERROR";
    return "FATAL";
}

const char* spanKindName(SpanKind kind)
{
    switch (kind) {
    case SpanKind::Internal: return "internal";
    case SpanKind::Server: return "server";
    case SpanKind::Client: return "client";
    case SpanKind::Producer: return "producer";
    case SpanKind::Consumer: return "consumer";
    case SpanKind::Unspecified: break;
    }
    return "unspecified";
}

const char* alertStateName(AlertState state)
{
    switch (state) {
    case AlertState::Inactive: return "inactive";
    case AlertState::Pending: return "pending";
    case AlertState::Firing: return "firing";
    case AlertState::Resolved: return "resolved";
    }
    return "unknown";
}

std::string Series::key() const
{
    std::string k = name;
    k.push_back('{');
    bool first = true;
    for (const auto& [key, value] : labels) {
        if (!first)
            k.push_back(',');
        first = false;
        k += key;
        k.push_back('=');
        appendJsonString(k, value);
    }
    k.push_back('}');
    if (!stream.empty()) {
        k += "@{";
        k += stream;
        k.push_back('}');
    }
    return k;
}

const std::string* Series::label(std::string_view key) const
{
    for (const auto& [k, v] : labels)
        if (k == key)
            return &v;
    return nullptr;
}

void Series::setLabel(std::string key, std::string value)
{
    auto it = std::lower_bound(labels.begin(), labels.end(), key, [](const auto& l, const std::string& k) { return l.first < k; });
    if (it != labels.end() && it->first == key)
        it->second = std::move(value);
    else
        labels.insert(it, {std::move(key), std::move(value)});
}

} // namespace rootline
