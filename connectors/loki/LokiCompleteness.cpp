#include "LokiCompleteness.h"

#include "LokiCountQuery.h"
#include "LokiEntryKey.h"

namespace rootline {

namespace {

constexpr int64_t kMilli = 1'000'000;

std::string identity(Timestamp time, const std::string& entryKey)
{
    std::string id = std::to_string(time.nanos());
    id += '\x1c';
    id += entryKey;
    return id;
}

std::string windowText(TimeWindow w)
{
    return "[" + w.from.toRfc3339() + ", " + w.to.toRfc3339() + ")";
}

} // namespace

void LokiCompleteness::record(const std::string& streamKey, const LokiEntry& entry)
{
    ++m_copies[identity(entry.time, lokiEntryKey(streamKey, entry))];
    ++m_perNs[entry.time.nanos()];
}

void LokiCompleteness::reset()
{
    m_copies.clear();
    m_perNs.clear();
}

int64_t LokiCompleteness::storedIn(TimeWindow window) const
{
    int64_t n = 0;
    for (auto it = m_perNs.lower_bound(window.from.nanos()); it != m_perNs.end() && it->first < window.to.nanos(); ++it)
        n += it->second;
    return n;
}

std::string LokiCompleteness::describe(const Mismatch& m)
{
    return "Loki returned " + std::to_string(m.received) + " lines but counts " + std::to_string(m.counted) + " in "
        + windowText(m.window);
}

Result<bool> LokiCompleteness::refetch(TimeWindow window, Server& server, Verdict& verdict)
{
    // Copies of each identity this re-fetch returned: a line is missing when the re-fetch returns
    // more copies of it than the window holds (true duplicates stay duplicates, nothing doubles).
    std::unordered_map<std::string, int64_t> returned;
    auto line = [&](const LokiStream& stream, const LokiEntry& entry) {
        if (verdict.limited || entry.time < window.from || entry.time >= window.to)
            return;
        const std::string streamKey = lokiStreamKey(stream.labels);
        const std::string id = identity(entry.time, lokiEntryKey(streamKey, entry));
        const auto held = m_copies.find(id);
        if (++returned[id] <= (held == m_copies.end() ? 0 : held->second))
            return;
        if (!server.store(stream, entry)) {
            verdict.limited = true;
            return;
        }
        record(streamKey, entry);
        ++verdict.added;
    };
    return server.fetch(window, line);
}

Result<LokiCompleteness::Verdict> LokiCompleteness::verify(TimeWindow window, Server& server, int64_t onePage,
                                                          const std::atomic_bool* cancelled)
{
    Verdict verdict;
    // LogQL ranges are whole milliseconds (LokiCountQuery.h). The planner cuts windows of whole
    // milliseconds, so only a fetch whose own window has a fractional length gets here with one
    // (an incremental fetch of what the cache lacks since the last "now", say). First count the
    // window widened at its start to whole milliseconds: the window's lines are among those
    // counted, so the same number means none is missing (and none lies in the widening). Otherwise
    // the sub-millisecond remainder at the start cannot be counted, and the report says so.
    if (const int64_t fraction = window.length().count() % kMilli; fraction != 0) {
        const TimeWindow widened{window.from - Duration::nanos(kMilli - fraction), window.to};
        auto count = server.count(widened);
        if (!count)
            return count.error();
        if (*count == storedIn(window))
            return verdict;
        const TimeWindow sliver{window.from, window.from + Duration::nanos(fraction)};
        verdict.unverified = windowText(sliver) + " was not checked against Loki's count (LogQL ranges are whole milliseconds)";
        window.from = sliver.to;
    }
    if (!lokiCountable(window))
        return verdict;

    struct Item {
        TimeWindow window;
        int depth = 0;
    };
    std::vector<Item> work{{window, 0}}; // depth is data, not stack
    int64_t counted = -1;
    bool unresolved = false;
    while (!work.empty()) {
        if (cancelled && cancelled->load()) {
            verdict.cancelled = true;
            return verdict;
        }
        const Item item = work.back();
        work.pop_back();
        auto count = server.count(item.window);
        if (!count && counted < 0)
            return count.error(); // not even the window could be counted
        if (!count) {
            verdict.failure = count.error().what;
            break;
        }
        if (item.depth == 0)
            counted = *count;
        if (storedIn(item.window) == *count)
            continue;
        const int64_t ms = item.window.length().count() / kMilli;
        const bool splittable = ms >= 2 && item.depth < kMaxDepth && verdict.splits < kMaxSplits;
        // A window that fits in a page that is not full is re-fetched (the fault needs a full page);
        // a bigger one is narrowed down first, by counting its halves.
        if (*count < onePage || !splittable) {
            auto done = refetch(item.window, server, verdict);
            if (!done) {
                verdict.failure = done.error().what;
                break;
            }
            if (verdict.limited)
                break;
            if (storedIn(item.window) == *count)
                continue;
        }
        if (!splittable) {
            unresolved = true;
            continue;
        }
        ++verdict.splits;
        const Timestamp middle = item.window.from + Duration::millis(ms / 2);
        work.push_back({{middle, item.window.to}, item.depth + 1});
        work.push_back({{item.window.from, middle}, item.depth + 1});
    }
    const int64_t received = storedIn(window);
    if (unresolved || received != counted)
        verdict.mismatches.push_back({window, received, counted});
    return verdict;
}

} // namespace rootline
