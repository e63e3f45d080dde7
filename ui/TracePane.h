#pragma once

// The trace list of the focus window (read on a worker, swapped in whole) and, below it, the
// selected trace's span waterfall (one trace's spans: a bounded read on the UI thread). Selecting
// a trace sets the Focus trace; a trace chosen elsewhere (exemplar, log line) is selected here.

#include "cache/CacheReader.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QScrollArea;
class QSplitter;
class QTableView;
class QVBoxLayout;

namespace rootline {

class CacheSession;
class QueryBar;
class Focus;
class SpanWaterfall;
class TraceListModel;

class TracePane final : public QWidget {
    Q_OBJECT
public:
    TracePane(CacheSession* session, Focus* focus, QWidget* parent = nullptr);
    ~TracePane() override;

    TraceListModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    SpanWaterfall* waterfall() const { return m_waterfall; }
    const TraceQuery& query() const { return m_query; }
    void setErrorsOnly(bool on);
    void setSlowestFirst(bool on);
    bool isLoaded() const { return m_loaded; }
    // The bar that fetches traces from a source, under the pane's title row (the window makes it).
    void setQueryBar(QueryBar* bar);
    QueryBar* queryBar() const { return m_queryBar; }

signals:
    void loaded();

private:
    void requery();
    void showTrace(TraceId id);
    void selectRowOf(TraceId id);

    CacheSession* m_session;
    Focus* m_focus;
    TraceListModel* m_model;
    QTableView* m_view;
    SpanWaterfall* m_waterfall;
    QScrollArea* m_waterfallArea;
    QLabel* m_traceTitle;
    QCheckBox* m_errorsOnly;
    QCheckBox* m_slowest;
    QLabel* m_countLabel;
    TraceQuery m_query;
    std::shared_ptr<std::atomic_bool> m_job;
    bool m_loaded = false;
    QueryBar* m_queryBar = nullptr;
    QVBoxLayout* m_upperLayout = nullptr;
    bool m_selecting = false;
};

} // namespace rootline
