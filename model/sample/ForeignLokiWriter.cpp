#include "ForeignLokiWriter.h"

#include "ForeignJson.h"

#include <algorithm>
#include <cctype>

namespace rootline::sample {

using namespace foreign;

namespace {

constexpr size_t kSpoolChunkBytes = size_t(64) << 10;

// Loki's detected_level values.
const char* detectedLevel(int severity) {
    if (severity >= 21)
        return "critical";
    if (severity >= 17)
        return "error";
    if (severity >= 13)
        return "warn";
    if (severity >= 9)
        return "info";
    if (severity >= 5)
        return "debug";
    if (severity >= 1)
        return "trace";
    return "unknown";
}

std::string labelName(std::string_view key) {
    std::string name(key);
    for (char& c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            c = '_';
    return name;
}

// Loki writes label and structured-metadata objects with their keys sorted.
void appendLabels(std::string& out, std::vector<std::pair<std::string, std::string>> labels) {
    std::sort(labels.begin(), labels.end());
    appendLabelObject(out, labels);
}

bool entryBefore(const auto& a, const auto& b) {
    return a.time != b.time ? a.time < b.time : a.sequence < b.sequence;
}

} // namespace

ForeignLokiWriter::Stream& ForeignLokiWriter::streamFor(const Resource& resource) {
    if (auto it = m_byResource.find(&resource); it != m_byResource.end())
        return m_streams[it->second];
    // What Alloy's Kubernetes discovery relabels a container's output to, plus the service_name
    // Loki derives; `version` and `env` come from the pod's labels and the cluster's external
    // labels.
    const std::string container =
        resource.raw.text("k8s.container.name").value_or(resource.serviceName);
    std::vector<std::pair<std::string, std::string>> labels = {
        {"container", container},
        {"job", resource.serviceNamespace + "/" + container},
        {"namespace", resource.serviceNamespace},
        {"service_name", resource.serviceName},
    };
    if (!resource.pod.empty())
        labels.emplace_back("pod", resource.pod);
    if (!resource.host.empty())
        labels.emplace_back("node_name", resource.host);
    if (!resource.serviceVersion.empty())
        labels.emplace_back("version", resource.serviceVersion);
    if (!resource.environment.empty())
        labels.emplace_back("env", resource.environment);
    std::string json;
    appendLabels(json, std::move(labels));
    size_t index = 0;
    if (auto it = m_byLabels.find(json); it != m_byLabels.end()) {
        index = it->second;
    } else {
        index = m_streams.size();
        Stream s;
        s.labelsJson = json;
        s.group = m_spool.addGroup();
        m_streams.push_back(std::move(s));
        m_byLabels.emplace(std::move(json), index);
    }
    m_byResource.emplace(&resource, index);
    return m_streams[index];
}

void ForeignLokiWriter::add(const LogRecord& r) {
    Stream& stream = streamFor(*r.resource);
    Entry e;
    e.time = r.time;
    e.sequence = m_sequence++;
    e.text = "[\"" + std::to_string(r.time.nanos()) + "\",";
    appendString(e.text, r.body);
    std::vector<std::pair<std::string, std::string>> metadata;
    metadata.emplace_back("detected_level", detectedLevel(r.severity));
    for (const Attribute& a : r.attributes)
        metadata.emplace_back(labelName(a.key), attributeToText(a.value));
    for (const auto& [k, v] : metadata)
        m_metadataBytes += int64_t(k.size() + v.size());
    m_lineBytes += int64_t(r.body.size());
    e.text += ",{\"structuredMetadata\":";
    appendLabels(e.text, std::move(metadata));
    e.text += "}]";
    m_newest = std::max(m_newest, r.time);
    stream.added.push_back(std::move(e));
    ++m_entries;
}

Status ForeignLokiWriter::release(Stream& s, Timestamp before, bool all) {
    if (!s.added.empty()) {
        std::stable_sort(s.added.begin(), s.added.end(),
                         [](const Entry& a, const Entry& b) { return entryBefore(a, b); });
        const size_t middle = s.pending.size();
        s.pending.insert(s.pending.end(), std::make_move_iterator(s.added.begin()),
                         std::make_move_iterator(s.added.end()));
        s.added.clear();
        std::inplace_merge(s.pending.begin(), s.pending.begin() + std::ptrdiff_t(middle),
                           s.pending.end(),
                           [](const Entry& a, const Entry& b) { return entryBefore(a, b); });
    }
    size_t n = 0;
    while (n < s.pending.size() && (all || s.pending[n].time < before)) {
        Entry& e = s.pending[n++];
        if (e.time < s.lastWritten)
            ++m_late;
        s.lastWritten = std::max(s.lastWritten, e.time);
        if (!s.text.empty())
            s.text.push_back(',');
        s.text += e.text;
        if (s.text.size() >= kSpoolChunkBytes) {
            if (auto st = m_spool.append(s.group, s.text); !st)
                return st;
            s.text.clear();
        }
    }
    s.pending.erase(s.pending.begin(), s.pending.begin() + std::ptrdiff_t(n));
    if (all && !s.text.empty()) {
        if (auto st = m_spool.append(s.group, s.text); !st)
            return st;
        s.text.clear();
    }
    return {};
}

Status ForeignLokiWriter::settle() {
    if (m_newest == Timestamp::min())
        return {};
    const Timestamp before = m_newest - kReorderWindow;
    for (Stream& s : m_streams)
        if (auto st = release(s, before, false); !st)
            return st;
    return {};
}

Status ForeignLokiWriter::finish(ForeignFile& out) {
    for (Stream& s : m_streams)
        if (auto st = release(s, Timestamp::max(), true); !st)
            return st;
    out.write("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"encodingFlags\":["
              "\"categorize-labels\"],\"result\":[");
    bool first = true;
    for (const auto& [labels, index] : m_byLabels) { // streams ordered by their labels
        const Stream& s = m_streams[index];
        if (m_spool.isEmpty(s.group))
            continue;
        out.write(first ? "\n{\"stream\":" : ",\n{\"stream\":");
        first = false;
        out.write(labels);
        out.write(",\"values\":[");
        if (auto st = m_spool.copyGroup(s.group, out); !st)
            return st;
        out.write("]}");
    }
    // The counters of Loki 3.x's stats summary that a saved response can state truthfully.
    const std::string entries = std::to_string(m_entries);
    out.write(
        "\n],\"stats\":{\"summary\":{\"totalBytesProcessed\":" +
        std::to_string(m_lineBytes + m_metadataBytes) + ",\"totalLinesProcessed\":" + entries +
        ",\"totalEntriesReturned\":" + entries + ",\"totalPostFilterLines\":" + entries +
        ",\"totalStructuredMetadataBytesProcessed\":" + std::to_string(m_metadataBytes) + "}}}}\n");
    return {};
}

} // namespace rootline::sample
