#pragma once

// The `cloudwatch` source kind (wire-formats.md §5): CloudWatch metrics (GetMetricData with metric
// stats and math, NextToken chains whose pages repeat every Id; ListMetrics for completion), Logs
// (FilterLogEvents pagination through empty pages; Logs Insights StartQuery → GetQueryResults
// polling → StopQuery on cancel, a 10,000-row result split into smaller time ranges) and X-Ray
// (GetTraceSummaries pages → BatchGetTraces ≤ 5 ids a call), and alarms in ALARM state
// (DescribeAlarms, as alerts). Requests are SigV4-signed by libcurl
// (AwsApi); throttling is answered with backoff. What each query text means: CloudWatchQuery.h.
//
// Pages are parsed into a buffer and handed to the sink only whole, de-duplicated (Logs eventId,
// Insights @ptr, X-Ray trace ids), so a failure never leaves half a page behind; any failure is an
// Error (the caller rolls its write unit back), a hit limit or a cancel a partial outcome.

#include "AwsApi.h"
#include "CloudWatchQuery.h"
#include "Connector.h"

namespace rootline {

namespace http { class HttpClient; }

class CloudWatchConnector final : public Connector {
public:
    struct Tuning {
        aws::RetryTuning retry;
        Duration pollInterval = Duration::millis(500);   // Logs Insights: first GetQueryResults delay
        Duration maxPollInterval = Duration::seconds(5);
        Duration insightsTimeout = Duration::minutes(60); // AWS's own query timeout
        int insightsRowCap = 10000;                       // a result this long is split in time
        int64_t defaultLogLimit = 100000;                 // records per fetch when the request says 0
        int64_t defaultTraceLimit = 100;                  // traces per search when the request says 0
        int maxUnprocessedRounds = 3;                     // BatchGetTraces UnprocessedTraceIds retries
        int maxPages = 10000;                             // per token chain: a loop guard
    };

    CloudWatchConnector(Source source, http::HttpClient& client);
    CloudWatchConnector(Source source, http::HttpClient& client, Tuning tuning);

    const Source& source() const override { return m_source; }
    Result<ConnectionInfo> testConnection() override;
    Result<FetchOutcome> fetch(const FetchRequest& request, RecordSink& sink, const std::atomic_bool* cancelled = nullptr,
                               const ProgressCallback& progress = {}) override;
    Result<std::vector<std::string>> complete(const CompletionRequest& request) override;
    std::vector<FetchKind> supportedKinds() const override;

    // The GetMetricData period for `specs` over `window`: `step` rounded to a valid period if given,
    // raised so no query exceeds 100,800 datapoints and to what retention allows for the window's age.
    static int choosePeriod(TimeWindow window, std::optional<Duration> step, Timestamp now);

private:
    struct Run; // one fetch's counters, sink and cancel flag

    Result<FetchOutcome> fetchMetrics(const FetchRequest& request, Run& run);
    Result<FetchOutcome> fetchFilteredLogs(const FetchRequest& request, const aws::LogsQuerySpec& spec, Run& run);
    Result<FetchOutcome> fetchInsights(const FetchRequest& request, const aws::LogsQuerySpec& spec, Run& run);
    Result<FetchOutcome> fetchTraces(const FetchRequest& request, Run& run);
    Result<FetchOutcome> fetchTrace(const FetchRequest& request, Run& run);
    Status batchGetTraces(std::vector<std::string> ids, Run& run, FetchOutcome& outcome);
    Result<FetchOutcome> fetchAlarms(Run& run);

    Source m_source;
    aws::AwsApi m_api;
    Tuning m_tuning;
};

} // namespace rootline
