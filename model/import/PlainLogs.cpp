// JSON lines and logfmt logs (PlainLogs.h); the pattern-based format is in PlainTextLogs.cpp.

#include "PlainLogs.h"

#include "CheckedIterate.h"
#include "JsonValues.h"
#include "LogLineEmitter.h"

#include <array>
#include <cctype>
#include <simdjson.h>

namespace rootline {

namespace od = simdjson::ondemand;

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

// The first `max` complete, non-empty lines of a sniffed head (a cut-off last line is left out).
std::vector<std::string_view> headLines(std::string_view head, size_t max) {
    std::vector<std::string_view> out;
    size_t pos = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; // UTF-8 byte-order mark
    while (out.size() < max) {
        const size_t end = head.find('\n', pos);
        if (end == std::string_view::npos)
            break;
        const std::string_view line = trim(head.substr(pos, end - pos));
        if (!line.empty())
            out.push_back(line);
        pos = end + 1;
    }
    // A head without any newline: a single (possibly whole) line.
    if (out.empty() && head.find('\n') == std::string_view::npos && !trim(head).empty())
        out.push_back(trim(head));
    return out;
}

constexpr std::array kSniffTimeKeys{"timestamp", "time", "ts", "@timestamp", "t", "date", "@t"};

// ---- JSON lines ------------------------------------------------------------------------------

// `"key"` followed by optional spaces and ':' somewhere in `line`.
bool hasJsonKey(std::string_view line, std::string_view key) {
    const std::string quoted = "\"" + std::string(key) + "\"";
    for (size_t at = line.find(quoted); at != std::string_view::npos;
         at = line.find(quoted, at + 1)) {
        size_t i = at + quoted.size();
        while (i < line.size() && line[i] == ' ')
            ++i;
        if (i < line.size() && line[i] == ':')
            return true;
    }
    return false;
}

int sniffJsonLines(std::string_view head) {
    const auto lines = headLines(head, 3);
    if (lines.empty())
        return 0;
    int score = 0;
    for (std::string_view line : lines) {
        if (line.front() != '{' || line.back() != '}')
            return score;
        // OTLP / Loki documents written one per line belong to their own formats.
        if (line.find("\"resourceLogs\"") != std::string_view::npos ||
            line.find("\"resourceSpans\"") != std::string_view::npos ||
            line.find("\"resourceMetrics\"") != std::string_view::npos ||
            line.find("\"resultType\"") != std::string_view::npos)
            return 0;
        bool timed = false;
        for (const char* k : kSniffTimeKeys)
            timed = timed || hasJsonKey(line, k);
        if (!timed)
            return score;
        score = score == 0 ? 20 : score + 3;
    }
    return score;
}

Status parseJsonLines(std::string_view document, const ParseContext& ctx, RecordSink& sink) {
    LogLineEmitter out(ctx, sink);
    LogRecordAssembler assembler;
    od::parser parser;
    json::PaddedBuffer buffer;
    Status status = out.forEachLine(document, [&](std::string_view line, int64_t number) -> Status {
        const std::string_view text = trim(line);
        if (text.empty())
            return {};
        std::vector<LogField> fields;
        try {
            od::document doc = rootline::iterateChecked(parser, buffer.load(text));
            if (doc.type() != od::json_type::object)
                return out.reject(number, "not a JSON object", text);
            for (auto field : doc.get_object()) {
                LogField f;
                f.key = std::string(std::string_view(field.unescaped_key()));
                od::value v = field.value();
                switch (v.type()) {
                case od::json_type::string:
                    f.text = std::string(std::string_view(v.get_string()));
                    f.value = f.text;
                    break;
                case od::json_type::number: {
                    f.text = std::string(json::trimmed(v.raw_json_token()));
                    if (v.get_number_type() == od::number_type::signed_integer)
                        f.value = int64_t(v.get_int64());
                    else
                        f.value = double(v.get_double());
                    break;
                }
                case od::json_type::boolean:
                    f.value = bool(v.get_bool());
                    f.text = std::get<bool>(f.value) ? "true" : "false";
                    break;
                case od::json_type::null:
                    continue;
                case od::json_type::object: {
                    od::object o = v.get_object();
                    f.text = std::string(std::string_view(o.raw_json()));
                    f.value = JsonText{f.text};
                    break;
                }
                case od::json_type::array: {
                    od::array a = v.get_array();
                    f.text = std::string(std::string_view(a.raw_json()));
                    f.value = JsonText{f.text};
                    break;
                }
                }
                fields.push_back(std::move(f));
            }
            if (text.back() != '}')
                return out.reject(number, "malformed JSON: content after the object", text);
        } catch (const simdjson::simdjson_error& e) {
            return out.reject(number, std::string("malformed JSON: ") + e.what(), text);
        }
        auto record = assembler.assemble(std::move(fields), text);
        if (!record)
            return out.reject(number, record.error().what, text, record.error().hint);
        return out.add(std::move(*record));
    });
    if (!status)
        return status;
    return out.flush();
}

// ---- logfmt ----------------------------------------------------------------------------------

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

int sniffLogfmt(std::string_view head) {
    const auto lines = headLines(head, 3);
    if (lines.empty())
        return 0;
    int score = 0;
    for (std::string_view line : lines) {
        const size_t eq = line.find('=');
        const size_t space = line.find(' ');
        // The very first token must be key=value: "2026-… level=info" is a plain line.
        if (line.front() == '{' || eq == std::string_view::npos || eq == 0 ||
            (space != std::string_view::npos && space < eq))
            return score;
        auto fields = parseLogfmtLine(line);
        if (!fields || fields->size() < 2)
            return score;
        bool timed = false;
        for (const auto& f : *fields)
            for (const char* k : kSniffTimeKeys)
                timed = timed || f.key == k;
        if (!timed)
            return score;
        score = score == 0 ? 20 : score + 3;
    }
    return score;
}

Status parseLogfmt(std::string_view document, const ParseContext& ctx, RecordSink& sink) {
    LogLineEmitter out(ctx, sink);
    LogRecordAssembler assembler;
    Status status = out.forEachLine(document, [&](std::string_view line, int64_t number) -> Status {
        const std::string_view text = trim(line);
        if (text.empty())
            return {};
        auto fields = parseLogfmtLine(text);
        if (!fields)
            return out.reject(number, fields.error().what, text);
        auto record = assembler.assemble(std::move(*fields), text);
        if (!record)
            return out.reject(number, record.error().what, text, record.error().hint);
        return out.add(std::move(*record));
    });
    if (!status)
        return status;
    return out.flush();
}

} // namespace

