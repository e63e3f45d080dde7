#pragma once

// SHA-256 over a stream of bytes, for the importer's content hashes (the same digest as
// QCryptographicHash::Sha256, so hashes already stored in caches still match). OpenSSL's
// implementation uses the CPU's SHA instructions where present: hashing is then no longer a
// noticeable share of an import (Qt's portable code ran at ~250 MB/s, a third of the CPU time).

#include <memory>
#include <string>
#include <string_view>

namespace rootline {

class Sha256Stream {
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;

    void add(std::string_view bytes);
    // The digest as 64 lowercase hex digits; the stream cannot be added to afterwards.
    std::string hex();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace rootline
