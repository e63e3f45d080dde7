#include "TraceView.h"

#include "FlameGraphView.h"
#include "Format.h"
#include "SpanInspector.h"
#include "SpanWaterfall.h"
#include "TraceLayout.h"
#include "TraceMinimap.h"
#include "TraceSearch.h"
#include "TraceViewState.h"

#include <QCheckBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QSplitter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace rootline {

TraceView::TraceView(QWidget* parent)
    : QWidget(parent)
    , m_state(new TraceViewState(this))
    , m_minimap(new TraceMinimap(m_state, this))
    , m_waterfall(new SpanWaterfall(m_state, this))
    , m_flame(new FlameGraphView(m_state, this))
    , m_inspector(new SpanInspector(m_state, this))
    , m_search(new QLineEdit(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_matchLabel(new QLabel(this))
    , m_skew(new QCheckBox(tr("Correct clock skew"), this))
    , m_critical(new QCheckBox(tr("Critical path"), this))
    , m_resetZoom(new QToolButton(this))
    , m_expandAll(new QToolButton(this))
    , m_searchDebounce(new QTimer(this))
    , m_views(new QSplitter(Qt::Vertical, this))
{
    m_search->setPlaceholderText(tr("Search spans: name, service or attribute"));
    m_search->setClearButtonEnabled(true);
    m_previous->setText(QStringLiteral("▲"));
    m_previous->setToolTip(tr("Previous match (Shift+F3)"));
    m_next->setText(QStringLiteral("▼"));
    m_next->setToolTip(tr("Next match (F3, Enter)"));
    m_matchLabel->setForegroundRole(QPalette::PlaceholderText);
    m_matchLabel->setMinimumWidth(m_matchLabel->fontMetrics().horizontalAdvance(QStringLiteral("8,888 / 88,888")));
    m_skew->setChecked(true);
    m_critical->setChecked(true);
    m_critical->setToolTip(tr("Mark the spans on the critical path: the chain of work that decided when the trace finished"));
    m_resetZoom->setText(tr("Whole trace"));
    m_resetZoom->setToolTip(tr("Zoom out to the whole trace (Ctrl+wheel zooms, drag pans)"));
    m_expandAll->setText(tr("Expand all"));
    m_searchDebounce->setSingleShot(true);
    m_searchDebounce->setInterval(250);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 2, 6, 2);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_previous);
    bar->addWidget(m_next);
    bar->addWidget(m_matchLabel);
    bar->addSpacing(8);
    bar->addWidget(m_critical);
    bar->addWidget(m_skew);
    bar->addWidget(m_expandAll);
    bar->addWidget(m_resetZoom);

    m_views->addWidget(m_waterfall);
    m_views->addWidget(m_flame);
    m_views->setStretchFactor(0, 3);
    m_views->setStretchFactor(1, 2);
    m_views->setChildrenCollapsible(false);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->setSpacing(2);
    leftLayout->addWidget(m_minimap);
    leftLayout->addWidget(m_views, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_inspector);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 0);
    split->setCollapsible(0, false);
    split->setCollapsible(1, true); // the inspector can be dragged away for a wider view
    m_inspector->setMinimumWidth(200);
    split->setSizes({800, 260});

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_search, &QLineEdit::textChanged, m_searchDebounce, qOverload<>(&QTimer::start));
    connect(m_searchDebounce, &QTimer::timeout, this, [this] { search(m_search->text()); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        if (m_searchDebounce->isActive() || m_search->text() != m_state->searchText())
            search(m_search->text()); // then the first match is selected when it arrives
        else
            m_state->nextMatch();
    });
    connect(m_next, &QToolButton::clicked, m_state, &TraceViewState::nextMatch);
    connect(m_previous, &QToolButton::clicked, m_state, &TraceViewState::previousMatch);
    auto* f3 = new QShortcut(QKeySequence(Qt::Key_F3), this);
    f3->setContext(Qt::WidgetWithChildrenShortcut);
    connect(f3, &QShortcut::activated, m_state, &TraceViewState::nextMatch);
    auto* shiftF3 = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), this);
    shiftF3->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shiftF3, &QShortcut::activated, m_state, &TraceViewState::previousMatch);
    connect(m_skew, &QCheckBox::toggled, m_state, &TraceViewState::setSkewCorrected);
    connect(m_critical, &QCheckBox::toggled, m_state, &TraceViewState::setShowCriticalPath);
    connect(m_resetZoom, &QToolButton::clicked, m_state, &TraceViewState::resetZoom);
    connect(m_expandAll, &QToolButton::clicked, m_state, &TraceViewState::expandAll);
    connect(m_state, &TraceViewState::searchChanged, this, &TraceView::updateSearchLabel);
    connect(m_state, &TraceViewState::layoutChanged, this, [this] {
        updateSkewControl();
        updateSearchLabel();
    });
    connect(m_waterfall, &SpanWaterfall::hoveredTime, this, &TraceView::hoveredTime);
    connect(m_flame, &FlameGraphView::hoveredTime, this, &TraceView::hoveredTime);
    connect(m_inspector, &SpanInspector::showLogsOfTrace, this, &TraceView::showLogsOfTrace);
    connect(m_inspector, &SpanInspector::showLogsOfSpan, this, [this](TraceId trace, SpanId) { emit showLogsOfTrace(trace); });
    // Any selection — a click in either view, the keyboard, a search match, the inspector — focuses
    // the span (the views' own spanClicked is for standalone use).
    connect(m_state, &TraceViewState::selectionChanged, this, [this](int node) {
        if (node >= 0 && m_state->hasTrace())
            if (const Span* s = m_state->layout()->span(node))
                emit spanClicked(s->traceId, s->spanId);
    });
    updateSkewControl();
    updateSearchLabel();
}

