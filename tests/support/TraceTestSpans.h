#pragma once

// Spans of one test trace (trace id 1/2), written as readable little trees by the trace-view tests:
// id, parent id (0 = a root), name, service, start and end, error or not.

#include "core/Records.h"
#include "trace/TraceLayout.h"

#include <memory>
#include <string>
#include <vector>

namespace rootline::test {

inline Span traceSpan(uint64_t id, uint64_t parent, std::string name, const std::string& service, Timestamp start, Timestamp end,
                      bool error = false)
{
    Span s;
    s.traceId.high = 1;
    s.traceId.low = 2;
    s.spanId.value = id;
    if (parent)
        s.parentSpanId = SpanId{parent};
    s.name = std::move(name);
    auto r = std::make_shared<Resource>();
    r->serviceName = service;
    s.resource = r;
    s.start = start;
    s.duration = end - start;
    if (error)
        s.status = StatusCode::Error;
    return s;
}

// frontend GET /checkout 0–100 ms
//   checkout  POST        10–90
//     payment charge      20–80   (error)
//       gateway call      25–75
//     cart    load        12–18
//   frontend render       92–98
inline std::vector<Span> checkoutTrace()
{
    auto ms = [](int64_t v) { return Timestamp::fromMillis(v); };
    return {traceSpan(1, 0, "GET /checkout", "frontend", ms(0), ms(100)), traceSpan(2, 1, "POST", "checkout", ms(10), ms(90)),
            traceSpan(3, 2, "charge", "payment", ms(20), ms(80), true), traceSpan(4, 3, "gateway call", "payment", ms(25), ms(75)),
            traceSpan(5, 2, "load", "cart", ms(12), ms(18)), traceSpan(6, 1, "render", "frontend", ms(92), ms(98))};
}

// The first node labelled `name`; -1 when none.
inline int nodeNamed(const TraceLayout& layout, const std::string& name)
{
    for (int n = 0; n < layout.nodeCount(); ++n)
        if (layout.labelOf(n) == name)
            return n;
    return -1;
}

} // namespace rootline::test
