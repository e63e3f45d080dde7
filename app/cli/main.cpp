#include "Command.h"
#include "core/Clock.h"

#include <cstdio>
#include <iostream>

namespace rootline::cli {

std::optional<std::string> Args::value(const std::string& name) const
{
    auto it = options.find(name);
    if (it == options.end())
        return std::nullopt;
    return it->second;
}

std::vector<std::string> Args::values(const std::string& name) const
{
    std::vector<std::string> out;
    auto [b, e] = options.equal_range(name);
    for (auto it = b; it != e; ++it)
        out.push_back(it->second);
    return out;
}

Result<std::string> Args::required(const std::string& name) const
{
    if (auto v = value(name); v && !v->empty())
        return *v;
    return Error{"usage", "missing " + name, {}};
}

Result<std::optional<Timestamp>> Args::time(const std::string& name) const
{
    auto v = value(name);
    if (!v)
        return std::optional<Timestamp>();
    auto t = parseUserTime(*v, Clock::current().now());
    if (!t)
        return t.error().within(name);
    return std::optional<Timestamp>(*t);
}

std::map<std::string, Command>& registry()
{
    static std::map<std::string, Command> table;
    return table;
}

bool registerCommand(Command command)
{
    auto name = command.name;
    registry().emplace(std::move(name), std::move(command));
    return true;
}

const std::map<std::string, Command>& commands() { return registry(); }

int fail(const std::string& command, const Error& error)
{
    std::cerr << "rootline-cli " << command << ": " << error.message() << "\n";
    return kFatal;
}

int usageError(const Command& command, const std::string& message)
{
    std::cerr << "rootline-cli " << command.name << ": " << message << "\nusage: rootline-cli " << command.usage << "\n";
    return kFatal;
}

void printJson(const nlohmann::ordered_json& doc) { std::cout << doc.dump(2) << "\n"; }

namespace {

void printHelp()
{
    std::cout << "rootline-cli — import, fetch, investigate and export telemetry from a terminal\n\n"
                 "usage: rootline-cli <command> [options]\n\ncommands:\n";
    for (const auto& [name, cmd] : commands())
        std::printf("  %-12s %s\n", name.c_str(), cmd.summary.c_str());
    std::cout << "\nEvery command takes --cache FILE and --json. Times: RFC 3339, Unix seconds, or now-15m.\n"
                 "Exit codes: 0 success, 1 partial (some records rejected), 2 usage or fatal error.\n";
}

} // namespace
} // namespace rootline::cli

int main(int argc, char** argv)
{
    using namespace rootline::cli;
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h" || std::string(argv[1]) == "help") {
        printHelp();
        return argc < 2 ? kFatal : kSuccess;
    }
    const std::string name = argv[1];
    auto it = commands().find(name);
    if (it == commands().end()) {
        std::cerr << "rootline-cli: unknown command \"" << name << "\" (see rootline-cli --help)\n";
        return kFatal;
    }
    const Command& command = it->second;
    Args args;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << "usage: rootline-cli " << command.usage << "\n";
            return kSuccess;
        }
        if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string value;
            bool inlineValue = false;
            if (auto eq = a.find('='); eq != std::string::npos) {
                value = a.substr(eq + 1);
                a = a.substr(0, eq);
                inlineValue = true;
            }
            if (command.flags.count(a)) {
                if (inlineValue)
                    return usageError(command, a + " takes no value");
                args.options.emplace(a, "");
            } else if (command.valueOptions.count(a)) {
                if (!inlineValue) {
                    if (i + 1 >= argc)
                        return usageError(command, a + " needs a value");
                    value = argv[++i];
                }
                args.options.emplace(a, value);
            } else {
                return usageError(command, "unknown option " + a);
            }
        } else {
            args.positionals.push_back(a);
        }
    }
    return command.run(args);
}
