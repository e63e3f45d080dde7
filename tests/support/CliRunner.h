#pragma once

// Runs rootline-cli (the ROOTLINE_CLI path the test target defines) and collects what it said, for
// the tests that drive the command line. A run that does not finish in time is killed and reads
// as exit code -1 with "timed out" on stderr, so the test's own check fails with that message.

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace rootline::test {

struct CliResult {
    int exitCode = -1;
    QByteArray out, err;
    QJsonObject json() const { return QJsonDocument::fromJson(out).object(); }
};

// `configHome` (when given) becomes XDG_CONFIG_HOME, so the user's own rules and sources stay out.
inline CliResult runCli(const QStringList& args, const QString& configHome = {}, int timeoutMs = 120000)
{
    QProcess p;
    if (!configHome.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), configHome);
        p.setProcessEnvironment(env);
    }
    p.start(QStringLiteral(ROOTLINE_CLI), args);
    CliResult r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace rootline::test
