#include "OperationDiffModel.h"

#include "Format.h"

#include <QColor>

namespace rootline {

OperationDiffModel::OperationDiffModel(QObject* parent) : QAbstractTableModel(parent) {}

void OperationDiffModel::setOperations(std::vector<OperationDiff> operations)
{
    beginResetModel();
    m_ops = std::move(operations);
    endResetModel();
}

const OperationDiff* OperationDiffModel::operationAt(int row) const
{
    return row >= 0 && size_t(row) < m_ops.size() ? &m_ops[size_t(row)] : nullptr;
}

int OperationDiffModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_ops.size()); }

int OperationDiffModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant OperationDiffModel::data(const QModelIndex& index, int role) const
{
    const OperationDiff* op = index.isValid() ? operationAt(index.row()) : nullptr;
    if (!op)
        return {};
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case ServiceColumn: return QString::fromStdString(op->service);
        case OperationColumn: return QString::fromStdString(op->name);
        case CountAColumn: return op->countA;
        case CountBColumn: return op->countB;
        case SelfAColumn: return fmt::duration(op->selfA);
        case SelfBColumn: return fmt::duration(op->selfB);
        case DeltaColumn: {
            const Duration d = op->selfDelta();
            if (d == Duration())
                return QStringLiteral("0");
            return QString(d < Duration() ? QStringLiteral("−") + fmt::duration(Duration() - d) : QStringLiteral("+") + fmt::duration(d));
        }
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == DeltaColumn) {
        const Duration d = op->selfDelta();
        if (d > Duration())
            return QColor(0xc6, 0x28, 0x28);
        if (d < Duration())
            return QColor(0x15, 0x65, 0xc0);
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() >= CountAColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant OperationDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ServiceColumn: return tr("Service");
    case OperationColumn: return tr("Operation");
    case CountAColumn: return tr("Spans A");
    case CountBColumn: return tr("Spans B");
    case SelfAColumn: return tr("Self A");
    case SelfBColumn: return tr("Self B");
    case DeltaColumn: return tr("Change");
    default: return {};
    }
}

} // namespace rootline
