#include "Attributes.h"
#include "JsonDepth.h"
#include "Utf8.h"

#include <charconv>

#include <simdjson.h>

#include <cmath>
#include <cstdio>

namespace rootline {
namespace {

// simdjson's raw tokens keep the whitespace that follows them.
std::string_view trimmedJson(std::string_view text)
{
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

} // namespace


void Attributes::set(std::string key, AttributeValue value)
{
    for (auto& item : m_items) {
        if (item.key == key) {
            item.value = std::move(value);
            return;
        }
    }
    m_items.push_back({std::move(key), std::move(value)});
}

const AttributeValue* Attributes::find(std::string_view key) const
{
    for (const auto& item : m_items)
        if (item.key == key)
            return &item.value;
    return nullptr;
}

std::optional<std::string> Attributes::text(std::string_view key) const
{
    if (const auto* v = find(key))
        return attributeToText(*v);
    return std::nullopt;
}

std::string attributeToText(const AttributeValue& value)
{
    struct Visitor {
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(int64_t i) const { return std::to_string(i); }
        std::string operator()(double d) const
        {
            // The same text as printf("%.17g") (to_chars is specified so), without the locale.
            char buf[32];
            const auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, 17);
            return std::string(buf, r.ptr);
        }
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(const JsonText& j) const { return j.text; }
    };
    return std::visit(Visitor{}, value);
}

namespace {
void appendJsonStringRaw(std::string& out, std::string_view text)
{
    out.push_back('"');
    // Bytes that need no escape are appended in runs, not one by one (the ingest hot path).
    size_t run = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out.push_back(char(c));
            }
        }
    }
    out.append(text.data() + run, text.size() - run);
    out.push_back('"');
}

} // namespace

// Each byte that is not part of valid UTF-8 becomes U+FFFD: JSON text must be UTF-8, and one stray
// Latin-1 byte would otherwise make a whole attribute set unreadable when the cache reads it back.
void appendJsonString(std::string& out, std::string_view text)
{
    size_t i = 0;
    for (; i < text.size() && static_cast<unsigned char>(text[i]) < 0x80; ++i) {
    }
    if (i == text.size()) {
        appendJsonStringRaw(out, text); // plain ASCII: the common case
        return;
    }
    std::string clean;
    appendRepairedUtf8(clean, text);
    appendJsonStringRaw(out, clean);
}

std::string Attributes::toJson() const
{
    if (m_items.empty())
        return "{}";
    std::string out;
    out.reserve(16 + m_items.size() * 32);
    out.push_back('{');
    bool first = true;
    for (const auto& item : m_items) {
        if (!first)
            out.push_back(',');
        first = false;
        appendJsonString(out, item.key);
        out.push_back(':');
        if (const auto* s = std::get_if<std::string>(&item.value)) {
            appendJsonString(out, *s);
        } else if (const auto* d = std::get_if<double>(&item.value)) {
            // JSON has no NaN or infinities: keep them as strings rather than writing invalid JSON.
            if (std::isfinite(*d))
                out += attributeToText(*d);
            else
                appendJsonString(out, std::isnan(*d) ? "NaN" : (*d > 0 ? "+Inf" : "-Inf"));
        } else {
            out += attributeToText(item.value);
        }
    }
    out.push_back('}');
    return out;
}

// Stored attributes are read back for every span of a trace and every log row shown, so this
// runs simdjson's On-Demand parser (nlohmann's lexer was most of reading a 100k-span trace). The
// stored text is our own compact JSON, so a nested value's raw text is what dump() would write.
Attributes Attributes::fromJson(std::string_view json)
{
    Attributes attrs;
    // Deeper than any importer accepts today, so written before the limit: say so rather than
    // walk it (On-Demand does not enforce a depth; core/JsonDepth.h).
    if (jsonTooDeepAt(json)) {
        attrs.m_items.push_back({std::string(kTooDeepAttribute), std::string(kTooDeepNote)});
        return attrs;
    }
    thread_local simdjson::ondemand::parser parser;
    thread_local std::string padded;
    padded.reserve(json.size() + simdjson::SIMDJSON_PADDING);
    padded.assign(json);
    auto doc = parser.iterate(padded.data(), padded.size(), padded.capacity());
    simdjson::ondemand::object object;
    if (doc.get_object().get(object) != simdjson::SUCCESS)
        return attrs;
    const bool whole = [&] {
        for (auto field : object) {
            std::string_view key;
            simdjson::ondemand::value value;
            if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(value) != simdjson::SUCCESS)
                return false;
            simdjson::ondemand::json_type type;
            if (value.type().get(type) != simdjson::SUCCESS)
                return false;
            std::string k(key);
            switch (type) {
            case simdjson::ondemand::json_type::string: {
                std::string_view text;
                if (value.get_string().get(text) != simdjson::SUCCESS)
                    return false;
                attrs.m_items.push_back({std::move(k), std::string(text)});
                break;
            }
            case simdjson::ondemand::json_type::boolean: {
                bool b = false;
                if (value.get_bool().get(b) != simdjson::SUCCESS)
                    return false;
                attrs.m_items.push_back({std::move(k), b});
                break;
            }
            case simdjson::ondemand::json_type::number: {
                simdjson::ondemand::number_type kind;
                if (value.get_number_type().get(kind) != simdjson::SUCCESS)
                    return false;
                int64_t i = 0;
                double d = 0;
                if (kind == simdjson::ondemand::number_type::signed_integer && value.get_int64().get(i) == simdjson::SUCCESS)
                    attrs.m_items.push_back({std::move(k), i});
                else if (value.get_double().get(d) == simdjson::SUCCESS)
                    attrs.m_items.push_back({std::move(k), d});
                else // a big integer beyond double: kept as its text
                    attrs.m_items.push_back({std::move(k), JsonText{std::string(trimmedJson(value.raw_json_token()))}});
                break;
            }
            case simdjson::ondemand::json_type::array: {
                simdjson::ondemand::array array;
                std::string_view raw;
                if (value.get_array().get(array) != simdjson::SUCCESS || array.raw_json().get(raw) != simdjson::SUCCESS)
                    return false;
                attrs.m_items.push_back({std::move(k), JsonText{std::string(trimmedJson(raw))}});
                break;
            }
            case simdjson::ondemand::json_type::object: {
                simdjson::ondemand::object inner;
                std::string_view raw;
                if (value.get_object().get(inner) != simdjson::SUCCESS || inner.raw_json().get(raw) != simdjson::SUCCESS)
                    return false;
                attrs.m_items.push_back({std::move(k), JsonText{std::string(trimmedJson(raw))}});
                break;
            }
            case simdjson::ondemand::json_type::null:
                if (!value.is_null())
                    return false;
                attrs.m_items.push_back({std::move(k), JsonText{"null"}});
                break;
            }
        }
        return true;
    }();
    if (!whole) // malformed: nothing, as before (stored attributes are written by Rootline)
        attrs.m_items.clear();
    return attrs;
}

} // namespace rootline
