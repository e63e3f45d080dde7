#include "InvestigationPane.h"

#include "CacheSession.h"
#include "Focus.h"
#include "Format.h"
#include "investigation/Investigation.h"
#include "investigation/InvestigationReport.h"
#include "cache/CacheWriter.h"

#include <QAction>
#include <QFile>
#include <QPointer>
#include <QThreadPool>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <tuple>

namespace rootline {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// What the worker needs from the focus, copied on the UI thread (the Focus is not thread-safe).
struct Request {
    std::optional<Alert> alert; // chosen by the user; else the one firing alert
    std::string service;
    TimeWindow window = TimeWindow::all();
};

// What a run gives back: the finished investigation, or why it could not start without the user
// (no firing alert and no window, or several alerts firing). The latter is a normal state of the
// pane, not a failed job: the status bar's error line stays for real failures.
struct Outcome {
    std::optional<Investigation> investigation;
    int64_t savedId = 0; // the `investigations` row whose pins and notes were carried over
    std::optional<Error> needsChoice;
};

bool sameSubject(const InvestigationState& a, const InvestigationState& b)
{
    if (a.alert.has_value() != b.alert.has_value())
        return false;
    if (a.alert)
        return a.alert->name == b.alert->name && a.alert->source == b.alert->source && a.alert->labels == b.alert->labels;
    return a.service == b.service && a.window == b.window;
}

// The pins and notes the user saved on this alert before (the newest saved investigation of the
// same alert, or of the same service and window) are carried into the new run; returns that row,
// which later saves update. A saved state that no longer parses is passed over.
int64_t restorePins(CacheReader& reader, Investigation& investigation)
{
    auto saved = reader.savedInvestigations();
    if (!saved)
        return 0;
    for (const auto& row : *saved) {
        auto old = Investigation::fromJson(row.stateJson);
        if (!old || !sameSubject(old->state(), investigation.state()))
            continue;
        for (int k = 0; k < kStepCount; ++k) {
            const auto& step = old->state().steps[size_t(k)];
            for (const auto& ref : step.pinned)
                investigation.pin(StepKind(k), ref);
            for (const auto& note : step.notes)
                investigation.addNote(StepKind(k), note.text, note.at);
        }
        return row.id;
    }
    return 0;
}

// Runs on a worker with its own reader: the chosen alert, else the firing alert if there is exactly
// one, else the focus service and window; then every step, checking the cancel flag between them.
Result<Outcome> runInvestigation(CacheReader& reader, const std::atomic_bool& cancel, const Request& request)
{
    InvestigationOptions options;
    if (request.alert) {
        options.alert = *request.alert;
    } else if (auto alert = chooseAlert(reader, "", nullptr); alert) {
        options.alert = *alert;
    } else if (!request.service.empty() && request.window != TimeWindow::all()) {
        options.service = request.service;
        options.window = request.window;
    } else {
        Outcome o;
        o.needsChoice = Error{alert.error().where, alert.error().what,
                              "choose an alert above, or select a service and drag a time window on the timeline, then press Investigate"};
        return o;
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
    Outcome o;
    o.savedId = restorePins(reader, *investigation);
    o.investigation = std::move(*investigation);
    return o;
}

// Firing first, then pending, then the rest; the most recent first within a state.
int stateRank(AlertState s)
{
    switch (s) {
    case AlertState::Firing: return 0;
    case AlertState::Pending: return 1;
    case AlertState::Resolved: return 2;
    case AlertState::Inactive: return 3;
    }
    return 4;
}

bool sameAlert(const Alert& a, const Alert& b)
{
    return a.name == b.name && a.source == b.source && a.labels == b.labels;
}

QString alertText(const Alert& a)
{
    QStringList labels;
    for (const auto& [k, v] : a.labels)
        if (k != "alertname")
            labels << qs(k + "=" + v);
    QString text = QStringLiteral("%1 %2").arg(QString::fromLatin1(alertStateName(a.state)), qs(a.name));
    if (!labels.isEmpty())
        text += QStringLiteral(" {%1}").arg(labels.join(QStringLiteral(", ")));
    if (a.activeSince != Timestamp())
        text += QObject::tr(" since %1").arg(fmt::time(a.activeSince));
    return text;
}

QColor alertColor(AlertState s)
{
    switch (s) {
    case AlertState::Firing: return QColor(0xd3, 0x2f, 0x2f);
    case AlertState::Pending: return QColor(0xef, 0x6c, 0x00);
    default: return QColor(0x75, 0x75, 0x75);
    }
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
    , m_alertBox(new QComboBox(this))
    , m_fetchAlerts(new QPushButton(tr("Fetch alerts"), this))
    , m_fetchStatus(new QLabel(this))
    , m_candidates(new QTreeWidget(this))
    , m_steps(new QTreeWidget(this))
    , m_detail(new QTextBrowser(this))
    , m_savePool(new QThreadPool(this))
    , m_nextAction(new QAction(tr("Next step"), this))
    , m_previousAction(new QAction(tr("Previous step"), this))
    , m_nextButton(new QPushButton(tr("Next step ▸"), this))
    , m_previousButton(new QPushButton(tr("◂ Previous"), this))
{
    m_savePool->setMaxThreadCount(1);
    m_nextAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    m_nextAction->setToolTip(tr("Move every pane to the next step's evidence"));
    m_previousAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    m_previousAction->setToolTip(tr("Move every pane to the previous step's evidence"));
    connect(m_nextAction, &QAction::triggered, this, &InvestigationPane::nextStep);
    connect(m_previousAction, &QAction::triggered, this, &InvestigationPane::previousStep);
    connect(m_nextButton, &QPushButton::clicked, this, &InvestigationPane::nextStep);
    connect(m_previousButton, &QPushButton::clicked, this, &InvestigationPane::previousStep);
    m_nextButton->setToolTip(tr("Move every pane to the next step's evidence (Alt+Down)"));
    m_previousButton->setToolTip(tr("Move every pane to the previous step's evidence (Alt+Up)"));
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Always rich text: its messages are escaped for HTML, and Qt's guess would show a message
    // without tags as plain text, entities and all ("&quot;").
    m_header->setTextFormat(Qt::RichText);
    m_header->setText(tr("No cache open."));
    m_rerun->setToolTip(tr("Run the investigation again: the firing alert, or the selected service and time window"));

    m_candidates->setRootIsDecorated(false);
    m_candidates->setAlternatingRowColors(true);
    m_candidates->setUniformRowHeights(true);
    m_candidates->setHeaderLabels({tr("#"), tr("Service"), tr("Operation"), tr("Kind"), tr("Score"), tr("Evidence trace")});
    m_candidates->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_candidates->setColumnWidth(0, 28);
    m_candidates->setColumnWidth(1, 120);
    m_candidates->setColumnWidth(2, 170);
    m_candidates->setColumnWidth(3, 95);
    m_candidates->setColumnWidth(4, 48);

    m_steps->setRootIsDecorated(false);
    m_steps->setAlternatingRowColors(true);
    m_steps->setWordWrap(true);
    m_steps->setHeaderLabels({tr("Step"), tr("Status"), tr("Summary")});
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->setUniformRowHeights(true);
    m_steps->setColumnWidth(0, 175);
    m_steps->setColumnWidth(1, 70);
    m_detail->setOpenLinks(false);
    m_detail->setReadOnly(true);
    m_detail->setPlaceholderText(tr("Select a candidate or a step to read its explanation."));

    auto* stepsBox = new QWidget(this);
    auto* stepsLayout = new QVBoxLayout(stepsBox);
    stepsLayout->setContentsMargins(0, 0, 0, 0);
    stepsLayout->setSpacing(2);
    auto* walk = new QHBoxLayout;
    auto* walkLabel = new QLabel(tr("<b>Guided walk</b> — choose a step: every pane follows"), this);
    walk->addWidget(walkLabel, 1);
    walk->addWidget(m_previousButton);
    walk->addWidget(m_nextButton);
    stepsLayout->addLayout(walk);
    stepsLayout->addWidget(m_steps, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_candidates);
    split->addWidget(stepsBox);
    split->addWidget(m_detail);
    split->setChildrenCollapsible(false);
    // Candidates are few (the ranker keeps ten at most), steps are eight, the explanation wraps.
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 2);
    split->setSizes({95, 190, 165});

    m_alertBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_alertBox->setMinimumContentsLength(20);
    m_alertBox->setToolTip(tr("The cache's alerts: choose one to investigate it"));
    m_fetchAlerts->setToolTip(tr("Pull the firing and pending alerts of the data sources that serve them into the cache"));
    m_fetchStatus->setWordWrap(false);
    m_fetchStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fetchStatus->hide();

    auto* alerts = new QHBoxLayout;
    alerts->addWidget(new QLabel(tr("Alert"), this));
    alerts->addWidget(m_alertBox, 1);
    alerts->addWidget(m_fetchAlerts);
    auto* top = new QHBoxLayout;
    top->addWidget(m_header, 1);
    top->addWidget(m_rerun, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(alerts);
    layout->addWidget(m_fetchStatus);
    layout->addLayout(top);
    layout->addWidget(split, 1);

    connect(m_rerun, &QPushButton::clicked, this, &InvestigationPane::investigate);
    connect(m_alertBox, &QComboBox::activated, this, [this](int item) { investigateAlert(item - 1); });
    connect(m_fetchAlerts, &QPushButton::clicked, this, [this] {
        if (m_fetching)
            emit cancelFetchRequested();
        else
            emit fetchAlertsRequested();
    });
    connect(m_candidates, &QTreeWidget::itemClicked, this, &InvestigationPane::onCandidateClicked);
    connect(m_candidates, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item)
            showCandidate(m_candidates->indexOfTopLevelItem(item));
    });
    connect(m_steps, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (!item)
            return;
        const int index = m_steps->indexOfTopLevelItem(item);
        showStep(index);
        if (!m_walking)
            goToStep(index); // a click on a step walks there
    });
    connect(m_detail, &QTextBrowser::anchorClicked, this, &InvestigationPane::openLink);
    connect(m_session, &CacheSession::opened, this, [this] {
        reloadAlerts();
        investigate();
    });
    connect(m_session, &CacheSession::closed, this, [this] {
        if (m_cancel)
            m_cancel->store(true);
        m_running = false;
        m_state.reset();
        m_investigation.reset();
        m_stepIndex = -1;
        updateStepActions();
        m_error.clear();
        m_candidates->clear();
        m_steps->clear();
        m_detail->clear();
        m_header->setText(tr("No cache open."));
        reloadAlerts();
    });
    reloadAlerts();
    updateStepActions();
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
    Request request{m_chosen, m_focus->service().toStdString(), m_focus->window()};
    m_running = true;
    m_error.clear();
    m_header->setText(tr("Investigating…"));
    m_rerun->setEnabled(false);
    m_cancel = m_session->run<Outcome>(
        this, [request](CacheReader& reader, const std::atomic_bool& cancel) { return runInvestigation(reader, cancel, request); },
        [this](Result<Outcome> result) {
            m_running = false;
            m_rerun->setEnabled(true);
            if (!result)
                showError(QString::fromStdString(result.error().message()));
            else if (result->investigation) {
                m_investigation = std::move(result->investigation);
                display(m_investigation->state());
                m_savedId->store(result->savedId);
            }
            else
                showError(QString::fromStdString(result->needsChoice->what + " (" + result->needsChoice->hint + ")"));
            emit finished();
        });
}

