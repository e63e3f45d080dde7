#pragma once

#include "RecordSink.h"
#include "cache/CacheWriter.h"

namespace rootline {

// Feeds parsed records into one write unit (one transaction), honouring a cancel flag.
class WriterSink final : public RecordSink {
public:
    WriterSink(WriteUnit& unit, const std::atomic_bool* cancelled = nullptr) : m_unit(unit), m_cancelled(cancelled) {}

    Status batch(TelemetryBatch&& batch) override
    {
        if (m_cancelled && m_cancelled->load(std::memory_order_relaxed))
            return Error{"import", "cancelled", {}};
        records += int64_t(batch.recordCount());
        return m_unit.append(std::move(batch));
    }
    void reject(std::string location, std::string message, std::string snippet) override
    {
        ++rejected;
        m_unit.reject(std::move(location), std::move(message), std::move(snippet));
    }
    void warn(std::string location, std::string message, std::string snippet) override
    {
        ++warnings;
        m_unit.reject(std::move(location), std::move(message), std::move(snippet), ProblemLevel::Warning);
    }

    int64_t records = 0;
    int64_t rejected = 0;
    int64_t warnings = 0;

private:
    WriteUnit& m_unit;
    const std::atomic_bool* m_cancelled;
};

} // namespace rootline
