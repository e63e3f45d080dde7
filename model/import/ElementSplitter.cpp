#include "ElementSplitter.h"

#include <algorithm>

namespace rootline {

namespace {
constexpr size_t kMaxKeyDepth = 8; // paths are shallow; keys deeper down are not kept

std::string sizeText(size_t bytes)
{
    return bytes >= (size_t(1) << 20) ? std::to_string(bytes >> 20) + " MiB" : std::to_string(bytes >> 10) + " KiB";
}
} // namespace

ElementSplitter::ElementSplitter(std::vector<std::string> paths, size_t runBytes, size_t maxSkeletonBytes)
    : m_paths(std::move(paths)), m_runBytes(std::max<size_t>(runBytes, 1)), m_maxSkeletonBytes(maxSkeletonBytes)
{
}

ElementSplitter::~ElementSplitter()
{
    if (m_spool)
        std::fclose(m_spool); // tmpfile(): the file goes with it
}

Status ElementSplitter::overflow(const char* what) const
{
    return Error{"", std::string(what) + " larger than " + sizeText(m_maxSkeletonBytes),
                 "the importer cuts a huge element only at its spans or records; split the file"};
}

bool ElementSplitter::pathMatches() const
{
    if (m_stack.size() > kMaxKeyDepth)
        return false;
    std::string path;
    for (const Level& l : m_stack) {
        if (l.bracket != '{')
            continue; // arrays of objects lead on
        if (!path.empty())
            path += '.';
        path += l.key;
    }
    return std::find(m_paths.begin(), m_paths.end(), path) != m_paths.end();
}

Status ElementSplitter::spoolRun()
{
    if (m_run.empty())
        return {};
    if (!m_spool) {
        m_spool = std::tmpfile();
        if (!m_spool)
            return Error{"", "cannot create a temporary file to hold a huge element's spans", "check the space in the temporary folder"};
    }
    if (std::fwrite(m_run.data(), 1, m_run.size(), m_spool) != m_run.size())
        return Error{"", "cannot write a huge element's spans to a temporary file", "check the space in the temporary folder"};
    m_holes.back().runs.push_back({m_spoolSize, int64_t(m_run.size())});
    m_spoolSize += int64_t(m_run.size());
    m_run.clear();
    m_elementAt = 0;
    return {};
}

Status ElementSplitter::feed(std::string_view bytes)
{
    const char* p = bytes.data();
    const size_t n = bytes.size();
    size_t i = 0;
    while (i < n) {
        std::string& out = m_inElement ? m_run : m_skeleton;
        if (m_inString) {
            // Copy up to the next quote or backslash in one go.
            size_t j = i;
            if (m_escape) {
                m_escape = false;
                ++j;
            }
            while (j < n && p[j] != '"' && p[j] != '\\')
                ++j;
            if (j < n && p[j] == '\\') {
                if (j + 1 < n) {
                    out.append(p + i, j + 2 - i);
                    if (m_stringIsKey)
                        m_keyText.append(p + i, j + 2 - i);
                    i = j + 2;
                } else {
                    out.append(p + i, n - i);
                    if (m_stringIsKey)
                        m_keyText.append(p + i, n - i);
                    m_escape = true;
                    i = n;
                }
                continue;
            }
            out.append(p + i, j - i);
            if (m_stringIsKey)
                m_keyText.append(p + i, j - i);
            // A huge string is refused as it grows, not once it has all been read into memory.
            if (m_inElement ? m_run.size() - m_elementAt > m_maxSkeletonBytes : m_skeleton.size() > m_maxSkeletonBytes)
                return overflow(m_inElement ? "one span or record" : "a huge element's members other than its spans or records");
            if (j >= n) {
                i = n;
                break;
            }
            out += '"'; // the closing quote
            m_inString = false;
            if (m_stringIsKey && !m_stack.empty())
                m_stack.back().key = m_keyText;
            i = j + 1;
            continue;
        }
        const char c = p[i];
        const bool atSplitLevel = m_splitDepth != 0 && m_stack.size() == m_splitDepth;
        if (atSplitLevel && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) { // between elements, or after one
            ++i;
            continue;
        }
        if (atSplitLevel && (c == ',' || c == ']')) {
            if (m_inElement) { // an element of the split array ended
                m_inElement = false;
                ++m_elements;
                if (m_run.size() - m_elementAt > m_maxSkeletonBytes)
                    return overflow("one span or record");
                if (m_run.size() >= m_runBytes) {
                    if (auto s = spoolRun(); !s)
                        return s;
                }
            }
            if (c == ']') {
                if (auto s = spoolRun(); !s)
                    return s;
                m_skeleton += ']';
                m_stack.pop_back();
                m_splitDepth = 0;
                m_expectKey = false;
            }
            ++i;
            continue;
        }
        if (atSplitLevel && !m_inElement) {
            m_inElement = true; // its first byte
            if (!m_run.empty())
                m_run += ',';
            m_elementAt = m_run.size();
        }
        std::string& dest = m_inElement ? m_run : m_skeleton;
        switch (c) {
        case '"':
            m_inString = true;
            m_stringIsKey = !m_inElement && !m_stack.empty() && m_stack.back().bracket == '{' && m_expectKey;
            m_keyText.clear();
            dest += c;
            break;
        case '{':
        case '[': {
            dest += c;
            Level level{c};
            if (c == '[' && !m_inElement && m_splitDepth == 0 && pathMatches()) {
                level.split = true;
                m_holes.push_back(Hole{m_skeleton.size(), {}});
            }
            m_stack.push_back(std::move(level));
            if (m_stack.back().split)
                m_splitDepth = m_stack.size();
            m_expectKey = c == '{';
            break;
        }
        case '}':
        case ']':
            dest += c;
            if (!m_stack.empty())
                m_stack.pop_back();
            m_expectKey = false;
            break;
        case ',':
            dest += c;
            if (!m_stack.empty() && m_stack.back().bracket == '{')
                m_expectKey = true;
            break;
        case ':':
            dest += c;
            m_expectKey = false;
            break;
        default:
            dest += c;
            break;
        }
        ++i;
        if (m_skeleton.size() > m_maxSkeletonBytes)
            return overflow("a huge element's members other than its spans or records");
    }
    return {};
}

Status ElementSplitter::finish(const std::function<Status(std::string_view element)>& emit)
{
    if (m_inElement || m_splitDepth != 0) { // the element ended inside a split array: malformed
        m_inElement = false;
        ++m_elements;
        if (m_splitDepth != 0 && !m_holes.empty())
            if (auto s = spoolRun(); !s)
                return s;
    }
    bool any = false;
    std::string doc, run;
    for (size_t h = 0; h < m_holes.size(); ++h) {
        for (const Run& r : m_holes[h].runs) {
            run.resize(size_t(r.size));
            if (std::fseek(m_spool, long(r.offset), SEEK_SET) != 0 || std::fread(run.data(), 1, run.size(), m_spool) != run.size())
                return Error{"", "cannot read back a huge element's spans from its temporary file", {}};
            doc.clear();
            doc.append(m_skeleton, 0, m_holes[h].at).append(run).append(m_skeleton, m_holes[h].at);
            any = true;
            if (auto s = emit(doc); !s)
                return s;
        }
    }
    if (!any)
        return emit(m_skeleton);
    return {};
}

} // namespace rootline
