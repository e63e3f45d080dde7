#include "LogTemplate.h"

#include <cctype>

namespace rootline {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool isSeparator(char c)
{
    return c == ' ' || c == '\t' || c == '=' || c == ',' || c == ';' || c == '(' || c == ')' || c == '[' || c == ']'
        || c == '{' || c == '}' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '|' || c == '\n' || c == '\r';
}

bool isUuid(std::string_view t)
{
    if (t.size() != 36)
        return false;
    for (size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? t[i] != '-' : !isHex(t[i]))
            return false;
    }
    return true;
}

bool isIp(std::string_view t)
{
    int dots = 0, digits = 0;
    size_t i = 0;
    for (; i < t.size() && t[i] != ':'; ++i) {
        if (t[i] == '.') {
            if (digits == 0)
                return false;
            ++dots;
            digits = 0;
        } else if (isDigit(t[i]) && digits < 3) {
            ++digits;
        } else {
            return false;
        }
    }
    if (dots != 3 || digits == 0)
        return false;
    if (i < t.size()) { // :port
        if (i + 1 == t.size())
            return false;
        for (++i; i < t.size(); ++i)
            if (!isDigit(t[i]))
                return false;
    }
    return true;
}

// 42, -1.5, 250ms, 3.2s, 99%, 12KB, 1e-3: a number with at most a short unit after it.
bool isNumber(std::string_view t)
{
    size_t i = 0;
    if (i < t.size() && (t[i] == '-' || t[i] == '+'))
        ++i;
    const size_t digitsFrom = i;
    while (i < t.size() && (isDigit(t[i]) || t[i] == '.'))
        ++i;
    if (i == digitsFrom || !isDigit(t[digitsFrom]))
        return false;
    const size_t unit = t.size() - i;
    if (unit > 3)
        return false;
    for (; i < t.size(); ++i)
        if (!std::isalpha((unsigned char)t[i]) && t[i] != '%')
            return false;
    return true;
}

bool isHexId(std::string_view t)
{
    if (t.size() < 8)
        return false;
    bool digit = false;
    for (char c : t) {
        if (!isHex(c))
            return false;
        digit |= isDigit(c);
    }
    return digit;
}

bool hasDigit(std::string_view t)
{
    for (char c : t)
        if (isDigit(c))
            return true;
    return false;
}

void appendMasked(std::string& out, std::string_view token)
{
    if (token.empty())
        return;
    if (isUuid(token))
        out += "<uuid>";
    else if (isIp(token))
        out += "<ip>";
    else if (isNumber(token))
        out += "<num>";
    else if (isHexId(token))
        out += "<hex>";
    else if (!hasDigit(token))
        out += token;
    else if (token.find('/') != std::string_view::npos) {
        // A path or URL: mask the segments that vary, keep the route's shape.
        size_t from = 0;
        for (;;) {
            const size_t slash = token.find('/', from);
            const std::string_view part = token.substr(from, slash == std::string_view::npos ? std::string_view::npos : slash - from);
            if (hasDigit(part) && part.find(':') == std::string_view::npos)
                appendMasked(out, part);
            else
                out += part;
            if (slash == std::string_view::npos)
                break;
            out += '/';
            from = slash + 1;
        }
    } else if (auto colon = token.find(':'); colon != std::string_view::npos && colon > 0 && !hasDigit(token.substr(0, colon))) {
        out += token.substr(0, colon + 1); // "host:port", "key:value"
        appendMasked(out, token.substr(colon + 1));
    } else if (token.back() == '.' || token.back() == ':') {
        appendMasked(out, token.substr(0, token.size() - 1));
        out += token.back();
    } else if (token.size() <= 3) {
        out += token; // "v1", "s3", "ipv4"-like words, not values
    } else {
        out += "<*>";
    }
}

std::string_view jsonStringField(std::string_view body, std::string_view key)
{
    for (size_t p = body.find(key); p != std::string_view::npos; p = body.find(key, p + 1)) {
        if (p == 0 || body[p - 1] != '"' || p + key.size() >= body.size() || body[p + key.size()] != '"')
            continue;
        size_t q = p + key.size() + 1;
        while (q < body.size() && (body[q] == ' ' || body[q] == ':'))
            ++q;
        if (q >= body.size() || body[q] != '"')
            continue;
        size_t e = q + 1;
        while (e < body.size() && body[e] != '"') {
            if (body[e] == '\\')
                ++e;
            ++e;
        }
        return body.substr(q + 1, std::min(e, body.size()) - q - 1);
    }
    return {};
}

} // namespace

std::string_view logMessage(std::string_view body)
{
    size_t first = 0;
    while (first < body.size() && body[first] == ' ')
        ++first;
    if (first < body.size() && body[first] == '{') {
        for (std::string_view key : {std::string_view("msg"), std::string_view("message"), std::string_view("error"),
                                     std::string_view("event")}) {
            if (auto v = jsonStringField(body, key); !v.empty())
                return v;
        }
    }
    // logfmt: the quoted msg="..." is the message; the other pairs are context.
    for (std::string_view key : {std::string_view("msg=\""), std::string_view("message=\"")}) {
        const size_t p = body.find(key);
        if (p == std::string_view::npos || (p > 0 && body[p - 1] != ' '))
            continue;
        const size_t from = p + key.size();
        const size_t close = body.find('"', from);
        if (close != std::string_view::npos && close > from)
            return body.substr(from, close - from);
    }
    return body;
}

std::string logTemplate(std::string_view body)
{
    const std::string_view text = logMessage(body);
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"' || c == '\'') {
            const size_t close = text.find(c, i + 1);
            if (close != std::string_view::npos && close - i <= 200) {
                out += "<str>";
                i = close + 1;
                continue;
            }
        }
        if (isSeparator(c)) {
            // Collapse runs of blanks so alignment padding does not split templates.
            if ((c == ' ' || c == '\t') && !out.empty() && out.back() == ' ') {
                ++i;
                continue;
            }
            out += (c == '\t' ? ' ' : c);
            ++i;
            continue;
        }
        size_t end = i;
        while (end < text.size() && !isSeparator(text[end]))
            ++end;
        appendMasked(out, text.substr(i, end - i));
        i = end;
    }
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace rootline
