#include "ServiceColours.h"

#include <cstdint>
#include <iterator>

namespace rootline::serviceColours {

namespace {
// Tableau 10 without its red, which marks errors, plus four softer tones: 13 colours so that the
// handful of services of a typical trace rarely share one.
const QColor kPalette[] = {
    QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f), QColor(0x76, 0xb7, 0xb2),
    QColor(0xed, 0xc9, 0x48), QColor(0xb0, 0x7a, 0xa1), QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac),
    QColor(0x86, 0xbc, 0xb6), QColor(0x8c, 0xd1, 0x7d), QColor(0xa0, 0xcb, 0xe8), QColor(0xd4, 0xa6, 0xc8),
    QColor(0xf1, 0xce, 0x63)};
} // namespace

int paletteSize() { return int(std::size(kPalette)); }

int paletteIndexOf(std::string_view service)
{
    uint32_t h = 2166136261u;
    for (unsigned char c : service) {
        h ^= c;
        h *= 16777619u;
    }
    return int(h % uint32_t(std::size(kPalette)));
}

QColor of(std::string_view service) { return kPalette[paletteIndexOf(service)]; }

QColor error() { return QColor(0xd3, 0x2f, 0x2f); }

QColor critical() { return QColor(0x21, 0x21, 0x21); }

} // namespace rootline::serviceColours
