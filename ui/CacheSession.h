#pragma once

// One open cache, as the window sees it (style.md §2, §4). A reader on the UI thread serves small
// bounded reads (a page of logs, one trace's spans, the alerts); anything proportional to the data
// size (counts, series, downsampling) runs on a worker with that worker's own reader (a
// CacheReader is one connection, one thread) and comes back as a plain value through a
// continuation that names its context, so a result is dropped when its receiver is gone, its job
// was cancelled, or another cache was opened meanwhile.

#include "cache/CacheReader.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace rootline {

// Cancels a worker job: set by whoever started it (a newer query supersedes an older one), checked
// by the job between chunks and by the continuation before delivering.
using CancelFlag = std::shared_ptr<std::atomic_bool>;

class CacheSession final : public QObject {
    Q_OBJECT
public:
    explicit CacheSession(QObject* parent = nullptr);
    ~CacheSession() override; // cancels outstanding jobs and waits for the workers

    // Opens `path` (validated, never modified). On success emits opened() and starts the overview.
    Status open(const QString& path);
    void close();
    bool isOpen() const { return m_reader != nullptr; }
    const QString& path() const { return m_path; }

    // The UI thread's reader, for bounded reads only; nullptr when no cache is open.
    CacheReader* reader() const { return m_reader.get(); }
    // Counts, services and time range; empty until overviewReady().
    const std::optional<CacheOverview>& overview() const { return m_overview; }

    // What SQLite's quick_check found wrong with the file ("" when sound or not yet checked). A
    // damaged cache is shown as far as it can be read; CacheWriter refuses to write it.
    const QString& damage() const { return m_damage; }

    // True between open() and the moment every job started since then has finished.
    bool isLoading() const { return m_pending > 0; }
    bool isLoaded() const { return isOpen() && m_pending == 0 && m_overview.has_value(); }

    // Runs `job` on a worker with its own reader. `done` runs on this (the UI) thread unless
    // `context` has been destroyed, `cancel` was set, or the session was closed or re-opened.
    template <class T>
    CancelFlag run(QObject* context, std::function<Result<T>(CacheReader&, const std::atomic_bool&)> job,
                   std::function<void(Result<T>)> done);

signals:
    void opened(const QString& path);
    void closed();
    void overviewReady(const rootline::CacheOverview& overview);
    // The file failed quick_check (checked on a worker after open: about a second a gigabyte).
    void damaged(const QString& problems);
    // Every job started since open() has delivered (or been dropped): the panes show their data.
    void loaded();
    void busyChanged(bool busy);
    // A worker job failed; the message says where and why.
    void jobFailed(const QString& message);

private:
    void jobStarted();
    void jobFinished(quint64 generation);

    QString m_path;
    std::unique_ptr<CacheReader> m_reader;
    std::optional<CacheOverview> m_overview;
    QString m_damage;
    QThreadPool m_pool;
    std::vector<std::weak_ptr<std::atomic_bool>> m_flags;
    quint64 m_generation = 0;
    int m_pending = 0;
};

template <class T>
CancelFlag CacheSession::run(QObject* context, std::function<Result<T>(CacheReader&, const std::atomic_bool&)> job,
                             std::function<void(Result<T>)> done)
{
    auto cancel = std::make_shared<std::atomic_bool>(false);
    if (!isOpen())
        return cancel;
    std::erase_if(m_flags, [](const auto& w) { return w.expired(); });
    m_flags.push_back(cancel);
    const std::string path = m_path.toStdString();
    const quint64 generation = m_generation;
    jobStarted();
    // Runs on this (the UI) thread once the worker is done, whatever happened to the job.
    auto deliver = [this, receiver = QPointer<QObject>(context), generation, cancel, done = std::move(done)](std::optional<Result<T>> result) {
        if (generation != m_generation)
            return; // another cache: its pending count was reset
        if (receiver && !cancel->load() && result) {
            if (!result->ok())
                emit jobFailed(QString::fromStdString(result->error().message()));
            done(std::move(*result));
        }
        // After done(), so a job chained from it keeps the session loading without a gap.
        jobFinished(generation);
    };
    // Not QFuture::then(context, ...): Qt 6.4 can lose a continuation attached while the future
    // finishes (fixed in 6.5), which left the session "loading" forever. The worker posts its
    // result to the session itself, which outlives the pool (its destructor waits for the workers).
    m_pool.start([this, path, job = std::move(job), cancel, deliver = std::move(deliver)]() {
        std::optional<Result<T>> result;
        if (!cancel->load()) {
            try {
                auto reader = CacheReader::open(path);
                result = reader ? job(**reader, *cancel) : Result<T>(reader.error());
            } catch (const std::exception& e) {
                result = Result<T>(Error{"cache " + path, std::string("a background query failed: ") + e.what(), {}});
            }
        }
        QMetaObject::invokeMethod(this, [deliver, result = std::move(result)]() mutable { deliver(std::move(result)); }, Qt::QueuedConnection);
    });
    return cancel;
}

} // namespace rootline

Q_DECLARE_METATYPE(rootline::CacheOverview)
