// rootline-cli fetch: pulls a window from a configured data source into a cache, reusing what the
// cache already holds, and says what came from where.

#include "Command.h"
#include "FetchIntoCache.h"
#include "core/Clock.h"
#include "sources/SourcesFile.h"

#include <algorithm>
#include <iostream>

namespace rootline::cli {
namespace {

constexpr const char* kName = "fetch";

nlohmann::ordered_json windowJson(const TimeWindow& w)
{
    return {{"from", w.from.toRfc3339()}, {"to", w.to.toRfc3339()}};
}

// What the user asked for, when --kind does not say: --trace is one trace, --search a trace
// search, --query a metric query on Prometheus and a log query elsewhere.
Result<FetchKind> kindFor(const Args& args, const Source& source)
{
    if (auto k = args.value("--kind")) {
        auto kind = fetchKindFromName(*k);
        if (!kind)
            return Error{"--kind", "unknown kind '" + *k + "'", "series, instant, logs, traces, trace, exemplars or alerts"};
        return *kind;
    }
    if (args.value("--trace"))
        return FetchKind::Trace;
    if (!args.values("--search").empty())
        return FetchKind::Traces;
    if (source.type == SourceType::Prometheus)
        return FetchKind::Series;
    if (source.type == SourceType::Jaeger)
        return FetchKind::Traces;
    return FetchKind::Logs;
}

int runFetch(const Args& args)
{
    const Command& self = commands().at(kName);
    auto cachePath = args.required("--cache");
    if (!cachePath)
        return usageError(self, cachePath.error().what);
    auto sourceName = args.required("--source");
    if (!sourceName)
        return usageError(self, sourceName.error().what);
    const int selectors = int(bool(args.value("--query"))) + int(bool(args.value("--trace"))) + int(!args.values("--search").empty());
    if (selectors > 1)
        return usageError(self, "give one of --query, --trace or --search");
    const std::string kindText = args.value("--kind").value_or("");
    if (selectors == 0 && kindText != "alerts")
        return usageError(self, "missing --query, --trace or --search");

    const Timestamp now = Clock::current().now();
    auto from = args.time("--from");
    if (!from)
        return usageError(self, from.error().message());
    auto to = args.time("--to");
    if (!to)
        return usageError(self, to.error().message());
    if (!*from && !args.value("--trace") && kindText != "alerts")
        return usageError(self, "missing --from");
    TimeWindow window{from->value_or(now - Duration::hours(1)), to->value_or(now)};
    if (!window.isValid())
        return usageError(self, "--from must be before --to");

    const std::string sourcesPath = args.value("--sources").value_or(defaultSourcesPath());
    auto sources = loadSources(sourcesPath);
    if (!sources)
        return fail(kName, sources.error());
    const Source* found = findSource(*sources, *sourceName);
    if (!found) {
        std::string names;
        for (const auto& s : *sources)
            names += (names.empty() ? "" : ", ") + s.name;
        return fail(kName, Error{sourcesPath, "no source named '" + *sourceName + "'", names.empty() ? "the file lists no sources" : "known: " + names});
    }
    const Source& source = *found;
    // Secrets are resolved early so that a missing one fails before anything else is asked.
    {
        Source resolved = source;
        if (auto s = resolveSecrets(resolved); !s)
            return fail(kName, s.error());
    }

    FetchRequest request;
    request.source = source.name;
    auto kind = kindFor(args, source);
    if (!kind)
        return usageError(self, kind.error().message());
    request.kind = *kind;
    request.query = args.value("--query").value_or("");
    request.traceId = args.value("--trace").value_or("");
    for (const auto& term : args.values("--search")) {
        const auto eq = term.find('=');
        if (eq == std::string::npos || eq == 0)
            return usageError(self, "--search takes key=value, got '" + term + "'");
        request.search.emplace_back(term.substr(0, eq), term.substr(eq + 1));
    }
    request.window = window;
    if (auto step = args.value("--step")) {
        auto d = parseDuration(*step);
        if (!d || d->count() <= 0)
            return usageError(self, "--step takes seconds or a duration (15, 1m), got '" + *step + "'");
        request.step = *d;
    }
    if (auto limit = args.value("--limit")) {
        try {
            request.limit = std::stoll(*limit);
        } catch (...) {
            request.limit = -1;
        }
        if (request.limit <= 0)
            return usageError(self, "--limit takes a positive number");
    }

    if (auto can = sourceCanFetch(source, request.kind); !can)
        return usageError(self, std::string("source '") + source.name + "' (" + sourceTypeName(source.type) + ") cannot fetch "
                                    + fetchKindName(request.kind));

    FetchIntoCacheOptions options;
    options.writer = cliWriterOptions();
    auto report = fetchIntoCache(source, request, *cachePath, nullptr, {}, options);
    if (!report)
        return fail(kName, report.error());

    const WriteStats& s = report->stored;
    const bool partial = !report->complete || s.rejected > 0;
    if (args.flag("--json")) {
        nlohmann::ordered_json doc;
        doc["source"] = source.name;
        doc["kind"] = fetchKindName(request.kind);
        doc["query"] = request.provenanceQuery();
        doc["window"] = windowJson(window);
        doc["from"] = report->fromCache() ? "cache" : (report->cached.empty() ? "network" : "cache+network");
        auto& net = doc["network"] = nlohmann::ordered_json::array();
        for (const auto& w : report->fetched)
            net.push_back(windowJson(w));
        auto& cached = doc["cache"] = nlohmann::ordered_json::array();
        for (const auto& w : report->cached)
            cached.push_back(windowJson(w));
        doc["requests"] = report->requests;
        doc["bytes"] = report->bytes;
        doc["rows"] = {{"logs", s.logs},       {"spans", s.spans},           {"series", s.series},
                       {"samples", s.samples}, {"histograms", s.histograms}, {"exemplars", s.exemplars},
                       {"alerts", s.alerts},   {"rejected", s.rejected}};
        doc["complete"] = report->complete;
        doc["partial_reason"] = report->partialReason;
        doc["warnings"] = report->warnings;
        printJson(doc);
    } else {
        std::cout << "fetch " << fetchKindName(request.kind) << " from " << source.redacted() << "\n"
                  << "  query      " << request.provenanceQuery() << "\n"
                  << "  window     " << window.from.toRfc3339() << " .. " << window.to.toRfc3339() << "\n";
        if (report->fromCache())
            std::cout << "  from       cache (already covered, nothing fetched)\n";
        for (const auto& w : report->cached)
            std::cout << "  cache      " << w.from.toRfc3339() << " .. " << w.to.toRfc3339() << "\n";
        for (const auto& w : report->fetched)
            std::cout << "  network    " << w.from.toRfc3339() << " .. " << w.to.toRfc3339() << "\n";
        std::cout << "  requests   " << report->requests << " (" << report->bytes << " bytes)\n"
                  << "  rows       logs " << s.logs << ", spans " << s.spans << ", series " << s.series << ", samples " << s.samples
                  << ", histograms " << s.histograms << ", exemplars " << s.exemplars << ", alerts " << s.alerts << "\n";
        if (s.rejected)
            std::cout << "  rejected   " << s.rejected << " records (see `rootline-cli stats`)\n";
        for (const auto& w : report->warnings)
            std::cout << "  warning    " << w << "\n";
        std::cout << "  status     " << (report->complete ? "complete" : "PARTIAL: " + report->partialReason) << "\n";
    }
    return partial ? kPartial : kSuccess;
}

const bool registered = registerCommand(
    {kName, "fetch a window from a data source into a cache (reusing what it already holds)",
     "fetch --cache FILE [--sources FILE] --source NAME --from T --to T (--query Q | --trace ID | --search k=v...) "
     "[--kind series|instant|logs|traces|trace|exemplars|alerts] [--step SECONDS] [--limit N] [--json]",
     {{"--cache", "FILE", "The cache to fetch into; created when it does not exist."},
      {"--sources", "FILE", "The data sources file (default $XDG_CONFIG_HOME/rootline/sources.yaml)."},
      {"--source", "NAME", "The data source to ask, by its name in the sources file."},
      {"--from", "T", "The start of the window (not needed with --trace or --kind alerts)."},
      {"--to", "T", "The end of the window (default now)."},
      {"--query", "Q", "A PromQL, LogQL or Logs Insights query, as the source understands it."},
      {"--trace", "ID", "Fetch this one trace by its id."},
      {"--search", "k=v", "A trace search term such as service=checkout or error=true; repeatable."},
      {"--kind", "KIND", "What to fetch: series, instant, logs, traces, trace, exemplars or alerts (default: from the "
                         "source and the other options)."},
      {"--step", "SECONDS", "The step of a range query, in seconds or as a duration (15, 1m)."},
      {"--limit", "N", "At most N records; reaching it makes the fetch partial."},
      {"--json", "", "Print what came from the cache and from the network, the rows stored and whether the fetch was "
                     "complete, as JSON."}},
     runFetch,
     {"Only the parts of the window the cache does not already hold for the same source and query are fetched; what "
      "arrives is stored in one transaction with its provenance (source, query, window, time, rows, complete or "
      "partial). A fetch that is cut short keeps what arrived, says why, and exits with status 1."}});

} // namespace
} // namespace rootline::cli
