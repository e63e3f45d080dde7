#include "FetchService.h"

#include "cache/CacheWriter.h"
#include "core/Clock.h"
#include "import/WriterSink.h"

namespace rootline {

PlannerOptions plannerOptionsFor(const FetchRequest& request)
{
    PlannerOptions o;
    switch (request.kind) {
    case FetchKind::Trace: o.windowless = true; break;
    case FetchKind::Alerts:
    case FetchKind::Instant: o.alwaysFetch = true; break;
    case FetchKind::Series:
        if (request.step)
            o.minGap = *request.step;
        break;
    default: break;
    }
    return o;
}

Result<FetchReport> runFetch(Connector& connector, CacheWriter& writer, const std::vector<FetchRecord>& history,
                             const FetchRequest& request, const std::atomic_bool* cancelled, const ProgressCallback& progress)
{
    FetchReport report;
    report.request = request;
    const FetchKey key{request.source, fetchRecordKind(request.kind), request.provenanceQuery()};
    const FetchPlan plan = planFetch(history, key, request.window, plannerOptionsFor(request));
    report.cached = plan.covered;

    for (const TimeWindow& window : plan.missing) {
        if (cancelled && cancelled->load()) {
            report.complete = false;
            report.partialReason = "cancelled";
            break;
        }
        FetchRequest part = request;
        part.window = window;
        FetchRecord provenance;
        provenance.source = key.source;
        provenance.kind = key.kind;
        provenance.query = key.query;
        provenance.window = window;
        provenance.fetchedAt = Clock::current().now();
        auto unit = writer.begin(provenance);
        WriterSink sink(*unit, cancelled);
        auto outcome = connector.fetch(part, sink, cancelled, progress);
        if (!outcome) {
            unit->rollback();
            return outcome.error();
        }
        auto stats = unit->commit(outcome->complete, outcome->partialReason);
        if (!stats)
            return stats.error();
        report.stored += *stats;
        report.fetched.push_back(window);
        report.requests += outcome->requests;
        report.bytes += outcome->bytes;
        for (auto& w : outcome->warnings)
            report.warnings.push_back(std::move(w));
        if (!outcome->complete) {
            report.complete = false;
            if (!report.partialReason.empty())
                report.partialReason += "; ";
            report.partialReason += outcome->partialReason;
            if (outcome->partialReason == "cancelled")
                break;
        }
    }
    return report;
}

} // namespace rootline
