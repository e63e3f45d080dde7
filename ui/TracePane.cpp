#include "TracePane.h"

#include "CacheSession.h"
#include "Focus.h"
#include "Format.h"
#include "QueryBar.h"
#include "SpanWaterfall.h"
#include "TraceListModel.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace rootline {

TracePane::TracePane(CacheSession* session, Focus* focus, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_focus(focus)
    , m_model(new TraceListModel(this))
    , m_view(new QTableView(this))
    , m_waterfall(new SpanWaterfall)
    , m_waterfallArea(new QScrollArea(this))
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

    m_waterfallArea->setWidget(m_waterfall);
    m_waterfallArea->setWidgetResizable(true);
    m_waterfallArea->setFrameShape(QFrame::NoFrame);
    m_waterfallArea->setBackgroundRole(QPalette::Base);
    m_traceTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_traceTitle->setContentsMargins(6, 3, 6, 3);
    m_traceTitle->setText(tr("<b>Spans</b>"));
    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->setSpacing(0);
    lowerLayout->addWidget(m_traceTitle);
    lowerLayout->addWidget(m_waterfallArea, 1);

    auto* upper = new QWidget(this);
    auto* upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->setSpacing(0);
    upperLayout->addLayout(bar);
    upperLayout->addWidget(m_view, 1);
    m_upperLayout = upperLayout;

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(upper);
    split->addWidget(lower);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({300, 240}); // the waterfall needs room for a dozen spans
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_errorsOnly, &QCheckBox::toggled, this, &TracePane::requery);
    connect(m_slowest, &QCheckBox::toggled, this, &TracePane::requery);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (m_selecting || !current.isValid())
            return;
        if (const TraceSummary* t = m_model->traceAt(current.row()))
            m_focus->setTrace(t->traceId);
    });
    connect(m_waterfall, &SpanWaterfall::spanClicked, m_focus, &Focus::setSpan);
    connect(m_session, &CacheSession::opened, this, [this] {
        m_loaded = false;
        requery();
    });
    connect(m_session, &CacheSession::closed, this, [this] {
        if (m_job)
            m_job->store(true);
        m_model->clear();
        m_waterfall->clear();
        m_countLabel->clear();
    });
    connect(m_focus, &Focus::windowChanged, this, &TracePane::requery);
    connect(m_focus, &Focus::traceChanged, this, &TracePane::showTrace);
    connect(m_focus, &Focus::spanChanged, m_waterfall, &SpanWaterfall::setSelectedSpan);
}

TracePane::~TracePane()
{
    if (m_job)
        m_job->store(true);
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

void TracePane::showTrace(TraceId id)
{
    selectRowOf(id);
    if (!id.isValid() || !m_session->reader()) {
        m_waterfall->clear();
        m_traceTitle->setText(tr("<b>Spans</b>"));
        return;
    }
    // One trace's spans: bounded, so read here.
    auto spans = m_session->reader()->traceSpans(id);
    if (!spans) {
        m_waterfall->clear();
        m_traceTitle->setText(tr("<b>Spans</b> — %1").arg(QString::fromStdString(spans.error().message()).toHtmlEscaped()));
        return;
    }
    const QString hex = QString::fromStdString(id.toHex());
    if (spans->empty())
        m_traceTitle->setText(tr("<b>Spans</b> — trace %1 is not in this cache").arg(hex));
    else {
        int errors = 0;
        for (const auto& s : *spans)
            errors += s.isError();
        m_traceTitle->setText(tr("<b>Spans</b> — trace <tt>%1</tt> · %2 spans%3").arg(hex).arg(spans->size())
                                  .arg(errors ? tr(" · <span style='color:#d32f2f'>%1 errors</span>").arg(errors) : QString()));
    }
    m_waterfall->setSpans(std::move(*spans));
    m_waterfall->setSelectedSpan(m_focus->spanId());
}

} // namespace rootline
