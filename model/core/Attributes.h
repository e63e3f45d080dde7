#pragma once

// Key/value attributes as OpenTelemetry defines them: string, int64, double, bool, bytes, and
// nested arrays and maps. Nested values are kept as their JSON text, which is how the cache stores
// every attribute set (one JSON object per record, readable with SQLite's JSON functions).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace rootline {

struct JsonText {
    std::string text; // an array or object, already serialised
    bool operator==(const JsonText&) const = default;
};

using AttributeValue = std::variant<std::string, int64_t, double, bool, JsonText>;

struct Attribute {
    std::string key;
    AttributeValue value;
    bool operator==(const Attribute&) const = default;
};

class Attributes {
public:
    Attributes() = default;
    Attributes(std::initializer_list<Attribute> items) : m_items(items) {}

    void set(std::string key, AttributeValue value);
    const AttributeValue* find(std::string_view key) const;
    // The value as text: strings as they are, numbers and booleans formatted, nested as JSON.
    std::optional<std::string> text(std::string_view key) const;

    bool empty() const { return m_items.empty(); }
    size_t size() const { return m_items.size(); }
    auto begin() const { return m_items.begin(); }
    auto end() const { return m_items.end(); }
    bool operator==(const Attributes&) const = default;

    // {"key":value,...} in insertion order; "{}" when empty. Hand-written because it sits on the
    // ingest hot path (hundreds of thousands of records a second).
    std::string toJson() const;
    // Reads what toJson() wrote (any JSON object; nested values become JsonText).
    // A JSON object nested deeper than kMaxJsonDepth (core/JsonDepth.h) reads as the one attribute
    // kTooDeepAttribute = kTooDeepNote instead of its contents.
    static Attributes fromJson(std::string_view json);
    static constexpr std::string_view kTooDeepAttribute = "rootline.unreadable";
    static constexpr std::string_view kTooDeepNote = "nested deeper than 1024 levels: not read";

private:
    std::vector<Attribute> m_items;
};

std::string attributeToText(const AttributeValue& value);
// Appends `text` to `out` as a JSON string literal, quotes included; bytes that are not valid UTF-8
// become U+FFFD (JSON must be UTF-8).
void appendJsonString(std::string& out, std::string_view text);

} // namespace rootline
