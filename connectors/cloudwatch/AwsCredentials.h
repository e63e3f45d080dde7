#pragma once

// AWS credentials and region the way the CLI finds them (wire-formats.md §5.3), with
// `credential_process` but without the indirections a small client cannot do itself (STS
// AssumeRole, SSO, web identity — those profiles get an error saying how to export keys):
//   explicit profile → that profile in the shared credentials file, then the config file;
//   otherwise AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (or AWS_SECURITY_TOKEN),
//   then the profile named by AWS_PROFILE / AWS_DEFAULT_PROFILE / "default".
// Files: AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials), AWS_CONFIG_FILE (~/.aws/config,
// where sections are "[profile NAME]" except "[default]").

#include "core/Result.h"

#include <string>

namespace rootline::aws {

struct Credentials {
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string sessionToken; // empty when none
    std::string origin;       // "environment", "profile prod in /home/u/.aws/credentials" — never the secret
};

// `profile` empty: environment first, then AWS_PROFILE or "default".
Result<Credentials> resolveCredentials(const std::string& profile);
// `configured` (the source's region) wins; then AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`.
Result<std::string> resolveRegion(const std::string& configured, const std::string& profile);

} // namespace rootline::aws