void InvestigationPane::reloadAlerts()
{
    // A bounded read on the session's reader: a cache holds tens of alerts, not millions.
    m_alerts.clear();
    if (CacheReader* reader = m_session->reader()) {
        if (auto alerts = reader->alerts())
            m_alerts = std::move(*alerts);
        else
            setFetchStatus(tr("Cannot read the alerts: %1").arg(qs(alerts.error().message())), QStringLiteral("#d32f2f"), {});
    }
    std::stable_sort(m_alerts.begin(), m_alerts.end(), [](const Alert& a, const Alert& b) {
        return std::make_tuple(stateRank(a.state), -a.activeSince.nanos(), a.name) < std::make_tuple(stateRank(b.state), -b.activeSince.nanos(), b.name);
    });
    // The chosen alert stays chosen across a reload (a fetch closes and re-opens the cache) while
    // the re-opened cache still holds it. With no cache open there is nothing to check it against
    // (between the close and the open of a reload): keep it.
    int chosen = -1;
    if (m_chosen && m_session->reader()) {
        for (size_t i = 0; i < m_alerts.size(); ++i)
            if (sameAlert(m_alerts[i], *m_chosen)) {
                chosen = int(i);
                m_chosen = m_alerts[i]; // its state may have moved on
            }
        if (chosen < 0)
            m_chosen.reset();
    }
    int firing = 0;
    for (const auto& a : m_alerts)
        firing += a.state == AlertState::Firing ? 1 : 0;
    const QSignalBlocker block(m_alertBox);
    m_alertBox->clear();
    m_alertBox->addItem(m_alerts.empty() ? tr("No alerts in the cache — automatic: the selected service and window")
                                         : tr("Automatic (%n firing) — choose an alert to investigate it", nullptr, firing));
    for (const auto& a : m_alerts) {
        m_alertBox->addItem(alertText(a));
        const int item = m_alertBox->count() - 1;
        m_alertBox->setItemData(item, alertColor(a.state), Qt::ForegroundRole);
        QStringList tip{tr("%1 (%2), from %3").arg(qs(a.name), QString::fromLatin1(alertStateName(a.state)), qs(a.source))};
        for (const auto& [k, v] : a.annotations)
            tip << qs(k + ": " + v);
        m_alertBox->setItemData(item, tip.join(QLatin1Char('\n')), Qt::ToolTipRole);
    }
    m_alertBox->setCurrentIndex(chosen + 1);
}

