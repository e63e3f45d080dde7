#include "JsonSplitter.h"

#include "ElementSplitter.h"
#include "core/JsonDepth.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rootline {

namespace {

constexpr size_t kMaxKeyDepth = 4; // split paths are shallow; deeper keys are not tracked
constexpr const char* kTruncated = "the input ends inside a JSON value (truncated?)";
constexpr const char* kTooDeep = "nested deeper than 1024 levels (the limit for JSON values)";
static_assert(kMaxJsonDepth == 1024, "kTooDeep names the limit");

// The first byte at or after `i` in p[0, n) that is '"', '\\' or '\n' (n when none): many bytes at
// a time, since most of a telemetry document's bytes sit inside strings.
size_t findStringSpecial(const char* p, size_t i, size_t n)
{
#if defined(__SSE2__)
    // Sixteen at a time where SSE2 is there (every x86-64): one step for most strings.
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n');
    while (i + 16 <= n) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const int mask = _mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmpeq_epi8(v, newline)));
        if (mask)
            return i + size_t(__builtin_ctz(unsigned(mask)));
        i += 16;
    }
#endif
    constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    auto zeroBytes = [](uint64_t x) { return (x - ones) & ~x & highs; }; // exact up to the first zero byte
    while (i + 8 <= n) {
        uint64_t v;
        std::memcpy(&v, p + i, 8);
        const uint64_t hit = zeroBytes(v ^ (ones * '"')) | zeroBytes(v ^ (ones * '\\')) | zeroBytes(v ^ (ones * '\n'));
        if (hit)
            return i + size_t(__builtin_ctzll(hit) >> 3);
        i += 8;
    }
    while (i < n && p[i] != '"' && p[i] != '\\' && p[i] != '\n')
        ++i;
    return i;
}

bool isScalarChar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

} // namespace

JsonSplitter::JsonSplitter(JsonSplitterOptions options) : m_options(std::move(options)) {}

JsonSplitter::~JsonSplitter() = default;

int64_t JsonSplitter::lineAt(size_t pos)
{
    const auto d = data();
    if (pos > m_countedPos) {
        // memchr: newlines are sparse in JSON lines (one per document), so this skips ahead fast.
        const char* at = d.data() + m_countedPos;
        const char* end = d.data() + pos;
        while ((at = static_cast<const char*>(std::memchr(at, '\n', size_t(end - at))))) {
            ++m_line;
            ++at;
        }
        m_countedPos = pos;
    }
    return m_line;
}

int64_t JsonSplitter::linesSeen() const
{
    const auto d = data();
    return m_line + std::count(d.begin() + std::ptrdiff_t(m_countedPos), d.end(), '\n');
}

bool JsonSplitter::pathMatches() const
{
    if (m_options.splitPaths.empty() || m_stack.size() >= kMaxKeyDepth)
        return false;
    std::string path;
    for (size_t i = 0; i < m_stack.size(); ++i) {
        if (m_stack[i] != '{')
            return false; // only objects lead to a split array (a top-level array is "")
        if (i)
            path += '.';
        path += m_keys[i];
    }
    return std::find(m_options.splitPaths.begin(), m_options.splitPaths.end(), path) != m_options.splitPaths.end();
}

void JsonSplitter::resetValue()
{
    m_stack.clear();
    m_inString = m_escape = m_stringIsKey = m_expectKey = false;
    m_valueStart = -1;
    m_broken = nullptr;
    m_garbage = false;
    m_splitting = m_splitDone = false;
    m_elementStart = -1;
    m_elementBroken = nullptr;
    m_spill.reset();
}

Status JsonSplitter::tooLarge(int64_t at, bool element) const
{
    const size_t limit = m_options.maxPieceBytes;
    return Error{"@" + std::to_string(at),
                 "a JSON " + std::string(element ? "array element" : "value") + " larger than "
                     + (limit >= (size_t(1) << 20) ? std::to_string(limit >> 20) + " MiB" : std::to_string(limit >> 10) + " KiB"),
                 "the importer reads huge documents element by element only under the keys it knows; split the file"};
}

Status JsonSplitter::emitValue(size_t begin, size_t end, const char* broken, const Emit& onPiece)
{
    if (end - begin > m_options.maxPieceBytes)
        return tooLarge(m_base + int64_t(begin), false);
    JsonPiece piece;
    piece.document = data().substr(begin, end - begin);
    piece.firstByte = piece.startByte = m_base + int64_t(begin);
    piece.firstLine = piece.startLine = m_valueLine;
    piece.broken = broken;
    return onPiece(piece);
}

void JsonSplitter::startSpill(size_t begin)
{
    m_spill = std::make_unique<ElementSplitter>(m_options.elementSplitPaths, m_options.elementRunBytes, m_options.maxPieceBytes / 2);
    m_spillFed = begin;
    m_spillStartByte = m_base + int64_t(begin);
}

