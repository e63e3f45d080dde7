#include "UiWatchdog.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcWatchdog, "rootline.watchdog", QtWarningMsg)

namespace rootline {

UiWatchdog::UiWatchdog(int thresholdMs, QObject* parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
    , m_threshold(thresholdMs)
{
    m_timer->setInterval(kIntervalMs);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &UiWatchdog::tick);
    m_clock.start(); // monotonic elapsed time, not a date (tst_wall_clock_lint allows it)
    m_last = m_clock.elapsed();
    m_timer->start();
}

void UiWatchdog::tick()
{
    const qint64 now = m_clock.elapsed();
    const qint64 late = now - m_last - kIntervalMs;
    m_last = now;
    if (late <= m_threshold)
        return;
    ++m_stalls;
    m_longest = std::max(m_longest, late);
    qCWarning(lcWatchdog, "the UI thread was blocked for %lld ms", static_cast<long long>(late));
    emit stalled(late);
}

} // namespace rootline
