#include "InvestigationPane.h"

#include "CacheSession.h"
#include "Focus.h"
#include "Format.h"
#include "investigation/Investigation.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rootline {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// What the worker needs from the focus, copied on the UI thread (the Focus is not thread-safe).
struct Request {
    std::string service;
    TimeWindow window = TimeWindow::all();
};

// Runs on a worker with its own reader: the firing alert if there is exactly one, else the focus
// service and window; then every step, checking the cancel flag between them.
Result<InvestigationState> runInvestigation(CacheReader& reader, const std::atomic_bool& cancel, const Request& request)
{
    InvestigationOptions options;
    auto alert = chooseAlert(reader, "", nullptr);
    if (alert) {
        options.alert = *alert;
    } else if (!request.service.empty() && request.window != TimeWindow::all()) {
        options.service = request.service;
        options.window = request.window;
    } else {
        return Error{alert.error().where, alert.error().what,
                     "select a service and drag a time window on the timeline, then press Investigate"};
    }
    auto investigation = Investigation::start(reader, options);
    if (!investigation)
        return investigation.error();
    while (!investigation->finished()) {
        if (cancel.load())
            return Error{"investigation", "cancelled", {}};
        if (auto s = investigation->advance(reader); !s)
            return s.error();
    }
    return investigation->state();
}

QColor statusColor(StepStatus status)
{
    switch (status) {
    case StepStatus::Done: return QColor(0x2e, 0x7d, 0x32);
    case StepStatus::Skipped: return QColor(0x75, 0x75, 0x75);
    case StepStatus::Waiting: return QColor(0xef, 0x6c, 0x00);
    case StepStatus::Pending: break;
    }
    return {};
}

} // namespace

InvestigationPane::InvestigationPane(CacheSession* session, Focus* focus, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_focus(focus)
    , m_header(new QLabel(this))
    , m_rerun(new QPushButton(tr("Investigate"), this))
    , m_candidates(new QTreeWidget(this))
    , m_steps(new QTreeWidget(this))
{
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->setText(tr("No cache open."));
    m_rerun->setToolTip(tr("Run the investigation again: the firing alert, or the selected service and time window"));

    m_candidates->setRootIsDecorated(false);
    m_candidates->setAlternatingRowColors(true);
    m_candidates->setUniformRowHeights(true);
    m_candidates->setHeaderLabels({tr("#"), tr("Service"), tr("Operation"), tr("Kind"), tr("Score"), tr("Explanation"), tr("Evidence trace")});
    m_candidates->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_candidates->header()->setStretchLastSection(false);
    m_candidates->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_candidates->setColumnWidth(0, 28);
    m_candidates->setColumnWidth(1, 110);
    m_candidates->setColumnWidth(2, 120);
    m_candidates->setColumnWidth(3, 80);
    m_candidates->setColumnWidth(4, 48);
    m_candidates->setColumnWidth(5, 320);
    m_candidates->setColumnWidth(kTraceColumn, 110);

    m_steps->setRootIsDecorated(false);
    m_steps->setAlternatingRowColors(true);
    m_steps->setWordWrap(true);
    m_steps->setHeaderLabels({tr("Step"), tr("Status"), tr("Summary")});
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->setColumnWidth(0, 150);
    m_steps->setColumnWidth(1, 70);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_candidates);
    split->addWidget(m_steps);
    split->setChildrenCollapsible(false);

    auto* top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_rerun, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_rerun, &QPushButton::clicked, this, &InvestigationPane::investigate);
    connect(m_candidates, &QTreeWidget::itemClicked, this, &InvestigationPane::onCandidateClicked);
    connect(m_session, &CacheSession::opened, this, [this] { investigate(); });
    connect(m_session, &CacheSession::closed, this, [this] {
        if (m_cancel)
            m_cancel->store(true);
        m_running = false;
        m_state.reset();
        m_error.clear();
        m_candidates->clear();
        m_steps->clear();
        m_header->setText(tr("No cache open."));
    });
    if (m_session->isOpen())
        investigate();
}

InvestigationPane::~InvestigationPane()
{
    if (m_cancel)
        m_cancel->store(true);
}

