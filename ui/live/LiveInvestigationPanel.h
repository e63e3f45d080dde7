#pragma once

// The window's live investigation (issue 11 item 4): choose a firing alert (or type a service),
// press Run, and watch each step's fetches arrive in a table — source, query, window, rows,
// bytes, time and complete / cached / PARTIAL / error; Cancel stops the plan and keeps what
// arrived. Running again fetches only what the cache does not hold yet; editing a row's query
// (double-click) fetches that one again with the new text, as a new row.
//
// Hook for the main window (not wired here): give it the sources and the cache path, fill the
// alerts from the cache (setAlerts, after "Fetch alerts"), and on `ranInto(cachePath)` reload the
// panes and start the offline investigation on `lastRun()->target` (window and baseline).

#include "LiveFetchModel.h"
#include "LiveInvestigationController.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace rootline {

class LiveInvestigationPanel final : public QWidget {
    Q_OBJECT
public:
    explicit LiveInvestigationPanel(QWidget* parent = nullptr);

    void setSources(std::vector<Source> sources);
    void setCachePath(const QString& path);
    void setAlerts(const std::vector<Alert>& alerts); // the choice; firing ones first
    // Starts the plan on the chosen alert; false when one runs or nothing is chosen.
    bool run();
    void cancel();

    LiveFetchModel* model() const { return m_model; }
    LiveInvestigationController* controller() const { return m_controller; }
    const std::optional<LiveRun>& lastRun() const { return m_lastRun; }
    QString statusText() const;

signals:
    void ranInto(const QString& cachePath);

private:
    void onFinished(const LiveRunResult& result);

    std::vector<Source> m_sources;
    QString m_cachePath;
    QComboBox* m_alerts;
    QPushButton* m_run;
    QPushButton* m_cancel;
    QLabel* m_status;
    QTableView* m_table;
    LiveFetchModel* m_model;
    LiveInvestigationController* m_controller;
    std::optional<LiveRun> m_lastRun;
};

} // namespace rootline
