#include "HttpRetry.h"

#include <curl/curl.h>

#include <cctype>
#include <string>

namespace rootline::http {

std::optional<Duration> parseRetryAfter(std::string_view value, Timestamp now)
{
    while (!value.empty() && std::isspace(uint8_t(value.front())))
        value.remove_prefix(1);
    while (!value.empty() && std::isspace(uint8_t(value.back())))
        value.remove_suffix(1);
    if (value.empty())
        return std::nullopt;
    bool digits = true;
    for (char c : value)
        digits = digits && std::isdigit(uint8_t(c));
    if (digits) {
        if (value.size() > 9)
            return Duration::seconds(999'999'999); // absurd: the caller's cap decides
        return Duration::seconds(std::stoll(std::string(value)));
    }
    // curl_getdate understands the three HTTP date formats (IMF-fixdate, RFC 850, asctime).
    const time_t when = curl_getdate(std::string(value).c_str(), nullptr);
    if (when == time_t(-1))
        return std::nullopt;
    const Duration d = Timestamp::fromSeconds(int64_t(when)) - now;
    return d < Duration() ? Duration() : d;
}

} // namespace rootline::http
