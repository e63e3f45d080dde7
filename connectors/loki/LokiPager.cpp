#include "LokiPager.h"

#include "LokiEntryKey.h"

#include <algorithm>

namespace rootline {

LokiPager::LokiPager(TimeWindow window, bool backward) : m_window(window), m_backward(backward) {}

void LokiPager::narrowTo(Timestamp farEnd)
{
    if (farEnd <= m_window.from || farEnd >= m_window.to)
        return;
    if (m_backward)
        m_window.from = farEnd;
    else
        m_window.to = farEnd;
}

int64_t LokiPager::overlap() const
{
    int64_t n = 0;
    for (const auto& [key, count] : m_seenAtBoundary)
        n += count;
    return n;
}

LokiPager::Page LokiPager::accept(const LokiResponse& response, int64_t requestedLimit)
{
    Page page;
    struct Item {
        Timestamp time;
        size_t stream, entry;
    };
    std::vector<Item> items;
    items.reserve(response.entryCount());
    std::vector<std::string> streamKeys;
    streamKeys.reserve(response.streams.size());
    for (size_t s = 0; s < response.streams.size(); ++s) {
        streamKeys.push_back(lokiStreamKey(response.streams[s].labels));
        for (size_t e = 0; e < response.streams[s].entries.size(); ++e)
            items.push_back({response.streams[s].entries[e].time, s, e});
    }
    // Loki orders each stream by the direction; merge the streams the same way (stable: equal
    // timestamps keep the server's order).
    std::stable_sort(items.begin(), items.end(), [this](const Item& a, const Item& b) {
        return m_backward ? a.time > b.time : a.time < b.time;
    });

    page.exhausted = int64_t(items.size()) < requestedLimit;
    if (items.empty()) {
        m_window = {m_window.to, m_window.to}; // nothing more: an invalid (empty) window
        page.exhausted = true;
        return page;
    }

    std::map<std::string, int64_t> alreadySeen = m_seenAtBoundary; // decremented as this page repeats them
    for (const Item& item : items) {
        const LokiEntry& entry = response.streams[item.stream].entries[item.entry];
        // A server should not return entries beyond the cursor; if it does they were seen already.
        if (m_haveBoundary && (m_backward ? item.time > m_boundary : item.time < m_boundary))
            continue;
        if (m_haveBoundary && item.time == m_boundary) {
            const std::string key = lokiEntryKey(streamKeys[item.stream], entry);
            auto it = alreadySeen.find(key);
            if (it != alreadySeen.end() && it->second > 0) {
                --it->second;
                continue;
            }
            ++m_seenAtBoundary[key];
        }
        page.fresh.emplace_back(item.stream, item.entry);
    }

    const Timestamp last = items.back().time;
    if (!m_haveBoundary || last != m_boundary) {
        // A new boundary: remember every entry of this page at that timestamp (all of them were returned).
        m_seenAtBoundary.clear();
        for (auto it = items.rbegin(); it != items.rend() && it->time == last; ++it)
            ++m_seenAtBoundary[lokiEntryKey(streamKeys[it->stream], response.streams[it->stream].entries[it->entry])];
        m_boundary = last;
        m_haveBoundary = true;
    }
    if (m_backward)
        m_window.to = last + Duration::nanos(1);
    else
        m_window.from = last;
    page.stuck = !page.exhausted && page.fresh.empty();
    if (page.exhausted)
        m_window = {m_window.to, m_window.to};
    return page;
}

} // namespace rootline
