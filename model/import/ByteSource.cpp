#include "ByteSource.h"

#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace rootline {

namespace {

constexpr size_t kInputBuffer = size_t(256) << 10;

class FileSource final : public ByteSource {
public:
    FileSource(FILE* f, std::string path) : m_file(f), m_path(std::move(path)) {}
    ~FileSource() override { std::fclose(m_file); }

    Result<size_t> read(char* data, size_t size) override
    {
        const size_t n = std::fread(data, 1, size, m_file);
        if (n < size && std::ferror(m_file))
            return Error{m_path + "@" + std::to_string(m_raw), std::string("read failed: ") + std::strerror(errno), {}};
        m_raw += int64_t(n);
        return n;
    }
    int64_t rawBytes() const override { return m_raw; }

private:
    FILE* m_file;
    std::string m_path;
    int64_t m_raw = 0;
};

// Replays bytes already read (the sniffed magic) before the rest of `inner`.
class ReplaySource final : public ByteSource {
public:
    ReplaySource(std::string prefix, std::unique_ptr<ByteSource> inner) : m_prefix(std::move(prefix)), m_inner(std::move(inner)) {}
    Result<size_t> read(char* data, size_t size) override
    {
        if (m_pos < m_prefix.size()) {
            const size_t n = std::min(size, m_prefix.size() - m_pos);
            std::memcpy(data, m_prefix.data() + m_pos, n);
            m_pos += n;
            return n;
        }
        return m_inner->read(data, size);
    }
    int64_t rawBytes() const override { return m_inner->rawBytes(); }

private:
    std::string m_prefix;
    size_t m_pos = 0;
    std::unique_ptr<ByteSource> m_inner;
};

class GzipSource final : public ByteSource {
public:
    GzipSource(std::unique_ptr<ByteSource> inner, std::string name) : m_inner(std::move(inner)), m_name(std::move(name)), m_in(kInputBuffer)
    {
        std::memset(&m_z, 0, sizeof m_z);
        m_ok = inflateInit2(&m_z, 15 + 32) == Z_OK; // 32: accept a gzip or zlib header
    }
    ~GzipSource() override { inflateEnd(&m_z); }

    Result<size_t> read(char* data, size_t size) override
    {
        if (!m_ok)
            return Error{m_name, "cannot initialise zlib", {}};
        m_z.next_out = reinterpret_cast<Bytef*>(data);
        m_z.avail_out = uInt(std::min<size_t>(size, 1u << 30));
        while (m_z.avail_out > 0 && !m_done) {
            if (m_z.avail_in == 0 && !m_innerEnd) {
                auto n = m_inner->read(m_in.data(), m_in.size());
                if (!n)
                    return n.error();
                if (*n == 0)
                    m_innerEnd = true;
                m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
                m_z.avail_in = uInt(*n);
            }
            const uInt before = m_z.avail_out;
            const int rc = inflate(&m_z, Z_NO_FLUSH);
            if (rc == Z_STREAM_END) {
                // Another gzip member may follow (concatenated .gz files); anything else ends it.
                if (m_z.avail_in == 0 && !m_innerEnd) {
                    auto n = m_inner->read(m_in.data(), m_in.size());
                    if (!n)
                        return n.error();
                    m_innerEnd = *n == 0;
                    m_z.next_in = reinterpret_cast<Bytef*>(m_in.data());
                    m_z.avail_in = uInt(*n);
                }
                if (m_z.avail_in >= 2 && m_z.next_in[0] == 0x1f && m_z.next_in[1] == 0x8b)
                    inflateReset(&m_z);
                else
                    m_done = true;
                continue;
            }
            if (rc == Z_DATA_ERROR || rc == Z_MEM_ERROR || rc == Z_NEED_DICT || rc == Z_STREAM_ERROR)
                return Error{m_name + "@" + std::to_string(m_inner->rawBytes()),
                             std::string("corrupt gzip data: ") + (m_z.msg ? m_z.msg : "inflate failed"), {}};
            if (m_innerEnd && m_z.avail_in == 0 && m_z.avail_out == before)
                return Error{m_name + "@" + std::to_string(m_inner->rawBytes()), "the gzip stream ends early",
                             "the file is truncated; download or copy it again"};
        }
        return size - m_z.avail_out;
    }
    int64_t rawBytes() const override { return m_inner->rawBytes(); }

private:
    std::unique_ptr<ByteSource> m_inner;
    std::string m_name;
    std::vector<char> m_in;
    z_stream m_z;
    bool m_ok = false;
    bool m_innerEnd = false;
    bool m_done = false;
};

class ZstdSource final : public ByteSource {
public:
    ZstdSource(std::unique_ptr<ByteSource> inner, std::string name)
        : m_inner(std::move(inner)), m_name(std::move(name)), m_in(ZSTD_DStreamInSize()), m_ctx(ZSTD_createDCtx())
    {
    }
    ~ZstdSource() override { ZSTD_freeDCtx(m_ctx); }

