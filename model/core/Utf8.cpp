#include "Utf8.h"

#include <simdjson.h>

namespace rootline {

namespace {

// The length of the well-formed sequence starting at text[i], or 0.
size_t sequenceAt(std::string_view text, size_t i)
{
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size())
        return 0;
    for (size_t k = 1; k < len; ++k)
        if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
            return 0;
    if (len > 1) {
        // Overlong forms, surrogates and code points past U+10FFFF.
        const auto c1 = static_cast<unsigned char>(text[i + 1]);
        if (c == 0xC0 || c == 0xC1 || (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90)
            || c > 0xF4 || (c == 0xF4 && c1 >= 0x90))
            return 0;
    }
    return len;
}

} // namespace

bool isValidUtf8(std::string_view text)
{
    // simdjson's validator runs many bytes a step; the importer asks this of every document.
    return simdjson::validate_utf8(text.data(), text.size());
}

size_t appendRepairedUtf8(std::string& out, std::string_view text)
{
    if (isValidUtf8(text)) {
        out.append(text);
        return 0;
    }
    size_t replaced = 0;
    size_t i = 0;
    out.reserve(out.size() + text.size() + 16);
    while (i < text.size()) {
        if (const size_t len = sequenceAt(text, i)) {
            out.append(text.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++replaced;
            ++i;
        }
    }
    return replaced;
}

} // namespace rootline
