// rootline-cli sample: writes the bundled sample incident (design.md §7) into a new cache
// (--out), and/or as the foreign-format files its story would come from (--files DIR).

#include "Command.h"
#include "cache/CacheReader.h"
#include "sample/ForeignSampleFiles.h"
#include "sample/SampleCache.h"

#include <charconv>
#include <iostream>

namespace rootline::cli {
namespace {

int reportFiles(const std::string& dir, const SampleOptions& options, const SampleFilesStats& s, bool json)
{
    if (json) {
        nlohmann::ordered_json doc;
        doc["files"] = dir;
        doc["seed"] = options.seed;
        doc["scale"] = options.scale;
        doc["logs"] = s.logs();
        doc["spans"] = s.spans();
        doc["series"] = s.series;
        doc["samples"] = s.samples;
        doc["exemplars"] = s.exemplars;
        doc["alerts"] = s.alerts;
        doc["bytes"] = s.bytes;
        printJson(doc);
        return kSuccess;
    }
    std::cout << "wrote the sample incident as exported files to " << dir << " (seed " << options.seed << ", scale " << options.scale
              << ")\n"
              << "  " << sample_files::kOtlpTraces << "         " << s.otlpSpans << " spans in " << s.otlpSpanLines << " lines\n"
              << "  " << sample_files::kJaegerTraces << "        " << s.jaegerSpans << " spans in " << s.jaegerTraces << " traces\n"
              << "  " << sample_files::kOtlpLogs << "           " << s.otlpLogs << " logs in " << s.otlpLogLines << " lines\n"
              << "  " << sample_files::kLokiLogs << "     " << s.lokiLogs << " logs in " << s.lokiStreams << " streams\n"
              << "  " << sample_files::kMetrics << "  " << s.series << " series with " << s.samples << " samples\n"
              << "  " << sample_files::kExemplars << "            " << s.exemplars << " exemplars\n"
              << "  " << sample_files::kAlerts << "               " << s.alerts << " alerts\n"
              << "  import them with: rootline-cli import --cache FILE " << dir << "\n";
    return kSuccess;
}

int runSample(const Args& args)
{
    const auto& self = commands().at("sample");
    const auto out = args.value("--out");
    const auto filesDir = args.value("--files");
    if (!out && !filesDir)
        return usageError(self, "--out FILE or --files DIR is required");
    SampleOptions options;
    if (auto v = args.value("--seed")) {
        const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), options.seed);
        if (ec != std::errc() || end != v->data() + v->size())
            return usageError(self, "--seed needs a non-negative integer, got \"" + *v + "\"");
    }
    if (auto v = args.value("--scale")) {
        size_t used = 0;
        try {
            options.scale = std::stod(*v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v->size() || !(options.scale > 0))
            return usageError(self, "--scale needs a positive number, got \"" + *v + "\"");
    }
    if (filesDir) {
        auto files = writeSampleFiles(*filesDir, options, args.flag("--force"));
        if (!files)
            return fail("sample", files.error());
        if (!out)
            return reportFiles(*filesDir, options, *files, args.flag("--json"));
        if (!args.flag("--json"))
            reportFiles(*filesDir, options, *files, false);
    }
    auto stats = writeSampleCache(*out, options, args.flag("--force"));
    if (!stats)
        return fail("sample", stats.error());
    // Traces and series are counted by the cache, not by the writer.
    auto reader = CacheReader::open(*out);
    if (!reader)
        return fail("sample", reader.error());
    auto overview = (*reader)->overview();
    if (!overview)
        return fail("sample", overview.error());
    if (args.flag("--json")) {
        nlohmann::ordered_json doc;
        doc["out"] = *out;
        doc["seed"] = options.seed;
        doc["scale"] = options.scale;
        doc["logs"] = stats->logs;
        doc["spans"] = stats->spans;
        doc["traces"] = overview->traces;
        doc["series"] = overview->series;
        doc["samples"] = stats->samples;
        doc["exemplars"] = stats->exemplars;
        doc["alerts"] = stats->alerts;
        printJson(doc);
        return kSuccess;
    }
    std::cout << "wrote the sample incident to " << *out << " (seed " << options.seed << ", scale " << options.scale << ")\n"
              << "  logs       " << stats->logs << "\n"
              << "  spans      " << stats->spans << " in " << overview->traces << " traces\n"
              << "  series     " << overview->series << " with " << stats->samples << " samples\n"
              << "  exemplars  " << stats->exemplars << "\n"
              << "  alerts     " << stats->alerts << "\n";
    return kSuccess;
}

const bool registered = registerCommand(
    {"sample", "write the sample incident into a new cache, or as exported files",
     "sample [--out FILE] [--files DIR] (one or both) [--scale N] [--seed S] [--force] [--json]",
     {{"--out", "FILE", "Write the sample incident into this new cache."},
      {"--files", "DIR", "Write it as the files its story would come from: OTLP JSON lines, a Jaeger download, Loki and "
                         "Prometheus API responses, with a README."},
      {"--scale", "N", "Multiply the ordinary traffic by N (default 1); 100 makes a benchmark-sized incident."},
      {"--seed", "S", "The random seed (a non-negative integer); the same seed gives the same incident."},
      {"--force", "", "Overwrite FILE or the files in DIR if they exist."},
      {"--json", "", "Print the counts of what was written as JSON."}},
     runSample,
     {"The sample incident: checkout failed 5 minutes ago. The checkout p95 latency rises at 14:46 UTC, the payment "
      "service logs errors at 14:47, and traces show requests timing out on the call to the payment gateway. It is "
      "generated deterministically, so every build writes the same one."}});

} // namespace
} // namespace rootline::cli
