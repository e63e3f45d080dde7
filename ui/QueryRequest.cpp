#include "QueryRequest.h"

#include <QObject>
#include <QRegularExpression>
#include <algorithm>
#include <cctype>

namespace rootline {

const char* queryPaneName(QueryPane pane) {
    switch (pane) {
    case QueryPane::Metrics:
        return "metrics";
    case QueryPane::Logs:
        return "logs";
    case QueryPane::Traces:
        return "traces";
    }
    return "?";
}

std::vector<FetchKind> paneKinds(QueryPane pane) {
    switch (pane) {
    case QueryPane::Metrics:
        return {FetchKind::Series};
    case QueryPane::Logs:
        return {FetchKind::Logs};
    case QueryPane::Traces:
        return {FetchKind::Traces, FetchKind::Trace};
    }
    return {};
}

bool servesPane(const std::vector<FetchKind>& supported, QueryPane pane) {
    const auto kinds = paneKinds(pane);
    return std::any_of(kinds.begin(), kinds.end(), [&](FetchKind k) {
        return std::find(supported.begin(), supported.end(), k) != supported.end();
    });
}

QueryLanguage queryLanguage(QueryPane pane, SourceType type) {
    switch (type) {
    case SourceType::Prometheus:
    case SourceType::Loki:
        return QueryLanguage::Selector;
    case SourceType::Jaeger:
        return pane == QueryPane::Traces ? QueryLanguage::TraceSearch : QueryLanguage::Plain;
    case SourceType::CloudWatch:
    case SourceType::Alertmanager: // serves alerts only: no query bar offers it
        return QueryLanguage::Plain;
    }
    return QueryLanguage::Plain;
}

QString queryPlaceholder(QueryPane pane, SourceType type) {
    switch (pane) {
    case QueryPane::Metrics:
        if (type == SourceType::Loki)
            return QObject::tr("LogQL metric query, e.g. sum by (app) (rate({app=\"checkout\"} |= "
                               "\"error\" [1m]))");
        if (type == SourceType::CloudWatch)
            return QObject::tr(
                "AWS/ECS CPUUtilization ServiceName=checkout stat=p99, or SELECT … FROM …");
        return QObject::tr("PromQL, e.g. sum by (service) (rate(http_requests_total[5m]))");
    case QueryPane::Logs:
        if (type == SourceType::CloudWatch)
            return QObject::tr("/ecs/checkout { $.level = \"error\" }, or /ecs/checkout | filter "
                               "@message like /timeout/");
        return QObject::tr("LogQL, e.g. {service_name=\"checkout\"} |= \"error\"");
    case QueryPane::Traces:
        if (type == SourceType::CloudWatch)
            return QObject::tr("X-Ray filter, e.g. service(\"checkout\") AND fault, or a trace id");
        return QObject::tr("service=checkout minDuration=1s, or a trace id");
    }
    return {};
}

QStringList builtinCompletions(SourceType type, QueryPane pane, CompletionContext::What what) {
    using What = CompletionContext::What;
    if (what == What::SearchKey && pane == QueryPane::Traces && type == SourceType::Jaeger)
        return {QStringLiteral("service"),     QStringLiteral("operation"),
                QStringLiteral("tags"),        QStringLiteral("minDuration"),
                QStringLiteral("maxDuration"), QStringLiteral("limit"),
                QStringLiteral("lookback")};
    if (what != What::MetricName)
        return {};
    static const QStringList aggregations = {QStringLiteral("sum"),     QStringLiteral("avg"),
                                             QStringLiteral("min"),     QStringLiteral("max"),
                                             QStringLiteral("count"),   QStringLiteral("topk"),
                                             QStringLiteral("bottomk"), QStringLiteral("stddev"),
                                             QStringLiteral("by"),      QStringLiteral("without")};
    if (type == SourceType::Prometheus)
        return aggregations + QStringList{QStringLiteral("rate"),
                                          QStringLiteral("irate"),
                                          QStringLiteral("increase"),
                                          QStringLiteral("delta"),
                                          QStringLiteral("deriv"),
                                          QStringLiteral("histogram_quantile"),
                                          QStringLiteral("quantile"),
                                          QStringLiteral("group"),
                                          QStringLiteral("count_values"),
                                          QStringLiteral("avg_over_time"),
                                          QStringLiteral("max_over_time"),
                                          QStringLiteral("min_over_time"),
                                          QStringLiteral("sum_over_time"),
                                          QStringLiteral("count_over_time"),
                                          QStringLiteral("quantile_over_time"),
                                          QStringLiteral("last_over_time"),
                                          QStringLiteral("absent"),
                                          QStringLiteral("absent_over_time"),
                                          QStringLiteral("changes"),
                                          QStringLiteral("resets"),
                                          QStringLiteral("label_replace"),
                                          QStringLiteral("label_join"),
                                          QStringLiteral("clamp_min"),
                                          QStringLiteral("clamp_max"),
                                          QStringLiteral("predict_linear"),
                                          QStringLiteral("sort_desc"),
                                          QStringLiteral("on"),
                                          QStringLiteral("ignoring"),
                                          QStringLiteral("group_left"),
                                          QStringLiteral("group_right"),
                                          QStringLiteral("offset")};
    if (type == SourceType::Loki)
        return aggregations + QStringList{QStringLiteral("rate"),
                                          QStringLiteral("count_over_time"),
                                          QStringLiteral("bytes_rate"),
                                          QStringLiteral("bytes_over_time"),
                                          QStringLiteral("sum_over_time"),
                                          QStringLiteral("avg_over_time"),
                                          QStringLiteral("max_over_time"),
                                          QStringLiteral("min_over_time"),
                                          QStringLiteral("quantile_over_time"),
                                          QStringLiteral("first_over_time"),
                                          QStringLiteral("last_over_time"),
                                          QStringLiteral("absent_over_time")};
    return {};
}

std::optional<CompletionRequest> completionRequestFor(SourceType type,
                                                      const CompletionContext& ctx) {
    using What = CompletionContext::What;
    CompletionRequest r;
    // Prometheus narrows label lookups to the metric of the selector (match[]=metric).
    const std::string matcher =
        type == SourceType::Prometheus ? ctx.metric.toStdString() : std::string();
    switch (ctx.what) {
    case What::MetricName:
        if (type != SourceType::Prometheus)
            return std::nullopt;
        r.what = CompletionRequest::What::MetricNames;
        return r;
    case What::LabelName:
        if (type != SourceType::Prometheus && type != SourceType::Loki)
            return std::nullopt;
        r.what = CompletionRequest::What::LabelNames;
        r.matcher = matcher;
        return r;
    case What::LabelValue:
        if ((type != SourceType::Prometheus && type != SourceType::Loki) || ctx.label.isEmpty())
            return std::nullopt;
        r.what = CompletionRequest::What::LabelValues;
        r.label = ctx.label.toStdString();
        r.matcher = matcher;
        return r;
    case What::SearchValue:
        if (type != SourceType::Jaeger)
            return std::nullopt;
        if (ctx.label == QLatin1String("service")) {
            r.what = CompletionRequest::What::Services;
            return r;
        }
        if (ctx.label == QLatin1String("operation") && !ctx.service.isEmpty()) {
            r.what = CompletionRequest::What::Operations;
            r.label = ctx.service.toStdString();
            return r;
        }
        return std::nullopt;
    case What::SearchKey:
    case What::None:
        return std::nullopt;
    }
    return std::nullopt;
}

Result<std::vector<std::pair<std::string, std::string>>> parseSearchTerms(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        if (i == text.size())
            break;
        const size_t termStart = i;
        std::string key;
        while (i < text.size() && text[i] != '=' &&
               !std::isspace(static_cast<unsigned char>(text[i])))
            key += text[i++];
        if (i == text.size() || text[i] != '=' || key.empty()) {
            const size_t end = text.find(' ', termStart);
            return Error{"search terms",
                         "\"" +
                             text.substr(termStart, end == std::string::npos ? std::string::npos
                                                                             : end - termStart) +
                             "\" is not key=value",
                         "write terms as service=NAME operation=\"GET /x\" minDuration=500ms, or "
                         "paste a trace id"};
        }
        ++i; // '='
        std::string value;
        if (i < text.size() && text[i] == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '\\' && i + 1 < text.size()) {
                    value += text[i + 1];
                    i += 2;
                    continue;
                }
                if (text[i] == '"') {
                    closed = true;
                    ++i;
                    break;
                }
                value += text[i++];
            }
            if (!closed)
                return Error{"search terms", "the value of " + key + " has no closing quote",
                             "close it with \""};
        } else {
            while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
                value += text[i++];
        }
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