TraceView::~TraceView()
{
    if (m_searchCancel)
        m_searchCancel->store(true);
}

void TraceView::setTraceLayout(std::shared_ptr<const TraceLayout> layout)
{
    if (m_searchCancel)
        m_searchCancel->store(true);
    ++m_searchGeneration;
    m_state->setLayout(std::move(layout));
    if (!m_search->text().trimmed().isEmpty())
        search(m_search->text()); // the search carries over to the next trace
}

void TraceView::clear() { setTraceLayout(nullptr); }

void TraceView::setSelectedSpan(SpanId id) { m_waterfall->setSelectedSpan(id); }

void TraceView::setCursorTime(Timestamp t) { m_state->setCursorTime(t); }

void TraceView::search(const QString& text)
{
    m_searchDebounce->stop();
    if (m_searchCancel)
        m_searchCancel->store(true);
    const quint64 generation = ++m_searchGeneration;
    auto layout = m_state->layoutPtr();
    if (!layout || text.trimmed().isEmpty()) {
        m_state->setSearchResults(text, {});
        emit searchFinished();
        return;
    }
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_searchCancel = cancel;
    // The watcher is a child of this view: when the view goes, so does the delivery. The worker
    // holds the layout (shared, immutable) and the cancel flag, nothing of the view.
    auto* watcher = new QFutureWatcher<std::vector<int32_t>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, text, cancel] {
        watcher->deleteLater();
        if (generation != m_searchGeneration || cancel->load())
            return;
        const bool first = text != m_state->searchText();
        m_state->setSearchResults(text, watcher->result());
        if (first && !m_state->matches().empty())
            m_state->nextMatch();
        emit searchFinished();
    });
    watcher->setFuture(QtConcurrent::run([layout, text, cancel] { return traceSearch::find(*layout, text, cancel.get()); }));
}

void TraceView::updateSearchLabel()
{
    const auto& m = m_state->matches();
    const bool searching = !m_state->searchText().trimmed().isEmpty();
    m_previous->setEnabled(!m.empty());
    m_next->setEnabled(!m.empty());
    if (!searching)
        m_matchLabel->clear();
    else if (m.empty())
        m_matchLabel->setText(tr("no match"));
    else if (m_state->currentMatch() < 0)
        m_matchLabel->setText(tr("%1 matches").arg(fmt::count(qint64(m.size()))));
    else
        m_matchLabel->setText(tr("%1 / %2").arg(m_state->currentMatch() + 1).arg(fmt::count(qint64(m.size()))));
}

void TraceView::updateSkewControl()
{
    const TraceLayout* L = m_state->layout();
    const bool skewed = L && !L->skew().empty();
    m_skew->setEnabled(skewed);
    if (!skewed) {
        m_skew->setToolTip(tr("No clock skew found in this trace: every child span lies within its parent"));
        return;
    }
    QString tip = tr("Clock corrections estimated from parent/child timing (reference: %1):").arg(QString::fromStdString(L->skew().reference));
    for (const auto& [service, offset] : L->skew().offsets)
        tip += QStringLiteral("\n  ") + QString::fromStdString(service) + QStringLiteral(": −") + fmt::duration(offset);
    m_skew->setToolTip(tip);
    m_skew->setText(tr("Correct clock skew (%1)").arg(L->skew().offsets.size()));
}

} // namespace rootline