Status JsonSplitter::feedSpill(size_t end)
{
    if (end <= m_spillFed)
        return {};
    Status s = m_spill->feed(data().substr(m_spillFed, end - m_spillFed));
    m_spillFed = end;
    if (!s)
        return Error{"@" + std::to_string(m_spillStartByte), s.error().what, s.error().hint};
    return {};
}

// The end of an element that went through an ElementSplitter: its pieces, each wrapped like any
// element (their places are the element's start: the pieces are not the input's bytes).
Status JsonSplitter::emitSpilled(size_t end, const char* broken, const Emit& onPiece)
{
    Status s = feedSpill(end);
    std::unique_ptr<ElementSplitter> spill = std::move(m_spill);
    m_elementStart = -1;
    m_elementBroken = nullptr;
    if (!s)
        return s;
    JsonPiece piece;
    piece.startByte = m_spillStartByte;
    piece.startLine = m_elementLine;
    piece.firstByte = piece.startByte - int64_t(m_prefix.size());
    piece.firstLine = m_elementLine - m_prefixNewlines;
    piece.element = true;
    if (broken) { // rejected whole, as a smaller element would be
        piece.document = m_prefix;
        piece.broken = broken;
        return onPiece(piece);
    }
    s = spill->finish([&](std::string_view element) -> Status {
        m_doc.clear();
        m_doc.append(m_prefix).append(element).append(m_suffix);
        piece.document = m_doc;
        return onPiece(piece);
    });
    if (!s && s.error().where.empty())
        return Error{"@" + std::to_string(m_spillStartByte), s.error().what, s.error().hint};
    return s;
}

Status JsonSplitter::emitElement(size_t begin, size_t end, const char* broken, const Emit& onPiece)
{
    while (end > begin && (data()[end - 1] == ' ' || data()[end - 1] == '\n' || data()[end - 1] == '\r' || data()[end - 1] == '\t'))
        --end;
    if (!m_spill && !broken && !m_options.elementSplitPaths.empty() && end - begin > m_options.elementSplitBytes)
        startSpill(begin); // too large, and already whole in this feed: cut it all the same
    if (m_spill)
        return emitSpilled(end, broken, onPiece);
    if (end - begin > m_options.maxPieceBytes)
        return tooLarge(m_base + int64_t(begin), true);
    m_doc.clear();
    m_doc.append(m_prefix).append(data().substr(begin, end - begin)).append(m_suffix);
    JsonPiece piece;
    piece.document = m_doc;
    piece.startByte = m_base + int64_t(begin);
    piece.startLine = m_elementLine;
    piece.firstByte = piece.startByte - int64_t(m_prefix.size());
    piece.firstLine = m_elementLine - m_prefixNewlines;
    piece.broken = broken;
    piece.element = true;
    m_elementStart = -1;
    m_elementBroken = nullptr;
    return onPiece(piece);
}

// JSON lines: a line ended inside a value. Report what the line held and start afresh on the next.
Status JsonSplitter::emitBrokenRest(size_t end, const char* reason, const Emit& onPiece)
{
    Status s;
    if (m_splitting) {
        if (m_elementStart >= 0)
            s = emitElement(size_t(m_elementStart), end, reason, onPiece);
    } else if (m_valueStart >= 0) {
        s = emitValue(size_t(m_valueStart), end, reason, onPiece);
    }
    resetValue();
    return s;
}

