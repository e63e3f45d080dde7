#include "SecretScrubber.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <nlohmann/json.hpp>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <memory>

namespace rootline {
namespace {

// Names that hold a credential, as the tail of a key (so db_password and X-Api-Key count, and
// password_env or token_count do not). Shared by the key=value rule and isSecretName().
#define ROOTLINE_SECRET_NAMES                                                                                            \
    "password|passwd|pwd|passphrase|secret|token|api[_.\\-]?key|access[_.\\-]?key|private[_.\\-]?key|secret[_.\\-]?key" \
    "|auth|authorization|credentials?|signature|cookie"

bool hasDigit(std::string_view s)
{
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A bearer token or a user name in a URL that is a token rather than a word ("Bearer
// credentials", "https://git@host" stay).
bool looksLikeToken(std::string_view s)
{
    return (s.size() >= 8 && hasDigit(s)) || s.size() >= 20;
}

// "Basic authentication" is prose; "Basic dXNlcjpwdw==" is user:pw.
bool isBasicCredential(std::string_view s)
{
    const auto decoded = QByteArray::fromBase64Encoding(QByteArray(s.data(), qsizetype(s.size())), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || !decoded.decoded.contains(':'))
        return false;
    return std::all_of(decoded.decoded.begin(), decoded.decoded.end(), [](char c) { return uint8_t(c) >= 0x20; });
}

// AWS secret access keys are 40 characters of mixed-case base64; a SHA-1 in hex is not.
bool isAwsSecretKey(std::string_view s)
{
    const bool upper = std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    const bool lower = std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    return upper && lower && hasDigit(s);
}

struct RuleSpec {
    const char* name;
    const char* pattern;
    // Whether capture group `group` (1-based) of a match is a secret; null: every group is.
    bool (*isSecret)(int group, std::string_view value) = nullptr;
};

// Order matters: header values go first (whole value, spaces and all), then the self-describing
// token shapes, then key=value, then the bare AWS shapes.
const RuleSpec kRules[] = {
    {"header",
     R"re((?i)\b(?:proxy-authorization|authorization|set-cookie|cookie)(?:\\*["'])?[ \t]*[:=][ \t]*(?:(?:\[[ \t]*)?(?:"((?:[^"\\\r\n]|\\.)*)"|\\+"((?:[^"\\]|\\+[^"\\])*)\\+")|([^\s"\\\[][^\r\n"\\]*)))re"},
    {"jwt", R"re(\b(eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*))re"},
    {"bearer", R"re((?i)\bbearer[ \t]+([A-Za-z0-9\-._~+/]+=*))re", [](int, std::string_view v) { return looksLikeToken(v); }},
    {"basic", R"re((?i)\bbasic[ \t]+([A-Za-z0-9+/]{4,}={0,2}))re", [](int, std::string_view v) { return isBasicCredential(v); }},
    {"url-userinfo", R"re((?i)\b[a-z][a-z0-9+.\-]*://(?:[^/\s:@"'<>\\]*:([^/\s@"'<>\\]+)|([^/\s:@"'<>\\]+))@)re",
     [](int group, std::string_view v) { return group == 1 || looksLikeToken(v); }},
    {"key-value",
     "(?i)\\b[a-z0-9_.\\-]*?(?:" ROOTLINE_SECRET_NAMES
     R"re()(?:\\*["'])?[ \t]*[:=][ \t]*(?:(?:\[[ \t]*)?(?:"((?:[^"\\\r\n]|\\.)*)"|\\+"((?:[^"\\]|\\+[^"\\])*)\\+")|'([^'\r\n]*)'|([^\s"'\\&,;<>(){}\[\]=:][^\s"'\\&,;<>(){}\[\]]*)))re"},
    {"aws-access-key-id", R"re(\b((?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16})\b)re"},
    {"aws-secret-key", R"re((?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:$|[^A-Za-z0-9/+=]))re",
     [](int, std::string_view v) { return isAwsSecretKey(v); }},
};

struct Rule {
    const RuleSpec* spec;
    std::unique_ptr<RE2> re;
};

class Engine {
public:
    Engine() : m_set(options(), RE2::UNANCHORED)
    {
        for (const RuleSpec& spec : kRules) {
            auto re = std::make_unique<RE2>(spec.pattern, options());
            // A pattern that does not compile is a programming error caught by the tests; skip
            // it rather than abort an export.
            if (!re->ok())
                continue;
            if (m_set.Add(spec.pattern, nullptr) != int(m_rules.size()))
                continue;
            m_rules.push_back({&spec, std::move(re)});
        }
        m_setOk = m_set.Compile();
    }

    // Rules whose pattern occurs in `text`, in table order.
    void candidates(std::string_view text, std::vector<int>& out) const
    {
        out.clear();
        RE2::Set::ErrorInfo error{};
        if (m_setOk && (m_set.Match(text, &out, &error) || error.kind == RE2::Set::kNoError)) {
            std::sort(out.begin(), out.end());
            return;
        }
        // The DFA ran out of memory on a hostile line: try every rule rather than let one through.
        out.clear();
        for (int i = 0; i < int(m_rules.size()); ++i)
            out.push_back(i);
    }

    bool apply(int index, std::string& text) const
    {
        const Rule& rule = m_rules[size_t(index)];
        const int groups = rule.re->NumberOfCapturingGroups() + 1;
        std::vector<re2::StringPiece> match(static_cast<size_t>(groups));
        std::string out;
        size_t copied = 0;
        size_t pos = 0;
        bool changed = false;
        while (pos <= text.size() && rule.re->Match(text, pos, text.size(), RE2::UNANCHORED, match.data(), groups)) {
            for (int g = 1; g < groups; ++g) {
                const re2::StringPiece value = match[size_t(g)];
                if (!value.data() || value.empty() || std::string_view(value.data(), value.size()) == kSecretMask)
                    continue;
                if (rule.spec->isSecret && !rule.spec->isSecret(g, std::string_view(value.data(), value.size())))
                    continue;
                const size_t start = size_t(value.data() - text.data());
                out.append(text, copied, start - copied);
                out += kSecretMask;
                copied = start + value.size();
                changed = true;
            }
            const size_t end = size_t(match[0].data() - text.data()) + match[0].size();
            pos = match[0].empty() ? end + 1 : end;
        }
        if (!changed)
            return false;
        out.append(text, copied);
        text = std::move(out);
        return true;
    }

private:
    static RE2::Options options()
    {
        RE2::Options o;
        o.set_log_errors(false);
        o.set_max_mem(64 << 20); // the set's DFA; a line that needs more falls back to every rule
        return o;
    }

    RE2::Set m_set;
    bool m_setOk = false;
    std::vector<Rule> m_rules;
};

const Engine& engine()
{
    static const Engine e;
    return e;
}

// The forms a known secret takes in a response body: as sent, percent-encoded (echoed URLs and
// form bodies) and JSON-escaped (echoed headers in a JSON document), longest first.
std::vector<std::string> variantsOf(const std::vector<std::string>& secrets)
{
    std::vector<std::string> out;
    for (const std::string& s : secrets) {
        if (s.size() < 3)
            continue;
        out.push_back(s);
        out.push_back(QUrl::toPercentEncoding(QString::fromStdString(s)).toStdString());
        const std::string json = nlohmann::json(s).dump();
        out.push_back(json.substr(1, json.size() - 2));
        std::string slashes; // "\/" is how some JSON writers (PHP, old Jackson) escape "/"
        for (char c : out.back()) {
            if (c == '/')
                slashes += "\\/";
            else
                slashes.push_back(c);
        }
        out.push_back(std::move(slashes));
    }
    std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool maskKnown(std::string& text, const std::vector<std::string>& variants)
{
    bool changed = false;
    for (const std::string& v : variants) {
        for (size_t at = text.find(v); at != std::string::npos; at = text.find(v, at + kSecretMask.size())) {
            text.replace(at, v.size(), kSecretMask);
            changed = true;
        }
    }
    return changed;
}

} // namespace

bool scrubSecretsInPlace(std::string& text)
{
    if (text.empty())
        return false;
    const Engine& e = engine();
    thread_local std::vector<int> hits;
    e.candidates(text, hits);
    bool changed = false;
    for (int i : hits)
        changed |= e.apply(i, text);
    return changed;
}

std::string scrubSecrets(std::string text)
{
    scrubSecretsInPlace(text);
    return text;
}

std::string scrubSecrets(std::string text, const std::vector<std::string>& knownSecrets)
{
    maskKnown(text, variantsOf(knownSecrets));
    scrubSecretsInPlace(text);
    return text;
}

bool isSecretName(std::string_view name)
{
    static const RE2 re("(?is).*(?:" ROOTLINE_SECRET_NAMES ")", [] {
        RE2::Options o;
        o.set_log_errors(false);
        return o;
    }());
    return RE2::FullMatch(re2::StringPiece(name.data(), name.size()), re);
}

} // namespace rootline
