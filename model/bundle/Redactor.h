#pragma once

// Masks values that should not leave the team with a bundle: e-mail addresses, bearer tokens and
// IPv4 addresses by default, or any pattern the user adds. Patterns are RE2 (linear time, so a
// pattern cannot hang an export on a hostile log line).

#include "core/Attributes.h"
#include "core/Result.h"

#include <memory>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace rootline {

struct RedactionRule {
    std::string name;        // "email", shown in the manifest
    std::string pattern;     // RE2 syntax
    std::string replacement; // RE2 rewrite: \0..\9 refer to groups
};

// email → "[email]", bearer tokens → "Bearer [token]", IPv4 → "[ipv4]".
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
    // Masks string values and the text inside nested (JSON) values; numbers and booleans stay.
    bool apply(Attributes& attributes) const;

    const std::vector<RedactionRule>& rules() const { return m_rules; }

private:
    Redactor() = default;
    std::vector<RedactionRule> m_rules;
    std::vector<std::unique_ptr<re2::RE2>> m_compiled;
};

} // namespace rootline
