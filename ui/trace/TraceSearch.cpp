#include "TraceSearch.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace rootline::traceSearch {

namespace {
// ASCII case folding on UTF-8 bytes: enough for span names, services and attribute keys, and it
// needs no conversion per span.
bool containsFolded(std::string_view hay, const std::string& needle)
{
    if (needle.size() > hay.size())
        return false;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    return it != hay.end();
}
} // namespace

std::vector<int32_t> find(const TraceLayout& layout, const QString& text, const std::atomic_bool* cancel)
{
    std::vector<int32_t> hits;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return hits;
    std::string needle = trimmed.toStdString();
    for (char& c : needle)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    std::vector<uint8_t> serviceHit(layout.services().size());
    for (size_t i = 0; i < serviceHit.size(); ++i)
        serviceHit[i] = containsFolded(layout.services()[i], needle);
    for (int node = 0; node < layout.nodeCount(); ++node) {
        if ((node & 0xfff) == 0 && cancel && cancel->load(std::memory_order_relaxed))
            return {};
        const Span* s = layout.span(node);
        bool hit = serviceHit[size_t(layout.serviceIndex(node))];
        if (!hit && !s)
            hit = containsFolded(layout.labelOf(node), needle);
        if (!hit && s) {
            hit = containsFolded(s->name, needle) || containsFolded(s->statusMessage, needle);
            for (auto it = s->attributes.begin(); !hit && it != s->attributes.end(); ++it)
                hit = containsFolded(it->key, needle) || containsFolded(attributeToText(it->value), needle);
        }
        if (hit)
            hits.push_back(node);
    }
    return hits;
}

} // namespace rootline::traceSearch
