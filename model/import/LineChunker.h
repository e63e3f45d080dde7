#pragma once

// Decides where the importer cuts a line-oriented file into the runs of whole lines it hands to a
// format's parser (about ImportOptions::lineChunkBytes each). For formats that join continuation
// lines to the record before them (Format::startsRecord: stack traces under a timestamped line),
// a run ends only before a line that starts a record, so where a chunk boundary falls never
// decides whether a continuation line is joined or rejected.

#include <cstddef>
#include <string_view>

namespace rootline {

class LineChunker {
public:
    // `startsRecord` may be null (every line is a record). A record longer than `maxRecordBytes`
    // (a run of continuation lines that never ends) is cut at a line boundary after all, so memory
    // stays bounded; its later lines then reach the parser without their first line.
    LineChunker(size_t chunkBytes, size_t maxRecordBytes,
                bool (*startsRecord)(std::string_view line));

    static constexpr size_t npos = std::string_view::npos;

    // The length of the next run at the start of `data` (the unconsumed input), or npos when more
    // input is needed to decide. `atEnd`: no more input follows `data`, so it is all handed over.
    size_t chunkEnd(std::string_view data, bool atEnd);
    // The caller handed over the run chunkEnd() returned; `data` now starts after it.
    void consumed();

private:
    bool lineStartsRecord(std::string_view data, size_t start, size_t end) const;

    size_t m_chunkBytes;
    size_t m_maxRecordBytes;
    bool (*m_startsRecord)(std::string_view);
    // Search memory for the current run, so waiting for more input does not rescan what was seen.
    bool m_backwardDone = false;
    size_t m_searchedTo = 0;
};

} // namespace rootline
