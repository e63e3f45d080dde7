#include "LogPane.h"

#include "CacheSession.h"
#include "Focus.h"
#include "Format.h"
#include "LogTableModel.h"
#include "QueryBar.h"
#include "SearchText.h"

#include <QCheckBox>
#include <QEvent>
#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace rootline {

LogPane::LogPane(CacheSession* session, Focus* focus, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_focus(focus)
    , m_model(new LogTableModel(this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_level(new QComboBox(this))
    , m_traceOnly(new QCheckBox(tr("Selected trace only"), this))
    , m_countLabel(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    auto* title = new QLabel(tr("<b>Logs</b>"), this);
    // "cached": the query bar below fetches from a source; this filters what the cache holds.
    m_search->setPlaceholderText(tr("Filter cached lines (full text)…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);
    m_level->addItem(tr("All levels"), 0);
    m_level->addItem(tr("Debug and above"), int(Severity::Debug));
    m_level->addItem(tr("Info and above"), int(Severity::Info));
    m_level->addItem(tr("Warn and above"), int(Severity::Warn));
    m_level->addItem(tr("Errors only"), int(Severity::Error));
    m_traceOnly->setEnabled(false);
    m_traceOnly->setToolTip(tr("Only the log lines of the trace selected in the trace list"));
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(6, 4, 6, 2);
    bar->addWidget(title);
    bar->addSpacing(6);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_level);
    bar->addWidget(m_traceOnly);
    bar->addWidget(m_countLabel);

    m_view->setModel(m_model);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalHeader()->hide();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_view->verticalHeader()->setDefaultSectionSize(QFontMetrics(mono).height() + 4);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    QHeaderView* header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    const int digit = QFontMetrics(mono).horizontalAdvance(QLatin1Char('0'));
    m_view->setColumnWidth(LogTableModel::TimeColumn, digit * 24 + 12);
    m_view->setColumnWidth(LogTableModel::SeverityColumn, 56);
    m_view->setColumnWidth(LogTableModel::ServiceColumn, 96);
    m_view->setColumnWidth(LogTableModel::TraceColumn, digit * 13 + 12);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300); // typing pauses, then one query (style.md §5)
    connect(m_debounce, &QTimer::timeout, this, &LogPane::requery);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce->start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &LogPane::applySearchNow);
    // The level and the trace filter are part of the Focus (a guided step sets them; Back restores
    // them): the widgets write it and follow it.
    connect(m_level, &QComboBox::currentIndexChanged, this, [this] { m_focus->setLogFilter(m_level->currentData().toInt(), m_traceOnly->isChecked()); });
    connect(m_traceOnly, &QCheckBox::toggled, this, [this](bool on) { m_focus->setLogFilter(m_level->currentData().toInt(), on); });
    connect(m_focus, &Focus::logFilterChanged, this, [this] {
        syncFilterWidgets();
        requery();
    });
    // The crosshair: a hovered row moves it; wherever it is set, the nearest row is marked.
    m_view->setMouseTracking(true);
    m_view->viewport()->installEventFilter(this);
    connect(m_view, &QTableView::entered, this, [this](const QModelIndex& index) {
        if (!index.isValid())
            return;
        m_hovering = true;
        m_focus->setCursorTime(m_model->timeAt(index.row()));
        m_hovering = false;
    });
    connect(m_focus, &Focus::cursorTimeChanged, this, [this](Timestamp t, bool has) {
        // A time past the rows read so far: read on toward it, a few bounded pages at most (keyset
        // pages, as scrolling would), so the mark is the nearest line and not merely the last read.
        for (int pages = 0; has && pages < kCursorPages && m_model->rowCount() > 0 && m_model->timeAt(m_model->rowCount() - 1) < t
                            && m_model->canFetchMore({});
             ++pages)
            m_model->fetchMore({});
        m_model->setCursorTime(has ? std::optional<Timestamp>(t) : std::nullopt);
        // Scrolled into view when another pane moved it; not under the user's own mouse.
        if (!m_hovering && m_model->cursorRow() >= 0)
            m_view->scrollTo(m_model->index(m_model->cursorRow(), 0), QAbstractItemView::EnsureVisible);
    });

    connect(m_view, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (index.column() == LogTableModel::TraceColumn) {
            if (const TraceId id = m_model->traceIdAt(index.row()); id.isValid()) {
                m_focus->setTrace(id);
                return;
            }
        }
        m_focus->setLogRow(m_model->rowIdAt(index.row()));
    });
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        const QModelIndex index = m_view->indexAt(pos);
        if (!index.isValid())
            return;
        const qint64 rowId = m_model->rowIdAt(index.row());
        const TraceId trace = m_model->traceIdAt(index.row());
        QMenu menu(this);
        menu.addAction(tr("Pin this line with a note…"), this, [this, rowId] {
            m_focus->setLogRow(rowId);
            emit pinRequested();
        });
        if (trace.isValid())
            menu.addAction(tr("Open trace %1").arg(fmt::shortTraceId(trace)), this, [this, trace] { m_focus->setTrace(trace); });
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_model, &LogTableModel::errorOccurred, this, [this](const QString& message) {
        m_countLabel->setText(tr("error: %1").arg(message));
        m_countLabel->setToolTip(message);
    });

    connect(m_session, &CacheSession::opened, this, [this] {
        m_model->setReader(m_session->reader());
        requery();
    });
    connect(m_session, &CacheSession::closed, this, [this] {
        m_model->setReader(nullptr);
        m_count = -1;
        updateCountLabel();
    });
    connect(m_focus, &Focus::windowChanged, this, &LogPane::requery);
    connect(m_focus, &Focus::serviceChanged, this, &LogPane::requery);
    connect(m_focus, &Focus::traceChanged, this, [this](TraceId id) {
        syncFilterWidgets();
        if (m_focus->state().logsOfTraceOnly || !id.isValid())
            requery();
    });
    updateCountLabel();
}

