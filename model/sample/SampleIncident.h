#pragma once

// The bundled sample incident (design.md §7): "Checkout failed 5 minutes ago." Three hours of a
// small shop (frontend, checkout, payment, cart, catalog, shipping, currency, email) on
// 2026-11-20 12:00–15:00 UTC. At 14:46 the external payment gateway slows down and checkout's p95
// latency rises; from 14:47 payment's calls to the gateway hit their 5 s client timeout, payment
// logs errors, checkout fails, and the CheckoutAvailabilityBurnRate alert fires at 14:48. A red
// herring: catalog deploys 1.9.0 at 13:30 and nothing changes.
//
// Generated deterministically (own PRNG, no wall clock): the same seed and scale give the same
// content, byte for byte. `scale` multiplies the traffic (requests, traces, logs) and the number
// of pods (so more series), never the window. Output is streamed in batches: memory stays bounded
// at any scale.

#include "core/Time.h"
#include "import/RecordSink.h"

#include <atomic>
#include <cstdint>

namespace rootline {

struct SampleOptions {
    uint64_t seed = 20261123;
    double scale = 1.0;
};

// The story's fixed times, for tests, the GUI and the README.
namespace sample_story {
inline constexpr Timestamp kWindowStart = Timestamp::fromSeconds(1795176000);          // 2026-11-20T12:00:00Z
inline constexpr Timestamp kWindowEnd = kWindowStart + Duration::hours(3);             // 15:00:00Z
inline constexpr Timestamp kCatalogDeploy = kWindowStart + Duration::minutes(90);      // 13:30:00Z, no effect
inline constexpr Timestamp kGatewaySlow = kWindowStart + Duration::minutes(166);       // 14:46:00Z, p95 rises
inline constexpr Timestamp kGatewayTimeouts = kWindowStart + Duration::minutes(167);   // 14:47:00Z, errors
inline constexpr Timestamp kAlertActiveSince = kWindowStart + Duration::minutes(168);  // 14:48:00Z
inline constexpr Duration kGatewayTimeout = Duration::seconds(5);
inline constexpr const char* kAlertName = "CheckoutAvailabilityBurnRate";
inline constexpr const char* kGeneratorVersion = "1";
} // namespace sample_story

// Writes the sample into `sink`. Returns the sink's error if it refuses a batch, or "cancelled".
Status generateSampleIncident(const SampleOptions& options, RecordSink& sink, const std::atomic_bool* cancelled = nullptr);

} // namespace rootline
