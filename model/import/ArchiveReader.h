#pragma once

// Reads the members of a .tar (optionally gzip/zstd/bzip2/xz-compressed) or .zip archive with
// libarchive, one after the other, counting the raw bytes read from disk (for progress and the
// decompression-bomb guard). Nothing is extracted to disk.

#include "ByteSource.h"
#include "core/Result.h"

#include <memory>
#include <optional>
#include <string>

namespace rootline {

struct ArchiveMember {
    std::string name; // the path stored in the archive, as stored
    bool regularFile = false;
    int64_t declaredSize = -1; // -1 when the archive does not say
};

class ArchiveReader {
public:
    static Result<std::unique_ptr<ArchiveReader>> open(const std::string& path);
    ~ArchiveReader();
    ArchiveReader(const ArchiveReader&) = delete;
    ArchiveReader& operator=(const ArchiveReader&) = delete;

    // The next member; nullptr at the end. The previous member's source must not be used after.
    Result<const ArchiveMember*> next();
    // The current member's bytes (as stored: a .gz member stays compressed).
    std::unique_ptr<ByteSource> memberSource();
    int64_t rawBytes() const;

    struct State;

private:
    explicit ArchiveReader(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace rootline
