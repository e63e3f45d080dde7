#pragma once

// Small readers over simdjson's On-Demand values shared by the JSON trace/log/metric parsers
// (OTLP, Jaeger): tolerant of the encodings met on the wire (64-bit ints as strings or numbers,
// times as strings or numbers, special doubles as strings). A value of the wrong type raises
// BadRecord, which the parser turns into a rejection of that record; simdjson errors (malformed
// JSON) raise simdjson_error and cost the enclosing document.

#include "core/Attributes.h"
#include "core/Time.h"

#include <simdjson.h>

#include <memory>
#include <string>
#include <string_view>

namespace rootline::json {

namespace od = simdjson::ondemand;

// A record could not be read: what was wrong (the field name and what was expected).
struct BadRecord {
    std::string what;
};

// Holds a copy of a document with the padding simdjson needs, reusing its allocation.
class PaddedBuffer {
public:
    simdjson::padded_string_view load(std::string_view text);
    const char* data() const { return m_data.get(); }
    size_t capacity() const { return m_capacity; }

private:
    std::unique_ptr<char[]> m_data;
    size_t m_capacity = 0;
};

// The calling thread's simdjson parser and padded buffer, kept from one document to the next:
// the importer hands a parser thousands of small documents a second, and each fresh parser would
// allocate (and the kernel zero) buffers sized for the document. A nested lease on the same
// thread gets fresh ones; buffers grown beyond 64 MiB (a huge document) are released on return.
class ParserLease {
public:
    ParserLease();
    ~ParserLease();
    ParserLease(const ParserLease&) = delete;
    ParserLease& operator=(const ParserLease&) = delete;

    od::parser& parser();
    PaddedBuffer& buffer();

    struct Scratch;

private:
    Scratch* m_scratch = nullptr;
    std::unique_ptr<Scratch> m_own;
};

std::string_view trimmed(std::string_view raw);
// The text a value starts with, for snippets; at most `max` bytes from `from` to `end`.
std::string snippetAt(const char* from, const char* end, size_t max = 240);

std::string_view getString(od::value v, const char* field);
bool getBool(od::value v, const char* field);
// int64 written as a number or a decimal string ("10", 10, 1e3 is refused).
int64_t getInt64(od::value v, const char* field);
// uint64 likewise (OTLP fixed64 counts).
uint64_t getUint64(od::value v, const char* field);
// A double written as a number, a numeric string, or "NaN"/"Infinity"/"-Infinity" (proto3 JSON).
double getDouble(od::value v, const char* field);
// Nanoseconds since the epoch as a decimal string or a number; "" / 0 → epoch.
Timestamp getNanos(od::value v, const char* field);
// Microseconds since the epoch (Jaeger).
Timestamp getMicros(od::value v, const char* field);

// The JSON of a number kept as written (used when re-serialising nested values).
void appendDouble(std::string& out, double d);

} // namespace rootline::json
