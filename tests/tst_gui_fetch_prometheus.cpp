// The metrics bar against a REAL Prometheus (Debian's /usr/bin/prometheus, started here on
// 127.0.0.1 over a temporary data directory backfilled with promtool): metric names, label names
// and label values complete from the server, and a PromQL query typed into the bar is fetched into
// the cache and drawn on the timeline. A missing `prometheus` FAILS the test (style.md §9).
#include "CacheSession.h"
#include "FetchController.h"
#include "Focus.h"
#include "MainWindow.h"
#include "QueryBar.h"
#include "TimelinePane.h"
#include "cache/CacheReader.h"
#include "support/LoopbackHttpServer.h"

#include <QCompleter>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <fstream>

using namespace rootline;
using rootline::test::HttpServerConnection;
using rootline::test::HttpServerRequest;
using rootline::test::LoopbackHttpServer;

namespace {

const char* kPrometheus = "/usr/bin/prometheus";
const char* kPromtool = "/usr/bin/promtool";

uint16_t freePort() {
    LoopbackHttpServer probe([](const HttpServerRequest&, HttpServerConnection&) {});
    return probe.port(); // closed again when probe goes; Prometheus binds it right after
}

void writeFile(const QString& path, const std::string& text) {
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

} // namespace

class TestGuiFetchPrometheus : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_prometheus;
    QString m_sources;
    TimeWindow m_history;

private slots:
    void initTestCase() {
        if (!QFileInfo::exists(QString::fromLatin1(kPrometheus)) ||
            !QFileInfo::exists(QString::fromLatin1(kPromtool)))
            QFAIL("prometheus/promtool not found in /usr/bin: run packaging/install-deps.sh "
                  "(Debian package 'prometheus')");
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toUtf8());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("share")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("RootlineTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_gui_fetch_prometheus"));
        QSettings().clear();

        // 30 minutes of history ending an hour ago, a point every 10 s, for two services.
        const int64_t to = (Timestamp::now().seconds() - 3600) / 10 * 10;
        const int64_t from = to - 1800;
        m_history = {Timestamp::fromSeconds(from), Timestamp::fromSeconds(to)};
        std::string om = "# HELP checkout_latency_seconds Request latency.\n# TYPE "
                         "checkout_latency_seconds gauge\n";
        for (int64_t s = from; s <= to; s += 10)
            for (const char* service : {"checkout", "payment"})
                om += std::string("checkout_latency_seconds{job=\"shop\",service=\"") + service +
                      "\"} " + std::to_string(double((s / 10) % 7) * 0.1) + " " +
                      std::to_string(s) + "\n";
        om += "# EOF\n";
        const QString data = m_dir.filePath(QStringLiteral("data"));
        QDir().mkpath(data);
        writeFile(m_dir.filePath(QStringLiteral("history.om")), om);
        QProcess promtool;
        promtool.start(QString::fromLatin1(kPromtool),
                       {QStringLiteral("tsdb"), QStringLiteral("create-blocks-from"),
                        QStringLiteral("openmetrics"), QStringLiteral("--quiet"),
                        m_dir.filePath(QStringLiteral("history.om")), data});
        QVERIFY(promtool.waitForFinished(60000));
        QVERIFY2(promtool.exitCode() == 0, promtool.readAllStandardError().constData());
        writeFile(m_dir.filePath(QStringLiteral("prometheus.yml")),
                  "global: {scrape_interval: 15s}\n");

        const uint16_t port = freePort();
        m_prometheus.setProcessChannelMode(QProcess::MergedChannels);
        m_prometheus.setStandardOutputFile(m_dir.filePath(QStringLiteral("prometheus.log")));
        m_prometheus.start(
            QString::fromLatin1(kPrometheus),
            {QStringLiteral("--config.file=") + m_dir.filePath(QStringLiteral("prometheus.yml")),
             QStringLiteral("--storage.tsdb.path=") + data,
             QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port),
             QStringLiteral("--storage.tsdb.retention.time=30d")});
        QVERIFY(m_prometheus.waitForStarted(10000));
        const QByteArray url = "http://127.0.0.1:" + QByteArray::number(port);
        auto ready = [port] {
            QTcpSocket socket;
            socket.connectToHost(QStringLiteral("127.0.0.1"), port);
            if (!socket.waitForConnected(1000))
                return false;
            socket.write("GET /-/ready HTTP/1.0\r\n\r\n");
            socket.waitForBytesWritten(1000);
            QByteArray reply;
            while (socket.waitForReadyRead(2000))
                reply += socket.readAll();
            return reply.startsWith("HTTP/1.0 200") || reply.startsWith("HTTP/1.1 200");
        };
        QTRY_VERIFY_WITH_TIMEOUT(ready() || m_prometheus.state() == QProcess::NotRunning, 30000);
        if (m_prometheus.state() == QProcess::NotRunning) {
            QFile log(m_dir.filePath(QStringLiteral("prometheus.log")));
            log.open(QIODevice::ReadOnly);
            QFAIL(log.readAll().right(2000).constData());
        }
        m_sources = m_dir.filePath(QStringLiteral("sources.yaml"));
        QFile f(m_sources);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("sources:\n  - name: prom\n    kind: prometheus\n    url: " + url + "\n");
    }

    void cleanupTestCase() {
        if (m_prometheus.state() != QProcess::NotRunning) {
            m_prometheus.terminate();
            if (!m_prometheus.waitForFinished(10000))
                m_prometheus.kill();
            m_prometheus.waitForFinished(5000);
        }
    }

    void completesAndFetchesOntoTheTimeline() {
        MainWindow window;
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.setSourcesPath(m_sources);
        auto created = window.newCache(m_dir.filePath(QStringLiteral("prom.rootline")));
        QVERIFY2(created.ok(), created ? "" : created.error().message().c_str());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->isLoaded(), 30000);
        window.focus()->setWindow(m_history);
        QueryBar* bar = window.queryBar(QueryPane::Metrics);
        QCOMPARE(bar->currentSource(), QStringLiteral("prom"));
        QVERIFY(
            window.queryBar(QueryPane::Logs)->currentSource().isEmpty()); // Prometheus has no logs

        // Metric names from the server (and PromQL's functions) as a name is typed.
        QTest::keyClicks(bar->editor(), QStringLiteral("checkout_lat"));
        QCOMPARE(bar->completionContext().what, CompletionContext::What::MetricName);
        QTRY_VERIFY_WITH_TIMEOUT(
            bar->completionItems().contains(QStringLiteral("checkout_latency_seconds")), 15000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("histogram_quantile")));
        emit bar->completer()->activated(QStringLiteral("checkout_latency_seconds"));
        QCOMPARE(bar->query(), QStringLiteral("checkout_latency_seconds"));
        // Label names of that metric, then a label's values.
        QTest::keyClicks(bar->editor(), QStringLiteral("{"));
        QCOMPARE(bar->completionContext().metric, QStringLiteral("checkout_latency_seconds"));
        QTRY_VERIFY_WITH_TIMEOUT(bar->completionItems().contains(QStringLiteral("service")), 15000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("job")));
        emit bar->completer()->activated(QStringLiteral("service"));
        QCOMPARE(bar->query(), QStringLiteral("checkout_latency_seconds{service=\""));
        QTRY_VERIFY_WITH_TIMEOUT(bar->completionItems().contains(QStringLiteral("payment")), 15000);
        QVERIFY(bar->completionItems().contains(QStringLiteral("checkout")));

        // Fetch the metric over the focus window: two series on the timeline.
        QSignalSpy finished(window.fetchController(), &FetchController::finished);
        bar->setQuery(QStringLiteral("checkout_latency_seconds"));
        QTest::keyClick(bar->editor(), Qt::Key_Return);
        QVERIFY(finished.wait(60000));
        QVERIFY2(bar->statusText().startsWith(QStringLiteral("Complete: 2 series (")),
                 qPrintable(bar->statusText()));
        TimelinePane* timeline = window.timelinePane();
        QTRY_COMPARE_WITH_TIMEOUT(timeline->availableSeries().size(), size_t(2), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->lineCount() == 2, 30000);
        QVERIFY(timeline->pointCount() > 100);
        QCOMPARE(bar->history().entries().first(), QStringLiteral("checkout_latency_seconds"));
    }
};

QTEST_MAIN(TestGuiFetchPrometheus)
#include "tst_gui_fetch_prometheus.moc"
