#pragma once

// Regroups a stream of JSON text by key in bounded memory. Loki answers with entries grouped by
// stream and Prometheus with points grouped by series, but the generator produces them in time
// order across all streams and series; holding everything until the end would cost memory in
// proportion to the sample's scale. Writers therefore append each group's text in chunks to one
// anonymous temporary file and copy the chunks back, group by group, when the response is written.

#include "ForeignFile.h"
#include "core/Result.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline::sample {

class ForeignSpool {
public:
    explicit ForeignSpool(std::string directory)
        : m_directory(std::move(directory)) {}
    ~ForeignSpool();
    ForeignSpool(const ForeignSpool&) = delete;
    ForeignSpool& operator=(const ForeignSpool&) = delete;

    size_t addGroup(); // a new, empty group's index
    size_t groupCount() const { return m_chunks.size(); }
    bool isEmpty(size_t group) const { return m_chunks[group].empty(); }
    // Appends `items` (one or more comma-separated JSON values, never empty) to `group`.
    Status append(size_t group, std::string_view items);
    // Writes `group`'s items to `out`, chunks joined by commas.
    Status copyGroup(size_t group, ForeignFile& out);

private:
    std::string m_directory;
    std::FILE* m_file = nullptr; // unlinked: deleted when closed
    int64_t m_size = 0;
    bool m_reading = false;
    std::vector<std::vector<std::pair<int64_t, uint32_t>>> m_chunks; // per group: (offset, length)
    std::vector<char> m_readBuffer;
};

} // namespace rootline::sample