LogPane::~LogPane()
{
    if (m_countJob)
        m_countJob->store(true);
}

void LogPane::setQueryBar(QueryBar* bar)
{
    m_queryBar = bar;
    static_cast<QVBoxLayout*>(layout())->insertWidget(1, bar);
}

int LogPane::cursorRow() const { return m_model->cursorRow(); }

const LogQuery& LogPane::query() const { return m_model->query(); }

void LogPane::setSearchText(const QString& text) { m_search->setText(text); }

void LogPane::applySearchNow()
{
    m_debounce->stop();
    requery();
}

void LogPane::setMinimumSeverity(int severity)
{
    const int i = m_level->findData(severity);
    if (i >= 0)
        m_level->setCurrentIndex(i);
}

void LogPane::syncFilterWidgets()
{
    const FocusState& f = m_focus->state();
    const QSignalBlocker blockLevel(m_level), blockTrace(m_traceOnly);
    const int i = m_level->findData(f.logMinSeverity);
    m_level->setCurrentIndex(i < 0 ? 0 : i);
    m_traceOnly->setChecked(f.logsOfTraceOnly);
    m_traceOnly->setEnabled(f.traceId.isValid());
    m_traceOnly->setText(f.traceId.isValid() ? tr("Trace %1 only").arg(fmt::shortTraceId(f.traceId)) : tr("Selected trace only"));
}

bool LogPane::traceOnly() const { return m_focus->state().logsOfTraceOnly && m_focus->traceId().isValid(); }

bool LogPane::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Leave)
        m_focus->clearCursorTime();
    return QWidget::eventFilter(watched, event);
}

void LogPane::requery()
{
    m_debounce->stop();
    LogQuery q;
    q.window = m_focus->window();
    if (!m_focus->service().isEmpty())
        q.services = {m_focus->service().toStdString()};
    q.minSeverity = m_focus->state().logMinSeverity;
    if (traceOnly())
        q.traceId = m_focus->traceId();
    q.text = ftsQueryFromUserText(m_search->text());
    if (m_session->isOpen())
        m_model->setQuery(q); // one bounded page, on this thread
    if (m_countJob)
        m_countJob->store(true);
    m_count = -1;
    updateCountLabel();
    if (!m_session->isOpen())
        return;
    // Counting is proportional to the matches: a worker does it.
    m_countJob = m_session->run<int64_t>(
        this, [q](CacheReader& reader, const std::atomic_bool&) { return reader.countLogs(q); },
        [this](Result<int64_t> n) {
            if (!n) {
                m_countLabel->setText(tr("count failed"));
                m_countLabel->setToolTip(QString::fromStdString(n.error().message()));
                return;
            }
            m_count = *n;
            updateCountLabel();
            emit countChanged(m_count);
        });
}

void LogPane::updateCountLabel()
{
    if (!m_session->isOpen()) {
        m_countLabel->setText(tr("no cache"));
        return;
    }
    m_countLabel->setToolTip({});
    if (m_count < 0) {
        m_countLabel->setText(tr("counting…"));
        return;
    }
    const bool filtered = m_focus->window() != TimeWindow::all() || !m_focus->service().isEmpty() || !m_search->text().isEmpty()
                          || m_focus->state().logMinSeverity > 0 || traceOnly();
    m_countLabel->setText(filtered ? tr("%1 matching lines").arg(fmt::count(m_count)) : tr("%1 lines").arg(fmt::count(m_count)));
}

} // namespace rootline
