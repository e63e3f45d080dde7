#pragma once

// A fingerprint of what a cache holds: SHA-256 over its telemetry (logs, spans, series with their
// samples and histograms, exemplars, alerts) in a canonical order, independent of row ids, of the
// order and batching in which records arrived, and of provenance (fetches, rejections, manifest,
// saved investigations). Two caches with the same content have the same hash — the check behind
// generator determinism and bundle round trips.

#include "core/Result.h"

#include <string>

namespace rootline {

class CacheReader;

// 64 lowercase hex digits. Streams through the cache (bounded memory).
Result<std::string> contentHash(CacheReader& reader);

} // namespace rootline
