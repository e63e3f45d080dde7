// rootline-cli import: telemetry files, directories and archives into a cache.

#include "Command.h"
#include "cache/CacheWriter.h"
#include "import/Importer.h"
#include "import/PlainLogs.h"

#include <iostream>

#include <unistd.h>

namespace rootline::cli {
namespace {

nlohmann::ordered_json counts(const WriteStats& s, int64_t rejected)
{
    nlohmann::ordered_json j;
    j["logs"] = s.logs;
    j["spans"] = s.spans;
    j["series"] = s.series;
    j["samples"] = s.samples + s.histograms;
    j["exemplars"] = s.exemplars;
    j["alerts"] = s.alerts;
    j["rejected"] = rejected;
    return j;
}

int runImport(const Args& args)
{
    const auto& self = commands().at("import");
    auto cache = args.required("--cache");
    if (!cache)
        return usageError(self, cache.error().what);
    if (args.positionals.empty())
        return usageError(self, "no INPUT given");

    ImportOptions options;
    options.strict = args.flag("--strict");
    options.trust = args.flag("--trust");
    if (auto format = args.value("--format"))
        options.format = *format;
    if (auto pattern = args.value("--pattern")) // plain-text-logs: an anchored RE2 with (?P<time>…) etc.
        if (Status set = setPlainLogPattern({*pattern}); !set)
            return usageError(self, set.error().message());

    auto writer = CacheWriter::open(*cache, cliWriterOptions());
    if (!writer)
        return fail("import", writer.error());
    Importer importer(**writer, options);
    const bool json = args.flag("--json");
    if (!json && isatty(2)) {
        importer.setProgressCallback([](const ImportProgress& p) {
            if (p.bytesTotal > 0)
                std::cerr << "\r" << p.phase << " " << (100 * p.bytesDone / p.bytesTotal) << "%  " << std::flush;
        }, std::chrono::milliseconds(500));
    }
    const ImportSummary summary = importer.run(args.positionals);
    if (!json && isatty(2))
        std::cerr << "\r                    \r";

    int64_t totalRejected = 0;
    for (const auto& f : summary.files)
        totalRejected += f.rejected;

    if (json) {
        nlohmann::ordered_json doc;
        doc["inputs"] = nlohmann::ordered_json::array();
        nlohmann::ordered_json errors = nlohmann::ordered_json::array();
        for (const auto& f : summary.files) {
            nlohmann::ordered_json in;
            in["path"] = f.path;
            in["format"] = f.format.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(f.format);
            in["outcome"] = outcomeName(f.outcome);
            const nlohmann::ordered_json c = counts(f.stats, f.rejected);
            for (const auto& [k, v] : c.items())
                in[k] = v;
            if (!f.note.empty())
                in["note"] = f.note;
            doc["inputs"].push_back(in);
            for (const auto& e : f.errors)
                errors.push_back({{"path", e.path}, {"location", e.location}, {"message", e.message}});
        }
        doc["totals"] = counts(summary.totals, totalRejected);
        doc["errors"] = std::move(errors);
        // Messages may quote bytes from the input: never let invalid UTF-8 abort the report.
        std::cout << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    } else {
        for (const auto& f : summary.files) {
            std::cout << f.path << ": " << (f.format.empty() ? std::string("?") : f.format) << ", " << outcomeName(f.outcome);
            if (f.outcome == ImportFileResult::Outcome::Imported) {
                const auto& s = f.stats;
                std::cout << " — " << s.logs << " logs, " << s.spans << " spans, " << s.series << " series, "
                          << s.samples + s.histograms << " samples, " << s.exemplars << " exemplars, " << s.alerts << " alerts";
                if (f.rejected)
                    std::cout << ", " << f.rejected << " rejected";
            }
            if (!f.note.empty() && f.outcome != ImportFileResult::Outcome::Imported)
                std::cout << " — " << f.note;
            std::cout << "\n";
            for (const auto& e : f.errors)
                if (!e.location.empty())
                    std::cout << "  " << e.location << ": " << e.message << "\n";
            if (f.rejected > int64_t(f.errors.size()))
                std::cout << "  … " << f.rejected << " rejections in all (rootline-cli stats, or the cache's rejections table)\n";
        }
        const auto& t = summary.totals;
        std::cout << "total: " << t.logs << " logs, " << t.spans << " spans, " << t.series << " series, " << t.samples + t.histograms
                  << " samples, " << t.exemplars << " exemplars, " << t.alerts << " alerts, " << totalRejected << " rejected\n";
    }
    return summary.exitCode();
}

const bool registered = registerCommand(
    {"import", "import telemetry files, directories and archives into a cache",
     "import --cache FILE [--json] [--strict] [--trust] [--format NAME] [--pattern REGEX] INPUT...",
     {{"--cache", "FILE", "The cache to import into; created when it does not exist."},
      {"--json", "", "Print one entry per input (format, outcome, counts, rejections) and the totals as JSON."},
      {"--strict", "", "Reject a whole file when any of its records is malformed, instead of importing the rest."},
      {"--trust", "", "Import a .rootline bundle even when its content no longer matches the hash its manifest was "
                      "exported with (it was changed after export)."},
      {"--format", "NAME", "Read every input as this format instead of detecting it by content (for example otlp-json, "
                           "jaeger-json, prometheus-api, loki-api)."},
      {"--pattern", "REGEX", "How to read unstructured log lines: an anchored RE2 pattern with named captures such as "
                             "(?P<time>...), (?P<level>...) and (?P<message>...)."}},
     runImport,
     {"Each INPUT is a file, a directory (read recursively) or an archive (.tar, .tar.gz, .zip, .gz, .zst). Formats are "
      "detected by content, never by file name: OTLP/JSON traces, logs and metrics, Jaeger JSON, Prometheus and Loki HTTP "
      "API responses, AWS CLI output for CloudWatch Logs, Logs Insights, GetMetricData and X-Ray, JSON-lines logs, "
      "logfmt, unstructured lines and .rootline bundles.",
      "A malformed record is rejected with its file and line or byte offset and the rest of the file imports (unless "
      "--strict); each file is one transaction, and a file imported twice is skipped by its content hash."}});

} // namespace
} // namespace rootline::cli
