#pragma once

// Copies the telemetry of one cache into a RecordSink, page by page (bounded memory): whole traces
// (every span) that overlap the window and touch a selected service; logs in the window of the
// selected services; series of the selected services with their samples, histograms and exemplars
// in the window; alerts active before the window's end whose `service` label (if any) is selected.
// Row ids are cleared so the records are new rows wherever they land. Shared by the bundle
// exporter (cache → bundle) and the importer (bundle → cache), so both copy exactly the same way.

#include "Redactor.h"
#include "core/Result.h"
#include "core/Time.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace rootline {

class CacheReader;
class RecordSink;

struct CopyFilter {
    TimeWindow window = TimeWindow::all();
    std::vector<std::string> services; // empty: every service
};

struct CopyCounts {
    int64_t traces = 0;
    int64_t redacted = 0; // bodies and attribute sets in which the redactor masked something
};

// `redactor` may be null (nothing masked). A cancel stops the copy with Error{`where`, "cancelled"}.
Result<CopyCounts> copyRecords(CacheReader& from, RecordSink& to, const CopyFilter& filter, const Redactor* redactor = nullptr,
                               const std::atomic_bool* cancelled = nullptr, const std::string& where = "copy");

} // namespace rootline
