#include "ForeignSpool.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <unistd.h>

namespace rootline::sample {

ForeignSpool::~ForeignSpool() {
    if (m_file)
        std::fclose(m_file);
}

size_t ForeignSpool::addGroup() {
    m_chunks.emplace_back();
    return m_chunks.size() - 1;
}

Status ForeignSpool::append(size_t group, std::string_view items) {
    if (items.empty())
        return {};
    if (items.size() > std::numeric_limits<uint32_t>::max())
        return Error{"sample spool", "chunk too large", {}};
    if (!m_file) {
        std::string name = m_directory + "/.rootline-spool-XXXXXX";
        const int fd = ::mkstemp(name.data());
        if (fd < 0)
            return Error{name,
                         std::string("cannot create a temporary file: ") + std::strerror(errno),
                         "check that the directory is writable"};
        ::unlink(name.c_str());
        m_file = ::fdopen(fd, "w+b");
        if (!m_file) {
            ::close(fd);
            return Error{
                name, std::string("cannot open the temporary file: ") + std::strerror(errno), {}};
        }
    }
    if (m_reading) { // switching from reading back to appending needs a seek
        if (fseeko(m_file, 0, SEEK_END) != 0)
            return Error{"sample spool", std::string("seek failed: ") + std::strerror(errno), {}};
        m_reading = false;
    }
    if (std::fwrite(items.data(), 1, items.size(), m_file) != items.size())
        return Error{"sample spool", std::string("write failed: ") + std::strerror(errno),
                     "is the disk full?"};
    m_chunks[group].emplace_back(m_size, uint32_t(items.size()));
    m_size += int64_t(items.size());
    return {};
}

Status ForeignSpool::copyGroup(size_t group, ForeignFile& out) {
    bool first = true;
    for (const auto& [offset, length] : m_chunks[group]) {
        if (!m_reading) {
            if (std::fflush(m_file) != 0)
                return Error{
                    "sample spool", std::string("flush failed: ") + std::strerror(errno), {}};
            m_reading = true;
        }
        if (fseeko(m_file, offset, SEEK_SET) != 0)
            return Error{"sample spool", std::string("seek failed: ") + std::strerror(errno), {}};
        m_readBuffer.resize(length);
        if (std::fread(m_readBuffer.data(), 1, length, m_file) != length)
            return Error{"sample spool", "short read from the temporary file", {}};
        if (!first)
            out.write(",");
        first = false;
        out.write(std::string_view(m_readBuffer.data(), length));
    }
    return {};
}

} // namespace rootline::sample
