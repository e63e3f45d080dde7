#include "QueryBar.h"

#include "CompletionService.h"
#include "ConnectorFactory.h"
#include "sources/SourcesFile.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QEvent>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QStringListModel>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

namespace rootline {
namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString historyKey(QueryPane pane, const QString& source) {
    // Source names are free text: percent-encoded so that '/' does not become a settings group.
    return QStringLiteral("queryHistory/%1/%2")
        .arg(QLatin1String(queryPaneName(pane)),
             QString::fromLatin1(QUrl::toPercentEncoding(source)));
}

QString lastSourceKey(QueryPane pane) {
    return QStringLiteral("queryBar/%1/source").arg(QLatin1String(queryPaneName(pane)));
}

QColor levelColor(FetchMessage::Level level) {
    switch (level) {
    case FetchMessage::Level::Complete:
        return QColor(0x2e, 0x7d, 0x32);
    case FetchMessage::Level::Partial:
        return QColor(0xe6, 0x51, 0x00);
    case FetchMessage::Level::Cancelled:
        return QColor(0x75, 0x75, 0x75);
    case FetchMessage::Level::Failed:
        return QColor(0xd3, 0x2f, 0x2f);
    }
    return {};
}

QString paneNoun(QueryPane pane) {
    switch (pane) {
    case QueryPane::Metrics:
        return QObject::tr("metrics");
    case QueryPane::Logs:
        return QObject::tr("logs");
    case QueryPane::Traces:
        return QObject::tr("traces");
    }
    return {};
}

} // namespace

QueryBar::QueryBar(QueryPane pane, CompletionService* completions, QWidget* parent)
    : QWidget(parent)
    , m_pane(pane)
    , m_completions(completions)
    , m_sourceBox(new QComboBox(this))
    , m_edit(new QLineEdit(this))
    , m_historyButton(new QToolButton(this))
    , m_fetch(new QPushButton(tr("Fetch"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_status(new QFrame(this))
    , m_progress(new QProgressBar(this))
    , m_message(new QLabel(this))
    , m_dismiss(new QToolButton(this))
    , m_completer(new QCompleter(this))
    , m_completionModel(new QStringListModel(this)) {
    setObjectName(QStringLiteral("queryBar_%1").arg(QLatin1String(queryPaneName(pane))));
    m_sourceBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_sourceBox->setMinimumContentsLength(8);
    m_sourceBox->setMaximumWidth(200);
    m_sourceBox->setToolTip(tr("The data source to fetch %1 from").arg(paneNoun(pane)));
    m_edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_edit->setClearButtonEnabled(true);
    m_edit->setToolTip(tr("Enter fetches this query over the time window into the cache · Up/Down: "
                          "history · Ctrl+Space: complete"));
    m_edit->installEventFilter(this);
    m_historyButton->setArrowType(Qt::DownArrow);
    m_historyButton->setAutoRaise(true);
    m_historyButton->setToolTip(tr("Recent queries of this source (Up/Down in the field)"));
    // The menu is popped up by hand: setMenu() would add a second arrow (the menu indicator).
    m_historyMenu = new QMenu(m_historyButton);
    m_fetch->setToolTip(tr("Fetch the query's results for the time window into the cache (Enter)"));
    m_fetch->setAutoDefault(false);
    m_cancel->setAutoDefault(false);
    m_cancel->hide();

    m_progress->setMaximumWidth(110);
    m_progress->setMaximumHeight(QFontMetrics(font()).height());
    m_progress->setTextVisible(false);
    m_progress->setRange(0, 0);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setSizePolicy(QSizePolicy::Ignored,
                             QSizePolicy::Preferred); // long messages never widen the pane
    m_message->installEventFilter(this);              // elided again on resize
    m_dismiss->setText(QStringLiteral("✕"));
    m_dismiss->setAutoRaise(true);
    m_dismiss->setToolTip(tr("Dismiss"));
    m_status->setObjectName(QStringLiteral("fetchStatus"));
    auto* statusRow = new QHBoxLayout(m_status);
    statusRow->setContentsMargins(6, 1, 2, 1);
    statusRow->setSpacing(6);
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_message, 1);
    statusRow->addWidget(m_dismiss);
    m_status->hide();

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(4);
    row->addWidget(m_sourceBox);
    row->addWidget(m_edit, 1);
    row->addWidget(m_historyButton);
    row->addWidget(m_fetch);
    row->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 3);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_status);

    m_completer->setModel(m_completionModel);
    m_completer->setWidget(m_edit);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains); // "latency" finds http_request_latency_seconds
    m_completer->setMaxVisibleItems(12);
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this,
            &QueryBar::insertCompletion);
    if (m_completions)
        connect(m_completions, &CompletionService::ready, this,
                [this](const QString& source, const QString& key) {
                    if (source == currentSource() && key == m_waitingKey) {
                        m_waitingKey.clear();
                        updateCompletion(false);
                    }
                });

    connect(m_edit, &QLineEdit::textEdited, this, [this] {
        m_history.resetBrowsing();
        updateCompletion(false);
    });
    connect(m_sourceBox, &QComboBox::currentIndexChanged, this, &QueryBar::onSourceChanged);
    connect(m_sourceBox, &QComboBox::activated, this,
            [this] { QSettings().setValue(lastSourceKey(m_pane), currentSource()); });
    connect(m_historyButton, &QToolButton::clicked, this, [this] {
        rebuildHistoryMenu();
        m_historyMenu->popup(m_historyButton->mapToGlobal(QPoint(0, m_historyButton->height())));
    });
    connect(m_fetch, &QPushButton::clicked, this, [this] {
        if (m_sources.empty())
            emit manageSourcesRequested();
        else
            run();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        setMessage(tr("Cancelling…"));
        emit cancelRequested();
    });
    connect(m_dismiss, &QToolButton::clicked, this, [this] {
        m_status->hide();
        m_level.reset();
    });
    setSources({});
}

