#include "QueryHistory.h"

#include <algorithm>

namespace rootline {

QueryHistory::QueryHistory(const QStringList& entries, int capacity)
    : m_capacity(std::max(1, capacity)) {
    // Oldest first, so that add() leaves the most recent copy of a duplicate in front.
    for (auto it = entries.crbegin(); it != entries.crend(); ++it)
        add(*it);
}

void QueryHistory::add(const QString& query) {
    resetBrowsing();
    const QString q = query.trimmed();
    if (q.isEmpty())
        return;
    m_entries.removeAll(q);
    m_entries.prepend(q);
    while (m_entries.size() > m_capacity)
        m_entries.removeLast();
}

void QueryHistory::clear() {
    m_entries.clear();
    resetBrowsing();
}

std::optional<QString> QueryHistory::older(const QString& current) {
    if (m_index + 1 >= m_entries.size())
        return std::nullopt;
    if (m_index < 0)
        m_draft = current;
    ++m_index;
    // Skip an entry equal to what is shown already (Up on a recalled query moves on).
    if (m_entries[m_index] == current.trimmed() && m_index + 1 < m_entries.size())
        ++m_index;
    return m_entries[m_index];
}

std::optional<QString> QueryHistory::newer() {
    if (m_index < 0)
        return std::nullopt;
    --m_index;
    return m_index < 0 ? m_draft : m_entries[m_index];
}

void QueryHistory::resetBrowsing() {
    m_index = -1;
    m_draft.clear();
}

} // namespace rootline