Status JsonSplitter::run(const Emit& onPiece, bool atEnd)
{
    const std::string_view d = data();
    const char* p = d.data();
    const size_t n = d.size();
    if (m_base == 0 && m_pos == 0 && n >= 3 && std::memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        m_pos = 3; // UTF-8 byte order mark

    auto startValueIfTop = [&] {
        if (m_stack.empty()) {
            m_valueStart = int64_t(m_pos);
            m_valueLine = lineAt(m_pos);
            m_broken = nullptr;
            m_splitDone = false;
        }
    };
    auto startElement = [&] {
        if (m_splitting && m_stack.size() == m_splitDepth && m_elementStart < 0) {
            m_elementStart = int64_t(m_pos);
            m_elementLine = lineAt(m_pos);
            m_elementBroken = nullptr;
        }
    };
    auto markBroken = [&](const char* reason) {
        if (m_splitting && m_elementStart >= 0) {
            if (!m_elementBroken)
                m_elementBroken = reason;
        } else if (!m_broken) {
            m_broken = reason;
        }
    };
    auto valueEnded = [&]() -> Status {
        Status s;
        if (!m_splitting && !m_splitDone)
            s = emitValue(size_t(m_valueStart), m_pos, m_broken, onPiece);
        if (!m_firstValueDone) {
            m_firstValueDone = true;
            m_jsonLines = lineAt(m_pos) == m_valueLine; // one value per line so far
        }
        resetValue();
        return s;
    };

    while (m_pos < n) {
        if (m_garbage) {
            const void* nl = std::memchr(p + m_pos, '\n', n - m_pos);
            if (!nl) {
                m_pos = n;
                break;
            }
            const size_t end = size_t(static_cast<const char*>(nl) - p);
            m_pos = end + 1;
            Status s = emitValue(size_t(m_valueStart), end, "not JSON", onPiece);
            resetValue();
            if (!s)
                return s;
            continue;
        }
        if (m_inString) {
            size_t i = m_pos;
            if (m_escape && i < n) { // the escaped byte came in this feed
                m_escape = false;
                ++i;
            }
            for (;;) {
                i = findStringSpecial(p, i, n);
                if (i >= n || p[i] != '\\')
                    break;
                if (i + 1 >= n) { // a backslash ends this feed: its byte follows in the next
                    m_escape = true;
                    i = n;
                    break;
                }
                i += 2;
            }
            if (i >= n) {
                m_pos = n;
                break;
            }
            m_pos = i;
            if (p[i] == '\n') {
                if (m_jsonLines) {
                    if (Status s = emitBrokenRest(i, "the line ends inside a JSON string", onPiece); !s)
                        return s;
                    ++m_pos;
                    continue;
                }
                markBroken("a line break inside a JSON string");
                ++m_pos;
                continue;
            }
            m_inString = false;
            ++m_pos;
            if (m_stringIsKey && m_stack.size() <= kMaxKeyDepth)
                m_keys[m_stack.size() - 1].assign(p + m_stringStart + 1, i - m_stringStart - 1);
            if (m_splitting && m_stack.size() == m_splitDepth && m_elementStart >= 0) {
                if (Status s = emitElement(size_t(m_elementStart), m_pos, m_elementBroken, onPiece); !s)
                    return s;
            } else if (m_stack.empty()) {
                if (Status s = valueEnded(); !s)
                    return s;
            }
            continue;
        }
        const char c = p[m_pos];
        switch (c) {
        case ' ':
        case '\t':
        case '\r':
            ++m_pos;
            break;
        case '\n':
            if (m_jsonLines && !m_stack.empty()) {
                if (Status s = emitBrokenRest(m_pos, "the line ends inside a JSON value", onPiece); !s)
                    return s;
            }
            ++m_pos;
            break;
        case '"':
            startValueIfTop();
            startElement();
            m_inString = true;
            m_escape = false;
            m_stringStart = m_pos;
            m_stringIsKey = !m_stack.empty() && m_stack.back() == '{' && m_expectKey;
            ++m_pos;
            break;
        case '{':
        case '[':
            startValueIfTop();
            startElement();
            if (c == '[' && !m_splitting && !m_splitDone && pathMatches()
                && m_pos + 1 - size_t(m_valueStart) <= m_options.maxPrefixBytes) {
                m_prefix.assign(p + m_valueStart, m_pos + 1 - size_t(m_valueStart));
                m_prefixNewlines = std::count(m_prefix.begin(), m_prefix.end(), '\n');
                m_suffix = "]";
                for (auto it = m_stack.rbegin(); it != m_stack.rend(); ++it)
                    m_suffix += *it == '{' ? '}' : ']';
                m_splitting = true;
                m_splitDepth = m_stack.size() + 1;
            }
            m_stack.push_back(c);
            // The parsers downstream are not to meet more depth than they are built for
            // (core/JsonDepth.h); the scanner itself keeps its stack on the heap and goes on.
            if (m_stack.size() == kMaxJsonDepth + 1)
                markBroken(kTooDeep);
            m_expectKey = c == '{';
            if (c == '{' && m_stack.size() <= kMaxKeyDepth) {
                if (m_keys.size() < m_stack.size())
                    m_keys.resize(m_stack.size());
                m_keys[m_stack.size() - 1].clear();
            }
            ++m_pos;
            break;
        case '}':
        case ']': {
            if (m_stack.empty()) {
                m_garbage = true;
                m_valueStart = int64_t(m_pos);
                m_valueLine = lineAt(m_pos);
                break;
            }
            if ((c == '}') != (m_stack.back() == '{'))
                markBroken("mismatched brackets");
            // A scalar element ends at the array's closing bracket.
            if (m_splitting && m_stack.size() == m_splitDepth && m_elementStart >= 0) {
                if (Status s = emitElement(size_t(m_elementStart), m_pos, m_elementBroken, onPiece); !s)
                    return s;
            }
            m_stack.pop_back();
            ++m_pos;
            m_expectKey = false;
            if (m_splitting) {
                if (m_stack.size() == m_splitDepth && m_elementStart >= 0) {
                    if (Status s = emitElement(size_t(m_elementStart), m_pos, m_elementBroken, onPiece); !s)
                        return s;
                } else if (m_stack.size() + 1 == m_splitDepth) {
                    m_splitting = false; // the array closed: the rest of the value is not read
                    m_splitDone = true;
                }
            }
            if (m_stack.empty()) {
                if (Status s = valueEnded(); !s)
                    return s;
            }
            break;
        }
        case ',':
            if (!m_stack.empty() && m_stack.back() == '{')
                m_expectKey = true;
            if (m_splitting && m_stack.size() == m_splitDepth && m_elementStart >= 0) {
                if (Status s = emitElement(size_t(m_elementStart), m_pos, m_elementBroken, onPiece); !s)
                    return s;
            }
            ++m_pos;
            break;
        case ':':
            m_expectKey = false;
            ++m_pos;
            break;
        default:
            if (m_stack.empty()) {
                // Bare words or numbers at top level: not a telemetry document; skip the line.
                m_garbage = true;
                m_valueStart = int64_t(m_pos);
                m_valueLine = lineAt(m_pos);
                break;
            }
            startElement();
            if (!isScalarChar(c))
                markBroken("unexpected character");
            ++m_pos;
            while (m_pos < n && isScalarChar(p[m_pos]))
                ++m_pos;
            break;
        }
    }

    if (!atEnd)
        return {};
    if (m_garbage) {
        Status s = emitValue(size_t(m_valueStart), n, "not JSON", onPiece);
        resetValue();
        return s;
    }
    if (m_inString || !m_stack.empty())
        return emitBrokenRest(n, kTruncated, onPiece);
    return {};
}

void JsonSplitter::compact()
{
    size_t keep = m_pos;
    if (m_valueStart >= 0 && !m_splitting && !m_splitDone)
        keep = std::min(keep, size_t(m_valueStart));
    if (m_splitting && m_elementStart >= 0)
        keep = std::min(keep, m_spill ? m_spillFed : size_t(m_elementStart)); // a spilled element's bytes are handed on
    if (m_inString && m_stringIsKey)
        keep = std::min(keep, m_stringStart); // the key is read when its string closes
    if (keep == 0 || (keep < (size_t(1) << 20) && keep < m_buf.size() / 2))
        return;
    lineAt(keep);
    m_buf.erase(0, keep);
    m_base += int64_t(keep);
    m_pos -= keep;
    m_countedPos -= keep;
    m_stringStart = m_stringStart >= keep ? m_stringStart - keep : 0;
    if (m_valueStart >= 0)
        m_valueStart = m_valueStart >= int64_t(keep) ? m_valueStart - int64_t(keep) : 0;
    if (m_elementStart >= 0) // a spilled element's start may have gone: it stays open at 0
        m_elementStart = std::max<int64_t>(0, m_elementStart - int64_t(keep));
    if (m_spill)
        m_spillFed -= keep;
}

Status JsonSplitter::feed(std::string_view bytes, const Emit& onPiece)
{
    m_buf.append(bytes);
    if (Status s = run(onPiece, false); !s)
        return s;
    if (m_spill) {
        if (Status s = feedSpill(m_pos); !s)
            return s;
    } else if (m_splitting && m_elementStart >= 0 && !m_options.elementSplitPaths.empty()
               && m_buf.size() - size_t(m_elementStart) > m_options.elementSplitBytes) {
        // Too large to hold: from here its bytes go on to an ElementSplitter as they are scanned.
        startSpill(size_t(m_elementStart));
        if (Status s = feedSpill(m_pos); !s)
            return s;
    }
    compact();
    size_t pending = 0;
    if (m_splitting && m_elementStart >= 0 && !m_spill)
        pending = m_buf.size() - size_t(m_elementStart);
    else if (m_valueStart >= 0 && !m_splitting && !m_splitDone)
        pending = m_buf.size() - size_t(m_valueStart);
    if (pending > m_options.maxPieceBytes) {
        return tooLarge(m_base + (m_splitting ? m_elementStart : m_valueStart), m_splitting);
    }
    return {};
}

Status JsonSplitter::finish(const Emit& onPiece)
{
    return run(onPiece, true);
}

JsonPiece JsonSplitter::wholeValue(std::string_view input)
{
    JsonPiece piece;
    piece.document = input;
    size_t i = input.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    for (; i < input.size() && (input[i] == ' ' || input[i] == '\t' || input[i] == '\r' || input[i] == '\n'); ++i)
        piece.startLine += input[i] == '\n';
    piece.startByte = int64_t(i);
    return piece;
}

Status JsonSplitter::scan(std::string_view input, const JsonSplitterOptions& options, const Emit& onPiece)
{
    JsonSplitter splitter(options);
    splitter.m_external = input.data() ? input : std::string_view("", 0);
    return splitter.run(onPiece, true);
}

} // namespace rootline
