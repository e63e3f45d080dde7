#include "TimelinePane.h"

#include "CacheSession.h"
#include "Focus.h"
#include "Format.h"
#include "QueryBar.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>

namespace rootline {
namespace {

// Tableau 10: distinct on light and dark backgrounds, and colour-blind friendlier than Qt's.
const QColor kPalette[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f), QColor(0xe1, 0x57, 0x59),
                           QColor(0x76, 0xb7, 0xb2), QColor(0xed, 0xc9, 0x48), QColor(0xb0, 0x7a, 0xa1), QColor(0xff, 0x9d, 0xa7),
                           QColor(0x9c, 0x75, 0x5f), QColor(0xba, 0xb0, 0xac)};

const QColor kFocusColor(0x1e, 0x88, 0xe5);
const QColor kAlertColor(0xd3, 0x2f, 0x2f);

struct TimelineLoad {
    std::vector<PlotSpec> specs;
    QStringList selected;
    TimelineData data;
};

// The chart rows of the loaded lines, in dashboard order (rate, errors, latency, ...).
QStringList rowsOf(const TimelineData& data)
{
    QStringList rows;
    for (const auto& line : data.lines)
        if (!rows.contains(line.spec.row))
            rows << line.spec.row;
    std::stable_sort(rows.begin(), rows.end(), [](const QString& a, const QString& b) { return rowRank(a) < rowRank(b); });
    return rows;
}

TimeWindow windowOf(const QCPRange& r)
{
    return {Timestamp::fromSecondsDouble(r.lower), Timestamp::fromSecondsDouble(r.upper)};
}

QCPRange rangeOf(const TimeWindow& w) { return {w.from.toSecondsDouble(), w.to.toSecondsDouble()}; }

} // namespace

TimelinePane::TimelinePane(CacheSession* session, Focus* focus, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_focus(focus)
    , m_plot(new QCustomPlot(this))
    , m_seriesButton(new QToolButton(this))
    , m_seriesMenu(new QMenu(this))
    , m_hint(new QLabel(this))
    , m_reloadTimer(new QTimer(this))
{
    auto* title = new QLabel(tr("<b>Metrics</b>"), this);
    m_seriesButton->setText(tr("Series"));
    m_seriesButton->setToolTip(tr("Choose the series drawn on the timeline"));
    m_seriesButton->setPopupMode(QToolButton::InstantPopup);
    m_seriesButton->setMenu(m_seriesMenu);
    m_seriesButton->setAutoRaise(true);
    auto* resetButton = new QToolButton(this);
    resetButton->setText(tr("Reset zoom"));
    resetButton->setAutoRaise(true);
    auto* clearButton = new QToolButton(this);
    clearButton->setText(tr("Clear window"));
    clearButton->setToolTip(tr("Show logs and traces of the whole cache again"));
    clearButton->setAutoRaise(true);
    m_hint->setText(tr("drag: select a window · wheel: zoom · click ◆: open the exemplar's trace"));
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 0);
    bar->addWidget(title);
    bar->addSpacing(8);
    bar->addWidget(m_seriesButton);
    bar->addWidget(resetButton);
    bar->addWidget(clearButton);
    bar->addStretch();
    bar->addWidget(m_hint);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_plot, 1);

    m_plot->setMinimumHeight(180);
    m_plot->setInteractions(QCP::iRangeZoom);
    m_plot->setSelectionRectMode(QCP::srmCustom);
    m_plot->selectionRect()->setPen(QPen(kFocusColor, 1, Qt::DashLine));
    m_plot->selectionRect()->setBrush(QColor(kFocusColor.red(), kFocusColor.green(), kFocusColor.blue(), 50));
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->setMouseTracking(true);
    m_plot->installEventFilter(this);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        if (m_rects.empty())
            return;
        hoverAt(pos.x()); // the point pinned is the one under the crosshair
        QMenu menu(this);
        if (auto e = exemplarAt(pos)) {
            const TraceId trace = e->traceId;
            menu.addAction(tr("Open the exemplar's trace"), this, [this, trace] { m_focus->setTrace(trace); });
        }
        // The menu takes the mouse off the plot (which clears the crosshair): keep the time.
        if (const auto t = m_focus->cursorTime())
            menu.addAction(tr("Pin this point with a note…"), this, [this, at = *t] { emit pinRequested(at); });
        menu.addAction(tr("Reset zoom"), this, &TimelinePane::resetView);
        menu.exec(m_plot->mapToGlobal(pos));
    });
    connect(m_plot->selectionRect(), &QCPSelectionRect::accepted, this, [this](const QRect&, QMouseEvent*) {
        if (m_rects.empty())
            return;
        const QCPRange r = m_plot->selectionRect()->range(m_rects.back()->axis(QCPAxis::atBottom));
        selectWindow(windowOf(r));
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { m_pressPos = e->pos(); });
    connect(m_plot, &QCustomPlot::mouseRelease, this, &TimelinePane::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseMove, this, &TimelinePane::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) { resetView(); });

    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(150);
    connect(m_reloadTimer, &QTimer::timeout, this, [this] { startLoad(false); });
    connect(resetButton, &QToolButton::clicked, this, &TimelinePane::resetView);
    connect(clearButton, &QToolButton::clicked, m_focus, &Focus::clearWindow);

    connect(m_session, &CacheSession::opened, this, &TimelinePane::onOpened);
    connect(m_session, &CacheSession::closed, this, &TimelinePane::onClosed);
    connect(m_session, &CacheSession::overviewReady, this, [this](const CacheOverview& o) {
        m_fullRange = o.range.value_or(TimeWindow::all());
        m_services.clear();
        for (const auto& s : o.services)
            m_services << QString::fromStdString(s);
        startLoad(true); // chained from the overview's delivery: the session stays "loading"
    });
    connect(m_focus, &Focus::serviceChanged, this, [this] {
        if (m_data)
            rebuild();
    });
    connect(m_focus, &Focus::windowChanged, this, [this](TimeWindow w) {
        updateShading();
        // A window chosen elsewhere (a guided step, Back, the investigation) is zoomed to, with
        // half its length on each side; the user's own drag keeps the view it was made in.
        if (!m_brushing && w != TimeWindow::all()) {
            const TimeWindow view = w.widened(w.length() / 2);
            if (m_rects.empty())
                m_pendingView = view;
            else
                setViewWindow(view);
        }
        m_plot->replot();
    });
    connect(m_focus, &Focus::cursorTimeChanged, this, [this](Timestamp t, bool has) {
        m_crosshairTime = has ? std::optional<Timestamp>(t) : std::nullopt;
        updateCrosshair();
    });
    showMessage(tr("Open a cache (File → Open) or drop a .rootline file here"));
}

