#include "ImportJob.h"

namespace rootline {

ImportJob::ImportJob(std::vector<std::string> inputs, ImportOptions options)
    : m_inputs(std::move(inputs)), m_options(std::move(options))
{
}

ImportSummary ImportJob::run(CacheWriter& writer)
{
    Importer importer(writer, m_options);
    importer.setCancelFlag(&m_cancelled);
    importer.setProgressCallback([this](const ImportProgress& p) {
        std::lock_guard lock(m_mutex);
        m_progress = p;
    });
    ImportSummary summary = importer.run(m_inputs);
    {
        std::lock_guard lock(m_mutex);
        m_progress.bytesDone = m_progress.bytesTotal;
    }
    m_finished = true;
    return summary;
}

Result<ImportSummary> ImportJob::run(const std::string& cachePath, WriterOptions writerOptions)
{
    auto writer = CacheWriter::open(cachePath, std::move(writerOptions));
    if (!writer) {
        m_finished = true;
        return writer.error();
    }
    return run(**writer);
}

ImportProgress ImportJob::progress() const
{
    std::lock_guard lock(m_mutex);
    return m_progress;
}

} // namespace rootline
