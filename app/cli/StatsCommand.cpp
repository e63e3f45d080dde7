// rootline-cli stats: what a cache holds.

#include "Command.h"
#include "cache/CacheReader.h"

#include <iostream>
#include <map>

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
    auto integrity = (*reader)->integrityProblems();
    if (!integrity)
        return fail("stats", integrity.error());
    auto rejections = (*reader)->rejections(0);
    if (!rejections)
        return fail("stats", rejections.error());
    auto fetches = (*reader)->fetches();
    if (!fetches)
        return fail("stats", fetches.error());
    std::map<int64_t, std::string> inputOf; // fetch row → the file or query it came from
    for (const auto& f : *fetches)
        inputOf[f.rowId] = f.query.empty() ? f.source : f.query;
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
        doc["integrity"] = integrity->empty() ? std::string("ok") : *integrity;
        doc["rejections"] = nlohmann::ordered_json::array();
        for (const auto& r : *rejections)
            doc["rejections"].push_back({{"path", inputOf[r.fetchRowId]},
                                         {"location", r.location},
                                         {"reason", r.message},
                                         {"snippet", r.snippet},
                                         {"severity", problemLevelName(r.level)}});
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
    std::cout << "  integrity  " << (integrity->empty() ? std::string("ok") : "DAMAGED: " + *integrity) << "\n";
    // What imports and fetches could not read (errors) or kept with a change (warnings), first ones.
    constexpr size_t kListed = 20;
    std::cout << "  rejections " << rejections->size() << "\n";
    for (size_t i = 0; i < rejections->size() && i < kListed; ++i) {
        const auto& r = (*rejections)[i];
        std::cout << "    " << problemLevelName(r.level) << "  " << (r.location.empty() ? inputOf[r.fetchRowId] : r.location) << ": "
                  << r.message << "\n";
    }
    if (rejections->size() > kListed)
        std::cout << "    … " << rejections->size() - kListed << " more (--json lists them all)\n";
    return kSuccess;
}

const bool registered = registerCommand({"stats", "count what a cache holds", "stats --cache FILE [--json]",
                                         {{"--cache", "FILE", "The cache or bundle to read."},
                                          {"--json", "", "Print the counts, the services, the time range, the file's integrity and every rejection as JSON."}},
                                         runStats,
                                         {"Prints how many logs, spans, traces, series, samples, exemplars, alerts and fetches "
                                          "the cache holds, the time range it covers and the services it knows."}});

} // namespace
} // namespace rootline::cli
