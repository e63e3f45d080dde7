#pragma once

// The guided investigation, read-only (issue 5 item 4): for the open cache's firing alert — or,
// when there is none, the focus service and window — it runs Investigation::start and every step
// on a worker (CacheSession::run, never the UI thread) and shows the alert and window, the ranked
// root-cause candidates and the eight steps with their status and summary. Clicking a candidate's
// evidence trace id selects that trace in the Focus, so the trace pane and the logs follow.
// Above it, the cache's alerts (firing first): choosing one starts the investigation on it, and
// "Fetch alerts" asks the window to pull the firing and pending alerts of the sources that serve
// them (issue 4 item 3) — with progress, Cancel and the honest result on the line below.
// The guided walk (issue 10 §3): choosing a step, or Next / Previous, moves every pane to that
// step's evidence through one Focus change (window, service, trace, span and the log filter), so
// the focus history's Back and Forward walk it too. When a cache opens on a firing alert, the
// panes start on the alert's window (Focus::start, no history entry). Pins and notes go into the
// investigation's steps; the report (investigationMarkdown, the CLI's --report) carries them.

#include "FetchResult.h"
#include "FocusState.h"
#include "investigation/Investigation.h"
#include "investigation/InvestigationState.h"

#include <QWidget>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QThreadPool;
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

    // The display zone changed (fmt::setZone): the header's window is shown again.
    void refreshTimes();

    // The next result of a freshly opened cache moves the panes to the firing alert's window, as
    // their starting point (unless the user has moved the focus meanwhile).
    void startOnAlert() { m_startOnResult = true; }

    // The guided walk: the step the panes show (-1 before the first choice), and moving to one.
    int currentStep() const { return m_stepIndex; }
    void goToStep(int index);
    void nextStep() { goToStep(m_stepIndex + 1); }
    void previousStep() { goToStep(std::max(0, m_stepIndex - 1)); }
    // What the panes show for a step of the finished investigation.
    FocusState focusForStep(int index) const;
    // Actions with shortcuts (Alt+Down, Alt+Up), enabled while there is a step to go to.
    QAction* nextStepAction() const { return m_nextAction; }
    QAction* previousStepAction() const { return m_previousAction; }

    // Pins what the Focus points at — the span, else the log line, else the chart point under the
    // crosshair — into the step it belongs to, with `note` (may be empty). Returns what was pinned,
    // or why nothing could be.
    // `what` names the kind when the user pinned from a pane's context menu.
    enum class PinTarget { Auto, Span, LogLine, ChartPoint };
    Result<EvidenceRef> pinFocus(const QString& note, PinTarget what = PinTarget::Auto);
    // Adds a note to the current step (the Alert step before any).
    Status addNote(const QString& note);
    // The investigation as the CLI's `investigate --report` writes it (Markdown; HTML for .html).
    Status exportReport(const QString& path) const;
    // The report text (Markdown) of the current result, pins and notes included.
    QString reportMarkdown() const;

signals:
    // A run has ended, with a result or an error.
    void finished();
    // "Fetch alerts" pressed / Cancel pressed while they are fetched.
    void fetchAlertsRequested();
    void cancelFetchRequested();
    // The guided walk moved to another step.
    void stepChanged(int index);
    // A new result was shown (its marks: deploys, burn windows, firing band).
    void resultShown(const rootline::InvestigationState& state);

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
    void updateStepActions();
    void updateHeader();
    void refreshStepItem(int index);
    void saveInBackground();

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
    std::optional<Investigation> m_investigation; // the record behind m_state: pins and notes
    int m_stepIndex = -1;
    bool m_walking = false;      // the walk itself is moving the step list's selection
    bool m_startOnResult = false; // see startOnAlert()
    // Pins and notes are saved into the cache's `investigations` row (created by the first save).
    std::shared_ptr<std::atomic<int64_t>> m_savedId = std::make_shared<std::atomic<int64_t>>(0);
    QThreadPool* m_savePool;
    QAction* m_nextAction;
    QAction* m_previousAction;
    QPushButton* m_nextButton;
    QPushButton* m_previousButton;
    QString m_error;
    bool m_running = false;
};

} // namespace rootline
