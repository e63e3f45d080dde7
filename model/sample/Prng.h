#pragma once

// The sample generator's own random numbers. The standard distributions are implementation-defined
// (libstdc++ and libc++ give different numbers for the same engine), so the generator uses
// xoshiro256** seeded through splitmix64 and derives every distribution itself: the same seed
// gives the same sample on every build.

#include <cmath>
#include <cstdint>

namespace rootline::sample {

class Prng {
public:
    explicit Prng(uint64_t seed)
    {
        for (auto& word : m_s)
            word = splitmix64(seed);
    }

    uint64_t next()
    {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    uint64_t nonZero()
    {
        for (;;) {
            if (const uint64_t v = next(); v != 0)
                return v;
        }
    }
    // [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // [0, n); n is small here, so the modulo bias (n / 2^64) does not matter.
    int below(int n) { return int(next() % uint64_t(n)); }
    bool chance(double p) { return uniform() < p; }
    // Standard normal by Box–Muller (one value per call; the second is dropped for simplicity).
    double normal()
    {
        double u1 = uniform();
        if (u1 < 1e-300)
            u1 = 1e-300;
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * uniform());
    }
    double logNormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
    // An integer count whose expectation is `expected`: the fractional part is rounded at random.
    int64_t roundedCount(double expected)
    {
        const double whole = std::floor(expected);
        return int64_t(whole) + (chance(expected - whole) ? 1 : 0);
    }

    static uint64_t splitmix64(uint64_t& state)
    {
        uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t m_s[4] = {};
};

} // namespace rootline::sample