TimelinePane::~TimelinePane()
{
    if (m_job)
        m_job->store(true);
}

void TimelinePane::onOpened()
{
    if (m_job)
        m_job->store(true);
    m_listPending = false; // the overview of the cache just opened starts the listing
    // The same cache again (it grew: a fetch or an import): keep the user's choice of series, and
    // show the series that are new — what was just fetched is what the user wants to see.
    // (The session re-opens by closing first, so the specs of the last load are kept apart.)
    m_knownSpecs.clear();
    if (m_session->path() == m_openedPath && !m_loadedSpecs.isEmpty())
        m_knownSpecs = m_loadedSpecs;
    else
        m_selected.clear();
    m_openedPath = m_session->path();
    resetPlot();
    showMessage(tr("Loading metrics…"));
}

void TimelinePane::resetPlot()
{
    m_reloadTimer->stop(); // a view reload asked for before: of a plot that is gone
    m_data.reset();
    m_specs.clear();
    m_fullRange = TimeWindow::all();
    rebuildSeriesMenu();
}

void TimelinePane::onClosed()
{
    if (m_job)
        m_job->store(true);
    m_listPending = false;
    resetPlot();
    showMessage(tr("No cache open"));
}

int TimelinePane::pixelWidth() const
{
    // About one point per pixel column of the plotting area (style.md §7).
    const int w = m_rects.empty() ? m_plot->width() - 80 : m_rects.front()->width();
    return std::clamp(w, 200, 4000);
}

void TimelinePane::startLoad(bool listSeries)
{
    if (!m_session->isOpen())
        return;
    if (m_job)
        m_job->store(true);
    listSeries = listSeries || m_listPending;
    m_listPending = listSeries;
    const TimeWindow view = m_data && !listSeries ? viewWindow() : m_fullRange;
    const int maxPoints = pixelWidth();
    std::vector<PlotSpec> specs = m_specs;
    QStringList selected = m_selected;
    const QStringList known = m_knownSpecs;
    m_job = m_session->run<TimelineLoad>(
        this,
        [listSeries, view, maxPoints, specs, selected, known](CacheReader& reader, const std::atomic_bool& cancelled) -> Result<TimelineLoad> {
            TimelineLoad load;
            load.specs = specs;
            load.selected = selected;
            if (listSeries) {
                auto series = reader.listSeries();
                if (!series)
                    return series.error();
                load.specs = buildPlotSpecs(*series);
                if (!known.isEmpty()) {
                    // A reload: what was chosen and still exists, plus what is new (a few rows' worth).
                    QStringList next;
                    int added = 0;
                    for (const auto& s : load.specs) {
                        if (load.selected.contains(s.id))
                            next << s.id;
                        else if (!known.contains(s.id) && added < 30) {
                            next << s.id;
                            ++added;
                        }
                    }
                    load.selected = next;
                }
                if (load.selected.isEmpty())
                    load.selected = defaultPlotSelection(load.specs);
            }
            std::vector<PlotSpec> chosen;
            for (const auto& s : load.specs)
                if (load.selected.contains(s.id))
                    chosen.push_back(s);
            auto data = loadTimeline(reader, chosen, view, maxPoints, cancelled);
            if (!data)
                return data.error();
            load.data = std::move(*data);
            return load;
        },
        [this, listSeries](Result<TimelineLoad> load) {
            if (listSeries)
                m_listPending = false;
            if (!load) {
                showMessage(tr("Could not load the metrics: %1").arg(QString::fromStdString(load.error().message())));
                return;
            }
            if (listSeries) {
                m_specs = std::move(load->specs);
                m_selected = load->selected;
                m_loadedSpecs.clear();
                for (const auto& s : m_specs)
                    m_loadedSpecs << s.id;
                rebuildSeriesMenu();
            }
            const bool first = !m_data.has_value();
            apply(std::move(load->data));
            if (first)
                emit loaded();
        });
}

