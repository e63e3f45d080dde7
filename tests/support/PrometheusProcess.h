#pragma once

// Debian's real Prometheus, started by a test on a free 127.0.0.1 port with the test's own config
// file and data directory, and stopped with the test. Shared by the connector test
// (tst_prometheus_live) and the GUI test (tst_gui_fetch_prometheus); each writes its own scrape
// target and rule file, this starts the server and waits until it answers /-/ready.

#include "LoopbackHttpServer.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStringList>
#include <QTcpSocket>
#include <QTest>

#include <cstdint>
#include <fstream>
#include <string>

namespace rootline::test {

inline constexpr const char* kPrometheusBinary = "/usr/bin/prometheus";
inline constexpr const char* kPromtoolBinary = "/usr/bin/promtool";

// Empty when both Debian binaries are installed; else what to do about it.
inline QString prometheusMissing()
{
    if (QFileInfo::exists(QString::fromLatin1(kPrometheusBinary)) && QFileInfo::exists(QString::fromLatin1(kPromtoolBinary)))
        return {};
    return QStringLiteral("prometheus/promtool not found in /usr/bin: run packaging/install-deps.sh (Debian package 'prometheus')");
}

// A loopback port nobody listens on (the probe closes it again; Prometheus binds it right after).
inline uint16_t freeLoopbackPort()
{
    LoopbackHttpServer probe([](const HttpServerRequest&, HttpServerConnection&) {});
    return probe.port();
}

inline void writeTextFile(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

// The multi-window burn-rate alert both tests make fire (14.4× the budget of a 99.9 % SLO over a
// long and a short window), as one entry of a rule group's `rules:` list.
inline constexpr const char* kCheckoutBurnRateAlertRule =
    "      - alert: CheckoutErrorBudgetBurn\n"
    "        expr: |\n"
    "          (sum(rate(checkout_requests_total{code=\"500\"}[1m])) / sum(rate(checkout_requests_total[1m]))) > (14.4 * 0.001)\n"
    "          and\n"
    "          (sum(rate(checkout_requests_total{code=\"500\"}[5s])) / sum(rate(checkout_requests_total[5s]))) > (14.4 * 0.001)\n"
    "        labels: {severity: page, service: checkout}\n"
    "        annotations: {summary: checkout burning error budget}\n";

// prometheus.yml: scrape and evaluate every second, the rule file, and one target (job "checkout").
inline std::string prometheusConfig(const QString& rulesFile, uint16_t targetPort)
{
    return "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
           "rule_files: ['" + rulesFile.toStdString() + "']\n"
           "scrape_configs:\n"
           "  - job_name: checkout\n"
           "    static_configs: [{targets: ['127.0.0.1:" + std::to_string(targetPort) + "']}]\n";
}

// Shared by the server processes the tests start (PrometheusProcess, AlertmanagerProcess).
// Whether the server on 127.0.0.1:`port` answers GET /-/ready with 200 — over a plain socket rather
// than the product's HTTP client: the harness must not depend on the code under test.
inline bool answersReadyOn(uint16_t port)
{
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
}

// The last 2,000 bytes of a server's log, for a failure message.
inline QString logTailOf(const QString& path)
{
    QFile log(path);
    if (!log.open(QIODevice::ReadOnly))
        return QStringLiteral("(no log at %1)").arg(path);
    return QString::fromUtf8(log.readAll().right(2000));
}

// Starts `binary` with `args`, its output to `log`, and waits until 127.0.0.1:`port` answers
// /-/ready (the test's event loop keeps serving meanwhile). Returns what went wrong, or "".
inline QString startServerProcess(QProcess& process, const QString& what, const QString& binary, const QStringList& args,
                                  const QString& log, uint16_t port, int readyTimeoutMs)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setStandardOutputFile(log);
    process.start(binary, args);
    if (!process.waitForStarted(10000))
        return what + QStringLiteral(" did not start: ") + process.errorString();
    const QDeadlineTimer deadline(readyTimeoutMs);
    while (!answersReadyOn(port)) {
        if (process.state() == QProcess::NotRunning)
            return what + QStringLiteral(" exited: ") + logTailOf(log);
        if (deadline.hasExpired())
            return what + QStringLiteral(" not ready after %1 ms: ").arg(readyTimeoutMs) + logTailOf(log);
        QTest::qWait(50); // keeps the test's own event loop (scrape targets) serving meanwhile
    }
    return {};
}

inline void stopServerProcess(QProcess& process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(10000))
        process.kill();
    process.waitForFinished(5000);
}

// A server process a test started on 127.0.0.1 (its port, its log), stopped with the test.
class LoopbackServerProcess {
public:
    LoopbackServerProcess() = default;
    LoopbackServerProcess(const LoopbackServerProcess&) = delete;
    LoopbackServerProcess& operator=(const LoopbackServerProcess&) = delete;
    ~LoopbackServerProcess() { stop(); }

    void stop() { stopServerProcess(m_process); }
    uint16_t port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

protected:
    QProcess m_process;
    QString m_log;
    uint16_t m_port = 0;
};

class PrometheusProcess : public LoopbackServerProcess {
public:

    // Starts Prometheus with `configFile` and `dataDir` (exemplar storage on, 30 days' retention
    // so backfilled history is kept), logging to `dir`/prometheus.log, and waits until it is ready.
    // Returns what went wrong (with the log's tail), or an empty string.
    QString start(const QString& dir, const QString& configFile, const QString& dataDir, int readyTimeoutMs = 30000)
    {
        m_log = QDir(dir).filePath(QStringLiteral("prometheus.log"));
        m_port = freeLoopbackPort();
        return startServerProcess(m_process, QStringLiteral("prometheus"), QString::fromLatin1(kPrometheusBinary),
                                  {QStringLiteral("--config.file=") + configFile, QStringLiteral("--storage.tsdb.path=") + dataDir,
                                   QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                                   QStringLiteral("--enable-feature=exemplar-storage"), QStringLiteral("--storage.tsdb.retention.time=30d")},
                                  m_log, m_port, readyTimeoutMs);
    }

};

} // namespace rootline::test
