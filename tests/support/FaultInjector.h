#pragma once

// The misbehaviour modes the fake backends share (FakeLokiServer, FakeJaegerServer): which request
// gets which ServerFault ("the next N requests after the first M"), the delay and size the faults
// use, and the response each fault turns a proper answer into. Only the bodies differ between
// backends — how each says "429", "500", "too large" or "endless" — so they come in FaultBodies.
// Header-only; thread-safe (the fakes answer on their own threads).

#include "MiniHttpServer.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

namespace rootline::test {

// How one backend words each fault.
struct FaultBodies {
    std::function<FakeResponse(int status)> error;   // 429 (Retry-After is added) and 500
    std::string malformedFallback;                   // MalformedJson when the proper answer has no body
    std::function<std::string(size_t bytes)> huge;   // a valid body of about `bytes`
    std::string endlessHead, endlessChunk;           // Endless: the head, then the chunk forever
};

class FaultInjector {
public:
    struct Shot {
        ServerFault fault = ServerFault::None;
        std::chrono::milliseconds delay{0};
        size_t hugeBytes = 0;
    };

    // The requests after the next `after` ones get `fault`, `times` times (-1 = forever).
    void inject(ServerFault fault, int after, int times)
    {
        std::lock_guard lock(m_mutex);
        m_fault = fault;
        m_after = m_requests + after;
        m_times = times;
    }
    void setDelay(std::chrono::milliseconds delay)
    {
        std::lock_guard lock(m_mutex);
        m_delay = delay;
    }
    void setHugeBytes(size_t bytes)
    {
        std::lock_guard lock(m_mutex);
        m_hugeBytes = bytes;
    }
    // Requests counted so far.
    int count() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

    // Counts one request and says what to do to it.
    Shot take()
    {
        std::lock_guard lock(m_mutex);
        ++m_requests;
        Shot shot;
        if (m_fault != ServerFault::None && m_requests > m_after && (m_times < 0 || m_requests <= m_after + m_times))
            shot.fault = m_fault;
        shot.delay = m_delay;
        shot.hugeBytes = m_hugeBytes;
        return shot;
    }

    // The response `shot` makes of the proper answer `normal`.
    static FakeResponse apply(const Shot& shot, FakeResponse normal, const FaultBodies& bodies)
    {
        switch (shot.fault) {
        case ServerFault::None:
            return normal;
        case ServerFault::Slow:
            normal.misbehaviour = Misbehaviour::SlowHeaders;
            normal.delay = shot.delay;
            return normal;
        case ServerFault::DropMidBody:
            normal.misbehaviour = Misbehaviour::DropMidBody;
            return normal;
        case ServerFault::TooManyRequests: {
            FakeResponse r = bodies.error(429);
            r.headers.emplace_back("Retry-After", "1");
            return r;
        }
        case ServerFault::ServerError:
            return bodies.error(500);
        case ServerFault::MalformedJson: {
            std::string body = normal.body.empty() ? bodies.malformedFallback : normal.body;
            body.erase(body.size() / 2, body.size() / 4); // a hole in the middle: brackets no longer match
            return FakeResponse::json(body);
        }
        case ServerFault::Huge:
            return FakeResponse::json(bodies.huge(shot.hugeBytes));
        case ServerFault::Endless: {
            FakeResponse r;
            r.misbehaviour = Misbehaviour::Endless;
            r.body = bodies.endlessHead;
            r.endlessChunk = bodies.endlessChunk;
            return r;
        }
        }
        return normal;
    }

private:
    mutable std::mutex m_mutex;
    ServerFault m_fault = ServerFault::None;
    int m_after = 0;
    int m_times = -1;
    int m_requests = 0;
    std::chrono::milliseconds m_delay{3000};
    size_t m_hugeBytes = 1 << 20;
};

} // namespace rootline::test