void TimelinePane::scheduleReload()
{
    if (!m_applying && m_data)
        m_reloadTimer->start();
}

void TimelinePane::showMessage(const QString& text)
{
    m_applying = true;
    m_crosshair.clear();
    m_crosshairLabel = nullptr;
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    m_rects.clear();
    auto* message = new QCPTextElement(m_plot, text, QFont(font().family(), font().pointSize() + 1));
    message->setTextColor(palette().color(QPalette::PlaceholderText));
    m_plot->plotLayout()->addElement(0, 0, message);
    m_plot->setBackground(palette().base());
    m_plot->replot();
    m_applying = false;
}

QColor TimelinePane::colorFor(const QString& service, const QString& label) const
{
    int index = m_services.indexOf(service);
    if (index < 0)
        index = int(qHash(label.isEmpty() ? service : label) % 1000);
    return kPalette[size_t(index) % std::size(kPalette)];
}

void TimelinePane::apply(TimelineData data)
{
    m_data = std::move(data);
    rebuild();
    QString note = tr("%n line(s), %1 points", nullptr, lineCount()).arg(fmt::count(m_data->pointCount()));
    if (!m_data->exemplars.empty())
        note += tr(", %1 exemplars").arg(fmt::count(qint64(m_data->exemplars.size())));
    emit statusChanged(note);
}

