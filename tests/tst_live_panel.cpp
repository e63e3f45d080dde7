// The live investigation in the window (issue 11 item 4), offscreen: the controller runs the plan
// off the UI thread and every fetch appears as a row (source, query, window, rows, bytes, status)
// in a model checked by QAbstractItemModelTester; the panel says what went wrong when the alert
// cannot be found, in words.

#include "live/LiveFetchModel.h"
#include "live/LiveInvestigationController.h"
#include "live/LiveInvestigationPanel.h"
#include "cache/CacheReader.h"
#include "core/Clock.h"
#include "support/FakeLokiServer.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;
using namespace rootline::test;
using namespace Qt::StringLiterals;

class TestLivePanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    FakeLokiServer m_loki;
    Timestamp m_t0;

    std::vector<Source> sources() const
    {
        Source s;
        s.name = "loki";
        s.type = SourceType::Loki;
        s.url = m_loki.url();
        return {s};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_loki.start());
        m_t0 = Clock::current().now();
        FakeLokiStream errors{{{"level", "error"}, {"service_name", "payment"}}, {}};
        for (int i = 0; i < 20; ++i)
            errors.entries.push_back({(m_t0 - Duration::minutes(4) + Duration::seconds(10 * i)).nanos(), "gateway timeout", {}});
        m_loki.addStream(std::move(errors));
    }

    void fetchesArriveAsRows()
    {
        LiveFetchModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        LiveInvestigationController controller;
        connect(&controller, &LiveInvestigationController::fetchFinished, &model, [&model](const LiveFetchResult& f) { model.append(f); });
        QSignalSpy finished(&controller, &LiveInvestigationController::finished);
        LiveStart start;
        start.service = "payment";
        start.window = TimeWindow{m_t0 - Duration::minutes(5), m_t0};
        QVERIFY(controller.start(start, m_dir.filePath(QStringLiteral("panel.rootline")), sources()));
        QVERIFY(!controller.start(start, m_dir.filePath(QStringLiteral("panel.rootline")), sources())); // one at a time
        QVERIFY(finished.wait(60000));
        const auto result = finished.at(0).at(0).value<LiveRunResult>();
        QVERIFY(result.run);
        QVERIFY(result.run->complete());
        QCOMPARE(model.rowCount(), 2); // the counts, then payment's error lines
        QCOMPARE(model.data(model.index(0, LiveFetchModel::Query)).toString(), QString::fromLatin1(liveLogCountQuery()));
        QCOMPARE(model.data(model.index(1, LiveFetchModel::Source)).toString(), QStringLiteral("loki · logs"));
        QCOMPARE(model.data(model.index(1, LiveFetchModel::Rows)).toString(), QStringLiteral("20"));
        QCOMPARE(model.data(model.index(1, LiveFetchModel::Status)).toString(), QStringLiteral("complete"));
        QVERIFY(model.data(model.index(1, LiveFetchModel::Window)).toString().startsWith(QLatin1Char('[')));
        QCOMPARE(model.incompleteCount(), 0);
        QVERIFY(!controller.isRunning());

        // Edit the lines' query: that fetch runs again with the new text, as a row of its own.
        QVERIFY(model.flags(model.index(1, LiveFetchModel::Query)) & Qt::ItemIsEditable);
        QVERIFY(!(model.flags(model.index(1, LiveFetchModel::Rows)) & Qt::ItemIsEditable));
        connect(&model, &LiveFetchModel::queryEdited, &controller, [&](int row, const QString& text) {
            QVERIFY(controller.rerun(withEditedQuery(model.fetch(row).fetch, text.toStdString()),
                                     m_dir.filePath(QStringLiteral("panel.rootline"))));
        });
        QSignalSpy rerun(&controller, &LiveInvestigationController::rerunFinished);
        model.setData(model.index(1, LiveFetchModel::Query), u"{service_name=\"payment\"} |= \"timeout\""_s);
        QVERIFY(rerun.wait(60000));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(2, LiveFetchModel::Query)).toString(), u"{service_name=\"payment\"} |= \"timeout\""_s);
        QCOMPARE(model.data(model.index(2, LiveFetchModel::Status)).toString(), QStringLiteral("complete"));
        QCOMPARE(model.fetch(2).fetch.step, StepKind::Logs);
    }

    void editedQueries()
    {
        LiveFetch search;
        search.request.kind = FetchKind::Traces;
        search.request.search = {{"service", "payment"}};
        const LiveFetch s = withEditedQuery(search, "service=payment  error=true minDuration=1s");
        QCOMPARE(s.request.provenanceQuery(), std::string("service=payment error=true minDuration=1s"));
        LiveFetch trace;
        trace.request.kind = FetchKind::Trace;
        QCOMPARE(withEditedQuery(trace, "trace:5b8efff798038103d269b633813fc60c").request.traceId, std::string("5b8efff798038103d269b633813fc60c"));
        LiveFetch logs;
        logs.request.kind = FetchKind::Logs;
        QCOMPARE(withEditedQuery(logs, "{app=\"x\"}").request.query, std::string("{app=\"x\"}"));
    }

    void cancelStopsThePlanAndKeepsWhatArrived()
    {
        // Cancelled as the first fetch ends: the plan stops there, that fetch's rows stay.
        const std::string cache = m_dir.filePath(QStringLiteral("cancel.rootline")).toStdString();
        std::atomic_bool cancel{false};
        LiveRunOptions o;
        o.cachePath = cache;
        o.sources = sources();
        o.cancelled = &cancel;
        o.onFetch = [&cancel](const LiveFetchResult&) { cancel.store(true); };
        LiveStart start;
        start.service = "payment";
        start.window = TimeWindow{m_t0 - Duration::minutes(5), m_t0};
        auto run = runLiveInvestigation(start, o);
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message().c_str());
        QVERIFY(run->cancelled);
        QVERIFY(!run->complete());
        QCOMPARE(run->fetches.size(), size_t(1));
        QVERIFY(run->fetches[0].complete());
        QVERIFY(run->fetches[0].rows() > 0);
        auto reader = CacheReader::open(cache);
        QVERIFY(reader.ok());
        auto fetches = (*reader)->fetches();
        QVERIFY(fetches.ok());
        QCOMPARE(fetches->size(), size_t(1)); // the counts, committed; the lines never asked
        QCOMPARE(fetches->front().query, std::string(liveLogCountQuery()));
    }

    void panelSaysWhyItCannotStart()
    {
        LiveInvestigationPanel panel;
        panel.setSources(sources());
        panel.setCachePath(m_dir.filePath(QStringLiteral("panel2.rootline")));
        Alert a;
        a.name = "CheckoutErrorBudgetBurn";
        panel.setAlerts({a});
        QSignalSpy finished(panel.controller(), &LiveInvestigationController::finished);
        QVERIFY(panel.run());
        QVERIFY(finished.wait(60000));
        // No source serves alerts here, so the cache holds none: the error says so, with its hint.
        QVERIFY2(panel.statusText().contains(QStringLiteral("no source serves alerts, and the cache holds none")),
                 qPrintable(panel.statusText()));
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!panel.lastRun());
    }
};

QTEST_MAIN(TestLivePanel)
#include "tst_live_panel.moc"
