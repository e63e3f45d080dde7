#include "Attributes.h"
#include "JsonDepth.h"
#include "Utf8.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace rootline {

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

Attributes Attributes::fromJson(std::string_view json)
{
    Attributes attrs;
    // Deeper than any importer accepts today, so written before the limit: say so rather than
    // walk it (nlohmann's dump() below recurses once per level).
    if (jsonTooDeepAt(json)) {
        attrs.m_items.push_back({std::string(kTooDeepAttribute), std::string(kTooDeepNote)});
        return attrs;
    }
    const auto doc = nlohmann::ordered_json::parse(json, nullptr, false);
    if (!doc.is_object())
        return attrs;
    for (const auto& [key, value] : doc.items()) {
        if (value.is_string())
            attrs.m_items.push_back({key, value.get<std::string>()});
        else if (value.is_boolean())
            attrs.m_items.push_back({key, value.get<bool>()});
        else if (value.is_number_integer())
            attrs.m_items.push_back({key, value.get<int64_t>()});
        else if (value.is_number())
            attrs.m_items.push_back({key, value.get<double>()});
        else
            attrs.m_items.push_back({key, JsonText{value.dump()}});
    }
    return attrs;
}

} // namespace rootline