void TimelinePane::rebuild()
{
    if (!m_data)
        return;
    if (m_data->lines.empty()) {
        showMessage(m_specs.empty() ? tr("This cache holds no metric series") : tr("No series selected (Series menu)"));
        return;
    }
    m_applying = true;
    QCPRange keepRange = m_rects.empty() ? rangeOf(m_fullRange.isValid() && m_fullRange != TimeWindow::all() ? m_fullRange : m_data->view)
                                         : m_rects.back()->axis(QCPAxis::atBottom)->range();
    // A zoom asked for before the rows existed (the panes open on the alert's window): the data
    // was read for the whole range, so a reload at the new resolution follows.
    const bool zoomPending = m_pendingView.has_value();
    if (m_pendingView)
        keepRange = rangeOf(*m_pendingView);
    m_pendingView.reset();
    m_plot->clearPlottables();
    m_plot->clearItems();
    m_plot->plotLayout()->clear();
    m_rects.clear();

    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    const QColor grid = pal.color(QPalette::Mid);
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() - 1));
    m_plot->setBackground(pal.base());

    const QStringList rows = rowsOf(*m_data);

    auto* legend = new QCPLegend;
    m_plot->plotLayout()->addElement(0, 0, legend);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    legend->setWrap(12);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setFont(small);
    legend->setTextColor(text);
    legend->setIconSize(14, 8);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(10);
    legend->setMargins(QMargins(4, 2, 4, 0));
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->plotLayout()->setRowSpacing(2);

    auto* margins = new QCPMarginGroup(m_plot);
    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeSpec(fmt::zone() == fmt::Zone::Utc ? Qt::UTC : Qt::LocalTime);
    QList<QCPAxis*> xAxes;
    for (int r = 0; r < rows.size(); ++r) {
        auto* rect = new QCPAxisRect(m_plot);
        m_plot->plotLayout()->addElement(r + 1, 0, rect);
        m_rects.push_back(rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        xAxes << x;
        x->setTicker(ticker);
        x->setTickLabels(r == rows.size() - 1);
        if (r == rows.size() - 1)
            x->setLabel(tr("time (%1)").arg(fmt::zoneName())); // every time shown names its zone
        for (QCPAxis* a : {x, y}) {
            a->setBasePen(QPen(grid, 1));
            a->setTickPen(QPen(grid, 1));
            a->setSubTickPen(QPen(grid, 1));
            a->setTickLabelColor(text);
            a->setLabelColor(text);
            a->setTickLabelFont(small);
            a->grid()->setPen(QPen(QColor(grid.red(), grid.green(), grid.blue(), 90), 1, Qt::DotLine));
        }
        QString unit;
        for (const auto& line : m_data->lines)
            if (line.spec.row == rows[r]) {
                unit = line.spec.unit;
                break;
            }
        x->setSubTicks(false);
        y->setSubTicks(false);
        if (unit == QStringLiteral("ms")) {
            y->setScaleType(QCPAxis::stLogarithmic);
            auto log = QSharedPointer<QCPAxisTickerLog>::create();
            log->setLogBase(10);
            log->setSubTickCount(0);
            y->setTicker(log);
            y->setNumberFormat(QStringLiteral("g"));
        } else {
            y->ticker()->setTickCount(3);
            y->setNumberFormat(QStringLiteral("gb"));
        }
        y->setPadding(2);
        rect->setRangeZoom(Qt::Horizontal);
        rect->setRangeDrag(Qt::Horizontal);
        auto* caption = new QCPTextElement(m_plot, rows[r] + (unit.isEmpty() || rows[r].endsWith(unit) ? QString() : QStringLiteral("  [") + unit + QLatin1Char(']')), small);
        caption->setTextColor(text);
        caption->setTextFlags(Qt::AlignLeft);
        rect->insetLayout()->addElement(caption, Qt::AlignTop | Qt::AlignLeft);
        rect->setMinimumSize(100, 40);
    }
    for (auto* rect : m_rects)
        rect->setRangeZoomAxes(xAxes, {});

    QSet<QString> legendLabels;
    for (const auto& line : m_data->lines) {
        QCPAxisRect* rect = m_rects[size_t(rows.indexOf(line.spec.row))];
        auto* graph = m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        graph->setData(line.keys, line.values, true);
        // The focused service stands out; the others step back but stay for comparison.
        QColor colour = colorFor(line.spec.service, line.spec.label);
        const QString focused = m_focus->service();
        if (!focused.isEmpty() && line.spec.service != focused)
            colour.setAlpha(70);
        graph->setPen(QPen(colour, !focused.isEmpty() && line.spec.service == focused ? 2 : 1));
        graph->setName(line.spec.label);
        graph->setAdaptiveSampling(true);
        if (legendLabels.contains(line.spec.label))
            graph->removeFromLegend(legend);
        else {
            graph->addToLegend(legend);
            legendLabels.insert(line.spec.label);
        }
    }
    // Exemplars: one scatter graph per row, hit-tested by hand (see exemplarAt).
    std::vector<QCPGraph*> exemplarGraphs(m_rects.size(), nullptr);
    for (const auto& e : m_data->exemplars) {
        const size_t r = size_t(rows.indexOf(m_data->lines[size_t(e.lineIndex)].spec.row));
        if (!exemplarGraphs[r]) {
            auto* g = m_plot->addGraph(m_rects[r]->axis(QCPAxis::atBottom), m_rects[r]->axis(QCPAxis::atLeft));
            g->setLineStyle(QCPGraph::lsNone);
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(pal.color(QPalette::Base), 1), QColor(0x6a, 0x1b, 0x9a), 9));
            g->setName(tr("exemplar (click to open trace)"));
            if (legendLabels.contains(g->name()))
                g->removeFromLegend(legend);
            else {
                g->addToLegend(legend);
                legendLabels.insert(g->name());
            }
            exemplarGraphs[r] = g;
        }
        exemplarGraphs[r]->addData(e.key, e.value);
    }
    // Value axes: from zero (rates, latencies) with headroom.
    for (QCPAxisRect* rect : m_rects) {
        bool found = false;
        QCPRange range;
        for (QCPGraph* g : rect->graphs()) {
            bool ok = false;
            const QCPRange r = g->getValueRange(ok);
            if (!ok)
                continue;
            range = found ? QCPRange(std::min(range.lower, r.lower), std::max(range.upper, r.upper)) : r;
            found = true;
        }
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        if (y->scaleType() == QCPAxis::stLogarithmic) {
            // Latency spans decades (5 ms normally, 5 s in a timeout): a log axis shows both.
            bool ok = false;
            double lowest = found ? range.upper : 1;
            for (QCPGraph* g : rect->graphs())
                if (const QCPRange r = g->getValueRange(ok, QCP::sdPositive); ok)
                    lowest = std::min(lowest, r.lower);
            y->setRange(std::max(1e-3, lowest / 1.5), found && range.upper > 0 ? range.upper * 2 : 10);
        } else if (!found)
            y->setRange(0, 1);
        else
            y->setRange(std::min(0.0, range.lower), range.upper > 0 ? range.upper * 1.15 : 1);
    }
    // Firing alerts: a line through every row where it started, named in the top row. Alerts that
    // became active within a few pixels of each other share one label (a rule group evaluates its
    // alerts together, so several often start on the same second).
    std::vector<Alert> alerts = m_data->alerts;
    std::stable_sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) { return a.activeSince < b.activeSince; });
    const double near = std::max(keepRange.size(), 1e-9) * 0.03;
    for (size_t first = 0; first < alerts.size();) {
        size_t last = first + 1;
        while (last < alerts.size() && alerts[last].activeSince.toSecondsDouble() - alerts[first].activeSince.toSecondsDouble() < near)
            ++last;
        const Alert& alert = alerts[first];
        QStringList names;
        for (size_t i = first; i < last; ++i)
            names << QString::fromStdString(alerts[i].name) + QLatin1Char(' ') + QString::fromLatin1(alertStateName(alerts[i].state));
        first = last;
        for (size_t r = 0; r < m_rects.size(); ++r) {
            auto* line = new QCPItemStraightLine(m_plot);
            line->setClipAxisRect(m_rects[r]);
            line->setPen(QPen(kAlertColor, 1, Qt::DashLine));
            for (auto* p : {line->point1, line->point2}) {
                p->setAxes(m_rects[r]->axis(QCPAxis::atBottom), m_rects[r]->axis(QCPAxis::atLeft));
                p->setAxisRect(m_rects[r]);
                p->setTypeX(QCPItemPosition::ptPlotCoords);
                p->setTypeY(QCPItemPosition::ptAxisRectRatio);
            }
            line->point1->setCoords(alert.activeSince.toSecondsDouble(), 0);
            line->point2->setCoords(alert.activeSince.toSecondsDouble(), 1);
            if (r == 0) {
                auto* label = new QCPItemText(m_plot);
                label->setClipAxisRect(m_rects[r]);
                label->position->setAxes(m_rects[r]->axis(QCPAxis::atBottom), m_rects[r]->axis(QCPAxis::atLeft));
                label->position->setAxisRect(m_rects[r]);
                label->position->setTypeX(QCPItemPosition::ptPlotCoords);
                label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
                label->position->setCoords(alert.activeSince.toSecondsDouble(), 0.02);
                // Right of the line, or left of it when the line is in the right half.
                const double mid = (keepRange.lower + keepRange.upper) / 2;
                label->setPositionAlignment((alert.activeSince.toSecondsDouble() > mid ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
                label->setText(QStringLiteral("⚠ ") + names.join(QStringLiteral(", ")) + tr(" since ") + fmt::time(alert.activeSince).left(8));
                label->setFont(small);
                label->setColor(kAlertColor);
                label->setPadding(QMargins(3, 1, 3, 1));
                QColor fill = pal.color(QPalette::Base);
                fill.setAlpha(210);
                label->setBrush(fill);
            }
        }
    }
    drawMarks(pal);
    // The crosshair: one line per row on its own buffered layer, moved without a full replot.
    if (!m_plot->layer(QStringLiteral("crosshair"))) {
        m_plot->addLayer(QStringLiteral("crosshair"), m_plot->layer(QStringLiteral("overlay")), QCustomPlot::limAbove);
        m_plot->layer(QStringLiteral("crosshair"))->setMode(QCPLayer::lmBuffered);
    }
    m_crosshair.clear();
    m_crosshairLabel = nullptr;
    for (QCPAxisRect* rect : m_rects) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->setLayer(QStringLiteral("crosshair"));
        line->setClipAxisRect(rect);
        line->setPen(QPen(kFocusColor, 1));
        line->setSelectable(false);
        for (auto* p : {line->point1, line->point2}) {
            p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            p->setAxisRect(rect);
            p->setTypeX(QCPItemPosition::ptPlotCoords);
            p->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        m_crosshair.push_back(line);
    }
    // The time itself, at the foot of the bottom row, in the zone the axis shows.
    m_crosshairLabel = new QCPItemText(m_plot);
    m_crosshairLabel->setLayer(QStringLiteral("crosshair"));
    m_crosshairLabel->setClipAxisRect(m_rects.back());
    m_crosshairLabel->position->setAxes(m_rects.back()->axis(QCPAxis::atBottom), m_rects.back()->axis(QCPAxis::atLeft));
    m_crosshairLabel->position->setAxisRect(m_rects.back());
    m_crosshairLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
    m_crosshairLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    m_crosshairLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_crosshairLabel->setFont(small);
    m_crosshairLabel->setColor(Qt::white);
    m_crosshairLabel->setBrush(kFocusColor);
    m_crosshairLabel->setPadding(QMargins(3, 1, 3, 1));
    m_crosshairLabel->setSelectable(false);
    positionCrosshair();
    for (QCPAxisRect* rect : m_rects) {
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        x->setRange(keepRange);
        connect(x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange&) { onRangeChanged(); });
    }
    updateTicker();
    updateShading();
    m_plot->replot();
    m_applying = false;
    if (zoomPending)
        scheduleReload();
}

