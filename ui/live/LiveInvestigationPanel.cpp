#include "LiveInvestigationPanel.h"

#include <QComboBox>
#include <algorithm>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace rootline {

LiveInvestigationPanel::LiveInvestigationPanel(QWidget* parent)
    : QWidget(parent)
    , m_alerts(new QComboBox(this))
    , m_run(new QPushButton(tr("Investigate live"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_status(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new LiveFetchModel(this))
    , m_controller(new LiveInvestigationController(this))
{
    m_alerts->setEditable(true); // an alert by name, or "service:NAME" with the cache's window
    m_alerts->setMinimumContentsLength(30);
    m_cancel->setEnabled(false);
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setSectionResizeMode(LiveFetchModel::Query, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Alert:"), this));
    bar->addWidget(m_alerts, 1);
    bar->addWidget(m_run);
    bar->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);
    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    connect(m_cancel, &QPushButton::clicked, this, &LiveInvestigationPanel::cancel);
    connect(m_controller, &LiveInvestigationController::stepStarted, this, [this](StepKind step) {
        m_status->setText(tr("Fetching: %1…").arg(QString::fromLatin1(stepTitle(step))));
    });
    connect(m_controller, &LiveInvestigationController::fetchFinished, this,
            [this](const LiveFetchResult& f) { m_model->append(f); });
    connect(m_controller, &LiveInvestigationController::finished, this, &LiveInvestigationPanel::onFinished);
    // Edit a query in the table (double-click): that fetch runs again with it, as a new row.
    connect(m_model, &LiveFetchModel::queryEdited, this, [this](int row, const QString& text) {
        const LiveFetch edited = withEditedQuery(m_model->fetch(row).fetch, text.toStdString());
        if (m_controller->rerun(edited, m_cachePath)) {
            m_run->setEnabled(false);
            m_status->setText(tr("Fetching again with the edited query…"));
        }
    });
    connect(m_controller, &LiveInvestigationController::rerunFinished, this, [this](const LiveFetchResult& f) {
        m_run->setEnabled(true);
        m_status->setText(QString::fromStdString(f.statusText()));
        emit ranInto(m_cachePath);
    });
}

void LiveInvestigationPanel::setSources(std::vector<Source> sources)
{
    m_sources = std::move(sources);
}

void LiveInvestigationPanel::setCachePath(const QString& path)
{
    m_cachePath = path;
}

void LiveInvestigationPanel::setAlerts(const std::vector<Alert>& alerts)
{
    m_alerts->clear();
    std::vector<const Alert*> ordered;
    for (const auto& a : alerts)
        ordered.push_back(&a);
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const Alert* a, const Alert* b) { return (a->state == AlertState::Firing) > (b->state == AlertState::Firing); });
    for (const Alert* a : ordered)
        if (m_alerts->findText(QString::fromStdString(a->name)) < 0)
            m_alerts->addItem(QString::fromStdString(a->name));
}

bool LiveInvestigationPanel::run()
{
    const QString name = m_alerts->currentText().trimmed();
    if (name.isEmpty() || m_cachePath.isEmpty() || m_controller->isRunning())
        return false;
    LiveStart start;
    start.alertName = name.toStdString();
    m_model->clear();
    m_lastRun.reset();
    if (!m_controller->start(start, m_cachePath, m_sources))
        return false;
    m_run->setEnabled(false);
    m_cancel->setEnabled(true);
    m_status->setText(tr("Starting…"));
    return true;
}

void LiveInvestigationPanel::cancel()
{
    m_controller->cancel();
    m_status->setText(tr("Cancelling: the fetch under way finishes, what arrived is kept…"));
}

QString LiveInvestigationPanel::statusText() const
{
    return m_status->text();
}

void LiveInvestigationPanel::onFinished(const LiveRunResult& result)
{
    m_run->setEnabled(true);
    m_cancel->setEnabled(false);
    if (result.error) {
        m_status->setText(QString::fromStdString(result.error->message()));
        return;
    }
    m_lastRun = result.run;
    const int incomplete = m_model->incompleteCount();
    if (result.run->cancelled)
        m_status->setText(tr("Cancelled after %n fetch(es); what arrived is kept.", nullptr, m_model->rowCount()));
    else if (incomplete > 0)
        m_status->setText(tr("PARTIAL: %n fetch(es) did not complete (see the Status column).", nullptr, incomplete));
    else
        m_status->setText(tr("Complete: %n fetch(es).", nullptr, m_model->rowCount()));
    emit ranInto(m_cachePath);
}

} // namespace rootline
