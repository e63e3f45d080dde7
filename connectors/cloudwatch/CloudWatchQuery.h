#pragma once

// What a CloudWatch source's query text means. One connector serves metrics, Logs and X-Ray, so
// the text says which:
//
// Metrics (FetchKind::Series) — `;`-separated statements, each one MetricDataQuery:
//   AWS/ECS CPUUtilization ServiceName=checkout ClusterName=prod stat=p99 [id=m1] [label=...] [unit=Percent]
//   = m1 * 100 [id=e1] [label=pct]                (metric math: a statement starting with '=')
//   SELECT AVG(CPUUtilization) FROM "AWS/EC2" GROUP BY InstanceId   (Metrics Insights)
// or the AWS JSON itself: `[{"Id":"m1","MetricStat":{…}}, …]` / `{"MetricDataQueries":[…]}`.
// Statements without id= get m1, m2, … (metrics) and e1, e2, … (expressions); stat defaults to Average.
//
// Logs (FetchKind::Logs):
//   /ecs/checkout                                  FilterLogEvents over the group
//   /ecs/checkout,/ecs/payment { $.level = "error" }   FilterLogEvents with a filter pattern, per group
//   /ecs/checkout,/ecs/payment | fields @timestamp, @message | filter @message like /timeout/
//                                                  Logs Insights (everything after the first '|');
//                                                  `stats … by bin(5m)` rows become series samples
//
// Traces (FetchKind::Traces): the query text is an X-Ray filter expression; search terms add
// `service("x")`, `duration >= s`, `fault = true`, `annotation.k = "v"` clauses.

#include "core/Result.h"
#include "import/AwsJson.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rootline::aws {

struct MetricQuerySpec {
    std::string id;
    // MetricStat when `expression` is empty.
    std::string ns, metricName, stat = "Average", unit;
    std::vector<std::pair<std::string, std::string>> dimensions;
    std::string expression;
    std::string label;
    bool returnData = true;
    int period = 0; // 0: the connector chooses
};

Result<std::vector<MetricQuerySpec>> parseMetricQuery(const std::string& text);
// What names the series a spec's results become (labels, resource attributes).
MetricTemplate metricTemplate(const MetricQuerySpec& spec, const std::string& region);

struct LogsQuerySpec {
    std::vector<std::string> groups;
    std::string filterPattern;  // FilterLogEvents
    std::string insightsQuery;  // non-empty: Logs Insights
    bool insights() const { return !insightsQuery.empty(); }
};

Result<LogsQuerySpec> parseLogsQuery(const std::string& text);

// X-Ray filter expression from the query text and search terms.
std::string xrayFilterExpression(const std::string& query, const std::vector<std::pair<std::string, std::string>>& search);

} // namespace rootline::aws
