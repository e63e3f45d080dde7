#include "SourceUrl.h"

#include "bundle/SecretScrubber.h"

#include <string_view>

namespace rootline {

Status checkSourceUrl(const std::string& url, const std::string& where, const std::string& sourceName)
{
    const std::string source = "source '" + sourceName + "': ";
    const size_t scheme = url.find("://");
    const size_t hostStart = scheme == std::string::npos ? 0 : scheme + 3;
    const size_t hostEnd = std::min(url.find_first_of("/?#", hostStart), url.size());
    const std::string_view authority = std::string_view(url).substr(hostStart, hostEnd - hostStart);
    if (authority.find('@') != std::string_view::npos) {
        const bool password = authority.substr(0, authority.rfind('@')).find(':') != std::string_view::npos;
        return Error{where,
                     source + "the url holds " + (password ? "a user name and password" : "a user name") + " (…@host), which would be sent as credentials",
                     "remove it from the url and use auth: {type: basic, username: NAME, password_env: VARIABLE} (or keyring: true)"};
    }
    const size_t query = url.find_first_of("?#", hostEnd);
    if (query == std::string::npos)
        return {};
    std::string_view rest = std::string_view(url).substr(query + 1);
    if (url[query] == '?') {
        while (!rest.empty()) {
            const std::string_view pair = rest.substr(0, rest.find_first_of("&#"));
            const std::string_view name = pair.substr(0, pair.find('='));
            if (isSecretName(name))
                return Error{where, source + "the url carries a credential in its query ('" + std::string(name) + "=…')",
                             "remove it from the url and use auth: {type: bearer, token_env: VARIABLE} or password_env (or keyring: true)"};
            if (pair.size() == rest.size() || rest[pair.size()] == '#')
                break;
            rest.remove_prefix(pair.size() + 1);
        }
    }
    return Error{where, source + "the url has a " + (url[query] == '?' ? "query string" : "fragment") + "; it must be a base url that API paths are appended to",
                 "remove everything from '" + std::string(1, url[query]) + "' on"};
}

} // namespace rootline