void QueryBar::setSources(const std::vector<Source>& sources) {
    const QString previous = currentSource();
    m_sources.clear();
    for (const Source& s : sources) {
        auto connector = makeConnector(s); // no network: just asks what the kind can fetch
        if (connector && servesPane((*connector)->supportedKinds(), m_pane))
            m_sources.push_back(s);
    }
    const QSignalBlocker block(m_sourceBox);
    m_sourceBox->clear();
    for (const Source& s : m_sources) {
        m_sourceBox->addItem(qs(s.name), qs(s.name));
        m_sourceBox->setItemData(m_sourceBox->count() - 1, qs(s.redacted()), Qt::ToolTipRole);
    }
    m_sourceBox->setPlaceholderText(tr("no source"));
    // The source chosen last time for this pane, when the bar has none yet.
    const QString wanted =
        previous.isEmpty() ? QSettings().value(lastSourceKey(m_pane)).toString() : previous;
    const int i = m_sourceBox->findData(wanted);
    m_sourceBox->setCurrentIndex(i >= 0 ? i : (m_sources.empty() ? -1 : 0));
    onSourceChanged();
}

QString QueryBar::currentSource() const {
    return m_sourceBox->currentData().toString();
}

bool QueryBar::setCurrentSource(const QString& name) {
    const int i = m_sourceBox->findData(name);
    if (i < 0)
        return false;
    m_sourceBox->setCurrentIndex(i);
    return true;
}

const Source* QueryBar::source() const {
    return findSource(m_sources, currentSource().toStdString());
}

QString QueryBar::query() const {
    return m_edit->text();
}

void QueryBar::setQuery(const QString& text) {
    m_edit->setText(text);
    m_history.resetBrowsing();
}

void QueryBar::onSourceChanged() {
    const Source* s = source();
    if (s) {
        m_edit->setPlaceholderText(queryPlaceholder(m_pane, s->type));
    } else {
        m_edit->setPlaceholderText(
            m_pane == QueryPane::Traces ? tr("Add a Jaeger or CloudWatch source to fetch traces")
            : m_pane == QueryPane::Logs
                ? tr("Add a Loki or CloudWatch source to fetch logs")
                : tr("Add a Prometheus, Loki or CloudWatch source to fetch metrics"));
    }
    m_completer->popup()->hide();
    m_waitingKey.clear();
    loadHistory();
    updateButtons();
}

void QueryBar::loadHistory() {
    const QString name = currentSource();
    m_history =
        QueryHistory(name.isEmpty() ? QStringList()
                                    : QSettings().value(historyKey(m_pane, name)).toStringList());
    m_historyButton->setEnabled(!m_history.isEmpty());
}

void QueryBar::saveHistory() {
    const QString name = currentSource();
    if (!name.isEmpty())
        QSettings().setValue(historyKey(m_pane, name), m_history.entries());
    m_historyButton->setEnabled(!m_history.isEmpty());
}

