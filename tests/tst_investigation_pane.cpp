// The investigation pane (issue 5 item 4) over a small generated sample incident, offscreen: the
// run happens on a worker, the pane then lists the ranked candidates (payment first) and the
// eight steps, and clicking a candidate's evidence trace selects that trace in the Focus.

#include "CacheSession.h"
#include "Focus.h"
#include "InvestigationPane.h"
#include "sample/SampleCache.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QUrl>
#include <QTreeWidget>

using namespace rootline;

class TestInvestigationPane : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("sample.rootline"));
        auto stats = writeSampleCache(m_path.toStdString(), SampleOptions{20261123, 0.05});
        QVERIFY2(stats, stats ? "" : stats.error().message().c_str());
    }

    void ranksAndListsStepsOffTheUiThread()
    {
        CacheSession session;
        Focus focus;
        InvestigationPane pane(&session, &focus);
        QSignalSpy finished(&pane, &InvestigationPane::finished);
        QVERIFY(session.open(m_path));
        QVERIFY(pane.isRunning()); // started by opened(), not finished synchronously
        QVERIFY(finished.wait(120000));
        QVERIFY2(pane.result().has_value(), qPrintable(pane.errorText()));
        const auto& st = *pane.result();
        QVERIFY(st.alert.has_value());
        QVERIFY(!st.candidates.empty());
        QCOMPARE(st.candidates.front().service, std::string("payment"));

        QTreeWidget* candidates = pane.candidateView();
        QCOMPARE(candidates->topLevelItemCount(), int(st.candidates.size()));
        QCOMPARE(candidates->topLevelItem(0)->text(0), QStringLiteral("1"));
        QCOMPARE(candidates->topLevelItem(0)->text(1), QStringLiteral("payment"));
        // The top candidate is selected and its explanation shown, wrapped, under the tables.
        QCOMPARE(candidates->currentItem(), candidates->topLevelItem(0));
        QVERIFY(!st.candidates.front().explanation.empty());
        QVERIFY(pane.detailView()->toPlainText().contains(QString::fromStdString(st.candidates.front().explanation)));
        QTreeWidget* steps = pane.stepView();
        QCOMPARE(steps->topLevelItemCount(), 8);
        QCOMPARE(steps->topLevelItem(0)->text(0), QString::fromUtf8(stepTitle(StepKind::Alert)));
        QCOMPARE(steps->topLevelItem(0)->text(1), QStringLiteral("done"));
        QCOMPARE(steps->topLevelItem(7)->text(0), QString::fromUtf8(stepTitle(StepKind::Confirmation)));

        // Clicking the evidence trace of a candidate that has one focuses that trace.
        QTreeWidgetItem* withTrace = nullptr;
        for (int i = 0; i < candidates->topLevelItemCount() && !withTrace; ++i)
            if (!candidates->topLevelItem(i)->data(InvestigationPane::kTraceColumn, Qt::UserRole).toString().isEmpty())
                withTrace = candidates->topLevelItem(i);
        QVERIFY(withTrace);
        const QString id = withTrace->data(InvestigationPane::kTraceColumn, Qt::UserRole).toString();
        QSignalSpy traceChanged(&focus, &Focus::traceChanged);
        emit candidates->itemClicked(withTrace, InvestigationPane::kTraceColumn);
        QCOMPARE(traceChanged.size(), 1);
        QCOMPARE(QString::fromStdString(focus.traceId().toHex()), id);
        // Other columns do not change the focus.
        emit candidates->itemClicked(withTrace, 1);
        QCOMPARE(traceChanged.size(), 1);

        // A trace link in the detail text does the same.
        const std::string other = st.candidates.front().evidence.traceIds.empty() ? std::string() : st.candidates.front().evidence.traceIds.back();
        if (!other.empty() && QString::fromStdString(other) != id) {
            emit pane.detailView()->anchorClicked(QUrl(QStringLiteral("trace:") + QString::fromStdString(other)));
            QCOMPARE(traceChanged.size(), 2);
            QCOMPARE(focus.traceId().toHex(), other);
        }
        // Selecting a step shows its summary.
        steps->setCurrentItem(steps->topLevelItem(int(StepKind::Span)));
        QVERIFY(pane.detailView()->toPlainText().contains(QString::fromStdString(st.step(StepKind::Span).summary)));
    }

    void closingClearsThePane()
    {
        CacheSession session;
        Focus focus;
        InvestigationPane pane(&session, &focus);
        QSignalSpy finished(&pane, &InvestigationPane::finished);
        QVERIFY(session.open(m_path));
        QVERIFY(finished.wait(120000));
        QVERIFY(pane.result().has_value());
        session.close();
        QVERIFY(!pane.result().has_value());
        QCOMPARE(pane.candidateView()->topLevelItemCount(), 0);
        QCOMPARE(pane.stepView()->topLevelItemCount(), 0);
    }
};

QTEST_MAIN(TestInvestigationPane)
#include "tst_investigation_pane.moc"
