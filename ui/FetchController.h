#pragma once

// Runs the query bars' fetches (issue 4 item 8), one at a time, never on the UI thread. A worker
// calls fetchIntoCache (connectors/FetchIntoCache.h: secrets, its own connector, provenance read
// with its own reader, a CacheWriter on the cache file, runFetch) with a cancel flag. The
// session's reader keeps reading meanwhile (WAL), and the panes reload once the fetch has
// committed. Progress is polled from the worker's latest FetchProgress (throttled, 10 per second).
// A fetch may carry companions that run after it in the same job, each into its own write units
// (the exemplars of a metric query, the alerts of further sources): one progress line, one result,
// and a companion's failure becomes a warning instead of hiding what the main fetch stored.

#include "FetchResult.h"
#include "sources/Source.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThreadPool>
#include <memory>
#include <string>
#include <vector>

class QTimer;

namespace rootline {

// A fetch that rides along with the main one (see above).
struct CompanionFetch {
    Source source;
    FetchRequest request;
    std::string label; // "exemplars", "alerts from prom2": what the progress and result call it
};

class FetchController final : public QObject {
    Q_OBJECT
public:
    explicit FetchController(QObject* parent = nullptr);
    ~FetchController() override; // cancels a running fetch and waits for its worker

    // Starts fetching `request` from `source` into the cache file at `cachePath`; false while
    // another fetch runs.
    // `companions` run after it (not when it failed or was cancelled).
    bool start(const Source& source, const FetchRequest& request, const QString& cachePath,
               std::vector<CompanionFetch> companions = {});
    void cancel();
    bool isRunning() const { return m_job != nullptr; }
    bool isCancelling() const;
    const FetchRequest* runningRequest() const;
    double elapsedSeconds() const;

signals:
    void started(const rootline::FetchRequest& request);
    void progressChanged(const rootline::FetchProgress& progress, double seconds);
    void finished(const rootline::FetchRunResult& result);

private:
    struct Job;
    static Result<FetchReport> fetchInto(Job& job, const Source& source,
                                         const FetchRequest& request, const std::string& stage);
    static void run(Job& job, FetchRunResult& result);
    void poll();
    void onDone(FetchRunResult result);

    QThreadPool m_pool;
    QTimer* m_timer;
    QElapsedTimer m_clock;
    std::shared_ptr<Job> m_job;
};

} // namespace rootline