void QueryBar::rebuildHistoryMenu() {
    QMenu* menu = m_historyMenu;
    menu->clear();
    const QFontMetrics metrics(m_edit->font());
    for (const QString& q : m_history.entries()) {
        QAction* a = menu->addAction(metrics.elidedText(q, Qt::ElideMiddle, 560), this, [this, q] {
            setQuery(q);
            m_edit->setFocus();
        });
        a->setToolTip(q);
        a->setFont(m_edit->font());
    }
    if (!m_history.isEmpty()) {
        menu->addSeparator();
        menu->addAction(tr("Clear history"), this, [this] {
            m_history.clear();
            saveHistory();
        });
    }
}

void QueryBar::run() {
    if (m_fetching || m_blocked || !source())
        return;
    m_completer->popup()->hide();
    const QString text = m_edit->text().trimmed();
    if (text.isEmpty()) {
        setStatus(FetchMessage::Level::Failed,
                  tr("Type a query first — e.g. %1").arg(m_edit->placeholderText()), {});
        return;
    }
    m_history.add(text);
    saveHistory();
    emit fetchRequested(currentSource(), text);
}

void QueryBar::completeNow() {
    updateCompletion(true);
}

void QueryBar::updateCompletion(bool explicitRequest) {
    const Source* s = source();
    if (!s) {
        m_context = {};
        return;
    }
    const QString text = m_edit->text();
    const int cursor = m_edit->cursorPosition();
    switch (queryLanguage(m_pane, s->type)) {
    case QueryLanguage::Selector:
        m_context = selectorCompletionContext(text, cursor);
        break;
    case QueryLanguage::TraceSearch:
        m_context = searchCompletionContext(text, cursor);
        break;
    case QueryLanguage::Plain:
        m_context = {};
        break;
    }
    using What = CompletionContext::What;
    // Pop up by itself where the next thing is obvious (a label after `{`, a value after `="`,
    // a search value after `=`) or once a word is being typed; anywhere on Ctrl+Space.
    const bool wanted = explicitRequest || !m_context.prefix.isEmpty() ||
                        m_context.what == What::LabelValue || m_context.what == What::SearchValue ||
                        (m_context.what == What::LabelName && m_context.inSelector);
    if (m_context.what == What::None || !wanted) {
        m_completer->popup()->hide();
        return;
    }
    QStringList items = builtinCompletions(s->type, m_pane, m_context.what);
    if (m_completions) {
        if (auto request = completionRequestFor(s->type, m_context)) {
            auto list = m_completions->lookup(currentSource(), *request);
            if (list)
                items += *list;
            // Not in yet (or being refreshed): ask again when it is.
            m_waitingKey = list ? QString() : CompletionService::keyOf(*request);
        }
    }
    items.removeDuplicates();
    std::sort(items.begin(), items.end(), [](const QString& a, const QString& b) {
        return a.compare(b, Qt::CaseInsensitive) < 0;
    });
    showCompletions(items);
}

void QueryBar::showCompletions(const QStringList& items) {
    m_completionModel->setStringList(items);
    m_completer->setCompletionPrefix(m_context.prefix);
    if (m_completer->completionCount() == 0) {
        m_completer->popup()->hide();
        return;
    }
    // A single exact match needs no popup; nor does a list that arrives after the user moved on.
    if ((m_completer->completionCount() == 1 &&
         m_completer->currentCompletion() == m_context.prefix) ||
        !m_edit->hasFocus()) {
        m_completer->popup()->hide();
        return;
    }
    QAbstractItemView* popup = m_completer->popup();
    popup->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect =
        m_edit->inputMethodQuery(Qt::ImCursorRectangle).toRect(); // cursorRect() is protected
    rect.setWidth(
        std::clamp(popup->sizeHintForColumn(0) + popup->verticalScrollBar()->sizeHint().width() + 8,
                   180, 520));
    m_completer->complete(rect);
}

QStringList QueryBar::completionItems() const {
    return m_completionModel->stringList();
}

void QueryBar::insertCompletion(const QString& choice) {
    const CompletionEdit edit = applyCompletion(m_edit->text(), m_context, choice);
    m_edit->setText(edit.text);
    m_edit->setCursorPosition(edit.cursor);
    // A label name was followed by `="`: its values are what comes next.
    if (m_context.what == CompletionContext::What::LabelName ||
        m_context.what == CompletionContext::What::SearchKey)
        QMetaObject::invokeMethod(
            this, [this] { updateCompletion(false); }, Qt::QueuedConnection);
}

