#include "SecretScrubber.h"

#include <re2/re2.h>

#include <memory>
#include <utility>
#include <vector>

namespace rootline {
namespace {

struct Rule {
    std::unique_ptr<RE2> re;
    const char* rewrite;
};

const std::vector<Rule>& rules()
{
    static const std::vector<Rule> table = [] {
        const std::pair<const char*, const char*> specs[] = {
            // Header lines and header-like pairs: everything after the name up to the line's end.
            {R"re((?i)\b((?:proxy-)?authorization|x-api-key|api-key|x-auth-token|x-amz-security-token|cookie)(\s*[:=]\s*)[^\r\n]*)re", "\\1\\2[REDACTED]"},
            {R"re((?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]{6,}=*)re", "\\1 [REDACTED]"},
            // Query-string and JSON style secrets: api_key=..., "password": "...".
            {R"re((?i)\b((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token|password|passwd|secret|client[_-]?secret|aws_secret_access_key|aws_session_token)"?\s*[:=]\s*"?)[^\s&,;"']+)re",
             "\\1[REDACTED]"},
            // user:password@host in URLs.
            {R"re((?i)\b([a-z][a-z0-9+.\-]*://)[^/\s:@]+:[^/\s@]+@)re", "\\1[REDACTED]@"},
            // AWS SigV4 pieces and access key ids.
            {R"re((Credential|Signature)=[^,\s&]+)re", "\\1=[REDACTED]"},
            {R"re(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)re", "[REDACTED]"},
        };
        std::vector<Rule> out;
        for (const auto& [pattern, rewrite] : specs) {
            RE2::Options options;
            options.set_log_errors(false);
            out.push_back({std::make_unique<RE2>(pattern, options), rewrite});
        }
        return out;
    }();
    return table;
}

} // namespace

std::string scrubSecrets(std::string text)
{
    for (const Rule& rule : rules()) {
        if (rule.re->ok())
            RE2::GlobalReplace(&text, *rule.re, rule.rewrite);
    }
    return text;
}

} // namespace rootline