    Result<size_t> read(char* data, size_t size) override
    {
        ZSTD_outBuffer out{data, size, 0};
        while (out.pos < out.size) {
            if (m_input.pos == m_input.size) {
                if (m_innerEnd)
                    break;
                auto n = m_inner->read(m_in.data(), m_in.size());
                if (!n)
                    return n.error();
                if (*n == 0) {
                    m_innerEnd = true;
                    break;
                }
                m_input = ZSTD_inBuffer{m_in.data(), *n, 0};
            }
            const size_t rc = ZSTD_decompressStream(m_ctx, &out, &m_input);
            if (ZSTD_isError(rc))
                return Error{m_name + "@" + std::to_string(m_inner->rawBytes()),
                             std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc), {}};
            m_frameOpen = rc != 0;
        }
        if (out.pos == 0 && m_innerEnd && m_frameOpen)
            return Error{m_name + "@" + std::to_string(m_inner->rawBytes()), "the zstd stream ends early",
                         "the file is truncated; download or copy it again"};
        return out.pos;
    }
    int64_t rawBytes() const override { return m_inner->rawBytes(); }

private:
    std::unique_ptr<ByteSource> m_inner;
    std::string m_name;
    std::vector<char> m_in;
    ZSTD_DCtx* m_ctx;
    ZSTD_inBuffer m_input{nullptr, 0, 0};
    bool m_innerEnd = false;
    bool m_frameOpen = false;
};

} // namespace

Compression compressionOf(std::string_view head)
{
    auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
    if (starts("\x1f\x8b"))
        return Compression::Gzip;
    if (starts(std::string_view("\x28\xb5\x2f\xfd", 4)))
        return Compression::Zstd;
    if (starts("BZh"))
        return Compression::Bzip2;
    if (starts(std::string_view("\xfd" "7zXZ\x00", 6)))
        return Compression::Xz;
    return Compression::None;
}

Result<std::unique_ptr<ByteSource>> openFileSource(const std::string& path)
{
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
        return Error{path, std::string("cannot open: ") + std::strerror(errno), {}};
    std::setvbuf(f, nullptr, _IOFBF, 1 << 20);
    return std::unique_ptr<ByteSource>(new FileSource(f, path));
}

std::unique_ptr<ByteSource> gzipSource(std::unique_ptr<ByteSource> inner, std::string name)
{
    return std::make_unique<GzipSource>(std::move(inner), std::move(name));
}

std::unique_ptr<ByteSource> zstdSource(std::unique_ptr<ByteSource> inner, std::string name)
{
    return std::make_unique<ZstdSource>(std::move(inner), std::move(name));
}

Result<size_t> readFully(ByteSource& source, char* data, size_t size)
{
    size_t total = 0;
    while (total < size) {
        auto n = source.read(data + total, size - total);
        if (!n)
            return n.error();
        if (*n == 0)
            break;
        total += *n;
    }
    return total;
}

Result<std::unique_ptr<ByteSource>> decompressing(std::unique_ptr<ByteSource> inner, std::string name)
{
    std::string magic(6, '\0');
    auto n = readFully(*inner, magic.data(), magic.size());
    if (!n)
        return n.error();
    magic.resize(*n);
    const Compression c = compressionOf(magic);
    auto replay = std::make_unique<ReplaySource>(magic, std::move(inner));
    switch (c) {
    case Compression::Gzip:
        return gzipSource(std::move(replay), std::move(name));
    case Compression::Zstd:
        return zstdSource(std::move(replay), std::move(name));
    case Compression::Bzip2:
    case Compression::Xz:
        return Error{name, c == Compression::Bzip2 ? "bzip2-compressed files are not supported" : "xz-compressed files are not supported",
                     "decompress it first, or recompress it with gzip or zstd"};
    case Compression::None:
        break;
    }
    return std::unique_ptr<ByteSource>(std::move(replay));
}

} // namespace rootline