void InvestigationPane::investigateAlert(int index)
{
    if (index >= 0 && index < int(m_alerts.size()))
        m_chosen = m_alerts[size_t(index)];
    else
        m_chosen.reset();
    m_focusOnResult = m_chosen.has_value();
    {
        const QSignalBlocker block(m_alertBox);
        m_alertBox->setCurrentIndex(m_chosen ? index + 1 : 0);
    }
    investigate();
}

void InvestigationPane::setAlertFetching(bool fetching)
{
    m_fetching = fetching;
    m_fetchAlerts->setText(fetching ? tr("Cancel") : tr("Fetch alerts"));
    m_fetchAlerts->setEnabled(fetching || m_fetchEnabled);
    if (fetching)
        setFetchStatus(tr("Fetching alerts…"), {}, {});
}

void InvestigationPane::setAlertFetchEnabled(bool enabled, const QString& why)
{
    m_fetchEnabled = enabled;
    m_fetchAlerts->setEnabled(m_fetching || enabled);
    m_fetchAlerts->setToolTip(why.isEmpty() ? tr("Pull the firing and pending alerts of the data sources that serve them into the cache") : why);
}

void InvestigationPane::setAlertFetchProgress(const QString& text)
{
    if (m_fetching)
        setFetchStatus(tr("Fetching alerts: %1").arg(text), {}, {});
}

