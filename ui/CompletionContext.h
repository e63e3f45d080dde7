#pragma once

// What is being typed at the cursor of a query bar, so the completer asks the source for the right
// list: a metric name, a label name inside `{…}` or `by (…)`, a label value inside `label="…`, or a
// trace-search key or value (`service=…`). Plain text logic with no widget, unit-tested; applying a
// chosen completion is here too, so that quoting and escaping are tested as well.

#include <QString>

namespace rootline {

struct CompletionContext {
    enum class What { None, MetricName, LabelName, LabelValue, SearchKey, SearchValue };
    What what = What::None;
    QString prefix;       // what has been typed of the word so far (the completer's filter)
    int replaceStart = 0; // a chosen completion replaces [replaceStart, replaceEnd)
    int replaceEnd = 0;
    QString label;   // LabelValue: the label; SearchValue: the key
    QString metric;  // PromQL: the metric name before `{` (narrows label lookups); may be empty
    QString service; // trace search: the service=… term elsewhere in the text (for operations)
    QChar quote;     // LabelValue: the quote the value is in
    bool inSelector = false; // LabelName: inside `{…}` (a matcher follows), not a by (…) list
};

// PromQL and LogQL: selectors, matchers, label lists of by/without/on/ignoring/group_left/right.
CompletionContext selectorCompletionContext(const QString& text, int cursor);
// Trace search terms: `key=value key="value with spaces"`.
CompletionContext searchCompletionContext(const QString& text, int cursor);

struct CompletionEdit {
    QString text;
    int cursor = 0;
};
// The text after choosing `choice` in `context`: a label name gets `="` so its values come next,
// a value is escaped and closed with its quote, a search key gets `=`, a value with spaces quotes.
CompletionEdit applyCompletion(const QString& text, const CompletionContext& context,
                               const QString& choice);

} // namespace rootline
