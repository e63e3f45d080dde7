#pragma once

// Bytes that are not UTF-8 are kept visible, never cut: telemetry is supposed to be UTF-8, but a
// Latin-1 byte in a log line ("caf\xe9") happens, and a parser that stops at it (RE2's '.', a JSON
// validator) would silently cut the line or drop its whole document. Rootline replaces each such
// byte with U+FFFD and reports how many it replaced, as a warning on the record.

#include <cstddef>
#include <string>
#include <string_view>

namespace rootline {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool isValidUtf8(std::string_view text);

// `text` with every byte that is not part of a well-formed sequence replaced by U+FFFD, appended
// to `out`; returns how many bytes were replaced (0: `out` got `text` unchanged).
size_t appendRepairedUtf8(std::string& out, std::string_view text);

} // namespace rootline
