#pragma once

// The symptom's own words (issue 15): a service that fails because of another usually says so —
// "could not confirm … from notification", "upstream billing returned 503", "retrying
// ledger.internal:8443". A message that names another known service, or a host, host:port or
// port (":7001") only that service runs on, points away from the service that logs it.
//
// Names match as whole words, where '-' and '_' join a word: "payment-gateway" does not name
// "payment". Host names shared by several services (a node running many pods) name nobody.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rootline {

class ServiceDirectory;

class ServiceMentions {
public:
    // Names for every service of the directory: its canonical name, and the hosts, pods and
    // `instance` addresses (host:port) that belong to it alone.
    static ServiceMentions fromDirectory(const ServiceDirectory& services);
    void addName(const std::string& service, std::string name);

    // The services other than `self` that `message` names, each with the word that named it.
    std::vector<std::pair<std::string, std::string>> named(std::string_view message, const std::string& self) const;

private:
    std::map<std::string, std::string> m_serviceByName; // lower-case name → service
};

// Whether a message blames something it depends on rather than itself ("upstream", "could not
// confirm", "retrying", "no response from", ...): on its own it names no one, but beside a known
// dependency that failed first it reads as a symptom.
bool pointsAway(std::string_view message);

} // namespace rootline
