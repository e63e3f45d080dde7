// Fetching from the GUI with a CloudWatch source (issue 4 "Done when": all four backends fetch into
// the cache from the GUI), offscreen, against the faithful fake AWS server: the logs bar fetches
// CloudWatch Logs (FilterLogEvents), the metrics bar a GetMetricData series and the traces bar an
// X-Ray trace by id. Each lands in the cache, shows in its pane, and reached the fake as the right
// API action with a valid SigV4 signature (credentials from the environment, as a user sets them).
#include "CacheSession.h"
#include "FetchController.h"
#include "Focus.h"
#include "LogPane.h"
#include "LogTableModel.h"
#include "MainWindow.h"
#include "PlotSpec.h"
#include "QueryBar.h"
#include "TimelinePane.h"
#include "TraceListModel.h"
#include "TracePane.h"
#include "cache/CacheReader.h"
#include "core/Clock.h"
#include "support/FakeAwsServer.h"

#include <QFile>
#include <QJsonArray>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;
using rootline::test::FakeAwsServer;

namespace {

// 2026-11-20T10:00:00Z. The test's clock stands three days later (kNow), so no CloudWatch retention
// rule coarsens the period, and the data is well inside Logs' and X-Ray's reach, whatever day the
// test runs on.
constexpr int64_t kBase = 1'795'168'800;
constexpr int64_t kNow = kBase + 3 * 86400;
constexpr int kEvents = 25;
constexpr int kPoints = 60;
const QString kGroup = QStringLiteral("/ecs/checkout");
const QString kXRayId = QStringLiteral("1-6a1de8a0-bd862e3fe1be46a994272793");

std::optional<CacheOverview> overview(const QString& cache) {
    auto reader = CacheReader::open(cache.toStdString());
    if (!reader)
        return std::nullopt;
    auto o = (*reader)->overview();
    if (!o)
        return std::nullopt;
    return *o;
}

// Every request the fake saw passed its checks and carried a valid signature.
void expectClean(const FakeAwsServer& server) {
    const QStringList v = server.violations();
    QVERIFY2(v.isEmpty(), qPrintable(v.join(QLatin1Char('\n'))));
    const auto all = server.requests();
    QVERIFY(!all.isEmpty());
    for (const auto& r : all)
        QVERIFY2(r.signatureOk, qPrintable(QString::fromLatin1(r.operation) +
                                           QStringLiteral(": ") + r.signatureProblem));
}

QString segmentDoc(const QString& xrayId, const QString& id, const QString& name, double start,
                   double end, bool fault) {
    return QStringLiteral(
               R"({"id":"%1","name":"%2","trace_id":"%3","start_time":%4,"end_time":%5,"fault":%6,)"
               R"("subsegments":[{"id":"%7","name":"db","namespace":"remote","start_time":%4,"end_time":%5}]})")
        .arg(id, name, xrayId, QString::number(start, 'f', 3), QString::number(end, 'f', 3),
             fault ? QStringLiteral("true") : QStringLiteral("false"),
             id.left(15) + QStringLiteral("f"));
}

} // namespace

class TestGuiFetchCloudWatch : public QObject {
    Q_OBJECT
    QTemporaryDir m_home; // XDG config/data and the AWS files stay here
    ManualClock m_clock{Timestamp::fromSeconds(kNow)};
    ScopedClock m_useClock{m_clock};

    QString writeSources(const FakeAwsServer& server, const QString& name) {
        const QString path = m_home.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        // No profile: the credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; the url
        // is the endpoint override every AWS API of the source is sent to.
        f.write(QByteArray("sources:\n  - name: aws-test\n    kind: cloudwatch\n    url: ") +
                QByteArray::fromStdString(server.url()) + "\n    region: us-east-1\n");
        return path;
    }

