#pragma once

// A pane's query bar (issue 4 item 8): which source to ask, the query (PromQL / LogQL / Logs
// Insights / Jaeger search terms or a trace id), Fetch (or Enter), a per-source history (Up/Down
// and the ▾ menu, persisted with QSettings), and completion from the source (metric names, label
// names and values, Jaeger services and operations) through the CompletionService, so typing never
// waits on the network. Below the query, while a fetch runs: its progress and Cancel; after it:
// what came of it, PARTIAL and failures flagged in colour. The window runs the fetch
// (FetchController).

#include "FetchResult.h"
#include "QueryHistory.h"
#include "QueryRequest.h"

#include <QWidget>
#include <vector>

class QComboBox;
class QCompleter;
class QFrame;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QPushButton;
class QStringListModel;
class QToolButton;

namespace rootline {

class CompletionService;

class QueryBar final : public QWidget {
    Q_OBJECT
public:
    QueryBar(QueryPane pane, CompletionService* completions, QWidget* parent = nullptr);

    QueryPane pane() const { return m_pane; }
    // Offers the sources whose connectors can fetch this pane's kinds; keeps the chosen one if it
    // is still there.
    void setSources(const std::vector<Source>& sources);
    const std::vector<Source>& sources() const { return m_sources; }
    QString currentSource() const;
    bool setCurrentSource(const QString& name);
    QString query() const;
    void setQuery(const QString& text);
    const QueryHistory& history() const { return m_history; }
    // Fetch (or Enter): records the query in the history and asks the window to fetch it.
    void run();
    // Ctrl+Space: completion at the cursor even where it does not pop up by itself.
    void completeNow();

    // The fetch this bar started: running (progress + Cancel), and how it ended.
    void setFetching(bool fetching);
    void setProgress(const FetchProgress& progress, double seconds);
    void showResult(const FetchMessage& message);
    // Another bar's fetch runs: this one waits (one fetch at a time).
    void setBlocked(bool blocked);
    bool isFetching() const { return m_fetching; }
    QString statusText() const;
    QString statusDetails() const; // the status line's tool tip: where, hint, windows, warnings
    bool isStatusVisible() const;
    std::optional<FetchMessage::Level> statusLevel() const { return m_level; }

    // The parts, for tests.
    QComboBox* sourceBox() const { return m_sourceBox; }
    QLineEdit* editor() const { return m_edit; }
    QPushButton* fetchButton() const { return m_fetch; }
    QPushButton* cancelButton() const { return m_cancel; }
    QCompleter* completer() const { return m_completer; }
    QToolButton* historyButton() const { return m_historyButton; }
    QMenu* historyMenu() const { return m_historyMenu; }
    QStringList completionItems() const;
    const CompletionContext& completionContext() const { return m_context; }

signals:
    void fetchRequested(const QString& source, const QString& query);
    void cancelRequested();
    // There is no source for this pane yet: open File → Data sources.
    void manageSourcesRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    const Source* source() const;
    void onSourceChanged();
    void loadHistory();
    void saveHistory();
    void rebuildHistoryMenu();
    void updateCompletion(bool explicitRequest);
    void showCompletions(const QStringList& items);
    void insertCompletion(const QString& choice);
    void updateButtons();
    void setStatus(FetchMessage::Level level, const QString& text, const QString& details);
    void setMessage(const QString& text); // elided to the width; statusText() keeps it whole

    QueryPane m_pane;
    CompletionService* m_completions;
    std::vector<Source> m_sources;
    QueryHistory m_history;
    QComboBox* m_sourceBox;
    QLineEdit* m_edit;
    QToolButton* m_historyButton;
    QMenu* m_historyMenu;
    QPushButton* m_fetch;
    QPushButton* m_cancel;
    QFrame* m_status;
    QProgressBar* m_progress;
    QLabel* m_message;
    QString m_messageText;
    QToolButton* m_dismiss;
    QCompleter* m_completer;
    QStringListModel* m_completionModel;
    CompletionContext m_context;
    QString m_waitingKey; // a completion list asked for and not yet in
    std::optional<FetchMessage::Level> m_level;
    bool m_fetching = false;
    bool m_blocked = false;
};

} // namespace rootline
