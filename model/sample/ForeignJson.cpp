#include "ForeignJson.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace rootline::sample::foreign {

void appendString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (size_t i = 0; i < text.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '"':
            out += "\\\"";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '\n':
            out += "\\n";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\t':
            out += "\\t";
            continue;
        default:
            break;
        }
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xf]);
            continue;
        }
        // U+2028 / U+2029 (E2 80 A8 / E2 80 A9) break JavaScript; Go escapes them.
        if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xA8) {
            out += static_cast<unsigned char>(text[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
            i += 2;
            continue;
        }
        out.push_back(char(c));
    }
    out.push_back('"');
}

void appendGoFloat(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buf[64];
    const double magnitude = std::fabs(value);
    const auto format = magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)
                            ? std::chars_format::scientific
                            : std::chars_format::fixed;
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, format);
    out.append(buf, ec == std::errc() ? end : buf);
}

void appendGoFloatE(std::string& out, double value) {
    if (!std::isfinite(value)) {
        appendGoFloat(out, value);
        return;
    }
    char buf[64];
    const auto [end, ec] =
        std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    out.append(buf, ec == std::errc() ? end : buf);
}

void appendPromTime(std::string& out, Timestamp t) {
    const int64_t ms = t.millis();
    const int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    const int64_t fraction = ms - seconds * 1000;
    out += std::to_string(seconds);
    if (fraction != 0) {
        char buf[8];
        std::snprintf(buf, sizeof buf, ".%03d", int(fraction));
        out += buf;
    }
}

void appendOtlpValue(std::string& out, const AttributeValue& value) {
    if (const auto* s = std::get_if<std::string>(&value)) {
        out += "{\"stringValue\":";
        appendString(out, *s);
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
        out += "{\"intValue\":\"" + std::to_string(*i) + "\"";
    } else if (const auto* d = std::get_if<double>(&value)) {
        out += "{\"doubleValue\":";
        appendGoFloat(out, *d);
    } else if (const auto* b = std::get_if<bool>(&value)) {
        out += *b ? "{\"boolValue\":true" : "{\"boolValue\":false";
    } else {
        out += "{\"stringValue\":";
        appendString(out, std::get<JsonText>(value).text);
    }
    out.push_back('}');
}

void appendOtlpAttributes(std::string& out, const Attributes& attributes) {
    out.push_back('[');
    bool first = true;
    for (const Attribute& a : attributes) {
        if (!first)
            out.push_back(',');
        first = false;
        out += "{\"key\":";
        appendString(out, a.key);
        out += ",\"value\":";
        appendOtlpValue(out, a.value);
        out.push_back('}');
    }
    out.push_back(']');
}

void appendLabelObject(std::string& out, const std::vector<std::pair<std::string, std::string>>& labels)
{
    out.push_back('{');
    for (size_t i = 0; i < labels.size(); ++i) {
        if (i)
            out.push_back(',');
        appendString(out, labels[i].first);
        out.push_back(':');
        appendString(out, labels[i].second);
    }
    out.push_back('}');
}

} // namespace rootline::sample::foreign
