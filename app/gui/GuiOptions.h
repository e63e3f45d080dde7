#pragma once

// rootline's command line as one table: main() builds its QCommandLineParser from it (so --help
// prints it) and --manpage renders it into rootline(1), so the two cannot drift apart.

#include <QString>

#include <string>
#include <vector>

namespace rootline::gui {

struct GuiOption {
    QString name;         // "bundle" (the parser adds the dashes)
    QString valueName;    // "FILE"; empty for a flag
    QString help;         // what it does
    QString defaultValue; // shown by --help; empty: none
};

// Names of the options main() reads, so a typo is a compile error rather than a silent no-op.
namespace opt {
inline const QString bundle = QStringLiteral("bundle");
inline const QString sources = QStringLiteral("sources");
inline const QString window = QStringLiteral("window");
inline const QString trace = QStringLiteral("trace");
inline const QString step = QStringLiteral("step");
inline const QString screenshot = QStringLiteral("screenshot");
inline const QString size = QStringLiteral("size");
inline const QString pane = QStringLiteral("pane");
inline const QString manpage = QStringLiteral("manpage");
} // namespace opt

const std::vector<GuiOption>& guiOptions();
// The option's help as --help and the manual show it: with its default, when it has one.
QString helpText(const GuiOption& option);
QString guiDescription();

// rootline(1) in roff; `version` is the application's.
std::string guiManPage(const std::string& version);

} // namespace rootline::gui
