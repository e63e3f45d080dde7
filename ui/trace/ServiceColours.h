#pragma once

// Stable colours per service (issue 10): a service's colour depends on its name only — a stable
// hash (FNV-1a, not qHash, which is seeded per process) into a fixed palette — so the same service
// has the same colour in every trace of the cache, in every view, however it is scrolled, and in
// the next run too. Widgets-free (QColor is in Qt Gui).

#include <QColor>
#include <string_view>

namespace rootline::serviceColours {

QColor of(std::string_view service);
int paletteIndexOf(std::string_view service); // for tests
int paletteSize();
QColor error();    // spans whose status is error
QColor critical(); // the critical path's outline

} // namespace rootline::serviceColours