    void prepare(MainWindow& window, const QString& sources, const QString& cache) {
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setSourcesPath(sources);
        auto s = window.newCache(cache);
        QVERIFY2(s.ok(), s ? "" : s.error().message().c_str());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->isLoaded(), 30000);
        window.focus()->setWindow(
            {Timestamp::fromSeconds(kBase), Timestamp::fromSeconds(kBase + 3600)});
    }

    // Runs the bar's query and waits for the controller to finish.
    void fetch(MainWindow& window, QueryBar* bar, const QString& query) {
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->editor()->setFocus();
        bar->setQuery(QString());
        QTest::keyClicks(bar->editor(), query);
        QCOMPARE(bar->query(), query);
        QTest::keyClick(bar->editor(), Qt::Key_Return);
        QVERIFY(window.fetchController()->isRunning());
        QVERIFY(bar->statusText().startsWith(QStringLiteral("Fetching from aws-test")));
        QVERIFY(finished.wait(30000));
        QVERIFY(!bar->isFetching());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("RootlineTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_gui_fetch_cloudwatch"));
        QSettings().clear();
        // AWS's public example keys, which the fake verifies signatures with; nothing of the
        // user's own AWS setup is read.
        qputenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        qputenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        qputenv("AWS_SHARED_CREDENTIALS_FILE",
                m_home.filePath(QStringLiteral("no-credentials")).toLocal8Bit());
        qputenv("AWS_CONFIG_FILE", m_home.filePath(QStringLiteral("no-config")).toLocal8Bit());
        qunsetenv("AWS_SESSION_TOKEN");
        qunsetenv("AWS_SECURITY_TOKEN");
        qunsetenv("AWS_PROFILE");
        qunsetenv("AWS_DEFAULT_PROFILE");
    }

    void barsOfferTheCloudWatchSource() {
        FakeAwsServer server;
        MainWindow window;
        window.setSourcesPath(writeSources(server, QStringLiteral("offer-sources.yaml")));
        QCOMPARE(window.sources().size(), size_t(1));
        // One connector serves metrics, Logs and X-Ray: every bar offers it, with its own hint.
        for (QueryPane pane : {QueryPane::Metrics, QueryPane::Logs, QueryPane::Traces}) {
            QueryBar* bar = window.queryBar(pane);
            QVERIFY(bar);
            QCOMPARE(bar->currentSource(), QStringLiteral("aws-test"));
            QVERIFY(bar->fetchButton()->isEnabled());
            QCOMPARE(bar->editor()->placeholderText(),
                     queryPlaceholder(pane, SourceType::CloudWatch));
        }
    }

    void logsBarFetchesCloudWatchLogs() {
        FakeAwsServer server;
        std::vector<FakeAwsServer::LogEvent> events;
        events.push_back({QStringLiteral("s0"), (kBase - 60) * 1000, QStringLiteral("before")});
        for (int i = 0; i < kEvents; ++i)
            events.push_back({QStringLiteral("ecs/checkout/1"), kBase * 1000 + i * 1000,
                              QStringLiteral("checkout line %1 timed out").arg(i)});
        server.addLogEvents(kGroup, events);
        server.setLogsPageSize(10); // a nextToken chain: 10, 10, 5
        const QString cache = m_home.filePath(QStringLiteral("logs.rootline"));
        MainWindow window;
        prepare(window, writeSources(server, QStringLiteral("logs-sources.yaml")), cache);
        QueryBar* bar = window.queryBar(QueryPane::Logs);
        QCOMPARE(bar->currentSource(), QStringLiteral("aws-test"));

        fetch(window, bar, kGroup); // a bare group name: FilterLogEvents over it
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Complete));
        QVERIFY2(bar->statusText().startsWith(
                     QStringLiteral("Complete: %1 logs from the network.").arg(kEvents)),
                 qPrintable(bar->statusText() + QStringLiteral(" / ") + bar->statusDetails()));
        expectClean(server);
        const auto reqs = server.requests("FilterLogEvents");
        QCOMPARE(reqs.size(), 3);
        QCOMPARE(reqs[0].target, QByteArray("Logs_20140328.FilterLogEvents"));
        QCOMPARE(reqs[0].body.value(QStringLiteral("logGroupName")).toString(), kGroup);
        QCOMPARE(qint64(reqs[0].body.value(QStringLiteral("startTime")).toDouble()),
                 kBase * 1000); // the focus window, in ms
        QVERIFY(server.requests("StartQuery").isEmpty()); // not Logs Insights

        auto o = overview(cache);
        QVERIFY(o);
        QCOMPARE(o->logs, int64_t(kEvents));
        QTRY_COMPARE_WITH_TIMEOUT(window.logPane()->matchCount(), qint64(kEvents), 30000);
        LogTableModel* model = window.logPane()->model();
        QTRY_VERIFY(model->rowCount() > 0);
        QStringList bodies;
        for (int r = 0; r < model->rowCount(); ++r)
            bodies << model->data(model->index(r, LogTableModel::BodyColumn)).toString();
        QVERIFY2(bodies.contains(QStringLiteral("checkout line 0 timed out")),
                 qPrintable(bodies.join(QLatin1Char('|'))));
        QVERIFY(bodies.contains(QStringLiteral("checkout line %1 timed out").arg(kEvents - 1)));
        QVERIFY(!bodies.contains(QStringLiteral("before"))); // outside the window
    }

    void metricsBarFetchesGetMetricData() {
        FakeAwsServer server;
        std::vector<FakeAwsServer::MetricPoint> cpu;
        for (int i = 0; i < kPoints; ++i)
            cpu.push_back({kBase + i * 60, 20.0 + i});
        server.addMetric(QStringLiteral("AWS/ECS"), QStringLiteral("CPUUtilization"),
                         {{QStringLiteral("ServiceName"), QStringLiteral("checkout")}}, cpu);
        const QString cache = m_home.filePath(QStringLiteral("metrics.rootline"));
        MainWindow window;
        prepare(window, writeSources(server, QStringLiteral("metrics-sources.yaml")), cache);
        TimelinePane* timeline = window.timelinePane();
        const size_t specsBefore = timeline->availableSeries().size();
        QueryBar* bar = window.queryBar(QueryPane::Metrics);
        QCOMPARE(bar->currentSource(), QStringLiteral("aws-test"));

        fetch(window, bar, QStringLiteral("AWS/ECS CPUUtilization ServiceName=checkout stat=Average"));
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Complete));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Complete: 1 series (")),
                 qPrintable(bar->statusText() + QStringLiteral(" / ") + bar->statusDetails()));
        expectClean(server);
        const auto reqs = server.requests("GetMetricData");
        QVERIFY(!reqs.isEmpty());
        QCOMPARE(reqs[0].contentType, QByteArray("application/x-amz-json-1.0"));
        QCOMPARE(qint64(reqs[0].body.value(QStringLiteral("StartTime")).toDouble()), kBase);
        const QJsonObject stat = reqs[0]
                                     .body.value(QStringLiteral("MetricDataQueries"))
                                     .toArray()
                                     .at(0)
                                     .toObject()
                                     .value(QStringLiteral("MetricStat"))
                                     .toObject();
        QCOMPARE(stat.value(QStringLiteral("Stat")).toString(), QStringLiteral("Average"));
        QCOMPARE(stat.value(QStringLiteral("Metric"))
                     .toObject()
                     .value(QStringLiteral("MetricName"))
                     .toString(),
                 QStringLiteral("CPUUtilization"));

        auto o = overview(cache);
        QVERIFY(o);
        QCOMPARE(o->series, int64_t(1));
        QCOMPARE(o->samples, int64_t(kPoints));
        QTRY_COMPARE_WITH_TIMEOUT(timeline->availableSeries().size(), specsBefore + 1, 30000);
        QTRY_VERIFY(timeline->isLoaded());
        const PlotSpec& spec = timeline->availableSeries().back();
        QVERIFY2(QString(spec.row + spec.label + spec.id).contains(QStringLiteral("CPUUtilization")),
                 qPrintable(spec.row + QStringLiteral(" / ") + spec.label + QStringLiteral(" / ") +
                            spec.id));
        QVERIFY2(timeline->selectedSeries().contains(spec.id),
                 qPrintable(timeline->selectedSeries().join(QLatin1Char(',')))); // it is drawn
    }

    void tracesBarFetchesAnXRayTraceById() {
        FakeAwsServer server;
        const double start = double(kBase + 100) + 0.25;
        server.addTrace(kXRayId, start, 1.5, true,
                        {segmentDoc(kXRayId, QStringLiteral("53995c3f42cd8ad8"),
                                    QStringLiteral("checkout"), start, start + 1.5, true)});
        const QString cache = m_home.filePath(QStringLiteral("traces.rootline"));
        MainWindow window;
        prepare(window, writeSources(server, QStringLiteral("traces-sources.yaml")), cache);
        QueryBar* bar = window.queryBar(QueryPane::Traces);
        QCOMPARE(bar->currentSource(), QStringLiteral("aws-test"));

        fetch(window, bar, kXRayId); // X-Ray's own id form opens that trace
        QCOMPARE(bar->statusLevel(), std::optional(FetchMessage::Level::Complete));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Complete: 2 spans from the network.")),
                 qPrintable(bar->statusText() + QStringLiteral(" / ") + bar->statusDetails()));
        expectClean(server);
        const auto gets = server.requests("BatchGetTraces");
        QCOMPARE(gets.size(), 1);
        QCOMPARE(gets[0].method, QByteArray("POST"));
        QCOMPARE(gets[0].path, QByteArray("/Traces"));
        QCOMPARE(gets[0].body.value(QStringLiteral("TraceIds")).toArray(), QJsonArray{kXRayId});
        QVERIFY(server.requests("GetTraceSummaries").isEmpty()); // by id: no search

        auto o = overview(cache);
        QVERIFY(o);
        QCOMPARE(o->traces, int64_t(1));
        QCOMPARE(o->spans, int64_t(2));
        TraceListModel* model = window.tracePane()->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 30000);
        const TraceSummary* t = model->traceAt(0);
        QVERIFY(t);
        QCOMPARE(QString::fromStdString(t->traceId.toXRay()), kXRayId);
        QCOMPARE(t->spanCount, int64_t(2));
        QVERIFY(t->errorCount >= 1); // the segment's fault
        QCOMPARE(t->start.nanos(), int64_t(kBase + 100) * 1'000'000'000 + 250'000'000);
    }
};

QTEST_MAIN(TestGuiFetchCloudWatch)
#include "tst_gui_fetch_cloudwatch.moc"
