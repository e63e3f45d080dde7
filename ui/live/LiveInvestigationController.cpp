#include "LiveInvestigationController.h"

#include <atomic>

namespace rootline {

struct LiveInvestigationController::Job {
    std::atomic_bool cancel{false};
};

LiveInvestigationController::LiveInvestigationController(QObject* parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

LiveInvestigationController::~LiveInvestigationController()
{
    if (m_job)
        m_job->cancel.store(true);
    m_pool.waitForDone(); // the worker posts to this object
}

bool LiveInvestigationController::start(const LiveStart& start, const QString& cachePath, std::vector<Source> sources, LiveBudget budget)
{
    if (m_job)
        return false;
    auto job = std::make_shared<Job>();
    m_job = job;
    m_pool.start([this, job, start, path = cachePath.toStdString(), sources = std::move(sources), budget]() mutable {
        LiveRunOptions options;
        options.cachePath = path;
        options.sources = std::move(sources);
        options.budget = budget;
        options.cancelled = &job->cancel;
        options.onStep = [this](StepKind step) {
            QMetaObject::invokeMethod(this, [this, step] { emit stepStarted(step); }, Qt::QueuedConnection);
        };
        options.onFetch = [this](const LiveFetchResult& f) {
            QMetaObject::invokeMethod(this, [this, f] { emit fetchFinished(f); }, Qt::QueuedConnection);
        };
        LiveRunResult result;
        try {
            auto run = runLiveInvestigation(start, options);
            if (run)
                result.run = std::move(*run);
            else
                result.error = run.error();
        } catch (const std::exception& e) {
            result.error = Error{"live investigation", std::string("failed: ") + e.what(), {}};
        }
        result.cancelRequested = job->cancel.load();
        QMetaObject::invokeMethod(
            this,
            [this, result = std::move(result)] {
                m_job.reset();
                emit finished(result);
            },
            Qt::QueuedConnection);
    });
    return true;
}

bool LiveInvestigationController::rerun(const LiveFetch& fetch, const QString& cachePath)
{
    if (m_job)
        return false;
    auto job = std::make_shared<Job>();
    m_job = job;
    m_pool.start([this, job, fetch, path = cachePath.toStdString()] {
        LiveRunOptions options;
        options.cachePath = path;
        options.cancelled = &job->cancel;
        LiveFetchResult result = runLiveFetch(fetch, options);
        QMetaObject::invokeMethod(
            this,
            [this, result = std::move(result)] {
                m_job.reset();
                emit fetchFinished(result);
                emit rerunFinished(result);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void LiveInvestigationController::cancel()
{
    if (m_job)
        m_job->cancel.store(true);
}

} // namespace rootline
