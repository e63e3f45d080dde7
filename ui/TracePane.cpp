#include "TracePane.h"

#include "CacheSession.h"
#include "Focus.h"
#include "Format.h"
#include "QueryBar.h"
#include "SpanWaterfall.h"
#include "TraceListModel.h"
#include "trace/SpanInspector.h"
#include "trace/TraceCompareView.h"
#include "trace/TraceComparison.h"
#include "trace/TraceLayout.h"
#include "trace/TraceView.h"
#include "trace/TraceViewState.h"

#include <QCheckBox>
#include <QDialog>
#include <QMenu>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>

#include <algorithm>
#include <QTableView>
#include <QVBoxLayout>

namespace rootline {

TracePane::TracePane(CacheSession* session, Focus* focus, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_focus(focus)
    , m_model(new TraceListModel(this))
    , m_view(new QTableView(this))
    , m_traceView(new TraceView(this))
    , m_split(new QSplitter(Qt::Vertical, this))
    , m_traceTitle(new QLabel(this))
    , m_errorsOnly(new QCheckBox(tr("Errors only"), this))
    , m_slowest(new QCheckBox(tr("Slowest first"), this))
    , m_countLabel(new QLabel(this))
{
    auto* title = new QLabel(tr("<b>Traces</b>"), this);
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);
    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 2);
    bar->addWidget(title);
    bar->addSpacing(6);
    bar->addWidget(m_errorsOnly);
    bar->addWidget(m_slowest);
    bar->addStretch();
    bar->addWidget(m_countLabel);

    m_view->setModel(m_model);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setSortingEnabled(false);
    m_view->verticalHeader()->hide();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_view->verticalHeader()->setDefaultSectionSize(QFontMetrics(mono).height() + 4);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    QHeaderView* header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(TraceListModel::OperationColumn, QHeaderView::Stretch);
    const int digit = QFontMetrics(mono).horizontalAdvance(QLatin1Char('0'));
    m_view->setColumnWidth(TraceListModel::StartColumn, digit * 24 + 12);
    m_view->setColumnWidth(TraceListModel::ServiceColumn, 86);
    m_view->setColumnWidth(TraceListModel::DurationColumn, 74);
    m_view->setColumnWidth(TraceListModel::SpansColumn, 48);
    m_view->setColumnWidth(TraceListModel::ErrorsColumn, 50);
    m_view->setColumnHidden(TraceListModel::TraceColumn, true); // in the tool tip and the waterfall title

    m_traceTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_traceTitle->setContentsMargins(6, 3, 6, 3);
    m_traceTitle->setText(tr("<b>Spans</b>"));
    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->setSpacing(0);
    lowerLayout->addWidget(m_traceTitle);
    lowerLayout->addWidget(m_traceView, 1);

    auto* upper = new QWidget(this);
    auto* upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->setSpacing(0);
    upperLayout->addLayout(bar);
    upperLayout->addWidget(m_view, 1);
    m_upperLayout = upperLayout;

    // The trace view gets most of the height (and all the growth); the list can be dragged
    // smaller, down to nothing, while a trace is studied.
    m_split->addWidget(upper);
    m_split->addWidget(lower);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 1);
    setListRoom(false);
    m_split->setCollapsible(0, true);
    m_split->setCollapsible(1, false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_split);

    // Comparison (issue 10): another trace of the list against the one shown.
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const TraceSummary* t = m_model->traceAt(m_view->indexAt(pos).row());
        if (!t || !m_shownTrace.isValid() || t->traceId == m_shownTrace)
            return;
        QMenu menu(this);
        const TraceId other = t->traceId;
        menu.addAction(tr("Compare with the trace shown below"), this, [this, other] { compareTraces(m_shownTrace, other); });
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    // The filter is part of the focus (the guided walk's Traces step sets it, Back restores it).
    connect(m_errorsOnly, &QCheckBox::toggled, this, [this](bool on) {
        if (on != m_focus->state().tracesErrorsOnly)
            m_focus->setTraceErrorsOnly(on);
        requery();
    });
    connect(m_focus, &Focus::traceFilterChanged, this, [this](bool on) { m_errorsOnly->setChecked(on); });
    connect(m_slowest, &QCheckBox::toggled, this, &TracePane::requery);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (m_selecting || !current.isValid())
            return;
        if (const TraceSummary* t = m_model->traceAt(current.row()))
            m_focus->setTrace(t->traceId);
    });
    connect(m_traceView, &TraceView::spanClicked, this, [this](TraceId trace, SpanId span) {
        // Selections that come from the focus itself (a guided step, Back) must not write it again.
        if (m_focus->traceId() != trace || m_focus->spanId() != span)
            m_focus->setSpan(trace, span);
    });
    connect(m_traceView, &TraceView::hoveredTime, this, &TracePane::hoveredTime);
    connect(m_traceView, &TraceView::showLogsOfTrace, this, [this](TraceId id) {
        // Through the focus hub: the log pane follows the trace with its "trace only" filter.
        m_focus->setTrace(id);
        m_focus->setLogFilter(m_focus->state().logMinSeverity, true);
        emit showLogsOfTrace(id);
    });
    connect(m_session, &CacheSession::opened, this, [this] {
        m_loaded = false;
        requery();
    });
    connect(m_session, &CacheSession::closed, this, [this] {
        if (m_job)
            m_job->store(true);
        if (m_traceJob)
            m_traceJob->store(true);
        m_traceJob.reset();
        m_model->clear();
        m_traceView->clear();
        m_shownTrace = {};
        m_countLabel->clear();
    });
    connect(m_focus, &Focus::windowChanged, this, &TracePane::requery);
    connect(m_focus, &Focus::traceChanged, this, &TracePane::showTrace);
    connect(m_focus, &Focus::spanChanged, this, [this](SpanId id) {
        m_traceView->setSelectedSpan(id);
        if (m_shownTrace.isValid() && id.isValid())
            countLogs(m_shownTrace, id);
    });
}