Result<std::vector<LogField>> parseLogfmtLine(std::string_view line) {
    std::vector<LogField> fields;
    size_t i = 0;
    const size_t n = line.size();
    auto isSpace = [](char c) {
        return c == ' ' || c == '\t';
    };
    while (i < n) {
        while (i < n && isSpace(line[i]))
            ++i;
        if (i >= n)
            break;
        const size_t keyStart = i;
        while (i < n && !isSpace(line[i]) && line[i] != '=' && line[i] != '"')
            ++i;
        if (i == keyStart)
            return Error{"", "logfmt: expected a key at column " + std::to_string(i + 1), {}};
        LogField f;
        f.key = std::string(line.substr(keyStart, i - keyStart));
        if (i >= n || line[i] != '=') {
            if (i < n && line[i] == '"')
                return Error{"", "logfmt: a quote inside the key \"" + f.key + "\"", {}};
            f.text = "true"; // a bare key is a flag
            f.value = true;
            fields.push_back(std::move(f));
            continue;
        }
        ++i; // '='
        if (i < n && line[i] == '"') {
            ++i;
            bool closed = false;
            while (i < n) {
                const char c = line[i++];
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c != '\\') {
                    f.text.push_back(c);
                    continue;
                }
                if (i >= n)
                    break;
                const char e = line[i++];
                switch (e) {
                case 'n':
                    f.text.push_back('\n');
                    break;
                case 't':
                    f.text.push_back('\t');
                    break;
                case 'r':
                    f.text.push_back('\r');
                    break;
                case '"':
                case '\\':
                case '/':
                    f.text.push_back(e);
                    break;
                case 'u': {
                    uint32_t cp = 0;
                    if (i + 4 > n)
                        return Error{"", "logfmt: a short \\u escape in \"" + f.key + "\"", {}};
                    for (int k = 0; k < 4; ++k) {
                        const char h = char(std::tolower(static_cast<unsigned char>(line[i++])));
                        if (!std::isxdigit(static_cast<unsigned char>(h)))
                            return Error{"", "logfmt: a bad \\u escape in \"" + f.key + "\"", {}};
                        cp = cp * 16 + uint32_t(h <= '9' ? h - '0' : h - 'a' + 10);
                    }
                    appendUtf8(f.text, cp);
                    break;
                }
                default: // unknown escapes are kept as written
                    f.text.push_back('\\');
                    f.text.push_back(e);
                }
            }
            if (!closed)
                return Error{"", "logfmt: unterminated quoted value of \"" + f.key + "\"", {}};
            if (i < n && !isSpace(line[i]))
                return Error{
                    "", "logfmt: text right after the quoted value of \"" + f.key + "\"", {}};
        } else {
            const size_t valueStart = i;
            while (i < n && !isSpace(line[i]))
                ++i;
            f.text = std::string(line.substr(valueStart, i - valueStart));
        }
        f.value = f.text;
        fields.push_back(std::move(f));
    }
    if (fields.empty())
        return Error{"", "logfmt: an empty line", {}};
    return fields;
}

Format jsonLinesLogsFormat() {
    Format f;
    f.name = "jsonl-logs";
    f.description = "JSON lines logs (one JSON object per line: time, level, msg, …)";
    f.sniff = &sniffJsonLines;
    f.parse = &parseJsonLines;
    f.lineOriented = true;
    return f;
}

Format logfmtFormat() {
    Format f;
    f.name = "logfmt";
    f.description = "logfmt logs (key=value key2=\"quoted value\" per line)";
    f.sniff = &sniffLogfmt;
    f.parse = &parseLogfmt;
    f.lineOriented = true;
    return f;
}

} // namespace rootline
