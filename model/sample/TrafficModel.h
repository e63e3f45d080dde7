#pragma once

// How busy the shop is and how fast its dependencies answer, minute by minute — including the
// incident: the external payment gateway slows at 14:46 and times out from 14:47.

#include "Prng.h"
#include "core/Time.h"

namespace rootline::sample {

class TrafficModel {
public:
    explicit TrafficModel(double scale) : m_scale(scale) {}

    // Expected requests per second on a frontend route at `t` (the whole shop's traffic, scaled).
    double frontendRate(int frontendRoute, Timestamp t) const;

    struct GatewayCall {
        Duration duration;
        bool timedOut = false;
        bool declined = false; // the card was declined (402): a client error, not an outage
    };
    // One call from payment to the payment gateway at `t`, with payment's 5 s client timeout.
    GatewayCall gatewayCall(Timestamp t, Prng& rng) const;
    // The share of gateway calls that time out at `t` (0 before 14:47).
    static double timeoutShare(Timestamp t);

    // A duration drawn from a log-normal with the given median (ms), never below 50 µs.
    static Duration latency(Prng& rng, double medianMs, double sigma = 0.35);

private:
    double m_scale;
};

} // namespace rootline::sample
