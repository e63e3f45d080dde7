#include "Format.h"
#include "AwsJson.h"
#include "JaegerJson.h"
#include "LokiApi.h"
#include "OtlpJson.h"
#include "PrometheusApi.h"
#include "PlainLogs.h"

// Each format's owner adds its header below and one entry to the list: nothing else registers.
// (Static self-registration is unreliable in a static library: the linker drops unreferenced objects.)

namespace rootline {

const std::vector<Format>& formats()
{
    static const std::vector<Format> all = {
        // formats: one line each, e.g. otlpJsonFormat(),
        otlpJsonFormat(),
        jaegerJsonFormat(),
        aws::cloudWatchLogsFormat(), aws::logsInsightsFormat(), aws::cloudWatchMetricsFormat(), aws::xrayTracesFormat(),
        lokiApiFormat(),
        prometheusApiFormat(),
        jsonLinesLogsFormat(), logfmtFormat(), plainTextLogsFormat(), // plain logs: last, low sniff scores
    };
    return all;
}

const Format* detectFormat(std::string_view head)
{
    const Format* best = nullptr;
    int bestScore = 0;
    for (const auto& f : formats()) {
        const int score = f.sniff ? f.sniff(head) : 0;
        if (score > bestScore) {
            best = &f;
            bestScore = score;
        }
    }
    return best;
}

const Format* formatByName(std::string_view name)
{
    for (const auto& f : formats())
        if (f.name == name)
            return &f;
    return nullptr;
}

} // namespace rootline
