#pragma once

// Logs every stall of the UI thread over a threshold (issue 10 §4): a timer on the UI thread ticks
// every few milliseconds and measures, with a monotonic clock, how late each tick came; a tick
// later than the threshold means the event loop was blocked that long. One warning per stall in
// the `rootline.watchdog` category. main() starts it in debug builds (and when ROOTLINE_WATCHDOG=1).

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace rootline {

class UiWatchdog final : public QObject {
    Q_OBJECT
public:
    explicit UiWatchdog(int thresholdMs = 50, QObject* parent = nullptr);

    int stalls() const { return m_stalls; }
    qint64 longestStallMs() const { return m_longest; }

signals:
    void stalled(qint64 milliseconds);

private:
    void tick();

    QTimer* m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    int m_threshold;
    int m_stalls = 0;
    qint64 m_longest = 0;
    static constexpr int kIntervalMs = 10;
};

} // namespace rootline
