// libFuzzer target: the whole import path on one file — container and compression detection
// (.tar, .zip, .gz, .zst), the JSON splitter, format detection, parsing and the cache writer —
// into a fresh cache. Also the archive reader and the cache opener, since the input may be either.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "import/Importer.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    namespace fs = std::filesystem;
    static const fs::path dir = [] {
        fs::path d = fs::temp_directory_path() / ("rootline-fuzz-" + std::to_string(::getpid()));
        fs::create_directories(d);
        std::atexit([] {
            std::error_code ec;
            fs::remove_all(fs::temp_directory_path() / ("rootline-fuzz-" + std::to_string(::getpid())), ec);
        });
        return d;
    }();
    const std::string input = (dir / "input").string();
    const std::string cache = (dir / "cache.rootline").string();
    if (FILE* f = std::fopen(input.c_str(), "wb")) {
        std::fwrite(data, 1, size, f);
        std::fclose(f);
    }
    // The input itself as a cache: the opener must refuse what is not one, never crash on it.
    if (auto reader = rootline::CacheReader::open(input)) {
        (void)(*reader)->overview();
        (void)(*reader)->integrityProblems();
    }
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"})
        fs::remove(cache + suffix, ec);
    if (auto writer = rootline::CacheWriter::open(cache)) {
        rootline::ImportOptions options;
        options.maxUncompressedBytes = int64_t(64) << 20; // keep each run small and quick
        rootline::Importer importer(**writer, options);
        (void)importer.run({input});
    }
    return 0;
}