void InvestigationPane::showAlertFetchResult(const FetchMessage& message)
{
    QString color;
    switch (message.level) {
    case FetchMessage::Level::Complete: color = QStringLiteral("#2e7d32"); break;
    case FetchMessage::Level::Partial:
    case FetchMessage::Level::Cancelled: color = QStringLiteral("#ef6c00"); break;
    case FetchMessage::Level::Failed: color = QStringLiteral("#d32f2f"); break;
    }
    setFetchStatus(tr("Alerts: %1").arg(message.text), color, message.details);
}

QString InvestigationPane::alertFetchStatus() const
{
    return m_fetchStatus->isHidden() ? QString() : m_fetchStatus->property("fullText").toString();
}

void InvestigationPane::setFetchStatus(const QString& text, const QString& color, const QString& tip)
{
    // Elided to the pane's width; the whole text stays in the tool tip and alertFetchStatus().
    m_fetchStatus->setProperty("fullText", text);
    const int width = std::max(200, this->width() - 12);
    m_fetchStatus->setText(m_fetchStatus->fontMetrics().elidedText(text, Qt::ElideRight, width));
    m_fetchStatus->setStyleSheet(color.isEmpty() ? QString() : QStringLiteral("color: %1").arg(color));
    m_fetchStatus->setToolTip(tip.isEmpty() ? text : text + QLatin1Char('\n') + tip);
    m_fetchStatus->setVisible(!text.isEmpty());
}

