#pragma once

// What a pane's query bar asks of a data source: which fetch kinds the pane shows, which sources
// can serve it, how the typed text becomes a FetchRequest (a PromQL/LogQL query, Jaeger search
// terms `k=v`, or a trace id), and which time window a fetch covers. Plain logic, unit-tested.

#include "CompletionContext.h"
#include "Connector.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <utility>
#include <vector>

namespace rootline {

enum class QueryPane { Metrics, Logs, Traces };

const char* queryPaneName(QueryPane pane); // "metrics", "logs", "traces" (settings keys)
// Metrics → series; logs → logs; traces → trace search and trace by id.
std::vector<FetchKind> paneKinds(QueryPane pane);
// A source serves a pane when its connector supports one of the pane's kinds.
bool servesPane(const std::vector<FetchKind>& supported, QueryPane pane);

// How the text of a pane's query bar is read, for completion.
enum class QueryLanguage { Selector, TraceSearch, Plain };
QueryLanguage queryLanguage(QueryPane pane, SourceType type);
// A short example for the empty query field.
QString queryPlaceholder(QueryPane pane, SourceType type);

// What the bar offers without asking the source: PromQL/LogQL functions and aggregation keywords
// where a metric name goes, the trace-search keys.
QStringList builtinCompletions(SourceType type, QueryPane pane, CompletionContext::What what);

// What to ask the source for the context at the cursor; empty when the source has nothing to say
// (a Loki metric name, any CloudWatch text, an operation before a service is given).
std::optional<CompletionRequest> completionRequestFor(SourceType type,
                                                      const CompletionContext& context);

// `service=checkout operation="POST /pay" minDuration=1s` → pairs; values may be double-quoted
// (with \" inside). A term without '=' is an error naming it.
Result<std::vector<std::pair<std::string, std::string>>> parseSearchTerms(const std::string& text);
// 16–32 hex digits, or an X-Ray id (1-8hex-24hex): what the trace bar takes as "open this trace".
bool looksLikeTraceId(const QString& text);

// The request for `text` typed into `pane`'s bar with `source` chosen, over `window`.
Result<FetchRequest> buildFetchRequest(QueryPane pane, const Source& source, const QString& text,
                                       TimeWindow window);

// What rides along with `main` in the same action (issue 4 item 3): a metric query from a source
// that serves exemplars also asks for the exemplars of the same query over the same window
// (Prometheus's query_exemplars takes the PromQL query itself), so the timeline can link its points
// to traces. Empty for anything else.
std::vector<FetchRequest> companionRequests(const FetchRequest& main,
                                            const std::vector<FetchKind>& supported);

// The request for the firing and pending alerts of `source` (FetchKind::Alerts), over `window`
// (provenance only: a source answers with its alerts as they are now).
FetchRequest alertsRequest(const Source& source, TimeWindow window);

// The window a fetch covers: the focus window when one is selected, else the cache's range, else
// the hour before `now` (an empty cache during a live incident).
TimeWindow fetchWindow(TimeWindow focus, const std::optional<TimeWindow>& cacheRange,
                       Timestamp now);

} // namespace rootline