void TimelinePane::onRangeChanged()
{
    if (m_applying || m_rects.empty())
        return;
    // Keep the rows on one time axis: the wheel zooms the row under the mouse.
    m_applying = true;
    QCPAxis* source = qobject_cast<QCPAxis*>(sender());
    const QCPRange range = source ? source->range() : m_rects.back()->axis(QCPAxis::atBottom)->range();
    for (auto* rect : m_rects)
        rect->axis(QCPAxis::atBottom)->setRange(range);
    updateTicker();
    m_applying = false;
    scheduleReload();
}

void TimelinePane::updateTicker()
{
    if (m_rects.empty())
        return;
    auto ticker = m_rects.back()->axis(QCPAxis::atBottom)->ticker().dynamicCast<QCPAxisTickerDateTime>();
    if (!ticker)
        return;
    const double seconds = m_rects.back()->axis(QCPAxis::atBottom)->range().size();
    // Under ~20 s the ticks fall between whole seconds: without the fraction two ticks read alike.
    ticker->setDateTimeFormat(seconds < 20    ? QStringLiteral("HH:mm:ss.zzz")
                              : seconds < 600 ? QStringLiteral("HH:mm:ss")
                              : seconds < 2 * 86400 ? QStringLiteral("HH:mm")
                                                    : QStringLiteral("MMM d\nHH:mm"));
}

