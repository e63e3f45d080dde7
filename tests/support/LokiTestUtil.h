#pragma once

// What the Loki connector tests share: the lines a fetch gave as comparable keys (and, from
// ConnectorTestUtil.h, the fake's complaints and a fetch into a cache file).

#include "ConnectorTestUtil.h"
#include "core/Records.h"

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace rootline::test {

using LokiLineKey = std::tuple<std::string, int64_t, std::string>; // app label, ns, line

inline std::multiset<LokiLineKey> lokiLineKeys(const std::vector<LogRecord>& logs)
{
    std::multiset<LokiLineKey> out;
    for (const auto& r : logs)
        out.insert({r.resource ? *r.resource->raw.text("app") : std::string(), r.time.nanos(), r.body});
    return out;
}

} // namespace rootline::test
