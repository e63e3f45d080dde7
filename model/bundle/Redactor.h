#pragma once

// Masks what should not leave the team with a bundle (`export --redact`): credentials in every
// form SecretScrubber.h knows, e-mail addresses and IPv4 addresses by default, or any pattern the
// user adds. Patterns are RE2 (linear time, so a pattern cannot hang an export on a hostile log
// line), and one RE2::Set pass picks the rules that can match a line before any of them runs:
// an export goes over millions of lines, most of which hold nothing to mask.

#include "core/Attributes.h"
#include "core/Result.h"

#include <memory>
#include <string>
#include <vector>

namespace rootline {

struct RedactionRule {
    std::string name;        // "email", shown in the manifest
    std::string pattern;     // RE2 syntax
    std::string replacement; // RE2 rewrite: \0..\9 refer to groups
    // The built-in credential scrubber (scrubSecrets) instead of `pattern`; its values become "[REDACTED]".
    bool credentials = false;
};

// credentials → "[REDACTED]", email → "[email]", IPv4 → "[ipv4]".
std::vector<RedactionRule> defaultRedactionRules();

class Redactor {
public:
    // Fails naming the rule whose pattern or replacement does not compile.
    static Result<Redactor> create(std::vector<RedactionRule> rules);
    ~Redactor();
    Redactor(Redactor&&) noexcept;
    Redactor& operator=(Redactor&&) noexcept;

    // Rewrites `text` in place; true when anything was masked.
    bool apply(std::string& text) const;
    // Masks string values and the text inside nested (JSON) values; numbers and booleans stay —
    // except under a key that names a secret (`password`, `http.request.header.authorization`),
    // whose value is masked whole when the credentials rule is on.
    bool apply(Attributes& attributes) const;

    const std::vector<RedactionRule>& rules() const { return m_rules; }

private:
    Redactor();
    struct Compiled;
    std::vector<RedactionRule> m_rules;
    std::unique_ptr<Compiled> m_compiled;
};

} // namespace rootline
