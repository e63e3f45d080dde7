#pragma once

// The table of a trace comparison (TraceComparison.h): one row per operation, with its span count
// and self time in A and in B and the change, largest change first (as computed). Swapped in whole.

#include "TraceComparison.h"

#include <QAbstractTableModel>

namespace rootline {

class OperationDiffModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ServiceColumn, OperationColumn, CountAColumn, CountBColumn, SelfAColumn, SelfBColumn, DeltaColumn, ColumnCount };
    explicit OperationDiffModel(QObject* parent = nullptr);

    void setOperations(std::vector<OperationDiff> operations);
    const OperationDiff* operationAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<OperationDiff> m_ops;
};

} // namespace rootline
