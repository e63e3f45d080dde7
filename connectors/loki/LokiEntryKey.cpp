#include "LokiEntryKey.h"

#include <algorithm>

namespace rootline {

namespace {

void appendLabels(std::string& key, LokiLabels labels)
{
    std::sort(labels.begin(), labels.end());
    for (const auto& [k, v] : labels) {
        key += k;
        key += '\x1f';
        key += v;
        key += '\x1e';
    }
}

} // namespace

std::string lokiStreamKey(const LokiLabels& labels)
{
    std::string key;
    appendLabels(key, labels);
    return key;
}

std::string lokiEntryKey(const std::string& streamKey, const LokiEntry& entry)
{
    std::string key = streamKey;
    key += '\x1d';
    key += entry.line;
    key += '\x1d';
    appendLabels(key, entry.structuredMetadata);
    key += '\x1d';
    appendLabels(key, entry.parsed);
    return key;
}

} // namespace rootline