QString InvestigationPane::errorText() const { return m_error; }

void InvestigationPane::investigate()
{
    if (m_cancel)
        m_cancel->store(true); // a newer run supersedes the one in flight
    if (!m_session->isOpen())
        return;
    Request request{m_focus->service().toStdString(), m_focus->window()};
    m_running = true;
    m_error.clear();
    m_header->setText(tr("Investigating…"));
    m_rerun->setEnabled(false);
    m_cancel = m_session->run<InvestigationState>(
        this, [request](CacheReader& reader, const std::atomic_bool& cancel) { return runInvestigation(reader, cancel, request); },
        [this](Result<InvestigationState> result) {
            m_running = false;
            m_rerun->setEnabled(true);
            if (result)
                display(*result);
            else
                showError(QString::fromStdString(result.error().message()));
            emit finished();
        });
}

void InvestigationPane::display(const InvestigationState& st)
{
    m_state = st;
    QString alert = st.alert ? tr("<b>%1</b> (%2) on <b>%3</b>").arg(qs(st.alert->name).toHtmlEscaped(), qs(st.alert->source).toHtmlEscaped(),
                                                                   qs(st.service).toHtmlEscaped())
                             : tr("<b>%1</b>").arg(qs(st.title.empty() ? st.service : st.title).toHtmlEscaped());
    m_header->setText(tr("%1<br>window %2<br>baseline %3").arg(alert, fmt::window(st.window).toHtmlEscaped(), fmt::window(st.baseline).toHtmlEscaped()));

    m_candidates->clear();
    for (const auto& c : st.candidates) {
        auto* item = new QTreeWidgetItem(m_candidates);
        item->setText(0, QString::number(c.rank));
        item->setText(1, qs(c.service));
        item->setText(2, qs(c.operation));
        item->setText(3, qs(c.kind));
        item->setText(4, QString::number(c.score, 'f', 2));
        item->setText(5, qs(c.explanation));
        item->setToolTip(5, qs(c.explanation));
        if (!c.evidence.traceIds.empty()) {
            const QString id = qs(c.evidence.traceIds.front());
            item->setText(kTraceColumn, id.left(12) + QChar(0x2026));
            item->setData(kTraceColumn, Qt::UserRole, id);
            item->setToolTip(kTraceColumn, tr("Click to open trace %1 (%2 evidence traces)").arg(id).arg(c.evidence.traceIds.size()));
            item->setForeground(kTraceColumn, palette().link());
            QFont f = item->font(kTraceColumn);
            f.setUnderline(true);
            item->setFont(kTraceColumn, f);
        }
    }
    if (st.candidates.empty()) {
        auto* item = new QTreeWidgetItem(m_candidates);
        item->setText(5, tr("No root-cause candidate stands out against the baseline."));
    }

    m_steps->clear();
    for (const auto& s : st.steps) {
        auto* item = new QTreeWidgetItem(m_steps);
        item->setText(0, QString::fromUtf8(stepTitle(s.kind)));
        item->setText(1, QString::fromUtf8(stepStatusName(s.status)));
        if (const QColor c = statusColor(s.status); c.isValid())
            item->setForeground(1, c);
        item->setText(2, qs(s.summary));
        QStringList tip{qs(s.summary)};
        for (const auto& d : s.details)
            tip << QStringLiteral("• ") + qs(d);
        item->setToolTip(2, tip.join(QLatin1Char('\n')));
    }
}

void InvestigationPane::showError(const QString& message)
{
    m_state.reset();
    m_error = message;
    m_candidates->clear();
    m_steps->clear();
    m_header->setText(tr("Cannot investigate: %1").arg(message.toHtmlEscaped()));
}

void InvestigationPane::onCandidateClicked(QTreeWidgetItem* item, int column)
{
    if (column != kTraceColumn)
        return;
    const QString id = item->data(kTraceColumn, Qt::UserRole).toString();
    if (id.isEmpty())
        return;
    if (auto trace = parseTraceId(id.toStdString()); trace)
        m_focus->setTrace(*trace);
    else
        showError(QString::fromStdString(trace.error().message()));
}

} // namespace rootline
