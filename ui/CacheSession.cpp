#include "CacheSession.h"

namespace rootline {

CacheSession::CacheSession(QObject* parent) : QObject(parent)
{
    // Two workers: enough for the overview and a pane's query side by side on a 2-core machine.
    m_pool.setMaxThreadCount(2);
}

CacheSession::~CacheSession()
{
    close();
    m_pool.waitForDone();
}

Status CacheSession::open(const QString& path)
{
    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        return reader.error();
    close();
    m_path = path;
    m_reader = std::move(*reader);
    emit opened(m_path);
    // The overview counts every table: proportional to the data, so on a worker.
    run<CacheOverview>(
        this, [](CacheReader& r, const std::atomic_bool&) { return r.overview(); },
        [this](Result<CacheOverview> overview) {
            if (!overview)
                return;
            m_overview = std::move(*overview);
            emit overviewReady(*m_overview);
        });
    // Reads the whole file, so on a worker too; a damaged cache says so in a banner (MainWindow).
    run<std::string>(
        this, [](CacheReader& r, const std::atomic_bool&) { return r.integrityProblems(); },
        [this](Result<std::string> problems) {
            if (!problems || problems->empty())
                return;
            m_damage = QString::fromStdString(*problems);
            emit damaged(m_damage);
        });
    return {};
}

void CacheSession::close()
{
    for (const auto& weak : m_flags)
        if (auto flag = weak.lock())
            flag->store(true);
    m_flags.clear();
    ++m_generation;
    const bool wasBusy = m_pending > 0;
    m_pending = 0;
    m_overview.reset();
    m_damage.clear();
    if (wasBusy)
        emit busyChanged(false);
    if (m_reader) {
        m_reader.reset();
        m_path.clear();
        emit closed();
    }
}

void CacheSession::jobStarted()
{
    if (m_pending++ == 0)
        emit busyChanged(true);
}

void CacheSession::jobFinished(quint64 generation)
{
    if (generation != m_generation || m_pending == 0)
        return;
    if (--m_pending == 0) {
        emit busyChanged(false);
        emit loaded();
    }
}

} // namespace rootline
