// rootline-cli sample: writes the bundled sample incident (design.md §7) into a new cache.

#include "Command.h"
#include "cache/CacheReader.h"
#include "sample/SampleCache.h"

#include <charconv>
#include <iostream>

namespace rootline::cli {
namespace {

int runSample(const Args& args)
{
    const auto& self = commands().at("sample");
    auto out = args.required("--out");
    if (!out)
        return usageError(self, out.error().what);
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

const bool registered = registerCommand({"sample", "write the sample incident into a new cache",
                                         "sample --out FILE [--scale N] [--seed S] [--force] [--json]", {"--out", "--scale", "--seed"},
                                         {"--json", "--force"}, runSample});

} // namespace
} // namespace rootline::cli
