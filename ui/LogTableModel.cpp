#include "LogTableModel.h"

#include "Format.h"

#include <QFontDatabase>

#include <algorithm>

namespace rootline {

LogTableModel::LogTableModel(QObject* parent)
    : QAbstractTableModel(parent), m_mono(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
}

void LogTableModel::setReader(CacheReader* reader)
{
    m_reader = reader;
    setQuery(m_query);
}

void LogTableModel::setQuery(const LogQuery& query)
{
    m_notifying = true;
    beginResetModel();
    m_query = query;
    m_rows.clear();
    m_atEnd = m_reader == nullptr;
    if (m_reader)
        m_rows = readPage(std::nullopt);
    m_cursorRow = m_cursorTime ? nearestRow(*m_cursorTime) : -1;
    endResetModel();
    m_notifying = false;
}

std::vector<LogTableModel::Row> LogTableModel::readPage(std::optional<LogCursor> after)
{
    std::vector<Row> rows;
    auto page = m_reader->logPage(m_query, after, m_pageSize);
    if (!page) {
        m_atEnd = true;
        m_error = QString::fromStdString(page.error().message());
        emit errorOccurred(m_error);
        return rows;
    }
    m_error.clear();
    m_atEnd = int(page->size()) < m_pageSize;
    rows.reserve(page->size());
    for (auto& r : *page) {
        Row row;
        row.rowId = r.rowId;
        row.time = r.time;
        row.severity = r.severity;
        row.severityText = QString::fromStdString(r.severityText.empty() ? std::string(severityName(r.severity)) : r.severityText);
        if (r.resource)
            row.service = QString::fromStdString(r.resource->serviceName);
        if (r.traceId)
            row.traceId = *r.traceId;
        const auto newline = r.body.find('\n');
        row.body = QString::fromStdString(newline == std::string::npos ? r.body : r.body.substr(0, newline) + " …");
        rows.push_back(std::move(row));
    }
    return rows;
}

qint64 LogTableModel::rowIdAt(int row) const { return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].rowId : 0; }

TraceId LogTableModel::traceIdAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].traceId : TraceId{};
}

Timestamp LogTableModel::timeAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[size_t(row)].time : Timestamp{};
}

int LogTableModel::rowOfRowId(qint64 rowId) const
{
    for (size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].rowId == rowId)
            return int(i);
    return -1;
}

int LogTableModel::nearestRow(Timestamp t) const
{
    if (m_rows.empty())
        return -1;
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), t, [](const Row& r, Timestamp x) { return r.time < x; });
    if (it == m_rows.end())
        return int(m_rows.size()) - 1;
    const int after = int(it - m_rows.begin());
    if (after == 0)
        return 0;
    const Duration toAfter = it->time - t, toBefore = t - m_rows[size_t(after - 1)].time;
    return toBefore <= toAfter ? after - 1 : after;
}

void LogTableModel::setCursorTime(std::optional<Timestamp> t)
{
    m_cursorTime = t;
    const int old = m_cursorRow;
    m_cursorRow = t ? nearestRow(*t) : -1;
    if (old == m_cursorRow)
        return;
    for (int row : {old, m_cursorRow})
        if (row >= 0 && row < int(m_rows.size()))
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1), {Qt::BackgroundRole});
}

void LogTableModel::refreshTimes()
{
    emit headerDataChanged(Qt::Horizontal, TimeColumn, TimeColumn);
    if (!m_rows.empty())
        emit dataChanged(index(0, TimeColumn), index(int(m_rows.size()) - 1, TimeColumn), {Qt::DisplayRole});
}

int LogTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int LogTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LogTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: return fmt::dateTime(r.time);
        case SeverityColumn: return r.severityText;
        case ServiceColumn: return r.service;
        case TraceColumn: return r.traceId.isValid() ? fmt::shortTraceId(r.traceId) : QString();
        case BodyColumn: return r.body;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == TraceColumn && r.traceId.isValid())
            return tr("%1\nClick to open this trace").arg(QString::fromStdString(r.traceId.toHex()));
        if (index.column() == BodyColumn)
            return r.body.size() > 2000 ? r.body.left(2000) + QStringLiteral(" …") : r.body;
        return {};
    case Qt::ForegroundRole:
        if (index.column() == TraceColumn && r.traceId.isValid())
            return QColor(0x1e, 0x88, 0xe5); // reads as a link
        if (const QColor c = fmt::severityColor(r.severity); c.isValid() && index.column() != ServiceColumn)
            return c;
        return {};
    case Qt::BackgroundRole:
        if (index.row() == m_cursorRow)
            return QColor(0x1e, 0x88, 0xe5, 70); // the crosshair's row, in the crosshair's colour
        if (r.severity >= int(Severity::Error))
            return fmt::errorTint();
        return {};
    case Qt::FontRole:
        if (index.column() == TimeColumn || index.column() == TraceColumn || index.column() == BodyColumn)
            return m_mono;
        if (index.column() == SeverityColumn && r.severity >= int(Severity::Warn)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case RowIdRole: return r.rowId;
    case TraceIdRole: return r.traceId.isValid() ? QString::fromStdString(r.traceId.toHex()) : QString();
    case SeverityRole: return r.severity;
    case TimeNanosRole: return qint64(r.time.nanos());
    }
    return {};
}

QVariant LogTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case TimeColumn: return tr("Time (%1)").arg(fmt::zoneName());
    case SeverityColumn: return tr("Level");
    case ServiceColumn: return tr("Service");
    case TraceColumn: return tr("Trace");
    case BodyColumn: return tr("Message");
    }
    return {};
}

bool LogTableModel::canFetchMore(const QModelIndex& parent) const { return !parent.isValid() && !m_atEnd && m_reader; }

void LogTableModel::fetchMore(const QModelIndex& parent)
{
    // Listeners of our own reset/insert signals (QAbstractItemModelTester does) may ask for more
    // while the change is still being announced; views ask again from their delayed layout.
    if (m_notifying || !canFetchMore(parent) || m_rows.empty())
        return;
    const Row& last = m_rows.back();
    auto rows = readPage(LogCursor{last.time, last.rowId});
    if (rows.empty())
        return;
    m_notifying = true;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size()) - 1);
    m_rows.insert(m_rows.end(), std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
    endInsertRows();
    m_notifying = false;
}

} // namespace rootline