void InvestigationPane::display(const InvestigationState& st)
{
    m_state = st;
    m_stepIndex = -1;
    m_savedId = std::make_shared<std::atomic<int64_t>>(0); // a new run: a new row once pinned
    // A cache that opens on a firing alert starts on the alert's window (once per cache: a fetch
    // re-opens it and must not move the user); an alert the user chose opens on its window too,
    // as a step they can go Back from.
    // The start applies while the focus is where an opened cache begins (`rootline --window` or
    // --trace, or a user quicker than the investigation, keep what they chose).
    const bool firstOfCache = m_startOnResult && m_focus->state() == FocusState{};
    m_startOnResult = false;
    const bool start = st.alert && st.window.isValid() && (m_focusOnResult || firstOfCache);
    updateHeader();

    m_candidates->clear();
    for (const auto& c : st.candidates) {
        auto* item = new QTreeWidgetItem(m_candidates);
        item->setText(0, QString::number(c.rank));
        item->setText(1, qs(c.service));
        item->setText(2, qs(c.operation));
        item->setText(3, qs(c.kind));
        item->setText(4, QString::number(c.score, 'f', 2));
        for (int col = 0; col < kTraceColumn; ++col)
            item->setToolTip(col, qs(c.explanation));
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
        item->setText(0, tr("No root-cause candidate stands out against the baseline."));
        item->setFirstColumnSpanned(true); // shows column 0's text across the row
    }

    m_steps->clear();
    m_detail->clear();
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
    // The top candidate's explanation is what the reader wants first.
    if (!st.candidates.empty())
        m_candidates->setCurrentItem(m_candidates->topLevelItem(0));
    emit resultShown(st);
    if (start) {
        if (m_focusOnResult)
            m_focus->setState(focusForStep(0));
        else
            m_focus->start(focusForStep(0));
        m_stepIndex = 0;
        const QSignalBlocker block(m_steps);
        m_steps->setCurrentItem(m_steps->topLevelItem(0));
    }
    m_focusOnResult = false;
    updateStepActions();
}

void InvestigationPane::refreshTimes()
{
    if (m_state)
        updateHeader();
}

void InvestigationPane::updateHeader()
{
    const InvestigationState& st = *m_state;
    QString alert = st.alert ? tr("<b>%1</b> (%2) on <b>%3</b>").arg(qs(st.alert->name).toHtmlEscaped(), qs(st.alert->source).toHtmlEscaped(),
                                                                   qs(st.service).toHtmlEscaped())
                             : tr("<b>%1</b>").arg(qs(st.title.empty() ? st.service : st.title).toHtmlEscaped());
    m_header->setText(tr("%1<br>window %2<br>baseline %3").arg(alert, fmt::window(st.window).toHtmlEscaped(), fmt::window(st.baseline).toHtmlEscaped()));

}

