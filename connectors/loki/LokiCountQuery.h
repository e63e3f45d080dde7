#pragma once

// How many lines Loki holds for a log query in a window, asked as a LogQL metric query: cheap and
// computed by the server, so it can check what a paginated fetch received (LokiCompleteness).
//
// Why an instant query, and which one. Rootline's windows are half-open [from, to) in nanoseconds.
// A LogQL range vector `[R]` evaluated at T covers (T − R, T]: the lower bound is exclusive and the
// upper one inclusive (grafana/loki pkg/logql/range_vector.go "the lower bound of the range is not
// inclusive"; pkg/logql/evaluator.go adds "a leap nanosecond to endTs to include lines exactly at
// endTs"). So `sum(count_over_time(<query>[to − from]))` at T = to − 1 ns covers
// (from − 1 ns, to − 1 ns] = [from, to) exactly, and `time` sent as 19 digits is read as nanoseconds.
// A query_range with step = window length was not chosen: the query frontend aligns start and end to
// the step and splits and caches by interval, and its points come back as milliseconds, so which
// point covers which nanoseconds would be guesswork. The one catch: the range inside `[…]` is parsed
// with Prometheus' model.ParseDuration, whose finest unit is the millisecond, so only a window whose
// length is a whole number of milliseconds can be counted exactly (lokiCountable). The window planner
// cuts windows of whole milliseconds for that reason.

#include "core/Result.h"
#include "core/Time.h"
#include "import/LokiApi.h"

#include <cstdint>
#include <string>

namespace rootline {

// True when `window` can be counted exactly: a length of one or more whole milliseconds.
bool lokiCountable(TimeWindow window);
// "sum(count_over_time(<logQuery>\n[1h2m3s4ms]))"; the newline ends a trailing `# comment` in the query.
std::string lokiCountQuery(const std::string& logQuery, TimeWindow window);
// The instant query's evaluation time for `window`: to − 1 ns.
Timestamp lokiCountTime(TimeWindow window);
// The count from the instant query's answer (a vector; empty when there are no lines).
Result<int64_t> lokiCountFromResponse(const LokiResponse& response, const std::string& where);

} // namespace rootline
