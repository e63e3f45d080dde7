#pragma once

// One configured data source (a sources.yaml entry): what it is, where it is, how to authenticate,
// and per-source HTTP options. Secrets are never stored here in plain text: the file names an
// environment variable or the system keyring; resolveSecrets() fills the `Resolved` part in memory.

#include "core/Resource.h"
#include "core/Result.h"
#include "core/Time.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rootline {

enum class SourceType { Prometheus, Loki, Jaeger, CloudWatch, Alertmanager };
const char* sourceTypeName(SourceType type);                 // "prometheus", "loki", ...
std::optional<SourceType> sourceTypeFromName(std::string_view name);
SourceKind sourceKindOf(SourceType type);                     // for makeResource()

enum class AuthKind { None, Basic, Bearer, Aws };

struct SourceAuth {
    AuthKind kind = AuthKind::None;
    std::string username;    // basic
    std::string passwordEnv; // basic: environment variable holding the password
    std::string tokenEnv;    // bearer: environment variable holding the token
    bool keyring = false;    // password/token from the system keyring (service "rootline", key = source name)
    std::string tenant;      // Loki X-Scope-OrgID (not a secret)
    std::string awsProfile;  // aws: profile in ~/.aws/credentials (empty: env, then "default")
    std::string awsRegion;   // aws: region (empty: AWS_REGION / AWS_DEFAULT_REGION / profile config)
};

struct SourceOptions {
    std::optional<Duration> timeout;        // total per request
    std::string caFile;                     // extra CA bundle for this source
    bool insecureSkipVerify = false;        // explicit, shown to the user
    std::optional<int64_t> maxResponseBytes;
    std::vector<std::pair<std::string, std::string>> headers; // extra non-secret headers
};

struct Source {
    std::string name;
    SourceType type = SourceType::Prometheus;
    std::string url; // base URL, no trailing slash; for CloudWatch an optional endpoint override
    SourceAuth auth;
    SourceOptions options;

    // Filled by resolveSecrets(); never written back, printed or exported.
    struct Resolved {
        std::string password;
        std::string token;
    } secrets;

    // A one-line description for logs and the UI with no secret in it.
    std::string redacted() const;
};

} // namespace rootline