bool QueryBar::eventFilter(QObject* watched, QEvent* event) {
    // While the completion popup is open, keys go to it (QCompleter forwards the rest to the line
    // edit without passing this filter), so Up/Down/Enter here are the bar's own.
    if (watched == m_message && event->type() == QEvent::Resize)
        setMessage(m_messageText);
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            run();
            return true;
        case Qt::Key_Up:
            if (auto q = m_history.older(m_edit->text())) {
                m_edit->setText(*q);
                return true;
            }
            return true;
        case Qt::Key_Down:
            if (auto q = m_history.newer())
                m_edit->setText(*q);
            return true;
        case Qt::Key_Space:
            if (key->modifiers() & Qt::ControlModifier) {
                completeNow();
                return true;
            }
            break;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void QueryBar::setFetching(bool fetching) {
    m_fetching = fetching;
    if (fetching) {
        m_level.reset();
        m_progress->setRange(0, 0);
        m_progress->show();
        setMessage(tr("Fetching from %1…").arg(currentSource()));
        m_message->setToolTip({});
        m_message->setStyleSheet({});
        m_status->setStyleSheet({});
        m_dismiss->hide();
        m_status->show();
        m_cancel->setEnabled(true);
    }
    updateButtons();
}

void QueryBar::setProgress(const FetchProgress& p, double seconds) {
    if (!m_fetching)
        return;
    if (p.requestsPlanned > 0) {
        m_progress->setRange(0, p.requestsPlanned);
        m_progress->setValue(std::min(p.requestsDone, p.requestsPlanned));
    } else {
        m_progress->setRange(0, 0); // pagination: no end known
    }
    if (m_cancel->isEnabled())
        setMessage(tr("Fetching from %1: %2").arg(currentSource(), progressText(p, seconds)));
}

void QueryBar::showResult(const FetchMessage& message) {
    setStatus(message.level, message.text, message.details);
}

void QueryBar::setStatus(FetchMessage::Level level, const QString& text, const QString& details) {
    m_level = level;
    m_progress->hide();
    m_dismiss->show();
    const QColor c = levelColor(level);
    m_status->setStyleSheet(
        QStringLiteral(
            "QFrame#fetchStatus { background: rgba(%1,%2,%3,30); border-left: 3px solid %4; }")
            .arg(c.red())
            .arg(c.green())
            .arg(c.blue())
            .arg(c.name()));
    // PARTIAL must not be missed: bold in its colour; a failure reads in red.
    m_message->setStyleSheet(level == FetchMessage::Level::Partial
                                 ? QStringLiteral("color: %1; font-weight: bold").arg(c.name())
                             : level == FetchMessage::Level::Failed
                                 ? QStringLiteral("color: %1").arg(c.name())
                                 : QString());
    setMessage(text);
    m_message->setToolTip(details.isEmpty() ? text : text + QStringLiteral("\n\n") + details);
    m_status->show();
}

void QueryBar::setBlocked(bool blocked) {
    m_blocked = blocked;
    updateButtons();
}

QString QueryBar::statusText() const {
    return isStatusVisible() ? m_messageText : QString();
}

void QueryBar::setMessage(const QString& text) {
    m_messageText = text;
    m_message->setText(m_message->fontMetrics().elidedText(text, Qt::ElideRight,
                                                           std::max(40, m_message->width())));
}

QString QueryBar::statusDetails() const {
    return isStatusVisible() ? m_message->toolTip() : QString();
}

bool QueryBar::isStatusVisible() const {
    return !m_status->isHidden();
}

void QueryBar::updateButtons() {
    const bool haveSource = source() != nullptr;
    m_sourceBox->setEnabled(haveSource && !m_fetching);
    m_edit->setEnabled(haveSource);
    m_fetch->setVisible(!m_fetching);
    m_cancel->setVisible(m_fetching);
    if (!haveSource) {
        m_fetch->setText(tr("Add source…"));
        m_fetch->setToolTip(tr("No data source can fetch %1 yet: add one (File → Data sources…)")
                                .arg(paneNoun(m_pane)));
        m_fetch->setEnabled(true);
        return;
    }
    m_fetch->setText(tr("Fetch"));
    m_fetch->setEnabled(!m_blocked);
    m_fetch->setToolTip(
        m_blocked ? tr("Another fetch is running: wait for it or cancel it")
                  : tr("Fetch the query's results for the time window into the cache (Enter)"));
}

} // namespace rootline
