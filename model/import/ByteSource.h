#pragma once

// Streams of input bytes for the importer: a file, a member of an archive, and gzip / zstd
// decompression over either. Each counts the raw (compressed, on-disk) bytes it consumed, for
// progress and for refusing decompression bombs.

#include "core/Result.h"

#include <cstdint>
#include <memory>
#include <string>

namespace rootline {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes; 0 at the end. An error names the place (file, offset) and why.
    virtual Result<size_t> read(char* data, size_t size) = 0;
    // Raw bytes consumed from the underlying file so far.
    virtual int64_t rawBytes() const = 0;
};

enum class Compression { None, Gzip, Zstd, Bzip2, Xz };

// What the first bytes of a stream say about its compression.
Compression compressionOf(std::string_view head);

Result<std::unique_ptr<ByteSource>> openFileSource(const std::string& path);
// Decompresses `inner` as a (possibly multi-member) gzip stream; `name` is used in errors.
std::unique_ptr<ByteSource> gzipSource(std::unique_ptr<ByteSource> inner, std::string name);
std::unique_ptr<ByteSource> zstdSource(std::unique_ptr<ByteSource> inner, std::string name);
// Wraps `inner` in a decompressor when its first bytes say it is gzip or zstd; bzip2 and xz
// single files are refused with a hint.
Result<std::unique_ptr<ByteSource>> decompressing(std::unique_ptr<ByteSource> inner, std::string name);

// Reads until `size` bytes or the end.
Result<size_t> readFully(ByteSource& source, char* data, size_t size);

} // namespace rootline
