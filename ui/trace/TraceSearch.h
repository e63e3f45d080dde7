#pragma once

// Search in one laid-out trace: the nodes whose span name, service, or an attribute key or value
// contains the text (case-insensitive), in display order. A pure function over the layout's
// arrays, so the trace view runs it on a worker and hands the index set to the shared state.
// Widgets-free.

#include "TraceLayout.h"

#include <QString>
#include <atomic>
#include <vector>

namespace rootline::traceSearch {

std::vector<int32_t> find(const TraceLayout& layout, const QString& text, const std::atomic_bool* cancel = nullptr);

} // namespace rootline::traceSearch
