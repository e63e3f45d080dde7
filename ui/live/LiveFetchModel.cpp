#include "LiveFetchModel.h"

#include <QBrush>
#include <QLocale>

namespace rootline {

LiveFetchModel::LiveFetchModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

int LiveFetchModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LiveFetchModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveFetchModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const LiveFetchResult& f = m_rows[size_t(index.row())];
    const FetchRequest& r = f.fetch.request;
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(f.fetch.purpose + "\n" + f.statusText());
    if (role == Qt::TextAlignmentRole && (index.column() == Rows || index.column() == Bytes || index.column() == Seconds))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == Status && !f.complete())
        return QBrush(QColor(Qt::darkRed));
    if (role != Qt::DisplayRole)
        return {};
    const QLocale locale;
    switch (index.column()) {
    case Step: return QString::fromLatin1(stepTitle(f.fetch.step));
    case Source: return QString(QString::fromStdString(f.fetch.source.name) + QStringLiteral(" · ") + QString::fromLatin1(fetchKindName(r.kind)));
    case Query: return QString::fromStdString(r.provenanceQuery());
    case Window:
        return QString::fromStdString("[" + r.window.from.toRfc3339() + " – " + r.window.to.toRfc3339() + ")");
    case Rows: return locale.toString(qlonglong(f.rows()));
    case Bytes: return locale.toString(qlonglong(f.bytes()));
    case Seconds: return QString(locale.toString(f.seconds, 'f', 1) + QStringLiteral(" s"));
    case Status: return QString::fromStdString(f.statusText());
    default: return {};
    }
}

QVariant LiveFetchModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {"Step", "Source", "Query", "Window", "Rows", "Bytes", "Time", "Status"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

Qt::ItemFlags LiveFetchModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Query)
        f |= Qt::ItemIsEditable;
    return f;
}

bool LiveFetchModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || index.column() != Query || role != Qt::EditRole || index.row() >= int(m_rows.size()))
        return false;
    const QString text = value.toString().trimmed();
    if (text.isEmpty() || text == QString::fromStdString(m_rows[size_t(index.row())].fetch.request.provenanceQuery()))
        return false;
    emit queryEdited(index.row(), text);
    return false; // the row keeps what it fetched; the re-run is a row of its own
}

void LiveFetchModel::append(LiveFetchResult result)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.push_back(std::move(result));
    endInsertRows();
}

void LiveFetchModel::clear()
{
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int LiveFetchModel::incompleteCount() const
{
    int n = 0;
    for (const auto& f : m_rows)
        n += !f.complete();
    return n;
}

} // namespace rootline
