#pragma once

// One import as a job a GUI can run on a worker thread (File → Import, drag-and-drop):
//
//     auto job = std::make_shared<ImportJob>(inputs, options);
//     QThreadPool::globalInstance()->start([job, writer] { auto summary = job->run(*writer); ... });
//     // UI thread: a QTimer polls job->progress() for the bar; Cancel calls job->cancel().
//
// run() blocks on the calling thread and must not run on the UI thread; cancel() and progress()
// are safe from any thread. A cancelled import leaves the cache exactly as it was before the file
// being read when cancel() was called (files already finished stay imported).

#include "Importer.h"

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace rootline {

class ImportJob {
public:
    ImportJob(std::vector<std::string> inputs, ImportOptions options = {});

    // Imports through an open writer (the application's, so one writer serves the cache).
    ImportSummary run(CacheWriter& writer);
    // Opens its own writer on `cachePath` (CLI, tests); an error when the cache cannot be opened.
    Result<ImportSummary> run(const std::string& cachePath, WriterOptions writerOptions = {});

    void cancel() { m_cancelled = true; }
    bool isCancelled() const { return m_cancelled; }
    // The latest progress (throttled to ~10 updates a second); thread-safe.
    ImportProgress progress() const;
    bool finished() const { return m_finished; }

private:
    std::vector<std::string> m_inputs;
    ImportOptions m_options;
    std::atomic_bool m_cancelled{false};
    std::atomic_bool m_finished{false};
    mutable std::mutex m_mutex;
    ImportProgress m_progress;
};

} // namespace rootline