void TimelinePane::updateShading()
{
    for (int i = m_plot->itemCount() - 1; i >= 0; --i)
        if (m_plot->item(i)->property("focusShade").toBool())
            m_plot->removeItem(i);
    const TimeWindow w = m_focus->window();
    if (w == TimeWindow::all() || m_rects.empty())
        return;
    for (QCPAxisRect* rect : m_rects) {
        auto* shade = new QCPItemRect(m_plot);
        shade->setProperty("focusShade", true);
        shade->setClipAxisRect(rect);
        for (auto* p : {shade->topLeft, shade->bottomRight}) {
            p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            p->setAxisRect(rect);
            p->setTypeX(QCPItemPosition::ptPlotCoords);
            p->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        shade->topLeft->setCoords(w.from.toSecondsDouble(), 0);
        shade->bottomRight->setCoords(w.to.toSecondsDouble(), 1);
        shade->setPen(QPen(QColor(kFocusColor.red(), kFocusColor.green(), kFocusColor.blue(), 140), 1));
        shade->setBrush(QColor(kFocusColor.red(), kFocusColor.green(), kFocusColor.blue(), 36));
        shade->setSelectable(false);
    }
}

void TimelinePane::setQueryBar(QueryBar* bar)
{
    m_queryBar = bar;
    static_cast<QVBoxLayout*>(layout())->insertWidget(1, bar);
}

void TimelinePane::selectWindow(TimeWindow window)
{
    if (!window.isValid())
        return;
    m_brushing = true;
    m_focus->setWindow(window);
    m_brushing = false;
}

void TimelinePane::hoverAt(int x)
{
    if (m_rects.empty())
        return;
    QCPAxisRect* rect = m_rects.back();
    if (x < rect->left() || x > rect->right()) {
        m_focus->clearCursorTime();
        return;
    }
    m_focus->setCursorTime(Timestamp::fromSecondsDouble(rect->axis(QCPAxis::atBottom)->pixelToCoord(x)));
}

void TimelinePane::setMarks(const TimelineMarks& marks)
{
    m_marks = marks;
    if (m_data)
        rebuild();
}

void TimelinePane::refreshZone()
{
    if (m_data)
        rebuild();
}

void TimelinePane::positionCrosshair()
{
    for (QCPItemStraightLine* line : m_crosshair) {
        line->setVisible(m_crosshairTime.has_value());
        if (m_crosshairTime) {
            line->point1->setCoords(m_crosshairTime->toSecondsDouble(), 0);
            line->point2->setCoords(m_crosshairTime->toSecondsDouble(), 1);
        }
    }
    if (m_crosshairLabel) {
        m_crosshairLabel->setVisible(m_crosshairTime.has_value());
        if (m_crosshairTime) {
            m_crosshairLabel->position->setCoords(m_crosshairTime->toSecondsDouble(), 1);
            m_crosshairLabel->setText(fmt::timeWithZone(*m_crosshairTime));
        }
    }
}

void TimelinePane::updateCrosshair()
{
    if (m_crosshair.empty())
        return;
    positionCrosshair();
    // Only the crosshair's own layer is re-rendered (style.md §7).
    if (QCPLayer* layer = m_plot->layer(QStringLiteral("crosshair")))
        layer->replot();
}

void TimelinePane::drawMarks(const QPalette& pal)
{
    QFont small = font();
    small.setPointSizeF(std::max(7.0, small.pointSizeF() - 1));
    auto place = [](QCPItemPosition* p, QCPAxisRect* rect) {
        p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        p->setAxisRect(rect);
        p->setTypeX(QCPItemPosition::ptPlotCoords);
        p->setTypeY(QCPItemPosition::ptAxisRectRatio);
    };
    // The firing band: faint red through every row (the alert's own dashed line carries its name).
    for (const auto& b : m_marks.firing)
        for (QCPAxisRect* rect : m_rects) {
            auto* shade = new QCPItemRect(m_plot);
            shade->setLayer(QStringLiteral("background"));
            shade->setClipAxisRect(rect);
            place(shade->topLeft, rect);
            place(shade->bottomRight, rect);
            shade->topLeft->setCoords(b.window.from.toSecondsDouble(), 0);
            shade->bottomRight->setCoords(b.window.to.toSecondsDouble(), 1);
            shade->setPen(Qt::NoPen);
            shade->setBrush(QColor(0xd3, 0x2f, 0x2f, 28));
            shade->setSelectable(false);
        }
    // The burn-rate windows behind the alert: ribbons along the top row's foot, long window above
    // short, each labelled — full-height shading would bury the series under an hour of orange.
    if (!m_rects.empty()) {
        QCPAxisRect* rect = m_rects.front();
        const QColor burn(0xef, 0x6c, 0x00);
        for (size_t i = 0; i < m_marks.burnWindows.size(); ++i) {
            const auto& b = m_marks.burnWindows[i];
            const double top = 0.86 + 0.07 * double(i % 2), bottom = top + 0.07;
            auto* ribbon = new QCPItemRect(m_plot);
            ribbon->setClipAxisRect(rect);
            place(ribbon->topLeft, rect);
            place(ribbon->bottomRight, rect);
            ribbon->topLeft->setCoords(b.window.from.toSecondsDouble(), top);
            ribbon->bottomRight->setCoords(b.window.to.toSecondsDouble(), bottom);
            ribbon->setPen(QPen(burn, 1));
            ribbon->setBrush(QColor(burn.red(), burn.green(), burn.blue(), b.firing ? 110 : 40));
            ribbon->setSelectable(false);
            if (b.label.isEmpty())
                continue;
            auto* label = new QCPItemText(m_plot);
            label->setClipAxisRect(rect);
            place(label->position, rect);
            label->position->setCoords(b.window.to.toSecondsDouble(), top);
            label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
            label->setText(b.label);
            label->setFont(small);
            label->setColor(burn.darker(pal.color(QPalette::Base).lightness() > 128 ? 130 : 70));
            label->setPadding(QMargins(2, 0, 4, 1));
        }
    }
    const QColor deployColor(0x2e, 0x7d, 0x32);
    for (const auto& d : m_marks.deploys) {
        for (size_t r = 0; r < m_rects.size(); ++r) {
            auto* line = new QCPItemStraightLine(m_plot);
            line->setClipAxisRect(m_rects[r]);
            line->setPen(QPen(deployColor, 1, Qt::DashDotLine));
            place(line->point1, m_rects[r]);
            place(line->point2, m_rects[r]);
            line->point1->setCoords(d.time.toSecondsDouble(), 0);
            line->point2->setCoords(d.time.toSecondsDouble(), 1);
            line->setProperty("mark", QStringLiteral("deploy"));
            line->setSelectable(false);
            if (r + 1 == m_rects.size()) {
                auto* label = new QCPItemText(m_plot);
                label->setClipAxisRect(m_rects[r]);
                place(label->position, m_rects[r]);
                label->position->setCoords(d.time.toSecondsDouble(), 0.02);
                label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
                label->setText(QStringLiteral("⇪ ") + d.label);
                label->setFont(small);
                label->setColor(deployColor);
                QColor fill = pal.color(QPalette::Base);
                fill.setAlpha(200);
                label->setBrush(fill);
            }
        }
    }
}

TimeWindow TimelinePane::viewWindow() const
{
    if (m_rects.empty())
        return m_fullRange;
    return windowOf(m_rects.back()->axis(QCPAxis::atBottom)->range());
}

void TimelinePane::setViewWindow(TimeWindow window)
{
    if (!window.isValid() || m_rects.empty())
        return;
    m_rects.back()->axis(QCPAxis::atBottom)->setRange(rangeOf(window)); // syncs the rows, reloads
    m_plot->replot();
}

void TimelinePane::resetView()
{
    if (m_fullRange.isValid() && m_fullRange != TimeWindow::all())
        setViewWindow(m_fullRange);
}

void TimelinePane::setSelectedSeries(const QStringList& ids)
{
    m_selected = ids;
    rebuildSeriesMenu();
    if (m_data)
        startLoad(false);
}

int TimelinePane::lineCount() const { return m_data ? int(m_data->lines.size()) : 0; }

void TimelinePane::rebuildSeriesMenu()
{
    m_seriesMenu->clear();
    m_seriesButton->setEnabled(!m_specs.empty());
    m_seriesButton->setText(m_specs.empty() ? tr("Series") : tr("Series (%1 of %2)").arg(m_selected.size()).arg(m_specs.size()));
    QString row;
    for (const auto& spec : m_specs) {
        if (spec.row != row) {
            row = spec.row;
            m_seriesMenu->addSection(row);
        }
        QAction* action = m_seriesMenu->addAction(spec.label);
        action->setCheckable(true);
        action->setChecked(m_selected.contains(spec.id));
        action->setToolTip(spec.id);
        const QString id = spec.id;
        connect(action, &QAction::toggled, this, [this, id](bool on) {
            QStringList next = m_selected;
            if (on && !next.contains(id))
                next << id;
            if (!on)
                next.removeAll(id);
            // Rebuilding the menu from its own action's signal would delete the sender: defer.
            QTimer::singleShot(0, this, [this, next] { setSelectedSeries(next); });
        });
    }
}

std::optional<PlotExemplar> TimelinePane::exemplarAt(QPoint pos, double radius) const
{
    if (!m_data || m_rects.empty())
        return std::nullopt;
    const QStringList rows = rowsOf(*m_data);
    std::optional<PlotExemplar> best;
    double bestDistance = radius;
    for (const auto& e : m_data->exemplars) {
        const int r = int(rows.indexOf(m_data->lines[size_t(e.lineIndex)].spec.row));
        if (r < 0 || r >= int(m_rects.size()))
            continue;
        QCPAxisRect* rect = m_rects[size_t(r)];
        const double px = rect->axis(QCPAxis::atBottom)->coordToPixel(e.key);
        const double py = rect->axis(QCPAxis::atLeft)->coordToPixel(e.value);
        const double d = std::hypot(px - pos.x(), py - pos.y());
        if (d <= bestDistance) {
            bestDistance = d;
            best = e;
        }
    }
    return best;
}

std::optional<QPoint> TimelinePane::exemplarPosition(int index) const
{
    if (!m_data || index < 0 || index >= int(m_data->exemplars.size()))
        return std::nullopt;
    const auto& e = m_data->exemplars[size_t(index)];
    const QStringList rows = rowsOf(*m_data);
    const int r = int(rows.indexOf(m_data->lines[size_t(e.lineIndex)].spec.row));
    if (r < 0 || r >= int(m_rects.size()))
        return std::nullopt;
    QCPAxisRect* rect = m_rects[size_t(r)];
    return QPoint(int(std::lround(rect->axis(QCPAxis::atBottom)->coordToPixel(e.key))),
                  int(std::lround(rect->axis(QCPAxis::atLeft)->coordToPixel(e.value))));
}

void TimelinePane::onMouseRelease(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || (event->pos() - m_pressPos).manhattanLength() > 3)
        return;
    if (auto e = exemplarAt(event->pos()))
        m_focus->setTrace(e->traceId);
}

void TimelinePane::onMouseMove(QMouseEvent* event)
{
    if (event->buttons() != Qt::NoButton)
        return;
    hoverAt(event->pos().x());
    if (auto e = exemplarAt(event->pos())) {
        m_plot->setCursor(Qt::PointingHandCursor);
        QToolTip::showText(event->globalPosition().toPoint(),
                           tr("Exemplar at %1: %2\ntrace %3\nclick to open")
                               .arg(fmt::time(Timestamp::fromSecondsDouble(e->key)))
                               .arg(e->value, 0, 'g', 4)
                               .arg(QString::fromStdString(e->traceId.toHex())),
                           m_plot);
    } else {
        m_plot->unsetCursor();
        QToolTip::hideText();
    }
}

bool TimelinePane::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_plot && event->type() == QEvent::Leave)
        m_focus->clearCursorTime();
    return QWidget::eventFilter(watched, event);
}

void TimelinePane::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    // A wider plot deserves more points; a narrower one keeps what it has.
    if (m_data && pixelWidth() > m_data->maxPoints * 1.2)
        scheduleReload();
}

void TimelinePane::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_data)
        rebuild(); // colours are re-applied from the new palette (style.md §7)
}

} // namespace rootline
