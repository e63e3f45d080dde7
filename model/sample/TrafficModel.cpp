#include "TrafficModel.h"

#include "SampleIncident.h"
#include "ServiceCatalog.h"

#include <algorithm>
#include <cmath>

namespace rootline::sample {
namespace {
// Requests per second at scale 1, per frontend route. Tuned so that the ×1 sample holds about
// 100,000 log lines and 2,000 sampled traces.
constexpr double kBaseRate[] = {0.545, 0.485, 0.245, 0.16, 0.21};
} // namespace

double TrafficModel::frontendRate(int frontendRoute, Timestamp t) const
{
    // A gentle afternoon swell (+-15 % over the three hours) and a shorter ripple, so the lines
    // on the timeline look like traffic rather than a ruler.
    const double minutes = double((t - sample_story::kWindowStart).count()) / 60e9;
    const double swell = 1.0 + 0.15 * std::sin(minutes / 180.0 * 3.14159265358979 - 0.6);
    const double ripple = 1.0 + 0.05 * std::sin(minutes / 7.0 + frontendRoute);
    return kBaseRate[frontendRoute] * swell * ripple * m_scale;
}

double TrafficModel::timeoutShare(Timestamp t)
{
    if (t < sample_story::kGatewayTimeouts)
        return 0;
    // 35 % at 14:47, rising to 65 % by 14:50, and staying there: the gateway is not recovering.
    const double minutes = double((t - sample_story::kGatewayTimeouts).count()) / 60e9;
    return std::min(0.65, 0.35 + 0.10 * minutes);
}

TrafficModel::GatewayCall TrafficModel::gatewayCall(Timestamp t, Prng& rng) const
{
    GatewayCall call;
    const double timeoutRoll = rng.uniform();
    const double declineRoll = rng.uniform();
    const Duration timeout = sample_story::kGatewayTimeout;
    if (t < sample_story::kGatewaySlow) {
        call.duration = latency(rng, 160, 0.3);
    } else if (t < sample_story::kGatewayTimeouts) {
        // Slow but still inside the timeout: latency rises before anything fails.
        call.duration = std::min(latency(rng, 1600, 0.45), Duration::millis(4600));
    } else if (timeoutRoll < timeoutShare(t)) {
        call.timedOut = true;
        call.duration = timeout + Duration::micros(200 + rng.below(3000)); // the client gives up just after 5 s
        return call;
    } else {
        call.duration = std::min(latency(rng, 2200, 0.4), Duration::millis(4900));
    }
    call.declined = declineRoll < 0.012;
    return call;
}

Duration TrafficModel::latency(Prng& rng, double medianMs, double sigma)
{
    const double ms = rng.logNormal(medianMs, sigma);
    return Duration::micros(std::max<int64_t>(50, int64_t(ms * 1000.0)));
}

} // namespace rootline::sample
