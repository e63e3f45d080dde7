#pragma once

// View → Rejected records… (issue 12 item 4): what imports and fetches could not read (errors) or
// kept with a change (warnings, info), as `rootline-cli stats --json` lists them under
// "rejections": level, the file or fetch, the place in it, the reason and a snippet of the input.
// The rows are read on a worker (CacheSession::run) into one plain snapshot that the model swaps
// in whole; nothing here reads the cache on the UI thread.

#include "cache/CacheReader.h"

#include <QAbstractTableModel>
#include <QDialog>
#include <QString>

#include <vector>

class QLabel;
class QTableView;

namespace rootline {

class CacheSession;

struct RejectionRow {
    ProblemLevel level = ProblemLevel::Error;
    QString input;    // the file imported, or the fetch's query (its source when it has none)
    QString location; // where in it ("file.json:12", "stream {app=…} entry 5"), may be empty
    QString reason;
    QString snippet;  // the input as it was, cut short by the importer
};

// Every rejection of the cache with the input it came from, oldest first. Runs on any thread with
// that thread's reader.
Result<std::vector<RejectionRow>> readRejections(CacheReader& reader);

class RejectionsModel final : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Level, Input, Location, Reason, Snippet, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setRows(std::vector<RejectionRow> rows); // replaces the snapshot (a model reset)
    const std::vector<RejectionRow>& rows() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<RejectionRow> m_rows;
};

class RejectionsDialog final : public QDialog {
    Q_OBJECT
public:
    // Reads the session's open cache at once; shows "No cache open" when there is none.
    explicit RejectionsDialog(CacheSession* session, QWidget* parent = nullptr);

    RejectionsModel* model() const { return m_model; }
    QString statusText() const;
    void reload();

signals:
    // The rows are in the model (or reading failed: then `ok` is false and the status says why).
    void loaded(bool ok);

private:
    CacheSession* m_session;
    RejectionsModel* m_model;
    QTableView* m_view;
    QLabel* m_status;
};

} // namespace rootline
