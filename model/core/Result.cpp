#include "Result.h"

namespace rootline {

std::string Error::message() const
{
    std::string out = where.empty() ? what : where + ": " + what;
    if (!hint.empty())
        out += " (" + hint + ")";
    return out;
}

Error Error::within(const std::string& outer) const
{
    Error e = *this;
    e.where = where.empty() ? outer : outer + ": " + where;
    return e;
}

} // namespace rootline
