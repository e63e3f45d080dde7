#pragma once

// How bad a per-record problem is (not to be confused with a log record's Severity). An error cost the record (it was rejected, and the unit that
// met it is not complete); a warning means the record was kept but changed or doubtful (bytes that
// were not UTF-8 replaced, say); info is worth knowing and nothing more.

namespace rootline {

enum class ProblemLevel : int { Info = 0, Warning = 1, Error = 2 };

inline const char* problemLevelName(ProblemLevel level)
{
    switch (level) {
    case ProblemLevel::Info: return "info";
    case ProblemLevel::Warning: return "warning";
    case ProblemLevel::Error: break;
    }
    return "error";
}

} // namespace rootline
