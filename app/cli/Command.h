#pragma once

// The command-line framework: argument parsing shared by every subcommand, JSON output, exit
// codes (design.md §6: 0 success, 1 partial, 2 usage or fatal error), and self-registration.

#include "cache/CacheWriter.h"
#include "core/Result.h"
#include "core/Time.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
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

// One row of a command's option table. The table is the single description of the command's
// options: the parser accepts exactly these, `<command> --help` prints them and `--manpage` renders
// them into rootline-cli(1).
struct Option {
    std::string name;  // "--cache"
    std::string value; // what it takes, "FILE"; empty for a flag
    std::string help;  // what it does
};

struct Command {
    std::string name;
    std::string summary;         // one line for `rootline-cli --help`
    std::string usage;           // the synopsis, shown on a usage error (every option in it is in the table)
    std::vector<Option> options; // the option table
    int (*run)(const Args&);
    std::vector<std::string> description = {}; // paragraphs for `<command> --help` and the manual

    const Option* option(const std::string& name) const;
    // Options the synopsis names that the table lacks, and table options the synopsis leaves out:
    // empty when the two agree (checked when the manual is written, so a mismatch fails the build).
    std::vector<std::string> synopsisMismatches() const;
};

// Writer options for every subcommand that writes a cache: says on stderr when it waits its turn
// behind another writer of the same cache (the GUI fetching, another import).
WriterOptions cliWriterOptions();

bool registerCommand(Command command);
const std::map<std::string, Command>& commands();

// Shared by `rootline-cli --help` and the manual page.
extern const char* const kToolSummary;
extern const char* const kTimesHelp;
extern const char* const kExitCodesHelp;

// Prints "rootline-cli <command>: <message>" on stderr and returns kFatal.
int fail(const std::string& command, const Error& error);
int usageError(const Command& command, const std::string& message);
// Prints a JSON document on stdout, pretty and with a trailing newline.
void printJson(const nlohmann::ordered_json& doc);

} // namespace rootline::cli
