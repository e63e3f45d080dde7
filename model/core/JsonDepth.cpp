#include "JsonDepth.h"

#include <cstring>

namespace rootline {

std::optional<size_t> jsonTooDeepAt(std::string_view json, size_t limit)
{
    size_t depth = 0;
    const char* p = json.data();
    const char* const end = p + json.size();
    while (p < end) {
        // Outside strings only brackets and quotes matter; jump to the next of them.
        const char c = *p;
        if (c == '"') {
            // Skip the string: find its closing quote, stepping over escapes.
            ++p;
            while (p < end) {
                const void* q = std::memchr(p, '"', size_t(end - p));
                if (!q)
                    return std::nullopt; // unterminated: the parser will say so
                const char* quote = static_cast<const char*>(q);
                size_t backslashes = 0;
                for (const char* b = quote; b > p && b[-1] == '\\'; --b)
                    ++backslashes;
                p = quote + 1;
                if (backslashes % 2 == 0)
                    break;
            }
            continue;
        }
        if (c == '[' || c == '{') {
            if (++depth > limit)
                return size_t(p - json.data());
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
        ++p;
    }
    return std::nullopt;
}

} // namespace rootline
