#pragma once

// The log pane: the focus window's (and service's) log lines from the cache, paged by keyset
// (LogTableModel), narrowed by a full-text search (debounced) and a minimum level. The row count
// is computed on a worker. Clicking a trace id opens that trace through the Focus. The level and
// "trace only" filters live in the Focus (FocusState::logMinSeverity, logsOfTraceOnly), so a guided
// step can set them and Back restores them. The crosshair (Focus::cursorTime) marks the nearest
// row; hovering a row moves the crosshair.

#include "cache/CacheReader.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace rootline {

class CacheSession;
class QueryBar;
class Focus;
class LogTableModel;

class LogPane final : public QWidget {
    Q_OBJECT
public:
    LogPane(CacheSession* session, Focus* focus, QWidget* parent = nullptr);
    ~LogPane() override;

    LogTableModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    // The query the table shows now (window and service from the Focus, plus this pane's filters).
    const LogQuery& query() const;
    // Sets the search text as if typed (applied after the debounce; applySearchNow() skips it).
    void setSearchText(const QString& text);
    void applySearchNow();
    void setMinimumSeverity(int severity);
    // The number of lines matching the query; -1 while it is being counted.
    qint64 matchCount() const { return m_count; }
    // The row the crosshair marks (-1: none).
    int cursorRow() const;
    // Only the focus trace's lines are shown.
    bool traceOnly() const;
    // The bar that fetches logs from a source, under the pane's title row (the window makes it).
    void setQueryBar(QueryBar* bar);
    QueryBar* queryBar() const { return m_queryBar; }

signals:
    void countChanged(qint64 count);
    // The context menu's "Pin this line…": the line is the Focus log row (the window pins it).
    void pinRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void syncFilterWidgets();
    void requery();
    void updateCountLabel();

    CacheSession* m_session;
    Focus* m_focus;
    LogTableModel* m_model;
    QTableView* m_view;
    QLineEdit* m_search;
    QComboBox* m_level;
    QCheckBox* m_traceOnly;
    QLabel* m_countLabel;
    QTimer* m_debounce;
    std::shared_ptr<std::atomic_bool> m_countJob;
    qint64 m_count = -1;
    bool m_hovering = false;
    static constexpr int kCursorPages = 4; // pages read toward a crosshair past the rows read
    QueryBar* m_queryBar = nullptr;
};

} // namespace rootline