FocusState InvestigationPane::focusForStep(int index) const
{
    FocusState f;
    if (!m_state || index < 0 || index >= int(m_state->steps.size()))
        return m_focus->state();
    const InvestigationState& st = *m_state;
    f.window = st.window.isValid() ? st.window : TimeWindow::all();
    f.service = qs(st.service);
    auto trace = [](const std::string& hex) {
        auto id = parseTraceId(hex);
        return id ? *id : TraceId{};
    };
    const TraceId explaining = trace(st.focusTraceId);
    auto parsedSpan = parseSpanId(st.focusSpanId);
    const SpanId span = parsedSpan ? *parsedSpan : SpanId{};
    // The alert names the service that hurts (checkout); the top candidate the one that explains it
    // (payment): its errors and its span are what the later steps show.
    QString culprit = f.service;
    for (const auto& c : st.candidates)
        if (!c.service.empty()) {
            culprit = qs(c.service);
            break;
        }
    switch (StepKind(index)) {
    case StepKind::Alert:
    case StepKind::Sli: break; // the SLI chart zoomed to the window (the timeline follows it)
    case StepKind::Logs: // the error logs of the service the evidence points at
        f.service = culprit;
        f.logMinSeverity = int(Severity::Error);
        break;
    case StepKind::Traces: {
        // The failing traces, exemplars first: the step lists what it looked at in that order.
        const auto& step = st.step(StepKind::Traces);
        const EvidenceRef* best = nullptr;
        auto rank = [](const EvidenceRef& r) {
            const bool exemplar = r.label.starts_with("exemplar"), failing = r.label.find("failing") != std::string::npos;
            return (exemplar ? 0 : 2) + (failing ? 0 : 1);
        };
        for (const auto& r : step.lookedAt)
            if (r.kind == "trace" && (!best || rank(r) < rank(*best)))
                best = &r;
        if (!best)
            for (const auto& r : step.pinned)
                if (r.kind == "trace" && !best)
                    best = &r;
        if (best)
            f.traceId = trace(best->id);
        // The list shows the failing traces when the step's trace is one (a slow trace that did not
        // fail would then be missing from its own list).
        f.tracesErrorsOnly = best && best->label.find("failing") != std::string::npos;
        break;
    }
    case StepKind::Span:
    case StepKind::Reproduction:
    case StepKind::Confirmation:
        f.service = culprit;
        f.traceId = explaining;
        f.spanId = f.traceId.isValid() ? span : SpanId{};
        break;
    case StepKind::TraceLogs: // the logs of that trace, of every service it crossed
        f.service.clear();
        f.traceId = explaining;
        f.spanId = f.traceId.isValid() ? span : SpanId{};
        f.logsOfTraceOnly = f.traceId.isValid();
        break;
    }
    return f;
}

void InvestigationPane::goToStep(int index)
{
    if (!m_state || index < 0 || index >= int(m_state->steps.size()))
        return;
    m_stepIndex = index;
    {
        const QSignalBlocker block(m_steps); // showStep below, once
        m_walking = true;
        m_steps->setCurrentItem(m_steps->topLevelItem(index));
        m_walking = false;
    }
    showStep(index);
    m_focus->setState(focusForStep(index)); // one history entry: Back returns to the step before
    updateStepActions();
    emit stepChanged(index);
}

void InvestigationPane::updateStepActions()
{
    const bool any = m_state.has_value() && !m_state->steps.empty();
    const int last = any ? int(m_state->steps.size()) - 1 : -1;
    m_nextAction->setEnabled(any && m_stepIndex < last);
    m_previousAction->setEnabled(any && m_stepIndex > 0);
    m_nextButton->setEnabled(m_nextAction->isEnabled());
    m_previousButton->setEnabled(m_previousAction->isEnabled());
}

Result<EvidenceRef> InvestigationPane::pinFocus(const QString& note, PinTarget what)
{
    if (!m_investigation || !m_state)
        return Error{"pin", "no investigation to pin into", "open a cache and let the investigation finish"};
    const FocusState& f = m_focus->state();
    EvidenceRef ref;
    StepKind step = StepKind::Sli;
    const bool span = f.spanId.isValid() && f.traceId.isValid() && (what == PinTarget::Auto || what == PinTarget::Span);
    const bool line = f.logRowId > 0 && (what == PinTarget::Auto || what == PinTarget::LogLine);
    const bool point = m_focus->cursorTime().has_value() && (what == PinTarget::Auto || what == PinTarget::ChartPoint);
    if (span) {
        ref.kind = "span";
        ref.id = f.spanId.toHex();
        std::string name;
        if (CacheReader* reader = m_session->reader())
            if (auto spans = reader->traceSpans(f.traceId); spans) // one trace: a bounded read
                for (const auto& sp : *spans)
                    if (sp.spanId == f.spanId)
                        name = (sp.resource ? sp.resource->serviceName + " " : std::string()) + sp.name;
        ref.label = (name.empty() ? std::string("span") : name) + " in trace " + f.traceId.toHex();
        step = StepKind::Span;
    } else if (line) {
        ref.kind = "log";
        ref.id = std::to_string(f.logRowId);
        ref.label = "log line " + ref.id;
        step = f.logsOfTraceOnly ? StepKind::TraceLogs : StepKind::Logs;
    } else if (point) {
        const Timestamp t = *m_focus->cursorTime();
        ref.kind = "point";
        ref.id = t.toRfc3339();
        ref.label = "chart point at " + t.toRfc3339();
        step = StepKind::Sli;
    } else if (f.traceId.isValid() && what == PinTarget::Auto) {
        ref.kind = "trace";
        ref.id = f.traceId.toHex();
        ref.label = "trace " + ref.id;
        step = StepKind::Traces;
    } else {
        return Error{"pin", "nothing to pin", "select a span or a log line, or hover a chart point, then pin"};
    }
    m_investigation->pin(step, ref);
    if (!note.trimmed().isEmpty())
        m_investigation->addNote(step, ref.label + ": " + note.trimmed().toStdString());
    m_state = m_investigation->state();
    refreshStepItem(int(step));
    saveInBackground();
    return ref;
}

