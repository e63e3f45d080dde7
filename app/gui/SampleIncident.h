#pragma once

// Where the sample incident is, found relative to the running binary so the same lookup works
// installed (/usr/bin → /usr/share/rootline), unpacked into a scratch root (dpkg-deb -x), and in
// the build tree (build/bin → build/resources). Empty when there is none.

#include <QString>

namespace rootline::gui {

QString findSampleIncident(const QString& applicationDir);

} // namespace rootline::gui
