#pragma once

// The one place Rootline asks what time it is now. Everything that depends on the present — a
// relative window ("the last hour", "now-15m"), CloudWatch's retention tiers by age, a fetch's
// provenance time, a report's date, Jaeger's lookback — reads Clock::current(), never the system
// clock directly (tst_wall_clock_lint keeps it that way). Production runs on the system clock;
// a test installs a ManualClock with ScopedClock, so no test depends on the day it runs.
//
// Durations (timeouts, backoff, progress throttling) are not "now" and keep using
// std::chrono::steady_clock: they measure elapsed time, not a date.

#include "Time.h"

#include <atomic>
#include <cstdint>

namespace rootline {

class Clock {
public:
    virtual ~Clock() = default;
    virtual Timestamp now() const = 0;

    // The wall clock.
    static const Clock& system();
    // The clock every part of Rootline asks: system() unless a ScopedClock has installed another.
    // Safe to call from any thread.
    static const Clock& current();

private:
    friend class ScopedClock;
    static std::atomic<const Clock*> s_current;
};

// A clock that stands still until told to move. Thread-safe: connectors read it from their
// fetch threads while a test sets it from the main thread.
class ManualClock final : public Clock {
public:
    explicit ManualClock(Timestamp start) : m_ns(start.nanos()) {}
    Timestamp now() const override { return Timestamp::fromNanos(m_ns.load(std::memory_order_relaxed)); }
    void set(Timestamp t) { m_ns.store(t.nanos(), std::memory_order_relaxed); }
    void advance(Duration d) { m_ns.fetch_add(d.count(), std::memory_order_relaxed); }

private:
    std::atomic<int64_t> m_ns;
};

// Installs `clock` as Clock::current() for this object's lifetime and restores the previous one
// after. For tests and benchmarks; `clock` must outlive this object and any fetch it starts.
class ScopedClock {
public:
    explicit ScopedClock(const Clock& clock);
    ~ScopedClock();
    ScopedClock(const ScopedClock&) = delete;
    ScopedClock& operator=(const ScopedClock&) = delete;

private:
    const Clock* m_previous;
};

} // namespace rootline
