#pragma once

// Removes credentials from text that leaves the machine or reaches a user: provenance in a bundle
// (always, it cannot be turned off), log bodies and attributes under `export --redact`, and every
// error message built from an HTTP response (connectors/http/ErrorText.h). One scrubber for all
// three, so a form masked in one place is masked in the others.
//
// Masked forms, each replaced by kSecretMask:
//   key=value and key: value whose key names a secret (password, passwd, pwd, secret, token,
//     api_key, apikey, access_key, client_secret, auth, credential, signature, … with any prefix:
//     db_password, X-Api-Key, X-Amz-Security-Token), unquoted, 'quoted', "quoted" (JSON fields,
//     Go's header maps ["…"]) and \"escaped\" inside a JSON string;
//   header lines Authorization, Proxy-Authorization, Cookie, Set-Cookie: the whole value;
//   Bearer tokens and Basic credentials (only when the base64 decodes to user:password);
//   URL userinfo (the password; a lone user name only when it looks like a token);
//   AWS access key ids (AKIA…, ASIA…) and 40-character secret access keys; JWTs (eyJ….….…).
// A mask never introduces a quote or a backslash, so JSON stays JSON.
//
// Speed: one RE2::Set pass (a DFA) tells which forms occur at all; only those rules then run, so
// an ordinary log line costs one linear scan.

#include <string>
#include <string_view>
#include <vector>

namespace rootline {

inline constexpr std::string_view kSecretMask = "[REDACTED]";

// Returns `text` with every credential masked.
std::string scrubSecrets(std::string text);
// Also masks each of `knownSecrets` — values the caller itself sent (a token, a password) —
// wherever it appears: verbatim, percent-encoded or JSON-escaped. Values shorter than 3 bytes are
// ignored (masking every "a" would hide the message, not the secret).
std::string scrubSecrets(std::string text, const std::vector<std::string>& knownSecrets);
// In place; true when anything was masked. For hot loops that must not copy clean text.
bool scrubSecretsInPlace(std::string& text);

// True for a key, parameter, header or attribute name that holds a credential: "password",
// "db_password", "X-Api-Key", "access_token", "http.request.header.authorization", "Set-Cookie";
// false for "password_env", "token_count", "author". Case-insensitive.
bool isSecretName(std::string_view name);

} // namespace rootline