bool looksLikeTraceId(const QString& text) {
    static const QRegularExpression hex(
        QStringLiteral("^(?:[0-9a-fA-F]{16,32}|1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})$"));
    return hex.match(text.trimmed()).hasMatch();
}

Result<FetchRequest> buildFetchRequest(QueryPane pane, const Source& source, const QString& text,
                                       TimeWindow window) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error{"query bar", "the query is empty",
                     queryPlaceholder(pane, source.type).toStdString()};
    FetchRequest r;
    r.source = source.name;
    r.window = window;
    switch (pane) {
    case QueryPane::Metrics:
        r.kind = FetchKind::Series;
        r.query = trimmed.toStdString();
        break;
    case QueryPane::Logs:
        r.kind = FetchKind::Logs;
        r.query = trimmed.toStdString();
        break;
    case QueryPane::Traces:
        if (looksLikeTraceId(trimmed)) {
            r.kind = FetchKind::Trace;
            r.traceId = trimmed.toStdString();
        } else if (source.type == SourceType::CloudWatch) {
            r.kind = FetchKind::Traces; // an X-Ray filter expression
            r.query = trimmed.toStdString();
        } else {
            auto terms = parseSearchTerms(trimmed.toStdString());
            if (!terms)
                return terms.error();
            r.kind = FetchKind::Traces;
            r.search = std::move(*terms);
        }
        break;
    }
    return r;
}

std::vector<FetchRequest> companionRequests(const FetchRequest& main,
                                            const std::vector<FetchKind>& supported) {
    std::vector<FetchRequest> out;
    const bool exemplars =
        std::find(supported.begin(), supported.end(), FetchKind::Exemplars) != supported.end();
    if (main.kind == FetchKind::Series && exemplars && !main.query.empty()) {
        FetchRequest e;
        e.source = main.source;
        e.kind = FetchKind::Exemplars;
        e.query = main.query;
        e.window = main.window;
        out.push_back(std::move(e));
    }
    return out;
}

FetchRequest alertsRequest(const Source& source, TimeWindow window) {
    FetchRequest r;
    r.source = source.name;
    r.kind = FetchKind::Alerts;
    r.window = window;
    return r;
}

TimeWindow fetchWindow(TimeWindow focus, const std::optional<TimeWindow>& cacheRange,
                       Timestamp now) {
    if (focus != TimeWindow::all() && focus.isValid())
        return focus;
    if (cacheRange && cacheRange->isValid())
        // The range ends at the last record; the fetch must include it (windows end exclusive).
        return {cacheRange->from, cacheRange->to + Duration::nanos(1)};
    return {now - Duration::hours(1), now};
}

} // namespace rootline
