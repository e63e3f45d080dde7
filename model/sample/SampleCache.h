#pragma once

// The sample incident as a cache file: what `rootline-cli sample` and the build's
// `sample_incident` target produce, and what tests generate into temporary directories.

#include "SampleIncident.h"
#include "cache/TelemetryBatch.h"

#include <atomic>
#include <string>

namespace rootline {

// Generates the sample into a new cache at `path` (built under a temporary name and renamed at
// the end; an existing file is replaced only when `overwrite`). Sets the manifest: title,
// origin_timezone "UTC", generator, generator_version, seed, scale.
Result<WriteStats> writeSampleCache(const std::string& path, const SampleOptions& options, bool overwrite = false,
                                    const std::atomic_bool* cancelled = nullptr);

} // namespace rootline
