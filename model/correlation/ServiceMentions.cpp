#include "ServiceMentions.h"

#include "ServiceDirectory.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace rootline {
namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool wordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; }

// Whether `name` occurs in `text` with no word character touching either end. A port (":7001")
// follows whatever host or address the message dialled, so only its end is checked.
bool containsWord(std::string_view text, std::string_view name)
{
    const bool port = !name.empty() && name.front() == ':';
    for (size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
        const bool before = port || at == 0 || !wordChar(text[at - 1]);
        const size_t end = at + name.size();
        const bool after = end >= text.size() || !wordChar(text[end]);
        if (before && after)
            return true;
    }
    return false;
}

} // namespace

ServiceMentions ServiceMentions::fromDirectory(const ServiceDirectory& services)
{
    ServiceMentions m;
    std::map<std::string, std::set<std::string>> ownersOf; // host / pod / instance → services
    for (const auto& [row, resource] : services.all()) {
        if (!resource)
            continue;
        const std::string service = services.serviceOf(row);
        if (service.empty())
            continue;
        m.addName(service, service);
        for (const std::string* name : {&resource->host, &resource->pod})
            if (!name->empty())
                ownersOf[lower(*name)].insert(service);
        if (auto instance = resource->raw.text("instance")) {
            ownersOf[lower(*instance)].insert(service);
            if (const size_t colon = instance->rfind(':'); colon != std::string::npos && colon > 0) {
                ownersOf[lower(instance->substr(0, colon))].insert(service);
                ownersOf[instance->substr(colon)].insert(service); // ":7001": names it only if no other service listens there
            }
        }
    }
    for (const auto& [name, owners] : ownersOf)
        if (owners.size() == 1)
            m.addName(*owners.begin(), name);
    return m;
}

void ServiceMentions::addName(const std::string& service, std::string name)
{
    name = lower(name);
    // Very short names ("db", "api") match too many ordinary words to be evidence.
    if (name.size() < 4 || service.empty())
        return;
    m_serviceByName.emplace(std::move(name), service);
}

std::vector<std::pair<std::string, std::string>> ServiceMentions::named(std::string_view message, const std::string& self) const
{
    const std::string text = lower(message);
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, service] : m_serviceByName) {
        if (service == self)
            continue;
        if (std::any_of(out.begin(), out.end(), [&svc = service](const auto& p) { return p.first == svc; }))
            continue;
        if (containsWord(text, name))
            out.emplace_back(service, name);
    }
    return out;
}

bool pointsAway(std::string_view message)
{
    static const char* phrases[] = {"upstream",        "downstream",     "dependency",   "could not confirm", "no confirmation",
                                    "not confirm",     "no response from", "waiting for", "timed out waiting", "retrying",
                                    "giving up on",    "calling",     "returned 5",        "unavailable",
                                    "still pending",   "did not acknowledge", "backpressure"};
    const std::string text = lower(message);
    return std::any_of(std::begin(phrases), std::end(phrases), [&](const char* p) { return text.find(p) != std::string::npos; });
}

} // namespace rootline
