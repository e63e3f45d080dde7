#pragma once

// The log table as a virtual model (style.md §5): it holds the rows fetched so far for one
// LogQuery and appends the next page by keyset (CacheReader::logPage with the last row's
// (time, id) as the cursor) when the view scrolls near the end. Never OFFSET, never everything.
// Pages are small and bounded, so they are read on the UI thread through the session's reader.

#include "cache/CacheReader.h"

#include <QAbstractTableModel>
#include <QFont>
#include <vector>

namespace rootline {

class LogTableModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { TimeColumn, SeverityColumn, ServiceColumn, TraceColumn, BodyColumn, ColumnCount };
    enum Role { RowIdRole = Qt::UserRole + 1, TraceIdRole, SeverityRole, TimeNanosRole };

    explicit LogTableModel(QObject* parent = nullptr);

    // The reader pages are read from (not owned); nullptr empties the model.
    void setReader(CacheReader* reader);
    // Starts over with the first page of `query`.
    void setQuery(const LogQuery& query);
    const LogQuery& query() const { return m_query; }
    void setPageSize(int rows) { m_pageSize = std::max(1, rows); }
    int pageSize() const { return m_pageSize; }
    bool atEnd() const { return m_atEnd; }
    // The last read error ("" when the last read worked).
    const QString& errorText() const { return m_error; }

    qint64 rowIdAt(int row) const;
    TraceId traceIdAt(int row) const; // invalid when the line has none
    Timestamp timeAt(int row) const;
    int rowOfRowId(qint64 rowId) const; // among rows fetched so far; -1 when not there
    // The fetched row whose time is nearest to `t` (rows are in time order); -1 when empty.
    int nearestRow(Timestamp t) const;
    // The crosshair: marks the nearest fetched row (a band behind it); nullopt clears the mark.
    void setCursorTime(std::optional<Timestamp> t);
    int cursorRow() const { return m_cursorRow; }
    // The display zone changed (fmt::setZone): times and the header are shown again.
    void refreshTimes();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void errorOccurred(const QString& message);

private:
    struct Row {
        qint64 rowId = 0;
        Timestamp time;
        int severity = 0;
        QString severityText;
        QString service;
        TraceId traceId;
        QString body; // first line only; the tool tip reads the full record
    };
    std::vector<Row> readPage(std::optional<LogCursor> after);

    CacheReader* m_reader = nullptr;
    LogQuery m_query;
    std::vector<Row> m_rows;
    int m_pageSize = 200;
    bool m_atEnd = true;
    bool m_notifying = false;
    QString m_error;
    QFont m_mono;
    std::optional<Timestamp> m_cursorTime;
    int m_cursorRow = -1;
};

} // namespace rootline
