#pragma once

// The live investigation's fetches as a table (issue 11 item 4): one row per fetch, in the order
// they ran — step, source, query, window, rows, bytes, time, and complete / cached / PARTIAL with
// the reason / error. Rows are only appended (one per finished fetch) or all cleared; the tool tip
// of a row says what the fetch was for and, when it fell short, why.

#include "live/LiveRunner.h"

#include <QAbstractTableModel>
#include <vector>

namespace rootline {

class LiveFetchModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Step, Source, Query, Window, Rows, Bytes, Seconds, Status, ColumnCount };

    explicit LiveFetchModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    // The Query column is editable: an edit is not stored here but asked for (queryEdited), and
    // the re-run fetch arrives as a new row.
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    void append(LiveFetchResult result);
    void clear();
    const LiveFetchResult& fetch(int row) const { return m_rows[size_t(row)]; }
    // Rows that did not complete (PARTIAL or error).
    int incompleteCount() const;

signals:
    void queryEdited(int row, const QString& text);

private:
    std::vector<LiveFetchResult> m_rows;
};

} // namespace rootline
