#include "ForeignFile.h"

#include <cerrno>
#include <cstring>

namespace rootline::sample {
namespace {
constexpr size_t kBufferBytes = size_t(1) << 20;
}

Result<std::unique_ptr<ForeignFile>> ForeignFile::create(std::string path) {
    std::string temp = path + ".part";
    std::FILE* file = std::fopen(temp.c_str(), "wb");
    if (!file)
        return Error{temp, std::string("cannot create: ") + std::strerror(errno),
                     "check that the directory exists and is writable"};
    std::unique_ptr<ForeignFile> f(new ForeignFile(std::move(path), std::move(temp), file));
    f->m_buffer = std::make_unique<char[]>(kBufferBytes);
    std::setvbuf(file, f->m_buffer.get(), _IOFBF, kBufferBytes);
    return f;
}

ForeignFile::~ForeignFile() {
    if (m_file)
        std::fclose(m_file);
    if (!m_committed)
        std::remove(m_temp.c_str());
}

void ForeignFile::fail(const char* what) {
    if (m_error.empty())
        m_error = std::string(what) + ": " + std::strerror(errno);
}

void ForeignFile::write(std::string_view text) {
    if (!m_file || !m_error.empty() || text.empty())
        return;
    if (std::fwrite(text.data(), 1, text.size(), m_file) != text.size())
        fail("write failed");
    m_bytes += int64_t(text.size());
}

void ForeignFile::drain(std::string& text, size_t threshold) {
    if (text.size() < threshold || text.empty())
        return;
    write(text);
    text.clear();
}

Status ForeignFile::close() {
    if (m_file) {
        if (std::fclose(m_file) != 0)
            fail("close failed");
        m_file = nullptr;
    }
    if (!m_error.empty())
        return Error{m_temp, m_error, "is the disk full?"};
    return {};
}

Status ForeignFile::commit() {
    if (m_file || !m_error.empty())
        return Error{m_path, "not committed: the file was not closed cleanly", {}};
    if (std::rename(m_temp.c_str(), m_path.c_str()) != 0)
        return Error{
            m_path, std::string("cannot rename from ") + m_temp + ": " + std::strerror(errno), {}};
    m_committed = true;
    return {};
}

} // namespace rootline::sample
