#include "Redactor.h"

#include "SecretScrubber.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

namespace rootline {

std::vector<RedactionRule> defaultRedactionRules()
{
    return {
        {"credentials", {}, {}, true},
        {"email", R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})", "[email]"},
        {"ipv4", R"(\b(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\b)", "[ipv4]"},
    };
}

struct Redactor::Compiled {
    bool credentials = false;
    std::vector<std::unique_ptr<RE2>> patterns; // the pattern rules, in order
    std::vector<const std::string*> rewrites;
    RE2::Set set{options(), RE2::UNANCHORED};
    bool setOk = false;

    static RE2::Options options()
    {
        RE2::Options o;
        o.set_log_errors(false);
        return o;
    }
};

Redactor::Redactor() : m_compiled(std::make_unique<Compiled>()) {}
Redactor::~Redactor() = default;
Redactor::Redactor(Redactor&&) noexcept = default;
Redactor& Redactor::operator=(Redactor&&) noexcept = default;

Result<Redactor> Redactor::create(std::vector<RedactionRule> rules)
{
    Redactor r;
    r.m_rules = std::move(rules);
    Compiled& c = *r.m_compiled;
    for (const RedactionRule& rule : r.m_rules) {
        if (rule.credentials) {
            c.credentials = true;
            continue;
        }
        auto re = std::make_unique<RE2>(rule.pattern, Compiled::options());
        if (!re->ok())
            return Error{"redaction rule \"" + rule.name + "\"", "the pattern does not compile: " + re->error(),
                         "patterns use RE2 syntax (no back-references or look-around)"};
        std::string why;
        if (!re->CheckRewriteString(rule.replacement, &why))
            return Error{"redaction rule \"" + rule.name + "\"", "the replacement is invalid: " + why, "use \\0 to \\9 for groups"};
        c.set.Add(rule.pattern, nullptr);
        c.patterns.push_back(std::move(re));
        c.rewrites.push_back(&rule.replacement);
    }
    c.setOk = !c.patterns.empty() && c.set.Compile();
    return r;
}

bool Redactor::apply(std::string& text) const
{
    const Compiled& c = *m_compiled;
    bool changed = c.credentials && scrubSecretsInPlace(text);
    if (c.patterns.empty())
        return changed;
    thread_local std::vector<int> hits;
    hits.clear();
    RE2::Set::ErrorInfo error{};
    if (!c.setOk || (!c.set.Match(text, &hits, &error) && error.kind != RE2::Set::kNoError)) {
        hits.resize(c.patterns.size()); // no verdict from the set: run every rule
        for (size_t i = 0; i < hits.size(); ++i)
            hits[i] = int(i);
    }
    std::sort(hits.begin(), hits.end());
    for (int i : hits)
        changed |= RE2::GlobalReplace(&text, *c.patterns[size_t(i)], *c.rewrites[size_t(i)]) > 0;
    return changed;
}

bool Redactor::apply(Attributes& attributes) const
{
    bool changed = false;
    Attributes out;
    for (const Attribute& a : attributes) {
        AttributeValue value = a.value;
        if (m_compiled->credentials && !std::holds_alternative<bool>(value) && isSecretName(a.key)) {
            // `password: "hunter2"` as an attribute has no "password=" in its text to find.
            if (const auto* s = std::get_if<std::string>(&value); !s || *s != kSecretMask) {
                value = std::string(kSecretMask);
                changed = true;
            }
        } else if (auto* s = std::get_if<std::string>(&value)) {
            changed |= apply(*s);
        } else if (auto* j = std::get_if<JsonText>(&value)) {
            changed |= apply(j->text); // masks never introduce quotes or backslashes, so the JSON stays valid
        }
        out.set(a.key, std::move(value));
    }
    if (changed)
        attributes = std::move(out);
    return changed;
}

} // namespace rootline
