#pragma once

// Debian's real Alertmanager (prometheus-alertmanager 0.25), started by a test on a free
// 127.0.0.1 port with clustering off, its own config and storage directory, and stopped with the
// test. A Prometheus started with `alertingConfig(port())` appended to its config sends it alerts.

#include "PrometheusProcess.h"

namespace rootline::test {

inline constexpr const char* kAlertmanagerBinary = "/usr/bin/prometheus-alertmanager";

// Empty when the Debian binary is installed; else what to do about it.
inline QString alertmanagerMissing()
{
    if (QFileInfo::exists(QString::fromLatin1(kAlertmanagerBinary)))
        return {};
    return QStringLiteral("prometheus-alertmanager not found in /usr/bin: run packaging/install-deps.sh (Debian package "
                          "'prometheus-alertmanager')");
}

// The `alerting:` block of a prometheus.yml that sends to an Alertmanager on 127.0.0.1:`port`.
inline std::string alertingConfig(uint16_t port)
{
    return "alerting:\n"
           "  alertmanagers:\n"
           "    - static_configs: [{targets: ['127.0.0.1:" + std::to_string(port) + "']}]\n";
}

class AlertmanagerProcess : public LoopbackServerProcess {
public:
    // Writes a config with one receiver that sends nowhere, starts Alertmanager in `dir` and waits
    // until it answers /-/ready. Returns what went wrong (with the log's tail), or an empty string.
    QString start(const QString& dir, int readyTimeoutMs = 30000)
    {
        const QString config = QDir(dir).filePath(QStringLiteral("alertmanager.yml"));
        writeTextFile(config, "route: {receiver: 'null', group_wait: 1s, group_interval: 1s}\n"
                              "receivers: [{name: 'null'}]\n");
        const QString storage = QDir(dir).filePath(QStringLiteral("alertmanager-data"));
        QDir().mkpath(storage);
        m_log = QDir(dir).filePath(QStringLiteral("alertmanager.log"));
        m_port = freeLoopbackPort();
        return startServerProcess(m_process, QStringLiteral("alertmanager"), QString::fromLatin1(kAlertmanagerBinary),
                                  {QStringLiteral("--config.file=") + config, QStringLiteral("--storage.path=") + storage,
                                   QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(m_port),
                                   QStringLiteral("--cluster.listen-address=")}, // no gossip port: loopback only
                                  m_log, m_port, readyTimeoutMs);
    }
};

} // namespace rootline::test
