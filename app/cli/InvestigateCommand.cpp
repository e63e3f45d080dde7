// rootline-cli investigate: from an alert (or a service and a window) to ranked root-cause
// candidates and the guided investigation's steps, over a cache (issue 5 item 5).

#include "Command.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/CorrelationRules.h"
#include "investigation/Investigation.h"
#include "investigation/InvestigationReport.h"
#include "live/LiveRunner.h"
#include "sources/SourcesFile.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace rootline::cli {
namespace {

constexpr const char* kName = "investigate";

nlohmann::ordered_json fetchJson(const LiveFetchResult& f)
{
    nlohmann::ordered_json j;
    j["step"] = stepName(f.fetch.step);
    j["source"] = f.fetch.source.name;
    j["kind"] = fetchKindName(f.fetch.request.kind);
    j["query"] = f.fetch.request.provenanceQuery();
    j["from"] = f.fetch.request.window.from.toRfc3339();
    j["to"] = f.fetch.request.window.to.toRfc3339();
    j["rows"] = f.rows();
    j["bytes"] = f.bytes();
    j["complete"] = f.complete();
    if (!f.complete())
        j["reason"] = f.statusText();
    else if (f.report && f.report->fromCache())
        j["cached"] = true;
    j["seconds"] = f.seconds;
    return j;
}

// One line per fetch, as it ends (stderr, so that --json stays one document on stdout).
void printFetchLine(const LiveFetchResult& f)
{
    std::fprintf(stderr, "fetch %-12s %-14s %-9s %s  [%s .. %s)  %lld rows, %lld bytes, %.1f s  %s\n", stepName(f.fetch.step),
                 f.fetch.source.name.c_str(), fetchKindName(f.fetch.request.kind), f.fetch.request.provenanceQuery().c_str(),
                 f.fetch.request.window.from.toRfc3339().c_str(), f.fetch.request.window.to.toRfc3339().c_str(),
                 (long long)f.rows(), (long long)f.bytes(), f.seconds, f.statusText().c_str());
}

int runInvestigate(const Args& args)
{
    const auto& self = commands().at(kName);
    const auto started = std::chrono::steady_clock::now();
    auto path = args.required("--cache");
    if (!path)
        return usageError(self, path.error().what);
    const auto alertName = args.value("--alert");
    const auto service = args.value("--service");
    auto from = args.time("--from");
    auto to = args.time("--to");
    auto baseFrom = args.time("--baseline-from");
    auto baseTo = args.time("--baseline-to");
    auto confirm = args.time("--confirm-after");
    for (const auto* t : {&from, &to, &baseFrom, &baseTo, &confirm})
        if (!*t)
            return usageError(self, t->error().what);
    const bool live = args.flag("--live");
    if (args.value("--sources") && !live)
        return usageError(self, "--sources goes with --live");
    if (alertName && service)
        return usageError(self, "give either --alert or --service with --from and --to, not both");
    if (alertName && (*from || *to) && !live)
        return usageError(self, "--from and --to go with --service (or with --alert and --live: a past incident)");
    if (alertName && from->has_value() != to->has_value())
        return usageError(self, "--from and --to go together");
    if (live && !alertName && !service)
        return usageError(self, "--live needs --alert NAME, or --service with --from and --to");
    if (!alertName && (service || *from || *to) && !(service && *from && *to))
        return usageError(self, "--service, --from and --to go together");
    if (baseFrom->has_value() != baseTo->has_value())
        return usageError(self, "--baseline-from and --baseline-to go together");

    // Rules: --rules, else the config directory's rules.yaml when there is one.
    std::optional<CorrelationRules> rules;
    std::string rulesPath = args.value("--rules").value_or("");
    if (rulesPath.empty() && std::filesystem::exists(CorrelationRules::defaultPath()))
        rulesPath = CorrelationRules::defaultPath();
    if (!rulesPath.empty()) {
        auto loaded = CorrelationRules::load(rulesPath);
        if (!loaded)
            return fail(kName, loaded.error());
        rules = std::move(*loaded);
    }
    const CorrelationRules* rulesPtr = rules ? &*rules : nullptr;

    // --live: fetch what the plan needs into the cache first (connectors/live/LiveRunner.h).
    std::optional<LiveRun> liveRun;
    if (live) {
        const std::string sourcesPath = args.value("--sources").value_or(defaultSourcesPath());
        auto sources = loadSources(sourcesPath);
        if (!sources)
            return fail(kName, sources.error());
        LiveStart start;
        start.alertName = alertName.value_or("");
        start.service = service.value_or("");
        if (*from && *to)
            start.window = TimeWindow{**from, **to};
        start.confirmAfter = *confirm;
        LiveRunOptions lo;
        lo.cachePath = *path;
        lo.sources = std::move(*sources);
        lo.rules = rulesPtr;
        lo.fetch.writer = cliWriterOptions();
        lo.onFetch = printFetchLine;
        auto run = runLiveInvestigation(start, lo);
        if (!run)
            return fail(kName, run.error());
        liveRun = std::move(*run);
    }

    auto reader = CacheReader::open(*path);
    if (!reader)
        return fail(kName, reader.error());
    InvestigationOptions options;
    options.rules = rulesPtr;
    options.confirmAfter = *confirm;
    if (liveRun) {
        options.alert = liveRun->target.alert;
        options.service = liveRun->target.service;
        options.window = liveRun->target.window;
        options.baseline = liveRun->target.baseline;
    } else if (service) {
        options.service = *service;
        options.window = TimeWindow{**from, **to};
    } else {
        auto alert = chooseAlert(**reader, alertName.value_or(""), rulesPtr);
        if (!alert)
            return fail(kName, alert.error());
        options.alert = *alert;
    }
    if (baseFrom->has_value())
        options.baseline = TimeWindow{**baseFrom, **baseTo};
    if (liveRun && !liveRun->target.alert)
        options.alert.reset();
    auto investigation = Investigation::start(**reader, options);
    if (!investigation)
        return fail(kName, investigation.error());
    if (auto s = investigation->runAll(**reader); !s)
        return fail(kName, s.error());
    const auto& st = investigation->state();

    if (args.flag("--save")) {
        reader->reset(); // the writer opens the file on its own connection
        auto writer = CacheWriter::open(*path, cliWriterOptions());
        if (!writer)
            return fail(kName, writer.error());
        auto id = investigation->save(**writer);
        if (!id)
            return fail(kName, id.error());
        std::cerr << "saved as investigation " << *id << " in " << *path << "\n";
    }
    if (auto report = args.value("--report")) {
        const bool html = report->ends_with(".html") || report->ends_with(".htm");
        std::ofstream out(*report, std::ios::binary | std::ios::trunc);
        out << (html ? investigationHtml(st) : investigationMarkdown(st));
        if (!out)
            return fail(kName, Error{*report, "cannot write the report", "check the directory exists and is writable"});
    }
    const double totalMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (args.flag("--json")) {
        auto doc = nlohmann::ordered_json::parse(investigation->resultJson());
        if (liveRun) {
            auto& fetches = doc["fetches"] = nlohmann::ordered_json::array();
            for (const auto& f : liveRun->fetches)
                fetches.push_back(fetchJson(f));
        }
        printJson(doc);
    } else {
        std::cout << st.title << "\n  window    " << st.window.from.toRfc3339() << " .. " << st.window.to.toRfc3339() << " (UTC)\n"
                  << "  baseline  " << st.baseline.from.toRfc3339() << " .. " << st.baseline.to.toRfc3339() << "\n\n";
        if (st.candidates.empty())
            std::cout << "No root-cause candidate stands out against the baseline.\n";
        for (const auto& c : st.candidates) {
            char score[16];
            std::snprintf(score, sizeof score, "%.2f", c.score);
            std::cout << "  #" << c.rank << " " << score << "  " << c.service << (c.operation.empty() ? "" : " / " + c.operation) << "  ["
                      << c.kind << "]\n      " << c.explanation << "\n";
        }
        std::cout << "\n";
        for (const auto& s : st.steps)
            std::cout << "  [" << stepStatusName(s.status) << "] " << stepTitle(s.kind) << ": " << s.summary << "\n";
    }
    if (args.flag("--timings")) {
        for (const auto& s : st.stages)
            std::fprintf(stderr, "stage %-14s %8.1f ms\n", s.stage.c_str(), s.milliseconds);
        std::fprintf(stderr, "total          %8.1f ms\n", totalMs);
    }
    if (liveRun && !liveRun->complete()) {
        // Exit 1: say which fetches fell short, so the reader knows what the ranking did not see.
        std::fprintf(stderr, "rootline-cli investigate: %s\n",
                     liveRun->cancelled ? "cancelled: what arrived was kept" : "some fetches were not complete:");
        for (const auto& f : liveRun->fetches)
            if (!f.complete())
                std::fprintf(stderr, "  %s from %s (%s): %s\n", stepName(f.fetch.step), f.fetch.source.name.c_str(),
                             f.fetch.request.provenanceQuery().c_str(), f.statusText().c_str());
        return kPartial;
    }
    return kSuccess;
}

const bool registered = registerCommand(
    {kName, "rank root causes for an alert or a window and walk the guided investigation",
     "investigate --cache FILE [--sources FILE --live] (--alert NAME [--from T --to T] | --service S --from T --to T)"
     " [--baseline-from T --baseline-to T] [--rules FILE] [--confirm-after T] [--json] [--report OUT.md|OUT.html] [--save]"
     " [--timings]",
     {{"--cache", "FILE", "The cache or bundle to investigate; with --live, the cache to fetch into (created when missing)."},
      {"--sources", "FILE", "With --live: the data sources file (default $XDG_CONFIG_HOME/rootline/sources.yaml)."},
      {"--live", "", "Fetch what each step needs from the sources first (alerts, the SLI's series and exemplars, log counts, "
                     "then error lines and traces of the implicated services, the candidate trace and its logs), only "
                     "what the cache lacks; then investigate."},
      {"--alert", "NAME", "Start from this alert in the cache (default: the one firing alert, if there is exactly one); "
                          "with --live, as the alert sources report it now, or — with --from and --to — a past incident "
                          "of that alert rule."},
      {"--service", "S", "Start from this service instead of an alert; needs --from and --to."},
      {"--from", "T", "The start of the window to investigate (with --service, or --alert and --live)."},
      {"--to", "T", "The end of the window to investigate (with --service, or --alert and --live)."},
      {"--baseline-from", "T", "The start of the normal window to compare with (default: just before the window)."},
      {"--baseline-to", "T", "The end of the baseline window."},
      {"--rules", "FILE", "Correlation rules (default $XDG_CONFIG_HOME/rootline/rules.yaml when it exists)."},
      {"--confirm-after", "T", "The time after which the SLI should have recovered (after a fix); the confirmation step checks it."},
      {"--json", "", "Print the candidates with their evidence and the steps as JSON; with --live also \"fetches\": "
                     "step, source, kind, query, from, to, rows, bytes, complete for each fetch."},
      {"--report", "OUT.md|OUT.html", "Also write the investigation as a Markdown or HTML report."},
      {"--save", "", "Save the investigation in the cache, where the window's investigation pane finds it."},
      {"--timings", "", "Print how long each stage took on stderr."}},
     runInvestigate,
     {"Ranks services and operations by evidence (the span where errors originate, self time on the critical path, "
      "change against the baseline, attributes that separate bad traces from good ones, log templates that spike) and "
      "prints each candidate with its score and explanation, then the steps of the guided investigation.",
      "With --live it first fetches, step by step, what the investigation needs and the cache does not hold yet: "
      "aggregates before raw data (log counts per service and level computed by Loki, then raw error and warning lines "
      "of the services they implicate only), each fetch with a row and byte budget. Every fetch is printed on stderr as "
      "it ends. Exit status 1 when a fetch was partial or failed (they are listed), 2 when nothing could be "
      "investigated."}});

} // namespace
} // namespace rootline::cli
