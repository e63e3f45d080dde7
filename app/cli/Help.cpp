#include "Help.h"

#include "ManPage.h"
#include "cache/Schema.h"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

namespace rootline::cli {

const char* const kToolSummary = "import, fetch, investigate and export telemetry from a terminal";
const char* const kTimesHelp = "Times (--from, --to and the like) are RFC 3339 (2026-11-20T14:40:00Z), Unix seconds, "
                               "or relative to now: now, now-15m, now-2h, now-1d.";
const char* const kExitCodesHelp = "Exit codes: 0 success, 1 partial (some records rejected, or a fetch cut short), "
                                   "2 usage or fatal error.";

namespace {

// Options that come before any command.
const std::vector<Option> kGlobalOptions = {
    {"--help", "", "Print the list of commands and exit; after a command, print that command's options."},
    {"--version", "", "Print the version of rootline-cli and of the cache schema it writes, and exit."},
    {"--manpage", "", "Print this manual page in roff (the build installs it as rootline-cli(1)) and exit."},
};

const std::vector<std::string> kDescription = {
    "rootline-cli does from a terminal or a runbook what the Rootline window does: it imports telemetry files "
    "into a cache, fetches a time window from Loki, Prometheus, Jaeger or CloudWatch, ranks root-cause candidates "
    "for an alert, and exports a self-contained .rootline bundle for a colleague.",
    "A cache is one SQLite file per investigation; a .rootline bundle is a cache too, so every command that takes "
    "--cache also reads a bundle. Every command takes --json for machine-readable output on stdout; progress and "
    "errors go to stderr.",
};

// "text" wrapped to `width` columns, every line after the first indented by `indent` spaces.
std::string wrap(const std::string& text, size_t indent, size_t width)
{
    std::istringstream words(text);
    std::string word, out, line;
    while (words >> word) {
        if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
            out += line + "\n" + std::string(indent, ' ');
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    return out + line;
}

void printOptions(const std::vector<Option>& options)
{
    size_t column = 0;
    for (const Option& o : options)
        column = std::max(column, o.name.size() + (o.value.empty() ? 0 : 1 + o.value.size()));
    column = std::min<size_t>(column + 4, 28);
    for (const Option& o : options) {
        std::string left = "  " + o.name + (o.value.empty() ? "" : " " + o.value);
        left += left.size() + 1 < column ? std::string(column - left.size(), ' ') : "\n" + std::string(column, ' ');
        std::cout << left << wrap(o.help, column, 100) << "\n";
    }
}

std::vector<man::Option> manOptions(const std::vector<Option>& options)
{
    std::vector<man::Option> out;
    for (const Option& o : options)
        out.push_back({o.name, o.value, o.help});
    return out;
}

std::string upper(std::string s)
{
    for (char& c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

} // namespace

std::vector<std::string> Command::synopsisMismatches() const
{
    std::vector<std::string> named;
    for (size_t at = usage.find("--"); at != std::string::npos; at = usage.find("--", at + 2)) {
        size_t end = at + 2;
        while (end < usage.size() && (std::isalnum(static_cast<unsigned char>(usage[end])) || usage[end] == '-'))
            ++end;
        named.push_back(usage.substr(at, end - at));
    }
    std::vector<std::string> problems;
    for (const auto& n : named)
        if (!option(n))
            problems.push_back(n + " is in the synopsis but not in the option table");
    for (const Option& o : options)
        if (std::find(named.begin(), named.end(), o.name) == named.end())
            problems.push_back(o.name + " is in the option table but not in the synopsis");
    return problems;
}

void printHelp()
{
    std::cout << "rootline-cli — " << kToolSummary << "\n\nusage: rootline-cli <command> [options]\n"
              << "       rootline-cli <command> --help\n\ncommands:\n";
    for (const auto& [name, cmd] : commands())
        std::cout << "  " << name << std::string(name.size() < 13 ? 13 - name.size() : 1, ' ') << cmd.summary << "\n";
    std::cout << "\noptions:\n";
    printOptions(kGlobalOptions);
    std::cout << "\n" << wrap(std::string("Every command takes --cache FILE and --json. ") + kTimesHelp, 0, 100) << "\n"
              << wrap(kExitCodesHelp, 0, 100) << "\n";
}

void printCommandHelp(const Command& command)
{
    std::cout << "usage: rootline-cli " << command.usage << "\n\n" << wrap(command.summary, 0, 100) << "\n";
    for (const auto& p : command.description)
        std::cout << "\n" << wrap(p, 0, 100) << "\n";
    std::cout << "\noptions:\n";
    printOptions(command.options);
}

int printVersion()
{
    std::cout << "rootline-cli " << ROOTLINE_VERSION << "\ncache schema " << cache::kSchemaVersion << "\n";
    return kSuccess;
}

int printManPage()
{
    man::Page page;
    page.name = "rootline-cli";
    page.version = std::string("Rootline ") + ROOTLINE_VERSION;
    page.summary = kToolSummary;
    page.synopsis = {"rootline-cli COMMAND [OPTION]... [ARGUMENT]...", "rootline-cli COMMAND --help",
                     "rootline-cli --help | --version | --manpage"};
    page.description = kDescription;
    page.sections.push_back({"OPTIONS", {}, {}, manOptions(kGlobalOptions)});
    man::Section list{"COMMANDS", {}, {"Each command has a section of its own below."}, {}};
    for (const auto& [name, cmd] : commands())
        list.options.push_back({name, "", cmd.summary});
    page.sections.push_back(std::move(list));
    for (const auto& [name, cmd] : commands()) {
        if (auto problems = cmd.synopsisMismatches(); !problems.empty()) {
            for (const auto& p : problems)
                std::cerr << "rootline-cli " << name << ": " << p << "\n";
            return kFatal;
        }
        std::string lead = cmd.summary + ".";
        lead[0] = char(std::toupper(static_cast<unsigned char>(lead[0])));
        man::Section s{upper(name), {"rootline-cli " + cmd.usage}, {lead}, manOptions(cmd.options)};
        s.paragraphs.insert(s.paragraphs.end(), cmd.description.begin(), cmd.description.end());
        page.sections.push_back(std::move(s));
    }
    page.sections.push_back({"TIMES", {}, {kTimesHelp}, {}});
    page.sections.push_back({"EXIT STATUS", {}, {kExitCodesHelp}, {}});
    page.sections.push_back({"FILES", {}, {}, {
        {"$XDG_CONFIG_HOME/rootline/sources.yaml", "", "The data sources fetch reads (default ~/.config/rootline/sources.yaml; "
                                                      "--sources names another). Secrets are never written there: "
                                                      "password_env and token_env name environment variables, or keyring: true "
                                                      "uses the system keyring."},
        {"$XDG_CONFIG_HOME/rootline/rules.yaml", "", "Correlation rules investigate reads when --rules is not given."},
        {"/usr/share/rootline/sample-incident.rootline", "", "The sample incident, to try the commands on."},
    }});
    page.sections.push_back({"SEE ALSO", {}, {"rootline(1)"}, {}});
    std::cout << man::render(page);
    return kSuccess;
}

} // namespace rootline::cli
