#include "Command.h"
#include "Help.h"
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

WriterOptions cliWriterOptions()
{
    WriterOptions options;
    options.onWaitingForWriter = [](long pid) {
        if (pid > 0)
            std::fprintf(stderr, "rootline-cli: waiting for another Rootline writing this cache: PID %ld\n", pid);
        else
            std::fprintf(stderr, "rootline-cli: waiting for another Rootline writing this cache\n");
    };
    return options;
}

const std::map<std::string, Command>& commands() { return registry(); }

const Option* Command::option(const std::string& optionName) const
{
    for (const Option& o : options)
        if (o.name == optionName)
            return &o;
    return nullptr;
}

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

} // namespace rootline::cli

int main(int argc, char** argv)
{
    using namespace rootline::cli;
    const std::string first = argc < 2 ? std::string() : argv[1];
    if (argc < 2 || first == "--help" || first == "-h" || first == "help") {
        printHelp();
        return argc < 2 ? kFatal : kSuccess;
    }
    if (first == "--version")
        return printVersion();
    if (first == "--manpage")
        return printManPage();
    auto it = commands().find(first);
    if (it == commands().end()) {
        std::cerr << "rootline-cli: unknown command \"" << first << "\" (see rootline-cli --help)\n";
        return kFatal;
    }
    const Command& command = it->second;
    Args args;
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            printCommandHelp(command);
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
            const Option* option = command.option(a);
            if (!option)
                return usageError(command, "unknown option " + a);
            if (option->value.empty()) {
                if (inlineValue)
                    return usageError(command, a + " takes no value");
                args.options.emplace(a, "");
            } else {
                if (!inlineValue) {
                    if (i + 1 >= argc)
                        return usageError(command, a + " needs a value");
                    value = argv[++i];
                }
                args.options.emplace(a, value);
            }
        } else {
            args.positionals.push_back(a);
        }
    }
    return command.run(args);
}