SpanWaterfall* TracePane::waterfall() const { return m_traceView->waterfall(); }

void TracePane::setCursorTime(Timestamp t) { m_traceView->setCursorTime(t); }

TracePane::~TracePane()
{
    for (auto* job : {&m_job, &m_traceJob, &m_countJob})
        if (*job)
            (*job)->store(true);
}

void TracePane::setQueryBar(QueryBar* bar)
{
    m_queryBar = bar;
    m_upperLayout->insertWidget(1, bar);
}

void TracePane::setErrorsOnly(bool on) { m_errorsOnly->setChecked(on); }

void TracePane::setSlowestFirst(bool on) { m_slowest->setChecked(on); }

void TracePane::requery()
{
    if (!m_session->isOpen())
        return;
    if (m_job)
        m_job->store(true);
    m_query.window = m_focus->window();
    m_query.errorsOnly = m_errorsOnly->isChecked();
    m_query.order = m_slowest->isChecked() ? TraceQuery::Order::Slowest : TraceQuery::Order::StartTime;
    m_countLabel->setText(tr("loading…"));
    const TraceQuery q = m_query;
    m_job = m_session->run<std::vector<TraceSummary>>(
        this, [q](CacheReader& reader, const std::atomic_bool&) { return reader.traces(q); },
        [this, q](Result<std::vector<TraceSummary>> traces) {
            if (!traces) {
                m_countLabel->setText(tr("error"));
                m_countLabel->setToolTip(QString::fromStdString(traces.error().message()));
                return;
            }
            const size_t n = traces->size();
            m_model->setTraces(std::move(*traces));
            m_countLabel->setToolTip({});
            m_countLabel->setText(n >= size_t(q.limit) ? tr("first %1 traces").arg(q.limit) : tr("%1 traces").arg(fmt::count(qint64(n))));
            selectRowOf(m_focus->traceId());
            if (!m_loaded) {
                m_loaded = true;
                emit loaded();
            }
        });
}

