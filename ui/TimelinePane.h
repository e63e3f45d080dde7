#pragma once

// The metrics timeline (style.md §7): the cache's series as stacked QCustomPlot rows sharing one
// UTC time axis, downsampled on a worker to about one point per pixel column; exemplars as
// clickable diamonds (click → Focus trace), firing alerts as markers, the focus window shaded.
// Dragging selects a time window (→ Focus window), the wheel zooms, and the series shown are
// chosen from the "Series" menu. qcustomplot.h is included by the .cpp only.
// One time axis with the other panes (issue 10 §2): hovering moves the Focus crosshair
// (cursorTime) and the crosshair set anywhere is drawn here, on its own buffered layer; a focus
// window set elsewhere (a guided step, Back) zooms the axis to it with a margin on each side.
// Behind the series: deploys, SLO burn-rate windows and the alert's firing band (setMarks).

#include "PlotSpec.h"
#include "TimelineData.h"
#include "TimelineMarks.h"

#include <QWidget>
#include <optional>

class QCustomPlot;
class QCPAxisRect;
class QCPItemStraightLine;
class QCPItemText;
class QLabel;
class QMenu;
class QTimer;
class QToolButton;
class QMouseEvent;

namespace rootline {

class CacheSession;
class QueryBar;
class Focus;

class TimelinePane final : public QWidget {
    Q_OBJECT
public:
    TimelinePane(CacheSession* session, Focus* focus, QWidget* parent = nullptr);
    ~TimelinePane() override;

    // What a drag on the plot does: makes `window` the focus window.
    void selectWindow(TimeWindow window);
    // The cache's whole range, and the part of it the axis shows.
    TimeWindow fullRange() const { return m_fullRange; }
    TimeWindow viewWindow() const;
    void setViewWindow(TimeWindow window); // zoom; reloads at the new resolution
    void resetView();

    // Everything the cache can draw, and the ids (PlotSpec::id) shown now.
    const std::vector<PlotSpec>& availableSeries() const { return m_specs; }
    QStringList selectedSeries() const { return m_selected; }
    void setSelectedSeries(const QStringList& ids);

    // What is on screen: for the status bar and tests.
    int lineCount() const;
    qint64 pointCount() const { return m_data ? m_data->pointCount() : 0; }
    int exemplarCount() const { return m_data ? int(m_data->exemplars.size()) : 0; }
    // The cache's alerts the timeline marks (a dashed line where each became active).
    int alertCount() const { return m_data ? int(m_data->alerts.size()) : 0; }
    int rowCount() const { return int(m_rects.size()); }
    bool isLoaded() const { return m_data.has_value(); }
    // The time the crosshair marks on the charts (the Focus cursor); nullopt when hidden.
    std::optional<Timestamp> crosshairTime() const { return m_crosshairTime; }
    // What a hover at x (plot widget pixels) does: moves the Focus cursor to that time.
    void hoverAt(int x);
    // Deploys, burn-rate windows and the firing band drawn behind the series.
    void setMarks(const TimelineMarks& marks);
    const TimelineMarks& marks() const { return m_marks; }
    // The display zone changed (fmt::setZone): the axis is labelled again.
    void refreshZone();

    // The exemplar nearest to a point of the plot widget within `radius` pixels, if any.
    std::optional<PlotExemplar> exemplarAt(QPoint plotPos, double radius = 8) const;
    // Where an exemplar is drawn, in plot widget coordinates (for tests that click it).
    std::optional<QPoint> exemplarPosition(int index) const;
    QCustomPlot* plotWidget() const { return m_plot; }
    // The bar that fetches metrics from a source, under the pane's title row (the window makes it).
    void setQueryBar(QueryBar* bar);
    QueryBar* queryBar() const { return m_queryBar; }

signals:
    void loaded();
    // The context menu's "Pin this point…" at `time` (the window pins it).
    void pinRequested(rootline::Timestamp time);
    // A short note for the status bar ("312 points · 24 exemplars").
    void statusChanged(const QString& text);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void onOpened();
    void onClosed();
    void resetPlot();
    void startLoad(bool listSeries);
    void scheduleReload();
    void apply(TimelineData data);
    void rebuild();
    void updateShading();
    void drawMarks(const QPalette& pal);
    void updateCrosshair();
    void positionCrosshair();
    void updateTicker();
    void rebuildSeriesMenu();
    void onRangeChanged();
    void onMouseRelease(QMouseEvent* event);
    void onMouseMove(QMouseEvent* event);
    void showMessage(const QString& text);
    QColor colorFor(const QString& service, const QString& label) const;
    int pixelWidth() const;

    CacheSession* m_session;
    Focus* m_focus;
    QCustomPlot* m_plot;
    QToolButton* m_seriesButton;
    QMenu* m_seriesMenu;
    QLabel* m_hint;
    QTimer* m_reloadTimer;
    std::vector<QCPAxisRect*> m_rects;
    std::vector<PlotSpec> m_specs;
    QStringList m_selected;
    QStringList m_knownSpecs;  // on a reload of the same cache: the specs it had before
    QStringList m_loadedSpecs; // the specs of the last load (kept while the session re-opens)
    QString m_openedPath;
    QStringList m_services; // colour order
    std::optional<TimelineData> m_data;
    TimeWindow m_fullRange = TimeWindow::all();
    std::shared_ptr<std::atomic_bool> m_job;
    QPoint m_pressPos;
    bool m_applying = false;
    // A load that lists the cache's series is on its way: a view reload started meanwhile (it
    // cancels the job under way) must list them too, or the pane stays without any series.
    bool m_listPending = false;
    QueryBar* m_queryBar = nullptr;
    TimelineMarks m_marks;
    std::optional<Timestamp> m_crosshairTime;
    std::vector<QCPItemStraightLine*> m_crosshair;
    QCPItemText* m_crosshairLabel = nullptr;
    bool m_brushing = false;                // the focus window comes from this pane's drag
    std::optional<TimeWindow> m_pendingView; // a zoom asked for before the rows existed
};

} // namespace rootline