Status InvestigationPane::addNote(const QString& note)
{
    if (!m_investigation || !m_state)
        return Error{"note", "no investigation to note in", "open a cache and let the investigation finish"};
    if (note.trimmed().isEmpty())
        return Error{"note", "the note is empty", {}};
    const StepKind step = StepKind(std::max(0, m_stepIndex));
    m_investigation->addNote(step, note.trimmed().toStdString());
    m_state = m_investigation->state();
    refreshStepItem(int(step));
    saveInBackground();
    return {};
}

void InvestigationPane::refreshStepItem(int index)
{
    QTreeWidgetItem* item = m_steps->topLevelItem(index);
    if (!item || !m_state)
        return;
    const auto& s = m_state->steps[size_t(index)];
    item->setText(1, QString::fromUtf8(stepStatusName(s.status)) + (s.notes.empty() ? QString() : QStringLiteral(" ✎%1").arg(s.notes.size())));
    if (m_stepIndex == index || m_steps->currentItem() == item)
        showStep(index);
}

void InvestigationPane::saveInBackground()
{
    // Kept with the cache (the `investigations` table) when it can be written: off the UI thread,
    // through the one writer path. A read-only or damaged cache keeps the pins in memory (and in
    // an exported report) only.
    if (!m_investigation || !m_session->isOpen())
        return;
    const std::string path = m_session->path().toStdString();
    const std::string title = m_investigation->state().title;
    const std::string json = m_investigation->toJson();
    auto savedId = m_savedId;
    // One save at a time (a one-thread pool), so a second pin updates the row the first created.
    m_savePool->start([path, title, json, savedId]() {
        auto writer = CacheWriter::open(path);
        if (!writer)
            return;
        if (auto id = (*writer)->saveInvestigation(savedId->load(), title, json))
            savedId->store(*id);
    });
}

QString InvestigationPane::reportMarkdown() const
{
    return m_state ? QString::fromStdString(investigationMarkdown(*m_state)) : QString();
}

Status InvestigationPane::exportReport(const QString& path) const
{
    if (!m_state)
        return Error{path.toStdString(), "no investigation to export", "open a cache and let the investigation finish"};
    const bool html = path.endsWith(QStringLiteral(".html"), Qt::CaseInsensitive) || path.endsWith(QStringLiteral(".htm"), Qt::CaseInsensitive);
    const std::string text = html ? investigationHtml(*m_state) : investigationMarkdown(*m_state);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(text.data(), qint64(text.size())) != qint64(text.size()))
        return Error{path.toStdString(), "cannot write the report", "check the folder exists and is writable"};
    return {};
}

