#pragma once

// Secrets in the system keyring (qtkeychain: Secret Service / KWallet / macOS Keychain / Windows
// Credential Store). Service "rootline", key = the source's name. Built without Qt6Keychain
// (ROOTLINE_HAVE_KEYCHAIN undefined), every call is an error saying so.

#include "core/Result.h"

#include <string>

namespace rootline {

bool keyringAvailable();
// Blocking; needs a QCoreApplication (the job runs a local event loop).
Result<std::string> readKeyringSecret(const std::string& sourceName);
Status writeKeyringSecret(const std::string& sourceName, const std::string& secret);

} // namespace rootline
