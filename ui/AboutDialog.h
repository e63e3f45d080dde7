#pragma once

// Help → About Rootline: the version, the versions of the libraries it runs with (what a bug report
// needs), the cache schema it writes, and where its settings, sources and caches live.

#include <QDialog>

#include <vector>

namespace rootline {

class AboutDialog final : public QDialog {
    Q_OBJECT
public:
    struct Component {
        QString name;
        QString version;
    };
    struct Place {
        QString what;
        QString path;
    };

    // `places`: the files and folders worth knowing, from the main window.
    AboutDialog(std::vector<Place> places, QWidget* parent = nullptr);

    // Rootline itself, Qt, QCustomPlot, SQLite, libcurl, simdjson and the cache schema. Run-time
    // versions where the library reports one (Qt, SQLite, libcurl), else the headers built against.
    static std::vector<Component> components();
    // The same as plain text, one "name: version" a line, for the clipboard.
    static QString componentsText();
};

} // namespace rootline
