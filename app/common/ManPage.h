#pragma once

// A manual page as data, rendered to roff (man(7)). Both programs describe their options in tables
// that `--help` prints; `--manpage` renders the same tables through this, so the manual and the
// help text cannot drift apart. Plain C++: rootline-cli links no Qt Widgets, and this needs no Qt.

#include <string>
#include <string_view>
#include <vector>

namespace rootline::man {

struct Option {
    std::string name;  // "--cache"
    std::string value; // "FILE"; empty for a flag
    std::string help;  // what it does, one or more sentences
};

// One .SH section: an optional synopsis (one line per form), paragraphs, then an option list.
struct Section {
    std::string title;                 // "IMPORT", "EXIT STATUS"
    std::vector<std::string> synopsis; // "rootline-cli import --cache FILE [--json] INPUT..."
    std::vector<std::string> paragraphs;
    std::vector<Option> options;
};

struct Page {
    std::string name;    // "rootline-cli"
    std::string version; // shown in the footer: "Rootline 0.1.0"
    std::string summary; // the NAME line after the dash
    std::vector<std::string> synopsis;
    std::vector<std::string> description;
    std::vector<Section> sections; // after DESCRIPTION, in order
};

// The page in roff, with man(7) macros. Text is escaped: backslashes, leading dots and quotes, the
// dashes of options (\-, so they can be searched and copied), and the few non-ASCII characters the
// help texts use.
std::string render(const Page& page);

// One line of text escaped for roff; `code` also turns every '-' into '\-' (options, commands).
std::string escape(std::string_view text, bool code = false);

} // namespace rootline::man
