#include "Redactor.h"

#include <re2/re2.h>

namespace rootline {

std::vector<RedactionRule> defaultRedactionRules()
{
    return {
        {"email", R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})", "[email]"},
        {"bearer-token", R"((?i)\bbearer\s+[A-Za-z0-9\-._~+/]+=*)", "Bearer [token]"},
        {"ipv4", R"(\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\b)", "[ipv4]"},
    };
}

Result<Redactor> Redactor::create(std::vector<RedactionRule> rules)
{
    Redactor r;
    for (const RedactionRule& rule : rules) {
        RE2::Options options;
        options.set_log_errors(false);
        auto re = std::make_unique<RE2>(rule.pattern, options);
        if (!re->ok())
            return Error{"redaction rule \"" + rule.name + "\"", "the pattern does not compile: " + re->error(),
                         "patterns use RE2 syntax (no back-references or look-around)"};
        std::string why;
        if (!re->CheckRewriteString(rule.replacement, &why))
            return Error{"redaction rule \"" + rule.name + "\"", "the replacement is invalid: " + why, "use \\0 to \\9 for groups"};
        r.m_compiled.push_back(std::move(re));
    }
    r.m_rules = std::move(rules);
    return r;
}

Redactor::~Redactor() = default;
Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;

bool Redactor::apply(std::string& text) const
{
    bool changed = false;
    for (size_t i = 0; i < m_compiled.size(); ++i)
        changed |= RE2::GlobalReplace(&text, *m_compiled[i], m_rules[i].replacement) > 0;
    return changed;
}

bool Redactor::apply(Attributes& attributes) const
{
    bool changed = false;
    Attributes out;
    for (const Attribute& a : attributes) {
        AttributeValue value = a.value;
        if (auto* s = std::get_if<std::string>(&value))
            changed |= apply(*s);
        else if (auto* j = std::get_if<JsonText>(&value))
            changed |= apply(j->text); // masks never introduce quotes or backslashes, so the JSON stays valid
        out.set(a.key, std::move(value));
    }
    if (changed)
        attributes = std::move(out);
    return changed;
}

} // namespace rootline
