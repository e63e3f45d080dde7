#pragma once

// The guided investigation, read-only (issue 5 item 4): for the open cache's firing alert — or,
// when there is none, the focus service and window — it runs Investigation::start and every step
// on a worker (CacheSession::run, never the UI thread) and shows the alert and window, the ranked
// root-cause candidates and the eight steps with their status and summary. Clicking a candidate's
// evidence trace id selects that trace in the Focus, so the trace pane and the logs follow.
// Above it, the cache's alerts (firing first): choosing one starts the investigation on it, and
// "Fetch alerts" asks the window to pull the firing and pending alerts of the sources that serve
// them (issue 4 item 3) — with progress, Cancel and the honest result on the line below.

#include "FetchResult.h"
#include "investigation/InvestigationState.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QComboBox;
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

    // The open cache's alerts as the alert box lists them (firing, then pending, then the rest).
    const std::vector<Alert>& alerts() const { return m_alerts; }
    // Starts the investigation on alerts()[index]; -1 = automatic (the one firing alert, or the
    // focus service and window).
    void investigateAlert(int index);
    // The alert the investigation runs on when chosen in the box; empty = automatic.
    const std::optional<Alert>& chosenAlert() const { return m_chosen; }
    QComboBox* alertBox() const { return m_alertBox; }
    QPushButton* fetchAlertsButton() const { return m_fetchAlerts; }

    // The window's alerts fetch: running (the button becomes Cancel), progress, how it ended.
    void setAlertFetching(bool fetching);
    // Another fetch runs (one at a time), or no source serves alerts: the button waits.
    void setAlertFetchEnabled(bool enabled, const QString& why = {});
    void setAlertFetchProgress(const QString& text);
    void showAlertFetchResult(const FetchMessage& message);
    QString alertFetchStatus() const;
    bool isFetchingAlerts() const { return m_fetching; }
    // The wrapped text under the tables: the selected candidate's explanation and evidence, or the
    // selected step's summary and details (trace ids are links that set the Focus trace).
    QTextBrowser* detailView() const { return m_detail; }

signals:
    // A run has ended, with a result or an error.
    void finished();
    // "Fetch alerts" pressed / Cancel pressed while they are fetched.
    void fetchAlertsRequested();
    void cancelFetchRequested();

private:
    void display(const InvestigationState& state);
    void showError(const QString& message);
    void onCandidateClicked(QTreeWidgetItem* item, int column);
    void showCandidate(int index);
    void showStep(int index);
    void openLink(const QUrl& url);
    void focusTrace(const QString& hex);
    void reloadAlerts();
    void setFetchStatus(const QString& text, const QString& color, const QString& tip);

    CacheSession* m_session;
    Focus* m_focus;
    QLabel* m_header;
    QPushButton* m_rerun;
    QComboBox* m_alertBox;
    QPushButton* m_fetchAlerts;
    QLabel* m_fetchStatus;
    std::vector<Alert> m_alerts;
    std::optional<Alert> m_chosen;
    bool m_fetching = false;
    bool m_fetchEnabled = true;
    bool m_focusOnResult = false; // the user chose an alert: the panes follow its window
    QTreeWidget* m_candidates;
    QTreeWidget* m_steps;
    QTextBrowser* m_detail;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::optional<InvestigationState> m_state;
    QString m_error;
    bool m_running = false;
};

} // namespace rootline
