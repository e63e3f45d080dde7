#pragma once

// What a person types in a search box → an FTS5 query that cannot be a syntax error: each word
// becomes a quoted term (quotes doubled), all must match, and the last word matches as a prefix
// so results follow the typing. "payment gate" → "payment" "gate"*
#include <QString>
#include <string>

namespace rootline {

std::string ftsQueryFromUserText(const QString& text);

} // namespace rootline
