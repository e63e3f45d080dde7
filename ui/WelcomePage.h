#pragma once

// The start page: what the main window shows when Rootline starts with nothing to open. It offers
// the sample incident (when one is installed or built), the recent investigations, and the ways to
// begin — open a bundle, import files, fetch alerts from the data sources. It only asks; the main
// window does the opening.

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace rootline {

class WelcomePage final : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    // Empty: no sample incident was found, so the page says so instead of offering it.
    void setSampleAvailable(bool available);
    void setRecent(const QStringList& paths);

    QPushButton* sampleButton() const { return m_sample; }
    QListWidget* recentList() const { return m_recent; }

signals:
    void sampleRequested();
    void openRequested();
    void importRequested();
    void fetchAlertsRequested();
    void recentRequested(const QString& path);

private:
    QPushButton* m_sample;
    QLabel* m_sampleText;
    QListWidget* m_recent;
    QLabel* m_noRecent;
};

} // namespace rootline
