#include "Sha256Stream.h"

#include <openssl/evp.h>
#include <stdexcept>

namespace rootline {

struct Sha256Stream::State {
    EVP_MD_CTX* ctx = nullptr;
};

Sha256Stream::Sha256Stream()
    : m_state(std::make_unique<State>()) {
    m_state->ctx = EVP_MD_CTX_new();
    if (!m_state->ctx || EVP_DigestInit_ex(m_state->ctx, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("OpenSSL cannot initialise SHA-256"); // only without memory
}

Sha256Stream::~Sha256Stream() {
    EVP_MD_CTX_free(m_state->ctx);
}

void Sha256Stream::add(std::string_view bytes) {
    EVP_DigestUpdate(m_state->ctx, bytes.data(), bytes.size());
}

std::string Sha256Stream::hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(m_state->ctx, digest, &length);
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += digits[digest[i] >> 4];
        out += digits[digest[i] & 15];
    }
    return out;
}

} // namespace rootline
