#pragma once

// Trace and span identifiers, normalised. Every form met on the wire (wire-formats.md §0.2) maps
// to 16 (trace) or 8 (span) bytes; text is 32 / 16 lowercase hex. Anything else is rejected with
// an error saying which form was expected, never guessed at.

#include "Result.h"

#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace rootline {

// How an id is written where it was found. Hex is the default; Decimal is for Datadog's
// `dd.trace_id`; Auto also recognises X-Ray ids and base64 (OTLP protobuf-JSON, Tempo).
enum class IdEncoding { Auto, Hex, Decimal, Base64, XRay };

struct TraceId {
    uint64_t high = 0;
    uint64_t low = 0;

    bool isValid() const { return high != 0 || low != 0; }
    std::string toHex() const; // 32 lowercase hex digits
    // X-Ray form "1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy" of the same 16 bytes.
    std::string toXRay() const;
    void toBytes(unsigned char out[16]) const;
    static TraceId fromBytes(const unsigned char in[16]);
    auto operator<=>(const TraceId&) const = default;
};

struct SpanId {
    uint64_t value = 0;

    bool isValid() const { return value != 0; }
    std::string toHex() const; // 16 lowercase hex digits
    auto operator<=>(const SpanId&) const = default;
};

// Auto accepts: 1–32 hex digits of either case (left-padded, as old Jaeger and 31-digit exemplar
// ids need), X-Ray "1-8hex-24hex", base64 of 16 bytes. An all-zero id is invalid (W3C).
Result<TraceId> parseTraceId(std::string_view text, IdEncoding encoding = IdEncoding::Auto);
// Auto accepts 1–16 hex digits of either case, or base64 of 8 bytes.
Result<SpanId> parseSpanId(std::string_view text, IdEncoding encoding = IdEncoding::Auto);

} // namespace rootline

template <>
struct std::hash<rootline::TraceId> {
    size_t operator()(const rootline::TraceId& id) const noexcept { return size_t(id.low ^ (id.high * 0x9E3779B97F4A7C15ULL)); }
};
