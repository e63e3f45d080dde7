#include "FetchController.h"

#include "FetchIntoCache.h"

#include <QTimer>
#include <algorithm>
#include <mutex>

namespace rootline {

struct FetchController::Job {
    Source source;
    FetchRequest request;
    std::vector<CompanionFetch> companions;
    std::string cachePath;
    std::atomic_bool cancel{false};
    std::mutex mutex;
    FetchProgress progress; // the latest the connector reported
};

// The whole fetch, on the worker: nothing here touches a widget or the session. The chain itself
// (secrets, connector, provenance, writer, runFetch) is connectors/FetchIntoCache.h, shared with
// `rootline-cli fetch` and the live investigation.
Result<FetchReport> FetchController::fetchInto(Job& job, const Source& source,
                                               const FetchRequest& request, const std::string& stage) {
    {
        std::lock_guard lock(job.mutex);
        job.progress = FetchProgress{};
        job.progress.stage = stage;
    }
    return fetchIntoCache(source, request, job.cachePath, &job.cancel,
                          [&job, &stage](const FetchProgress& p) {
                              std::lock_guard lock(job.mutex);
                              job.progress = p;
                              // A companion says what it fetches: "exemplars · request 1 of 1".
                              if (!stage.empty())
                                  job.progress.stage =
                                      stage + " · " +
                                      (p.stage.empty() ? std::string("request ") +
                                                             std::to_string(p.requestsDone + 1)
                                                       : p.stage);
                          });
}

// The main fetch, then its companions; fills `result` (the worker's whole job).
void FetchController::run(Job& job, FetchRunResult& result) {
    auto guarded = [&job](const Source& source, const FetchRequest& request,
                          const std::string& stage) -> Result<FetchReport> {
        try {
            return fetchInto(job, source, request, stage);
        } catch (const std::exception& e) {
            return Error{"fetch from " + source.name, std::string("the fetch failed: ") + e.what(),
                         {}};
        }
    };
    auto report = guarded(job.source, job.request, {});
    if (!report) {
        result.error = report.error();
        return;
    }
    result.report = std::move(*report);
    for (const auto& c : job.companions) {
        CompanionResult companion;
        companion.request = c.request;
        companion.label = c.label;
        if (job.cancel.load()) {
            companion.error = Error{c.label, "not fetched: cancelled", {}};
        } else if (auto r = guarded(c.source, c.request, c.label)) {
            companion.report = std::move(*r);
        } else {
            companion.error = r.error();
        }
        result.companions.push_back(std::move(companion));
    }
}

FetchController::FetchController(QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this)) {
    m_pool.setMaxThreadCount(1);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &FetchController::poll);
}

FetchController::~FetchController() {
    if (m_job)
        m_job->cancel.store(true);
    m_pool.waitForDone(); // the worker posts to this object
}

bool FetchController::start(const Source& source, const FetchRequest& request,
                            const QString& cachePath, std::vector<CompanionFetch> companions) {
    if (m_job)
        return false;
    auto job = std::make_shared<Job>();
    job->source = source;
    job->request = request;
    job->companions = std::move(companions);
    job->cachePath = cachePath.toStdString();
    m_job = job;
    m_clock.start();
    // The worker holds its own reference to the job; this object waits for the worker in its
    // destructor, so it is alive when the result is posted.
    m_pool.start([this, job, cachePath] {
        FetchRunResult result;
        result.request = job->request;
        result.cachePath = cachePath;
        run(*job, result);
        result.cancelRequested = job->cancel.load();
        QMetaObject::invokeMethod(
            this, [this, result = std::move(result)]() mutable { onDone(std::move(result)); },
            Qt::QueuedConnection);
    });
    m_timer->start();
    emit started(request);
    emit progressChanged(FetchProgress{}, 0);
    return true;
}

void FetchController::cancel() {
    if (m_job)
        m_job->cancel.store(true);
}

bool FetchController::isCancelling() const {
    return m_job && m_job->cancel.load();
}

const FetchRequest* FetchController::runningRequest() const {
    return m_job ? &m_job->request : nullptr;
}

double FetchController::elapsedSeconds() const {
    return m_job ? double(m_clock.elapsed()) / 1000.0 : 0.0;
}

void FetchController::poll() {
    if (!m_job)
        return;
    FetchProgress p;
    {
        std::lock_guard lock(m_job->mutex);
        p = m_job->progress;
    }
    // Every tick, fresh or not: the elapsed time moves while a slow server keeps us waiting.
    emit progressChanged(p, elapsedSeconds());
}

void FetchController::onDone(FetchRunResult result) {
    m_timer->stop();
    result.seconds = elapsedSeconds();
    m_job.reset();
    emit finished(result);
}

} // namespace rootline
