#pragma once

// Cuts a stream of JSON into pieces a parser can take one at a time, without parsing it: a small
// bracket- and string-aware scanner. Two uses:
//   * a run of JSON values (JSON lines, concatenated documents, one pretty document) → each value;
//   * one huge document whose records sit in a known array (`[...]`, `{"data":[...]}`,
//     `{"result":{"resourceSpans":[...]}}`) → each element, wrapped in the document's prefix and
//     closing brackets, so that memory stays bounded whatever the file size and a malformed
//     element costs only that element.
// Malformed input is reported per piece (`broken`), and the scan recovers at the next line when
// the input is JSON lines.

#include "core/Result.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace rootline {

class ElementSplitter;

struct JsonPiece {
    std::string_view document; // a whole value, or prefix + one element + closing brackets
    int64_t firstByte = 0;     // byte 0 of `document` is this byte of the input (see ParseContext)
    int64_t firstLine = 1;
    int64_t startByte = 0;     // where the value or element itself starts in the input
    int64_t startLine = 1;
    const char* broken = nullptr; // why the scanner found these bytes malformed; nullptr when well-formed
    bool element = false;         // an element of a split array (wrapped), not a whole value
};

struct JsonSplitterOptions {
    // Paths of arrays whose elements are handed over one at a time: "" = a top-level array,
    // "data" = the array under the top-level key "data", "result.resourceSpans" = nested keys.
    std::vector<std::string> splitPaths;
    size_t maxPieceBytes = size_t(256) << 20; // a larger value or element is an error
    size_t maxPrefixBytes = size_t(1) << 20;  // a document whose array starts later is not split
    // An element of a split array larger than `elementSplitBytes` (a Jaeger trace of a million
    // spans) is not held in memory: the arrays at these paths inside it (its spans) are spooled to
    // a temporary file and the element is handed over in pieces of about `elementRunBytes` of
    // them, each with the rest of the element (ElementSplitter.h). Empty: such an element is an
    // error once larger than maxPieceBytes, as any other.
    std::vector<std::string> elementSplitPaths;
    size_t elementSplitBytes = size_t(32) << 20;
    size_t elementRunBytes = size_t(4) << 20;
};

class JsonSplitter {
public:
    using Emit = std::function<Status(const JsonPiece&)>;

    explicit JsonSplitter(JsonSplitterOptions options = {});
    ~JsonSplitter();

    // Feeds the next bytes of the input; calls `onPiece` for every piece completed by them. An error
    // from `onPiece` (or a piece above maxPieceBytes) stops the scan and is returned.
    Status feed(std::string_view bytes, const Emit& onPiece);
    // The input ended: emits what is left (as broken when the input stops inside a value).
    Status finish(const Emit& onPiece);

    int64_t bytesConsumed() const { return m_base + int64_t(m_buf.size()); }
    int64_t linesSeen() const; // newlines so far + 1

    // `input` as the one piece scan() would make of it when it holds exactly one value (the
    // caller knows: ParseContext::singleValue), without scanning it.
    static JsonPiece wholeValue(std::string_view input);
    // Splits a complete document in place (no copy for whole values).
    static Status scan(std::string_view input, const JsonSplitterOptions& options, const Emit& onPiece);

private:
    Status run(const Emit& onPiece, bool atEnd);
    Status tooLarge(int64_t at, bool element) const;
    Status emitValue(size_t begin, size_t end, const char* broken, const Emit& onPiece);
    Status emitElement(size_t begin, size_t end, const char* broken, const Emit& onPiece);
    Status emitBrokenRest(size_t end, const char* reason, const Emit& onPiece);
    void resetValue();
    int64_t lineAt(size_t pos); // pos is an index into the current data; must not go backwards
    bool pathMatches() const;
    std::string_view data() const { return m_external.data() ? m_external : std::string_view(m_buf); }
    void compact();
    void startSpill(size_t begin); // the element starting at data()[begin] goes to an ElementSplitter
    Status feedSpill(size_t end);  // the spilled element's bytes up to `end` of data()
    Status emitSpilled(size_t end, const char* broken, const Emit& onPiece);

    JsonSplitterOptions m_options;
    std::string m_buf;           // unconsumed input (streaming mode)
    std::string_view m_external; // the whole input (scan mode)
    int64_t m_base = 0;          // input offset of data()[0]
    size_t m_pos = 0;            // next byte to scan

    // Scanner state.
    std::vector<char> m_stack;       // open containers
    std::vector<std::string> m_keys; // per open object: its current key (shallow levels only)
    bool m_inString = false;
    bool m_escape = false;
    bool m_stringIsKey = false;
    bool m_expectKey = false;
    size_t m_stringStart = 0;
    int64_t m_valueStart = -1; // index of the current top-level value's first byte
    int64_t m_valueLine = 1;
    const char* m_broken = nullptr;
    bool m_garbage = false; // skipping a non-JSON line at top level
    bool m_firstValueDone = false;
    bool m_jsonLines = false;

    // Splitting the current top-level value.
    bool m_splitting = false;
    bool m_splitDone = false;
    size_t m_splitDepth = 0;
    std::string m_prefix, m_suffix, m_doc;
    int64_t m_prefixNewlines = 0;
    int64_t m_elementStart = -1;
    int64_t m_elementLine = 1;
    const char* m_elementBroken = nullptr;
    // An element too large to hold, on its way through an ElementSplitter: data() up to
    // m_spillFed has been handed to it; the element began at input byte m_spillStartByte.
    std::unique_ptr<ElementSplitter> m_spill;
    size_t m_spillFed = 0;
    int64_t m_spillStartByte = 0;

    // Line accounting: newlines in data()[0, m_countedPos) plus those dropped by compaction.
    size_t m_countedPos = 0;
    int64_t m_line = 1;
};

} // namespace rootline
