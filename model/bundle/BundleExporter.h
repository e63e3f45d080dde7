#pragma once

// Export (issue 3 item 3): writes a self-contained bundle — a new cache file holding what the
// filters select, with a manifest (contents, time range, origin time zone, provenance, content
// hash) — and never a credential. Records stream from a CacheReader into a CacheWriter page by
// page, so memory stays bounded whatever the cache's size; the file is built under a temporary
// name and renamed at the end, so there is never a half-written bundle.
//
// What is kept: logs in the window of the selected services; whole traces (every span) that
// overlap the window and touch a selected service; series of the selected services with their
// samples, histograms and exemplars in the window; alerts active before the window's end whose
// `service` label (if any) is selected.

#include "Redactor.h"
#include "cache/TelemetryBatch.h"
#include "core/Time.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace rootline {

struct ExportOptions {
    TimeWindow window = TimeWindow::all();
    std::vector<std::string> services; // empty: every service
    bool redact = false;
    std::vector<RedactionRule> redactionRules = defaultRedactionRules();
    bool overwrite = false; // replace an existing output file
};

struct ExportSummary {
    WriteStats stats;
    int64_t traces = 0;
    int64_t redactedValues = 0; // bodies and attribute sets in which something was masked
    std::string contentHash;
    std::optional<TimeWindow> range; // of what the bundle holds
};

Result<ExportSummary> exportBundle(const std::string& sourcePath, const std::string& outPath, const ExportOptions& options,
                                   const std::atomic_bool* cancelled = nullptr);

} // namespace rootline
