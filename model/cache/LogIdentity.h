#pragma once

// A log line's identity (cache schema 6, issue 12): its resource, time, body and attributes. The
// time is the `logs.ts` column; the rest is hashed here into the 64-bit `logs.identity`, and the
// unique index on (ts, identity) stores each line once, whichever file or fetch brings it again.
//
// A source may say the same line twice (two copies in one Loki stream at one nanosecond): those
// are kept, as occurrences 0, 1, ... of one base identity, all owned by the unit (file or fetch)
// that stored the first copy. A later unit's copies of that line are skipped, so "first source
// wins", as for spans (see CacheWriter).
//
// These values are stored in cache files and recomputed by the schema-6 migration through the SQL
// function rootline_log_identity (Schema.cpp): they must never change. Hence MurmurHash64A
// (Austin Appleby, public domain) with explicit little-endian reads, not std::hash.
//
// A 64-bit hash can collide: two different lines at the same nanosecond would then be taken for
// one. Among n lines sharing a timestamp the chance is about n² / 2^65 — never, in practice.

#include <cstdint>
#include <string_view>

namespace rootline::cache {

inline uint64_t murmurHash64(std::string_view bytes, uint64_t seed)
{
    constexpr uint64_t m = 0xc6a4a7935bd1e995ULL;
    constexpr int r = 47;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const size_t len = bytes.size();
    uint64_t h = seed ^ (uint64_t(len) * m);
    const size_t words = len / 8;
    for (size_t i = 0; i < words; ++i, p += 8) {
        uint64_t k = uint64_t(p[0]) | uint64_t(p[1]) << 8 | uint64_t(p[2]) << 16 | uint64_t(p[3]) << 24 | uint64_t(p[4]) << 32
                     | uint64_t(p[5]) << 40 | uint64_t(p[6]) << 48 | uint64_t(p[7]) << 56;
        k *= m;
        k ^= k >> r;
        k *= m;
        h ^= k;
        h *= m;
    }
    switch (len & 7) {
    case 7: h ^= uint64_t(p[6]) << 48; [[fallthrough]];
    case 6: h ^= uint64_t(p[5]) << 40; [[fallthrough]];
    case 5: h ^= uint64_t(p[4]) << 32; [[fallthrough]];
    case 4: h ^= uint64_t(p[3]) << 24; [[fallthrough]];
    case 3: h ^= uint64_t(p[2]) << 16; [[fallthrough]];
    case 2: h ^= uint64_t(p[1]) << 8; [[fallthrough]];
    case 1: h ^= uint64_t(p[0]); h *= m;
    }
    h ^= h >> r;
    h *= m;
    h ^= h >> r;
    return h;
}

// The identity of a line's first copy. `resourceKey` is Resource::key() ("" for a line without a
// resource; a real key is never empty), `attributesJson` the attributes as the cache stores them.
// Each field's hash seeds the next, and the length enters each, so field boundaries count.
inline int64_t logIdentity(std::string_view resourceKey, std::string_view body, std::string_view attributesJson)
{
    uint64_t h = murmurHash64(resourceKey, 0x526f6f746c696e65ULL); // "Rootline"
    h = murmurHash64(body, h);
    h = murmurHash64(attributesJson, h);
    return int64_t(h);
}

// The identity of copy number `occurrence` (0 for the first) of a line whose first copy is `base`.
inline int64_t logOccurrence(int64_t base, int64_t occurrence)
{
    if (occurrence == 0)
        return base;
    const unsigned char bytes[8] = {static_cast<unsigned char>(occurrence), static_cast<unsigned char>(occurrence >> 8),
                                    static_cast<unsigned char>(occurrence >> 16), static_cast<unsigned char>(occurrence >> 24),
                                    static_cast<unsigned char>(occurrence >> 32), static_cast<unsigned char>(occurrence >> 40),
                                    static_cast<unsigned char>(occurrence >> 48), static_cast<unsigned char>(occurrence >> 56)};
    return int64_t(murmurHash64(std::string_view(reinterpret_cast<const char*>(bytes), 8), uint64_t(base)));
}

} // namespace rootline::cache
