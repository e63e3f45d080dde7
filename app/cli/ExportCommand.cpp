// rootline-cli export: a self-contained, credential-free bundle of (part of) a cache.

#include "Command.h"
#include "bundle/BundleExporter.h"

#include <iostream>

namespace rootline::cli {
namespace {

int runExport(const Args& args)
{
    const auto& self = commands().at("export");
    auto cache = args.required("--cache");
    if (!cache)
        return usageError(self, cache.error().what);
    auto out = args.required("--out");
    if (!out)
        return usageError(self, out.error().what);
    ExportOptions options;
    auto from = args.time("--from");
    if (!from)
        return usageError(self, from.error().message());
    auto to = args.time("--to");
    if (!to)
        return usageError(self, to.error().message());
    if (*from)
        options.window.from = **from;
    if (*to)
        options.window.to = **to;
    if (!options.window.isValid())
        return usageError(self, "--from must be before --to");
    options.services = args.values("--service");
    options.redact = args.flag("--redact") || args.flag("--redact-pattern");
    int extra = 0;
    for (const std::string& pattern : args.values("--redact-pattern"))
        options.redactionRules.push_back({"pattern " + std::to_string(++extra), pattern, "[redacted]"});
    if (extra > 0)
        options.redact = true;
    options.overwrite = args.flag("--force");

    auto summary = exportBundle(*cache, *out, options);
    if (!summary)
        return fail("export", summary.error());
    const WriteStats& s = summary->stats;
    if (args.flag("--json")) {
        nlohmann::ordered_json doc;
        doc["out"] = *out;
        doc["logs"] = s.logs;
        doc["spans"] = s.spans;
        doc["traces"] = summary->traces;
        doc["series"] = s.series;
        doc["samples"] = s.samples;
        doc["histograms"] = s.histograms;
        doc["exemplars"] = s.exemplars;
        doc["alerts"] = s.alerts;
        doc["redacted"] = summary->redactedValues;
        doc["from"] = summary->range ? nlohmann::ordered_json(summary->range->from.toRfc3339()) : nlohmann::ordered_json();
        doc["to"] = summary->range ? nlohmann::ordered_json(summary->range->to.toRfc3339()) : nlohmann::ordered_json();
        doc["content_hash"] = summary->contentHash;
        printJson(doc);
        return kSuccess;
    }
    std::cout << "exported to " << *out << "\n"
              << "  logs       " << s.logs << "\n"
              << "  spans      " << s.spans << " in " << summary->traces << " traces\n"
              << "  series     " << s.series << " with " << s.samples << " samples\n"
              << "  exemplars  " << s.exemplars << "\n"
              << "  alerts     " << s.alerts << "\n";
    if (options.redact)
        std::cout << "  redacted   " << summary->redactedValues << " values\n";
    std::cout << "  content    sha256:" << summary->contentHash << "\n";
    return kSuccess;
}

const bool registered = registerCommand(
    {"export", "write a self-contained bundle of a cache",
     "export --cache FILE --out OUT.rootline [--from T --to T] [--service S]... [--redact] [--redact-pattern RE2]... [--force] [--json]",
     {{"--cache", "FILE", "The cache to export from."},
      {"--out", "OUT.rootline", "The bundle to write."},
      {"--from", "T", "Export only what happened at or after T."},
      {"--to", "T", "Export only what happened before T."},
      {"--service", "S", "Export only this service's records; repeat for more services."},
      {"--redact", "", "Mask credentials, e-mail addresses and IPv4 addresses in log lines and attributes."},
      {"--redact-pattern", "RE2", "Also mask what this RE2 pattern matches; repeatable, implies --redact."},
      {"--force", "", "Overwrite OUT.rootline if it exists."},
      {"--json", "", "Print what was exported, the time range and the bundle's content hash as JSON."}},
     runExport,
     {"The bundle is a cache file itself, holding no credentials: data-source secrets are never stored, and --redact "
      "removes secrets from the telemetry too. Anyone can open it with rootline or any rootline-cli command."}});

} // namespace
} // namespace rootline::cli
