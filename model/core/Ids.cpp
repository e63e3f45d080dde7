#include "Ids.h"

#include <cstdio>

namespace rootline {
namespace {

int hexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int base64Value(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62; // standard and URL-safe alphabets
    if (c == '/' || c == '_') return 63;
    return -1;
}

Error idError(std::string_view kind, std::string_view text, std::string_view why)
{
    return Error{std::string(kind), "invalid id \"" + std::string(text.substr(0, 80)) + "\": " + std::string(why), {}};
}

// Up to 32 hex digits into (high, low), left-padded.
bool parseHex128(std::string_view text, uint64_t& high, uint64_t& low)
{
    high = low = 0;
    for (char c : text) {
        const int v = hexValue(c);
        if (v < 0)
            return false;
        high = (high << 4) | (low >> 60);
        low = (low << 4) | uint64_t(v);
    }
    return true;
}

bool decodeBase64(std::string_view text, unsigned char* out, size_t expected)
{
    while (!text.empty() && text.back() == '=')
        text.remove_suffix(1);
    if ((text.size() * 6) / 8 != expected)
        return false;
    uint32_t buffer = 0;
    int bits = 0;
    size_t n = 0;
    for (char c : text) {
        const int v = base64Value(c);
        if (v < 0)
            return false;
        buffer = (buffer << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n < expected)
                out[n++] = (unsigned char)((buffer >> bits) & 0xFF);
        }
    }
    return n == expected;
}

bool looksLikeBase64(std::string_view text, size_t bytes)
{
    const size_t padded = (bytes + 2) / 3 * 4;
    if (text.size() == padded && text.back() == '=')
        return true;
    for (char c : text)
        if (hexValue(c) < 0 && base64Value(c) >= 0)
            return text.size() == padded || text.size() == (bytes * 8 + 5) / 6;
    return false;
}

bool isXRay(std::string_view t)
{
    return t.size() == 35 && t[0] == '1' && t[1] == '-' && t[10] == '-';
}

} // namespace

std::string TraceId::toHex() const
{
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", (unsigned long long)high, (unsigned long long)low);
    return buf;
}

std::string TraceId::toXRay() const
{
    const std::string hex = toHex();
    return "1-" + hex.substr(0, 8) + "-" + hex.substr(8);
}

void TraceId::toBytes(unsigned char out[16]) const
{
    for (int i = 0; i < 8; ++i) {
        out[i] = (unsigned char)(high >> (56 - 8 * i));
        out[8 + i] = (unsigned char)(low >> (56 - 8 * i));
    }
}

TraceId TraceId::fromBytes(const unsigned char in[16])
{
    TraceId id;
    for (int i = 0; i < 8; ++i) {
        id.high = (id.high << 8) | in[i];
        id.low = (id.low << 8) | in[8 + i];
    }
    return id;
}

std::string SpanId::toHex() const
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)value);
    return buf;
}

Result<TraceId> parseTraceId(std::string_view text, IdEncoding encoding)
{
    constexpr std::string_view kind = "trace id";
    if (text.empty())
        return idError(kind, text, "empty");
    TraceId id;
    if (encoding == IdEncoding::XRay || (encoding == IdEncoding::Auto && isXRay(text))) {
        if (!isXRay(text))
            return idError(kind, text, "expected an X-Ray id 1-xxxxxxxx-<24 hex digits>");
        const std::string joined = std::string(text.substr(2, 8)) + std::string(text.substr(11));
        if (!parseHex128(joined, id.high, id.low))
            return idError(kind, text, "X-Ray id with non-hex digits");
    } else if (encoding == IdEncoding::Decimal) {
        uint64_t v = 0;
        if (text.size() > 20)
            return idError(kind, text, "decimal id longer than 20 digits");
        for (char c : text) {
            if (c < '0' || c > '9')
                return idError(kind, text, "expected a decimal 64-bit id");
            const uint64_t next = v * 10 + uint64_t(c - '0');
            if (next / 10 != v)
                return idError(kind, text, "decimal id larger than 64 bits");
            v = next;
        }
        id.low = v;
    } else if (encoding == IdEncoding::Base64 || (encoding == IdEncoding::Auto && looksLikeBase64(text, 16))) {
        unsigned char bytes[16];
        if (!decodeBase64(text, bytes, 16))
            return idError(kind, text, "expected base64 of 16 bytes");
        id = TraceId::fromBytes(bytes);
    } else {
        if (text.size() > 32)
            return idError(kind, text, "more than 32 hex digits");
        if (!parseHex128(text, id.high, id.low))
            return idError(kind, text, "expected 1 to 32 hex digits");
    }
    if (!id.isValid())
        return idError(kind, text, "all-zero id");
    return id;
}

Result<SpanId> parseSpanId(std::string_view text, IdEncoding encoding)
{
    constexpr std::string_view kind = "span id";
    if (text.empty())
        return idError(kind, text, "empty");
    SpanId id;
    if (encoding == IdEncoding::Decimal) {
        uint64_t v = 0;
        if (text.size() > 20)
            return idError(kind, text, "decimal id longer than 20 digits");
        for (char c : text) {
            if (c < '0' || c > '9')
                return idError(kind, text, "expected a decimal 64-bit id");
            const uint64_t next = v * 10 + uint64_t(c - '0');
            if (next / 10 != v)
                return idError(kind, text, "decimal id larger than 64 bits");
            v = next;
        }
        id.value = v;
    } else if (encoding == IdEncoding::Base64 || (encoding == IdEncoding::Auto && looksLikeBase64(text, 8))) {
        unsigned char bytes[8];
        if (!decodeBase64(text, bytes, 8))
            return idError(kind, text, "expected base64 of 8 bytes");
        for (unsigned char b : bytes)
            id.value = (id.value << 8) | b;
    } else {
        uint64_t high = 0;
        if (text.size() > 16)
            return idError(kind, text, "more than 16 hex digits");
        if (!parseHex128(text, high, id.value))
            return idError(kind, text, "expected 1 to 16 hex digits");
    }
    if (!id.isValid())
        return idError(kind, text, "all-zero id");
    return id;
}

} // namespace rootline
