#pragma once

// The guided investigation, read-only (issue 5 item 4): for the open cache's firing alert — or,
// when there is none, the focus service and window — it runs Investigation::start and every step
// on a worker (CacheSession::run, never the UI thread) and shows the alert and window, the ranked
// root-cause candidates and the eight steps with their status and summary. Clicking a candidate's
// evidence trace id selects that trace in the Focus, so the trace pane and the logs follow.

#include "investigation/InvestigationState.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTextBrowser;
class QTreeWidgetItem;
class QUrl;

namespace rootline {

class CacheSession;
class Focus;

class InvestigationPane final : public QWidget {
    Q_OBJECT
public:
    InvestigationPane(CacheSession* session, Focus* focus, QWidget* parent = nullptr);
    ~InvestigationPane() override;

    // Starts (again) over the open cache; a run in flight is superseded.
    void investigate();

    bool isRunning() const { return m_running; }
    // The last finished run; empty before it or when it failed (see errorText()).
    const std::optional<InvestigationState>& result() const { return m_state; }
    QString errorText() const;
    QTreeWidget* candidateView() const { return m_candidates; }
    QTreeWidget* stepView() const { return m_steps; }

    // Column of the candidate view holding the first evidence trace id (clickable).
    static constexpr int kTraceColumn = 5;
    // The wrapped text under the tables: the selected candidate's explanation and evidence, or the
    // selected step's summary and details (trace ids are links that set the Focus trace).
    QTextBrowser* detailView() const { return m_detail; }

signals:
    // A run has ended, with a result or an error.
    void finished();

private:
    void display(const InvestigationState& state);
    void showError(const QString& message);
    void onCandidateClicked(QTreeWidgetItem* item, int column);
    void showCandidate(int index);
    void showStep(int index);
    void openLink(const QUrl& url);
    void focusTrace(const QString& hex);

    CacheSession* m_session;
    Focus* m_focus;
    QLabel* m_header;
    QPushButton* m_rerun;
    QTreeWidget* m_candidates;
    QTreeWidget* m_steps;
    QTextBrowser* m_detail;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::optional<InvestigationState> m_state;
    QString m_error;
    bool m_running = false;
};

} // namespace rootline
