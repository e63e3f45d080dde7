#pragma once

// What rootline-cli says about itself: --help (the command list, or one command's option table),
// --version, and --manpage (rootline-cli(1) in roff, rendered from the same tables).

#include "Command.h"

namespace rootline::cli {

void printHelp();
void printCommandHelp(const Command& command);
int printVersion();
// Fails (kFatal, naming the command) when a command's synopsis and its option table disagree.
int printManPage();

} // namespace rootline::cli
