#pragma once

// How record parts that are not columns (labels, span events and links, histogram buckets) are
// stored: JSON text, written by hand on the ingest path and read back with nlohmann.

#include "core/Records.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline::codec {

using Labels = std::vector<std::pair<std::string, std::string>>;

// Appends exactly what Attributes::toJson() returns (content hashes and readers depend on the
// bytes), into a buffer the caller reuses: the writer's per-row serialisation without the per-row
// allocation, copying plain ASCII runs whole instead of byte by byte.
void appendAttributesJson(std::string& out, const Attributes& attributes);

std::string labelsToJson(const Labels& labels);
Labels labelsFromJson(std::string_view json);

std::string eventsToJson(const std::vector<SpanEvent>& events);
std::vector<SpanEvent> eventsFromJson(std::string_view json);

std::string linksToJson(const std::vector<SpanLink>& links);
std::vector<SpanLink> linksFromJson(std::string_view json);

std::string bucketsToJson(const std::vector<HistogramBucket>& buckets);
std::vector<HistogramBucket> bucketsFromJson(std::string_view json);

} // namespace rootline::codec
