#pragma once

// One output file of the sample's foreign-format files: written under a temporary name beside its
// final path ("<name>.part") through a large buffer, and renamed into place only by commit(), so
// an interrupted run never leaves a half-written file under a real name. The first I/O error is
// kept and returned by close(); later writes are ignored.

#include "core/Result.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace rootline::sample {

class ForeignFile {
public:
    static Result<std::unique_ptr<ForeignFile>> create(std::string path);
    ~ForeignFile(); // removes the temporary file unless committed
    ForeignFile(const ForeignFile&) = delete;
    ForeignFile& operator=(const ForeignFile&) = delete;

    void write(std::string_view text);
    // Writes and empties `text` once it holds at least `threshold` bytes (callers build in a
    // string).
    void drain(std::string& text, size_t threshold = 0);
    Status close();  // flushes and closes; the first error of any write
    Status commit(); // renames the closed temporary file to the final path
    const std::string& path() const { return m_path; }
    int64_t bytes() const { return m_bytes; }

private:
    ForeignFile(std::string path, std::string temp, std::FILE* file)
        : m_path(std::move(path))
        , m_temp(std::move(temp))
        , m_file(file) {}
    void fail(const char* what);

    std::string m_path, m_temp;
    std::FILE* m_file = nullptr;
    std::unique_ptr<char[]> m_buffer;
    int64_t m_bytes = 0;
    std::string m_error;
    bool m_committed = false;
};

} // namespace rootline::sample
