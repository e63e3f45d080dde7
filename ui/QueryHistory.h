#pragma once

// The history of one query bar (one pane, one source): most recent first, without duplicates,
// capped, and browsed shell-style with Up/Down. Plain logic with no widget, so it is unit-tested;
// the query bar persists entries() with QSettings.

#include <QString>
#include <QStringList>
#include <optional>

namespace rootline {

class QueryHistory {
public:
    static constexpr int kDefaultCapacity = 50;

    explicit QueryHistory(const QStringList& entries = {}, int capacity = kDefaultCapacity);

    // Moves `query` (trimmed) to the front; an empty query is ignored. Ends any browsing.
    void add(const QString& query);
    void clear();
    // Most recent first.
    const QStringList& entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.isEmpty(); }

    // Up: the next older entry. The first step remembers `current` (the text being typed) so that
    // newer() can give it back. Empty at the oldest entry or with no history.
    std::optional<QString> older(const QString& current);
    // Down: the next newer entry, and finally the text that was being typed. Empty when not
    // browsing.
    std::optional<QString> newer();
    // Typing ends browsing: the next Up starts again from the most recent entry.
    void resetBrowsing();
    bool isBrowsing() const { return m_index >= 0; }

private:
    QStringList m_entries;
    int m_capacity;
    int m_index = -1; // the entry shown while browsing; -1: the draft
    QString m_draft;
};

} // namespace rootline
