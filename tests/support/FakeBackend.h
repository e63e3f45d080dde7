#pragma once

// The test-harness side the fake backends share (FakeLokiServer, FakeJaegerServer): misbehaviour on
// command — which requests get which ServerFault, the delay and size those faults use
// (FaultInjector.h) — and the list of what a careful client would not have sent (wrong units, a
// missing header, …), noticed on the server's threads and read by the test afterwards. Each fake
// records its requests in its MiniHttpServer and decides which of them count for faults.
// Header-only; thread-safe.

#include "FaultInjector.h"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace rootline::test {

class FakeBackend {
public:
    // The requests that count (the fake says which) after the next `after` of them get `fault`,
    // `times` times (-1 = forever).
    void injectFault(ServerFault fault, int after = 0, int times = -1) { m_faults.inject(fault, after, times); }
    void setFaultDelay(std::chrono::milliseconds delay) { m_faults.setDelay(delay); }
    void setHugeBytes(size_t bytes) { m_faults.setHugeBytes(bytes); }

    std::vector<std::string> problems() const
    {
        std::lock_guard lock(m_problemsMutex);
        return m_problems;
    }

protected:
    FakeBackend() = default;
    ~FakeBackend() = default;

    void problem(std::string text)
    {
        std::lock_guard lock(m_problemsMutex);
        m_problems.push_back(std::move(text));
    }

    FaultInjector m_faults;

private:
    mutable std::mutex m_problemsMutex;
    std::vector<std::string> m_problems;
};

} // namespace rootline::test