void TracePane::selectRowOf(TraceId id)
{
    m_selecting = true;
    const int row = id.isValid() ? m_model->rowOf(id) : -1;
    if (row >= 0) {
        m_view->selectionModel()->setCurrentIndex(m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        m_view->scrollTo(m_model->index(row, 0));
    } else {
        m_view->selectionModel()->clearSelection();
    }
    m_selecting = false;
}

// With no trace open the list gets about ten rows; opening one hands the trace view most of the
// height (a few rows of list stay, to pick another). Only on those two moments, so a splitter the
// user dragged stays where they put it while they move between traces.
void TracePane::setListRoom(bool traceOpen)
{
    const int total = std::max(m_split->height(), 800);
    const int list = traceOpen ? 130 : 250;
    m_split->setSizes({list, total - list});
}

void TracePane::showTrace(TraceId id)
{
    selectRowOf(id);
    if (id == m_shownTrace && id.isValid() && !m_traceJob)
        return; // already shown (Focus re-emits the trace with a new span)
    if (m_traceJob)
        m_traceJob->store(true);
    m_traceJob.reset();
    if (m_countJob)
        m_countJob->store(true);
    m_countJob.reset();
    m_traceLogCount.reset();
    if (!id.isValid() || !m_session->isOpen()) {
        if (m_shownTrace.isValid())
            setListRoom(false);
        m_shownTrace = {};
        m_traceView->clear();
        m_traceTitle->setText(tr("<b>Spans</b>"));
        return;
    }
    if (!m_shownTrace.isValid())
        setListRoom(true);
    const QString hex = QString::fromStdString(id.toHex());
    m_traceTitle->setText(tr("<b>Spans</b> — trace <tt>%1</tt> · reading…").arg(hex));
    // One trace can hold a million spans: read, lay out and count its logs on a worker, then
    // swap the finished layout in (style.md §2).
    struct Loaded {
        std::shared_ptr<const TraceLayout> layout;
        std::optional<qint64> logs;
    };
    auto flag = m_session->run<Loaded>(
        this,
        [id](CacheReader& reader, const std::atomic_bool& cancel) -> Result<Loaded> {
            auto spans = reader.traceSpans(id);
            if (!spans)
                return spans.error();
            Loaded out;
            out.layout = TraceLayout::build(std::move(*spans), &cancel);
            LogQuery q;
            q.traceId = id;
            if (auto n = reader.countLogs(q))
                out.logs = *n;
            return out;
        },
        [this, id, hex](Result<Loaded> loaded) {
            m_traceJob.reset();
            if (!loaded) {
                m_shownTrace = {};
                m_traceView->clear();
                m_traceTitle->setText(tr("<b>Spans</b> — %1").arg(QString::fromStdString(loaded.error().message()).toHtmlEscaped()));
                emit traceShown(id);
                return;
            }
            const TraceLayout& L = *loaded->layout;
            m_shownTrace = id;
            m_traceLogCount = loaded->logs;
            if (L.empty()) {
                m_traceTitle->setText(tr("<b>Spans</b> — trace %1 is not in this cache").arg(hex));
            } else {
                QString extra;
                if (L.errorCount())
                    extra += tr(" · <span style='color:#d32f2f'>%1 errors</span>").arg(L.errorCount());
                if (L.orphanCount())
                    extra += tr(" · %1 orphans").arg(L.orphanCount());
                if (!L.skew().empty())
                    extra += tr(" · clock skew in %1 services").arg(L.skew().offsets.size());
                m_traceTitle->setText(tr("<b>Spans</b> — trace <tt>%1</tt> · %2 spans · %3%4")
                                          .arg(hex, fmt::count(L.spanCount()), fmt::duration(L.bounds().length()), extra));
            }
            m_traceView->setTraceLayout(std::move(loaded->layout));
            m_traceView->inspector()->setLogCounts(m_traceLogCount, std::nullopt);
            if (m_focus->spanId().isValid()) {
                m_traceView->setSelectedSpan(m_focus->spanId());
                countLogs(id, m_focus->spanId());
            }
            emit traceShown(id);
        });
    m_traceJob = flag;
}

TraceCompareView* TracePane::compareView() const { return m_compareView.data(); }

void TracePane::compareTraces(TraceId a, TraceId b)
{
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Compare traces"));
    auto* view = new TraceCompareView(dialog);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(view);
    dialog->resize(1100, 750);
    dialog->show();
    m_compareView = view;
    // Both traces read and laid out on a worker; the result is dropped if the dialog was closed.
    m_session->run<TraceComparison>(
        view,
        [a, b](CacheReader& reader, const std::atomic_bool& cancel) -> Result<TraceComparison> {
            auto spansA = reader.traceSpans(a);
            if (!spansA)
                return spansA.error();
            auto spansB = reader.traceSpans(b);
            if (!spansB)
                return spansB.error();
            auto la = TraceLayout::build(std::move(*spansA), &cancel);
            auto lb = TraceLayout::build(std::move(*spansB), &cancel);
            return TraceComparison::compare(*la, *lb);
        },
        [view, a, b](Result<TraceComparison> c) {
            if (c)
                view->setComparison(std::move(*c), fmt::shortTraceId(a), fmt::shortTraceId(b));
        });
}

void TracePane::countLogs(TraceId trace, SpanId span)
{
    if (m_countJob)
        m_countJob->store(true);
    // The span's logs among the trace's first lines: a bounded read, so the count may be a floor.
    constexpr int kLimit = 20'000;
    struct Counted {
        qint64 span = 0;
        bool capped = false;
    };
    m_countJob = m_session->run<Counted>(
        this,
        [trace, span](CacheReader& reader, const std::atomic_bool&) -> Result<Counted> {
            LogQuery q;
            q.traceId = trace;
            auto page = reader.logPage(q, std::nullopt, kLimit);
            if (!page)
                return page.error();
            Counted c;
            for (const auto& log : *page)
                c.span += log.spanId && *log.spanId == span;
            c.capped = int(page->size()) >= kLimit;
            return c;
        },
        [this, trace](Result<Counted> counted) {
            m_countJob.reset();
            if (counted && trace == m_shownTrace)
                m_traceView->inspector()->setLogCounts(m_traceLogCount, counted->span, counted->capped);
        });
}

} // namespace rootline
