#include "TraceListModel.h"

#include "Format.h"

#include <QFontDatabase>
#include <algorithm>

namespace rootline {

TraceListModel::TraceListModel(QObject* parent)
    : QAbstractTableModel(parent), m_mono(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
}

void TraceListModel::setTraces(std::vector<TraceSummary> traces)
{
    beginResetModel();
    m_traces = std::move(traces);
    endResetModel();
}

const TraceSummary* TraceListModel::traceAt(int row) const
{
    return row >= 0 && row < int(m_traces.size()) ? &m_traces[size_t(row)] : nullptr;
}

int TraceListModel::rowOf(const TraceId& id) const
{
    for (size_t i = 0; i < m_traces.size(); ++i)
        if (m_traces[i].traceId == id)
            return int(i);
    return -1;
}

int TraceListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_traces.size()); }

int TraceListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TraceListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TraceSummary& t = m_traces[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case StartColumn: return fmt::dateTime(t.start);
        case ServiceColumn: return QString::fromStdString(t.rootService);
        case OperationColumn: return QString::fromStdString(t.rootName);
        case DurationColumn: return fmt::duration(t.duration);
        case SpansColumn: return qint64(t.spanCount);
        case ErrorsColumn: return t.errorCount ? QVariant(qint64(t.errorCount)) : QVariant(QString());
        case TraceColumn: return fmt::shortTraceId(t.traceId);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case StartColumn: return qint64(t.start.nanos());
        case ServiceColumn: return QString::fromStdString(t.rootService);
        case OperationColumn: return QString::fromStdString(t.rootName);
        case DurationColumn: return qint64(t.duration.count());
        case SpansColumn: return qint64(t.spanCount);
        case ErrorsColumn: return qint64(t.errorCount);
        case TraceColumn: return QString::fromStdString(t.traceId.toHex());
        }
        return {};
    case Qt::ToolTipRole:
        return tr("Trace %1\n%2 spans, %3 errors, %4")
            .arg(QString::fromStdString(t.traceId.toHex()))
            .arg(t.spanCount)
            .arg(t.errorCount)
            .arg(fmt::duration(t.duration));
    case Qt::ForegroundRole:
        if (t.errorCount > 0 && (index.column() == ErrorsColumn || index.column() == ServiceColumn || index.column() == OperationColumn))
            return fmt::severityColor(int(Severity::Error));
        return {};
    case Qt::BackgroundRole:
        if (t.errorCount > 0)
            return fmt::errorTint();
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn || index.column() == SpansColumn || index.column() == ErrorsColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (index.column() == StartColumn || index.column() == TraceColumn || index.column() == DurationColumn)
            return m_mono;
        return {};
    case TraceIdRole: return QString::fromStdString(t.traceId.toHex());
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StartColumn: return tr("Start (%1)").arg(fmt::zoneName()); // the zone the times are shown in
    case ServiceColumn: return tr("Root service");
    case OperationColumn: return tr("Root operation");
    case DurationColumn: return tr("Duration");
    case SpansColumn: return tr("Spans");
    case ErrorsColumn: return tr("Errors");
    case TraceColumn: return tr("Trace");
    }
    return {};
}

void TraceListModel::refreshTimes()
{
    emit headerDataChanged(Qt::Horizontal, StartColumn, StartColumn);
    if (rowCount() > 0)
        emit dataChanged(index(0, StartColumn), index(rowCount() - 1, StartColumn), {Qt::DisplayRole});
}

void TraceListModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<TraceId> ids;
    for (const auto& i : before)
        ids.push_back(m_traces[size_t(i.row())].traceId);
    auto key = [column](const TraceSummary& t) -> std::tuple<int64_t, std::string> {
        switch (column) {
        case StartColumn: return {t.start.nanos(), {}};
        case ServiceColumn: return {0, t.rootService};
        case OperationColumn: return {0, t.rootName};
        case DurationColumn: return {t.duration.count(), {}};
        case SpansColumn: return {t.spanCount, {}};
        case ErrorsColumn: return {t.errorCount, {}};
        default: return {0, t.traceId.toHex()};
        }
    };
    std::stable_sort(m_traces.begin(), m_traces.end(), [&](const TraceSummary& a, const TraceSummary& b) {
        return order == Qt::AscendingOrder ? key(a) < key(b) : key(b) < key(a);
    });
    QModelIndexList after;
    for (int k = 0; k < before.size(); ++k)
        after.push_back(index(rowOf(ids[size_t(k)]), before[k].column()));
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

} // namespace rootline
