#include "Clock.h"

#include <chrono>

namespace rootline {

namespace {

class SystemClock final : public Clock {
public:
    Timestamp now() const override
    {
        using namespace std::chrono;
        return Timestamp::fromNanos(duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count());
    }
};

const SystemClock kSystemClock;

} // namespace

std::atomic<const Clock*> Clock::s_current{&kSystemClock};

const Clock& Clock::system()
{
    return kSystemClock;
}

const Clock& Clock::current()
{
    return *s_current.load(std::memory_order_acquire);
}

ScopedClock::ScopedClock(const Clock& clock) : m_previous(Clock::s_current.exchange(&clock, std::memory_order_acq_rel)) {}

ScopedClock::~ScopedClock()
{
    Clock::s_current.store(m_previous, std::memory_order_release);
}

} // namespace rootline
