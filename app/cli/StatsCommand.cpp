// rootline-cli stats: what a cache holds.

#include "Command.h"
#include "cache/CacheReader.h"

#include <iostream>

namespace rootline::cli {
namespace {

int runStats(const Args& args)
{
    const auto& self = commands().at("stats");
    auto path = args.required("--cache");
    if (!path)
        return usageError(self, path.error().what);
    auto reader = CacheReader::open(*path);
    if (!reader)
        return fail("stats", reader.error());
    auto o = (*reader)->overview();
    if (!o)
        return fail("stats", o.error());
    if (args.flag("--json")) {
        nlohmann::ordered_json doc;
        doc["logs"] = o->logs;
        doc["spans"] = o->spans;
        doc["traces"] = o->traces;
        doc["series"] = o->series;
        doc["samples"] = o->samples;
        doc["exemplars"] = o->exemplars;
        doc["alerts"] = o->alerts;
        doc["services"] = o->services;
        doc["from"] = o->range ? nlohmann::ordered_json(o->range->from.toRfc3339()) : nlohmann::ordered_json();
        doc["to"] = o->range ? nlohmann::ordered_json(o->range->to.toRfc3339()) : nlohmann::ordered_json();
        printJson(doc);
        return kSuccess;
    }
    std::cout << *path << "\n"
              << "  logs       " << o->logs << "\n"
              << "  spans      " << o->spans << " in " << o->traces << " traces\n"
              << "  series     " << o->series << " with " << o->samples << " samples\n"
              << "  exemplars  " << o->exemplars << "\n"
              << "  alerts     " << o->alerts << "\n"
              << "  fetches    " << o->fetches << "\n";
    if (o->range)
        std::cout << "  range      " << o->range->from.toRfc3339() << " .. " << o->range->to.toRfc3339() << "\n";
    std::cout << "  services   ";
    for (size_t i = 0; i < o->services.size(); ++i)
        std::cout << (i ? ", " : "") << o->services[i];
    std::cout << "\n";
    return kSuccess;
}

const bool registered = registerCommand({"stats", "count what a cache holds", "stats --cache FILE [--json]",
                                         {{"--cache", "FILE", "The cache or bundle to read."},
                                          {"--json", "", "Print the counts, the services and the time range as JSON."}},
                                         runStats,
                                         {"Prints how many logs, spans, traces, series, samples, exemplars, alerts and fetches "
                                          "the cache holds, the time range it covers and the services it knows."}});

} // namespace
} // namespace rootline::cli
