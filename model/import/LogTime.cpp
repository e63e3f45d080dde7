#include "LogTime.h"

#include "core/Clock.h"

#include <cctype>
#include <string>

namespace rootline {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

bool allDigits(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (!isDigit(c))
            return false;
    return true;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

int monthFromAbbrev(std::string_view m) {
    static constexpr const char* names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
    if (m.size() != 3)
        return 0;
    for (int i = 0; i < 12; ++i) {
        bool same = true;
        for (int k = 0; k < 3; ++k)
            same = same && char(std::tolower(static_cast<unsigned char>(m[k]))) == names[i][k];
        if (same)
            return i + 1;
    }
    return 0;
}

std::string twoDigits(int v) {
    return std::string(1, char('0' + v / 10)) + char('0' + v % 10);
}

Error timeError(std::string_view text, std::string what) {
    return Error{"", "unreadable time \"" + std::string(text.substr(0, 64)) + "\": " + what,
                 "use RFC 3339, epoch seconds/ms/µs/ns, \"Nov 20 14:47:01\" or "
                 "\"20/Nov/2026:14:47:01 +0000\""};
}

// "1795358821" / "1795358821123.5" / "-12": the unit follows the integer part's digit count.
Result<Timestamp> parseEpoch(std::string_view text) {
    std::string_view sign;
    if (!text.empty() && text.front() == '-') {
        sign = text.substr(0, 1);
        text.remove_prefix(1);
    }
    const size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (!allDigits(whole) || (dot != std::string_view::npos && !allDigits(fraction)))
        return timeError(text, "not a number");
    const size_t n = whole.size();
    const size_t shift = n <= 11 ? 0 : n <= 14 ? 3 : n <= 17 ? 6 : 9;
    // Move the decimal point `shift` digits left and read the result as seconds, exactly.
    std::string seconds(sign);
    seconds += n > shift ? std::string(whole.substr(0, n - shift)) : std::string("0");
    seconds += '.';
    seconds += std::string(whole.substr(n - shift));
    seconds += fraction;
    return parseSecondsText(seconds);
}

// "Nov 20 14:47:01", "Nov  2 14:47:01.123"
Result<Timestamp> parseSyslog(std::string_view text, int year) {
    const int month = monthFromAbbrev(text.substr(0, 3));
    if (!month || text.size() < 15 || text[3] != ' ')
        return timeError(text, "not a syslog time");
    std::string_view rest = text.substr(4);
    if (rest.front() == ' ')
        rest.remove_prefix(1);
    size_t dayLen = 0;
    while (dayLen < rest.size() && isDigit(rest[dayLen]))
        ++dayLen;
    if (dayLen == 0 || dayLen > 2 || dayLen >= rest.size() || rest[dayLen] != ' ')
        return timeError(text, "not a syslog day");
    const int day = std::stoi(std::string(rest.substr(0, dayLen)));
    const std::string_view clock = rest.substr(dayLen + 1);
    if (year <= 0)
        year = utcYear(Clock::current().now());
    std::string iso = std::to_string(year) + "-" + twoDigits(month) + "-" + twoDigits(day) + "T" +
                      std::string(clock);
    auto t = parseRfc3339(iso);
    if (!t)
        return timeError(text, t.error().what);
    return t;
}

// "20/Nov/2026:14:47:01 +0000"
Result<Timestamp> parseCommonLog(std::string_view text) {
    if (text.size() < 20 || text[2] != '/' || text[6] != '/' || text[11] != ':')
        return timeError(text, "not a common-log time");
    const int month = monthFromAbbrev(text.substr(3, 3));
    if (!month || !allDigits(text.substr(0, 2)) || !allDigits(text.substr(7, 4)))
        return timeError(text, "not a common-log date");
    std::string iso = std::string(text.substr(7, 4)) + "-" + twoDigits(month) + "-" +
                      std::string(text.substr(0, 2)) + "T" + std::string(trimmed(text.substr(12)));
    // "14:47:01 +0000" → "14:47:01+0000"
    if (auto space = iso.find(' '); space != std::string::npos)
        iso.erase(space, 1);
    auto t = parseRfc3339(iso);
    if (!t)
        return timeError(text, t.error().what);
    return t;
}

} // namespace

int utcYear(Timestamp t) {
    // Civil-from-days (H. Hinnant's algorithm), year only.
    int64_t z = t.seconds() / 86400 - (t.seconds() % 86400 < 0) + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t month = mp < 10 ? mp + 3 : mp - 9;
    return int(yoe + era * 400 + (month <= 2));
}

Result<Timestamp> parseLogTime(std::string_view text, int syslogYear) {
    text = trimmed(text);
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = trimmed(text.substr(1, text.size() - 2));
    if (text.empty())
        return timeError(text, "empty");
    const char c0 = text.front();
    if (isDigit(c0) || c0 == '-') {
        if (text.size() >= 10 && text[4] == '-' && text[7] == '-') {
            // ISO; log4j / Python write the fraction after a comma.
            if (text.size() > 19 && text[19] == ',') {
                std::string fixed(text);
                fixed[19] = '.';
                auto t = parseRfc3339(fixed);
                return t ? t : Result<Timestamp>(timeError(text, t.error().what));
            }
            auto t = parseRfc3339(text);
            return t ? t : Result<Timestamp>(timeError(text, t.error().what));
        }
        if (text.size() > 2 && text[2] == '/')
            return parseCommonLog(text);
        if (text.find_first_of("eE") != std::string_view::npos) {
            auto t = parseSecondsText(text); // "1.7953588E9": only seconds are written this way
            return t ? t : Result<Timestamp>(timeError(text, t.error().what));
        }
        return parseEpoch(text);
    }
    if (std::isalpha(static_cast<unsigned char>(c0)))
        return parseSyslog(text, syslogYear);
    return timeError(text, "unknown form");
}

} // namespace rootline
