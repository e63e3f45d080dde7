#pragma once

// Completion lists for the query bars (metric names, label names and values, Jaeger services and
// operations), asked of the source's connector on a worker and cached per source, so typing never
// waits on the network and a list is fetched once (refreshed after five minutes). Failures are
// cached too (briefly) so that a down source is not asked on every keystroke.

#include "Connector.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace rootline {

class CompletionService final : public QObject {
    Q_OBJECT
public:
    explicit CompletionService(QObject* parent = nullptr);
    ~CompletionService() override; // drops answers still in flight and waits for the workers

    // Replaces the sources and forgets every cached list.
    void setSources(const std::vector<Source>& sources);
    // The window label lookups cover (Loki only answers for a window; its default is 6 hours).
    void setWindowProvider(std::function<std::optional<TimeWindow>()> provider) {
        m_window = std::move(provider);
    }

    // The cached list for `request` of `source`. Absent (or stale) → asks on a worker and emits
    // ready() when the answer is in; absent is returned until then.
    std::optional<QStringList> lookup(const QString& source, const CompletionRequest& request);
    static QString keyOf(const CompletionRequest& request);
    // Requests sent to sources so far (tests check that the cache is used).
    int requestsSent() const { return m_sent; }

signals:
    void ready(const QString& source, const QString& key);
    void failed(const QString& source, const QString& message);

private:
    struct Entry {
        QStringList values;
        QElapsedTimer age;
        bool failed = false;
    };
    void deliver(quint64 generation, const QString& cacheKey, const QString& source,
                 const QString& key, std::optional<QStringList> values, const QString& error);

    std::vector<Source> m_sources;
    std::function<std::optional<TimeWindow>()> m_window;
    QHash<QString, Entry> m_cache; // source + '\x1f' + key
    QSet<QString> m_pending;
    QThreadPool m_pool;
    quint64 m_generation = 0;
    int m_sent = 0;
};

} // namespace rootline
