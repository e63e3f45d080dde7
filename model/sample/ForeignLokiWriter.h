#pragma once

// Writes log records as Loki's `/loki/api/v1/query_range` streams response to a request with
// `direction=forward` and `X-Loki-Response-Encoding-Flags: categorize-labels` (wire-formats.md
// §1.2): {"status":"success","data":{"resultType":"streams","encodingFlags":["categorize-labels"],
// "result":[{"stream":{labels},"values":[["<ns>","<line>",{"structuredMetadata":{…}}],…]},…],
// "stats":{…}}}. Stream labels are what a Kubernetes log collector (Grafana Alloy / Promtail)
// attaches to a pod's container output; the level Loki detected and the record's attributes
// (dots made underscores, as Loki requires of label names) are structured metadata.
//
// Loki returns each stream's entries in time order, while the generator produces lines in the
// order requests finish. Entries wait in a per-stream reorder window until the newest time seen
// has moved `kReorderWindow` past them, then go in order to the stream's spooled text
// (ForeignSpool), so memory holds only that window. An entry older than one already written
// would be out of order; lateEntries() counts them (the sample's lines are never that late).

#include "ForeignFile.h"
#include "ForeignSpool.h"
#include "core/Records.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace rootline::sample {

class ForeignLokiWriter {
public:
    static constexpr Duration kReorderWindow = Duration::minutes(2);

    explicit ForeignLokiWriter(const std::string& spoolDirectory)
        : m_spool(spoolDirectory) {}

    void add(const LogRecord& record);
    // Moves entries that can no longer be overtaken into the spool; call after each batch.
    Status settle();
    // Writes the response (everything added so far) to `out`.
    Status finish(ForeignFile& out);

    int64_t entries() const { return m_entries; }
    int64_t streams() const { return int64_t(m_streams.size()); }
    int64_t lateEntries() const { return m_late; }

private:
    struct Entry {
        Timestamp time;
        int64_t sequence = 0;
        std::string text; // the JSON entry array
    };
    struct Stream {
        std::string labelsJson;     // {"container":…,…}
        size_t group = 0;           // in m_spool
        std::vector<Entry> pending; // sorted by (time, sequence) after settle()
        std::vector<Entry> added;   // since the last settle(), in arrival order
        std::string text;           // settled entries not yet spooled
        Timestamp lastWritten = Timestamp::min();
    };
    Stream& streamFor(const Resource& resource);
    Status release(Stream& stream, Timestamp before, bool all);

    std::vector<Stream> m_streams;
    std::unordered_map<const Resource*, size_t> m_byResource;
    std::map<std::string, size_t> m_byLabels;
    ForeignSpool m_spool;
    Timestamp m_newest = Timestamp::min();
    int64_t m_sequence = 0;
    int64_t m_entries = 0;
    int64_t m_late = 0;
    int64_t m_lineBytes = 0;
    int64_t m_metadataBytes = 0;
};

} // namespace rootline::sample
