#pragma once

// The traces of the focus window: a bounded list (TraceQuery::limit) that is read on a worker and
// swapped in whole (style.md §2). Error traces are highlighted.

#include "cache/CacheReader.h"

#include <QAbstractTableModel>
#include <QFont>
#include <vector>

namespace rootline {

class TraceListModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { StartColumn, ServiceColumn, OperationColumn, DurationColumn, SpansColumn, ErrorsColumn, TraceColumn, ColumnCount };
    enum Role { TraceIdRole = Qt::UserRole + 1, SortRole };

    explicit TraceListModel(QObject* parent = nullptr);

    void setTraces(std::vector<TraceSummary> traces);
    void clear() { setTraces({}); }
    // The display zone changed (fmt::setZone): the start times and their header are shown again.
    void refreshTimes();
    const std::vector<TraceSummary>& traces() const { return m_traces; }
    const TraceSummary* traceAt(int row) const;
    int rowOf(const TraceId& id) const; // -1 when not listed

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // Sorting a bounded snapshot in memory is cheap (at most TraceQuery::limit rows).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    std::vector<TraceSummary> m_traces;
    QFont m_mono;
};

} // namespace rootline
