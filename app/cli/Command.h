#pragma once

// The command-line framework: argument parsing shared by every subcommand, JSON output, exit
// codes (design.md §6: 0 success, 1 partial, 2 usage or fatal error), and self-registration.

#include "core/Result.h"
#include "core/Time.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace rootline::cli {

enum ExitCode { kSuccess = 0, kPartial = 1, kFatal = 2 };

struct Args {
    std::multimap<std::string, std::string> options; // "--from" → "now-1h"; a flag maps to ""
    std::vector<std::string> positionals;

    bool flag(const std::string& name) const { return options.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
    // A required option; its absence is a usage error naming it.
    Result<std::string> required(const std::string& name) const;
    // --from/--to style times (RFC 3339, Unix seconds, now-15m).
    Result<std::optional<Timestamp>> time(const std::string& name) const;
};

struct Command {
    std::string name;
    std::string summary;                // one line for `rootline-cli --help`
    std::string usage;                  // the synopsis, shown on a usage error
    std::set<std::string> valueOptions; // options that take a value, e.g. "--cache"
    std::set<std::string> flags;        // options without a value, e.g. "--json"
    int (*run)(const Args&);
};

bool registerCommand(Command command);
const std::map<std::string, Command>& commands();

// Prints "rootline-cli <command>: <message>" on stderr and returns kFatal.
int fail(const std::string& command, const Error& error);
int usageError(const Command& command, const std::string& message);
// Prints a JSON document on stdout, pretty and with a trailing newline.
void printJson(const nlohmann::ordered_json& doc);

} // namespace rootline::cli
