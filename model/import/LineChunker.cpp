#include "LineChunker.h"

#include <algorithm>

namespace rootline {

LineChunker::LineChunker(size_t chunkBytes, size_t maxRecordBytes,
                         bool (*startsRecord)(std::string_view))
    : m_chunkBytes(std::max<size_t>(chunkBytes, 1))
    , m_maxRecordBytes(std::max(maxRecordBytes, m_chunkBytes))
    , m_startsRecord(startsRecord) {}

void LineChunker::consumed() {
    m_backwardDone = false;
    m_searchedTo = 0;
}

bool LineChunker::lineStartsRecord(std::string_view data, size_t start, size_t end) const {
    std::string_view line = data.substr(start, end - start);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    return m_startsRecord(line);
}

size_t LineChunker::chunkEnd(std::string_view data, bool atEnd) {
    if (data.empty())
        return npos;
    if (data.size() <= m_chunkBytes)
        return atEnd ? data.size() : npos;

    // The last line boundary within the chunk size, or after the first line when that is longer.
    size_t cut;
    if (const size_t nl = data.rfind('\n', m_chunkBytes - 1); nl != std::string_view::npos) {
        cut = nl + 1;
    } else {
        const size_t longLine = data.find('\n', m_chunkBytes);
        if (longLine == std::string_view::npos)
            return atEnd ? data.size() : npos;
        cut = longLine + 1;
    }
    if (!m_startsRecord)
        return cut;

    // Walk back from the cut to the nearest complete line that starts a record (usually the
    // line right at the cut). The line at 0 starts this run itself and is not a candidate.
    if (!m_backwardDone) {
        for (size_t at = cut; at > 0;) {
            if (at < data.size()) {
                const size_t end = data.find('\n', at);
                if (end != std::string_view::npos || atEnd)
                    if (lineStartsRecord(data, at,
                                         end == std::string_view::npos ? data.size() : end))
                        return at;
            }
            const size_t previous = at >= 2 ? data.rfind('\n', at - 2) : std::string_view::npos;
            at = previous == std::string_view::npos ? 0 : previous + 1;
        }
        m_backwardDone = true;
    }

    // None before the cut: the run holds one long record (a huge stack trace). Look forward.
    size_t at = std::max(cut, m_searchedTo);
    for (;;) {
        if (at > m_maxRecordBytes)
            return cut; // bounded memory wins over joining a record this long
        if (at >= data.size()) {
            if (atEnd)
                return data.size();
            break;
        }
        const size_t end = data.find('\n', at);
        if (end == std::string_view::npos) {
            if (atEnd)
                return lineStartsRecord(data, at, data.size()) ? at : data.size();
            break;
        }
        if (lineStartsRecord(data, at, end))
            return at;
        at = end + 1;
    }
    m_searchedTo = at;
    return npos;
}

} // namespace rootline
