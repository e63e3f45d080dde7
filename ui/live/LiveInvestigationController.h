#pragma once

// Runs a live investigation (connectors/live/LiveRunner.h) off the UI thread, one at a time, with
// Cancel (stops between fetches; what arrived is kept). Each finished fetch is posted back as a
// plain value (fetchFinished), then the whole run (finished). The worker holds its own reference
// to the job and this object waits for it in its destructor, as FetchController does, so nothing
// is posted to a dead receiver.

#include "live/LiveRunner.h"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <memory>
#include <optional>

namespace rootline {

struct LiveRunResult {
    std::optional<LiveRun> run; // set when the plan ran (complete or not)
    std::optional<Error> error; // set when it could not run (no such alert, no cache)
    bool cancelRequested = false;
};

class LiveInvestigationController final : public QObject {
    Q_OBJECT
public:
    explicit LiveInvestigationController(QObject* parent = nullptr);
    ~LiveInvestigationController() override;

    // False while another run is going on.
    bool start(const LiveStart& start, const QString& cachePath, std::vector<Source> sources, LiveBudget budget = {});
    // Runs one fetch again (its query edited in the table); false while something runs.
    bool rerun(const LiveFetch& fetch, const QString& cachePath);
    void cancel();
    bool isRunning() const { return m_job != nullptr; }

signals:
    void stepStarted(rootline::StepKind step);
    void fetchFinished(const rootline::LiveFetchResult& result);
    void finished(const rootline::LiveRunResult& result);
    void rerunFinished(const rootline::LiveFetchResult& result);

private:
    struct Job;
    std::shared_ptr<Job> m_job;
    QThreadPool m_pool;
};

} // namespace rootline