void InvestigationPane::showCandidate(int index)
{
    if (!m_state || index < 0 || index >= int(m_state->candidates.size()))
        return;
    const auto& c = m_state->candidates[size_t(index)];
    QString html = tr("<b>#%1 %2%3</b> — %4, score %5<p>%6</p>")
                       .arg(c.rank)
                       .arg(qs(c.service).toHtmlEscaped(), c.operation.empty() ? QString() : QStringLiteral(" / ") + qs(c.operation).toHtmlEscaped(),
                            qs(c.kind).toHtmlEscaped(), QString::number(c.score, 'f', 2), qs(c.explanation).toHtmlEscaped());
    if (!c.evidence.traceIds.empty()) {
        QStringList links;
        for (size_t i = 0; i < c.evidence.traceIds.size() && i < 8; ++i) {
            const QString id = qs(c.evidence.traceIds[i]);
            links << QStringLiteral("<a href=\"trace:%1\">%2</a>").arg(id, id.left(12) + QChar(0x2026));
        }
        html += tr("Traces: %1").arg(links.join(QStringLiteral(", ")));
        if (c.evidence.traceIds.size() > 8)
            html += tr(" and %1 more").arg(c.evidence.traceIds.size() - 8);
        html += QStringLiteral("<br>");
    }
    for (const auto& [key, what] : c.evidence.attributes)
        html += QStringLiteral("%1: %2<br>").arg(qs(key).toHtmlEscaped(), qs(what).toHtmlEscaped());
    if (!c.evidence.logIds.empty())
        html += tr("%1 log lines").arg(c.evidence.logIds.size()) + QStringLiteral("<br>");
    if (!c.evidence.series.empty())
        html += tr("Series: %1").arg(qs(c.evidence.series.front()).toHtmlEscaped()) + QStringLiteral("<br>");
    m_detail->setHtml(html);
}

void InvestigationPane::showStep(int index)
{
    if (!m_state || index < 0 || index >= int(m_state->steps.size()))
        return;
    const auto& s = m_state->steps[size_t(index)];
    QString html = QStringLiteral("<b>%1</b> — %2<p>%3</p>")
                       .arg(QString::fromUtf8(stepTitle(s.kind)), QString::fromUtf8(stepStatusName(s.status)), qs(s.summary).toHtmlEscaped());
    if (!s.details.empty()) {
        html += QStringLiteral("<ul>");
        for (const auto& d : s.details)
            html += QStringLiteral("<li>%1</li>").arg(qs(d).toHtmlEscaped());
        html += QStringLiteral("</ul>");
    }
    for (const auto& e : s.pinned)
        if (e.kind == "trace")
            html += tr("Pinned trace: <a href=\"trace:%1\">%2</a><br>").arg(qs(e.id), qs(e.label.empty() ? e.id : e.label).toHtmlEscaped());
        else
            html += tr("Pinned %1: %2<br>").arg(qs(e.kind).toHtmlEscaped(), qs(e.label.empty() ? e.id : e.label).toHtmlEscaped());
    for (const auto& n : s.notes)
        html += tr("Note: %1<br>").arg(qs(n.text).toHtmlEscaped());
    m_detail->setHtml(html);
}

void InvestigationPane::openLink(const QUrl& url)
{
    if (url.scheme() == QLatin1String("trace"))
        focusTrace(url.path());
}

void InvestigationPane::focusTrace(const QString& hex)
{
    if (auto trace = parseTraceId(hex.toStdString()); trace)
        m_focus->setTrace(*trace);
    else
        m_header->setText(tr("Cannot open trace %1: %2").arg(hex.toHtmlEscaped(), QString::fromStdString(trace.error().message()).toHtmlEscaped()));
}

void InvestigationPane::showError(const QString& message)
{
    m_state.reset();
    m_investigation.reset();
    m_focusOnResult = false;
    m_startOnResult = false;
    m_stepIndex = -1;
    updateStepActions();
    m_error = message;
    m_candidates->clear();
    m_steps->clear();
    m_detail->clear();
    m_header->setText(tr("Cannot investigate: %1").arg(message.toHtmlEscaped()));
}

void InvestigationPane::onCandidateClicked(QTreeWidgetItem* item, int column)
{
    if (column != kTraceColumn)
        return;
    const QString id = item->data(kTraceColumn, Qt::UserRole).toString();
    if (!id.isEmpty())
        focusTrace(id);
}

} // namespace rootline
