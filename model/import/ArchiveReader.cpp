#include "ArchiveReader.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <filesystem>
#include <cstdio>
#include <cstring>
#include <vector>

namespace rootline {

struct ArchiveReader::State {
    std::string path;
    FILE* file = nullptr;
    archive* a = nullptr;
    int64_t raw = 0;
    std::vector<char> buffer = std::vector<char>(size_t(256) << 10);
    ArchiveMember member;
    bool gzipOuter = false; // a .tar.gz: libarchive does not check the gzip trailer (see next())

    ~State()
    {
        if (a)
            archive_read_free(a);
        if (file)
            std::fclose(file);
    }

    static la_ssize_t readCb(archive*, void* self, const void** out)
    {
        auto* s = static_cast<State*>(self);
        const size_t n = std::fread(s->buffer.data(), 1, s->buffer.size(), s->file);
        if (n == 0 && std::ferror(s->file))
            return -1;
        s->raw += int64_t(n);
        *out = s->buffer.data();
        return la_ssize_t(n);
    }
    static la_int64_t seekCb(archive*, void* self, la_int64_t offset, int whence)
    {
        auto* s = static_cast<State*>(self);
        if (fseeko(s->file, off_t(offset), whence) != 0)
            return ARCHIVE_FATAL;
        return la_int64_t(ftello(s->file));
    }
    static la_int64_t skipCb(archive*, void* self, la_int64_t request)
    {
        auto* s = static_cast<State*>(self);
        if (fseeko(s->file, off_t(request), SEEK_CUR) != 0)
            return 0;
        return request;
    }

    Error error(const std::string& what) const
    {
        const char* detail = a ? archive_error_string(a) : nullptr;
        return Error{path, what + (detail ? std::string(": ") + detail : std::string()), {}};
    }
};

namespace {

class MemberSource final : public ByteSource {
public:
    explicit MemberSource(ArchiveReader::State* state) : m_state(state) {}
    Result<size_t> read(char* data, size_t size) override
    {
        const la_ssize_t n = archive_read_data(m_state->a, data, size);
        if (n < 0)
            return m_state->error("cannot read \"" + m_state->member.name + "\" from the archive");
        return size_t(n);
    }
    int64_t rawBytes() const override { return m_state->raw; }

private:
    ArchiveReader::State* m_state;
};

} // namespace

ArchiveReader::ArchiveReader(std::unique_ptr<State> state) : m_state(std::move(state)) {}
ArchiveReader::~ArchiveReader() = default;

Result<std::unique_ptr<ArchiveReader>> ArchiveReader::open(const std::string& path)
{
    auto state = std::make_unique<State>();
    state->path = path;
    state->file = std::fopen(path.c_str(), "rb");
    if (!state->file)
        return Error{path, std::string("cannot open: ") + std::strerror(errno), {}};
    state->a = archive_read_new();
    archive_read_support_filter_all(state->a);
    archive_read_support_format_tar(state->a);
    archive_read_support_format_gnutar(state->a);
    archive_read_support_format_zip(state->a);
    archive_read_set_callback_data(state->a, state.get());
    archive_read_set_read_callback(state->a, &State::readCb);
    archive_read_set_seek_callback(state->a, &State::seekCb);
    archive_read_set_skip_callback(state->a, &State::skipCb);
    if (archive_read_open1(state->a) != ARCHIVE_OK) {
        Error e = state->error("not a readable .tar or .zip archive");
        e.hint = "Rootline reads .tar (plain, gzip, zstd, bzip2 or xz), .zip, and single .gz or .zst files; "
                 "decompress anything else first";
        return e;
    }
    state->gzipOuter = archive_filter_code(state->a, 0) == ARCHIVE_FILTER_GZIP;
    return std::unique_ptr<ArchiveReader>(new ArchiveReader(std::move(state)));
}

namespace {

// Inflates the whole gzip file with zlib, which checks every member's CRC-32 and length. Output is
// discarded; a tail that inflates past the bomb limits is refused rather than read for ever.
Status verifyGzipFile(const std::string& path, int64_t fileBytes)
{
    auto file = openFileSource(path);
    if (!file)
        return file.error();
    auto gz = gzipSource(std::move(*file), path);
    std::vector<char> sink(size_t(1) << 20);
    int64_t out = 0;
    const int64_t limit = int64_t(100) * fileBytes + (int64_t(16) << 20);
    for (;;) {
        auto n = gz->read(sink.data(), sink.size());
        if (!n)
            return n.error();
        if (*n == 0)
            return {};
        out += int64_t(*n);
        if (out > limit)
            return Error{path, "the gzip data after the archive's end inflates without bound; refusing it",
                         "a decompression bomb? extract it yourself if it is genuine"};
    }
}

} // namespace

Result<const ArchiveMember*> ArchiveReader::next()
{
    archive_entry* entry = nullptr;
    const int rc = archive_read_next_header(m_state->a, &entry);
    if (rc == ARCHIVE_EOF) {
        // libarchive's gzip filter skips the trailer unchecked ("XXX TODO: Verify the length and
        // CRC" in archive_read_support_filter_gzip.c), so a flipped bit in a .tar.gz would import
        // as different text. The caller reads every member before importing any (Importer's pass
        // 1), so checking here, at the end of that pass, keeps damaged bytes out of the cache.
        if (m_state->gzipOuter) {
            m_state->gzipOuter = false; // once per reader
            std::error_code ec;
            const auto size = std::filesystem::file_size(m_state->path, ec);
            if (Status s = verifyGzipFile(m_state->path, ec ? m_state->raw : int64_t(size)); !s) {
                Error e = s.error();
                return Error{m_state->path, "the archive's gzip data is damaged: " + e.what,
                             "the file was changed or cut in transit; fetch or export it again"};
            }
        }
        return static_cast<const ArchiveMember*>(nullptr);
    }
    if (rc < ARCHIVE_WARN)
        return m_state->error("corrupt archive");
    const char* name = archive_entry_pathname_utf8(entry);
    if (!name)
        name = archive_entry_pathname(entry);
    m_state->member.name = name ? name : "";
    m_state->member.regularFile = archive_entry_filetype(entry) == AE_IFREG;
    m_state->member.declaredSize = archive_entry_size_is_set(entry) ? int64_t(archive_entry_size(entry)) : -1;
    return &m_state->member;
}

std::unique_ptr<ByteSource> ArchiveReader::memberSource()
{
    return std::make_unique<MemberSource>(m_state.get());
}

int64_t ArchiveReader::rawBytes() const
{
    return m_state->raw;
}

} // namespace rootline
