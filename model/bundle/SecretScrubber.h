#pragma once

// Removes credentials from text that is about to leave the machine in a bundle: provenance
// queries and messages may hold an `Authorization` header, a bearer or basic token, an API key
// parameter, credentials in a URL, or an AWS signature. Always applied on export — unlike
// redaction, it cannot be turned off.

#include <string>

namespace rootline {

// Returns `text` with every credential replaced by "[REDACTED]".
std::string scrubSecrets(std::string text);

} // namespace rootline
