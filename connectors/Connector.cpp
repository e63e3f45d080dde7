#include "Connector.h"

namespace rootline {

namespace {
struct KindName {
    FetchKind kind;
    const char* name;
    const char* recordKind;
};
constexpr KindName kKinds[] = {
    {FetchKind::Series, "series", "series"},   {FetchKind::Instant, "instant", "series"},
    {FetchKind::Logs, "logs", "logs"},         {FetchKind::Traces, "traces", "spans"},
    {FetchKind::Trace, "trace", "spans"},      {FetchKind::Exemplars, "exemplars", "exemplars"},
    {FetchKind::Alerts, "alerts", "alerts"},
};
} // namespace

const char* fetchKindName(FetchKind kind)
{
    for (const auto& k : kKinds)
        if (k.kind == kind)
            return k.name;
    return "series";
}

const char* fetchRecordKind(FetchKind kind)
{
    for (const auto& k : kKinds)
        if (k.kind == kind)
            return k.recordKind;
    return "series";
}

std::optional<FetchKind> fetchKindFromName(std::string_view name)
{
    for (const auto& k : kKinds)
        if (name == k.name)
            return k.kind;
    return std::nullopt;
}

std::string FetchRequest::provenanceQuery() const
{
    if (kind == FetchKind::Trace)
        return "trace:" + traceId;
    if (kind == FetchKind::Traces && query.empty()) {
        std::string out;
        for (const auto& [k, v] : search)
            out += (out.empty() ? "" : " ") + k + "=" + v;
        return out;
    }
    return query;
}

} // namespace rootline
