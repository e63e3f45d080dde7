#pragma once

// The sources file (YAML) and Grafana data-source provisioning import.
//
//   sources:
//     - name: prod-prom
//       kind: prometheus            # prometheus | loki | jaeger | cloudwatch
//       url: https://prom.example:9090
//       auth: {type: basic, username: alice, password_env: PROM_PASSWORD}   # or {type: bearer, token_env: X}
//                                                                           # or keyring: true instead of *_env
//       tenant: team-a              # Loki X-Scope-OrgID
//       aws: {profile: prod, region: eu-west-1}
//       options: {timeout: 30s, ca_file: /etc/ca.pem, insecure_skip_verify: false, max_response_bytes: 100000000}
//
// A plain-text `password:` / `token:` is refused with a hint (secrets live in env vars or the keyring),
// and so are credentials in the url (user:password@host, ?api_key=…; sources/SourceUrl.h). Keys
// match in any case (`URL:` is `url:`, `Password:` is refused like `password:`); an unknown key is
// an error rather than silently ignored.

#include "Source.h"

#include <string>
#include <vector>

namespace rootline {

// $XDG_CONFIG_HOME/rootline/sources.yaml (or ~/.config/rootline/sources.yaml).
std::string defaultSourcesPath();

Result<std::vector<Source>> parseSources(const std::string& yamlText, const std::string& origin = "sources.yaml");
Result<std::vector<Source>> loadSources(const std::string& path);
// Grafana provisioning (apiVersion: 1, datasources: [...]) → sources of the supported types;
// unsupported types are skipped and named in `skipped` when given.
Result<std::vector<Source>> parseGrafanaProvisioning(const std::string& yamlText, const std::string& origin = "datasources.yaml",
                                                     std::vector<std::string>* skipped = nullptr);
// Writes sources back as YAML (no secrets: only the *_env / keyring references).
std::string formatSources(const std::vector<Source>& sources);

const Source* findSource(const std::vector<Source>& sources, std::string_view name);

// Reads the password/token named by the source from the environment or the keyring into
// source.secrets. An absent variable or keyring entry is an error naming it (never its value).
Status resolveSecrets(Source& source);

} // namespace rootline
