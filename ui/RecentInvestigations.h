#pragma once

// The recent-investigations list behind File → Open Recent and the start page: the caches and
// bundles opened last, newest first, kept in the settings file ($XDG_CONFIG_HOME/rootline/
// rootline.conf in the installed application). A file that has gone since (deleted, on an unplugged
// disk) is left out when the list is read, so the menu never offers what cannot open.

#include <QStringList>

namespace rootline {

class RecentInvestigations final {
public:
    static constexpr int kMax = 10;

    // Existing files, newest first.
    static QStringList list();
    // Moves `path` (made absolute) to the front, dropping the oldest beyond kMax.
    static void add(const QString& path);
    static void clear();
};

} // namespace rootline
