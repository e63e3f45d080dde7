// `rootline-cli fetch` end to end against the fake Loki and Jaeger: a sources file naming both, log
// and trace fetches into one cache, the second identical fetch answered from the cache, and a
// server failure turned into exit code 2 with Loki's own text and nothing stored.

#include "cache/CacheReader.h"
#include "support/FakeJaegerServer.h"
#include "support/CliRunner.h"
#include "support/FakeLokiServer.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;
using namespace rootline::test;

namespace {

constexpr int64_t kT0 = 1763908000000000000; // 2025-11-23T14:26:40Z

using Run = CliResult;

// 60 s each: a fetch from the loopback fakes takes well under one.
Run cli(const QStringList& args) { return runCli(args, {}, 60000); }

int64_t count(const std::string& cache, const char* what)
{
    auto reader = CacheReader::open(cache);
    if (!reader)
        return -1;
    auto o = (*reader)->overview();
    if (!o)
        return -1;
    return std::string(what) == "logs" ? o->logs : std::string(what) == "spans" ? o->spans : o->fetches;
}

} // namespace

class TestCliFetchLokiJaeger : public QObject {
    Q_OBJECT

private slots:
    void fetchThroughTheCli()
    {
        FakeLokiServer loki;
        QVERIFY(loki.start());
        loki.setTenant("team-a");
        FakeLokiStream s{{{"app", "checkout"}, {"env", "prod"}}, {}};
        for (int i = 0; i < 30; ++i)
            s.entries.push_back({kT0 + (i / 3) * 1000000, "line " + std::to_string(i), {}});
        loki.addStream(s);

        FakeJaegerServer jaeger(JaegerFlavour::V3Only);
        QVERIFY(jaeger.start());
        const std::string traceA = "00000000000000000000000000000abc";
        jaeger.addSpan({traceA, "00000000000000a1", "", "checkout", "POST /checkout", kT0 / 1000, 1500000, {}, false, 2});
        jaeger.addSpan({traceA, "00000000000000a2", "00000000000000a1", "payment", "charge", kT0 / 1000 + 10, 1400000, {}, true, 3});

        QTemporaryDir dir;
        const QString sources = dir.filePath(QStringLiteral("sources.yaml"));
        {
            QFile f(sources);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray("sources:\n"
                               "  - name: logs\n    kind: loki\n    url: ")
                    + QByteArray::fromStdString(loki.url()) + "\n    tenant: team-a\n"
                    + "  - name: traces\n    kind: jaeger\n    url: " + QByteArray::fromStdString(jaeger.url()) + "\n");
        }
        const QString cache = dir.filePath(QStringLiteral("c.rootline"));
        const QString from = QStringLiteral("2025-11-23T14:26:40Z"), to = QStringLiteral("2025-11-23T14:26:41Z");
        const QStringList logArgs{QStringLiteral("fetch"), QStringLiteral("--cache"), cache, QStringLiteral("--sources"), sources,
                                  QStringLiteral("--source"), QStringLiteral("logs"), QStringLiteral("--from"), from,
                                  QStringLiteral("--to"), to, QStringLiteral("--query"), QStringLiteral("{env=\"prod\"}"),
                                  QStringLiteral("--json")};
        Run logs = cli(logArgs);
        QVERIFY2(logs.exitCode == 0, logs.err.constData());
        QCOMPARE(logs.json().value(QStringLiteral("rows")).toObject().value(QStringLiteral("logs")).toInt(), 30);
        QCOMPARE(logs.json().value(QStringLiteral("complete")).toBool(), true);
        QCOMPARE(logs.json().value(QStringLiteral("from")).toString(), QStringLiteral("network"));
        QCOMPARE(count(cache.toStdString(), "logs"), int64_t(30));
        QVERIFY(loki.problems().empty());

        Run again = cli(logArgs);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QCOMPARE(again.json().value(QStringLiteral("from")).toString(), QStringLiteral("cache"));
        QCOMPARE(count(cache.toStdString(), "logs"), int64_t(30));

        Run traces = cli({QStringLiteral("fetch"), QStringLiteral("--cache"), cache, QStringLiteral("--sources"), sources,
                          QStringLiteral("--source"), QStringLiteral("traces"), QStringLiteral("--from"), from,
                          QStringLiteral("--to"), to, QStringLiteral("--search"), QStringLiteral("service=checkout"),
                          QStringLiteral("--json")});
        QVERIFY2(traces.exitCode == 0, traces.err.constData());
        QCOMPARE(traces.json().value(QStringLiteral("rows")).toObject().value(QStringLiteral("spans")).toInt(), 2);

        Run one = cli({QStringLiteral("fetch"), QStringLiteral("--cache"), dir.filePath(QStringLiteral("t.rootline")),
                       QStringLiteral("--sources"), sources, QStringLiteral("--source"), QStringLiteral("traces"),
                       QStringLiteral("--trace"), QStringLiteral("ABC"), QStringLiteral("--json")});
        QVERIFY2(one.exitCode == 0, one.err.constData());
        QCOMPARE(one.json().value(QStringLiteral("rows")).toObject().value(QStringLiteral("spans")).toInt(), 2);

        // A failing Loki: exit code 2, Loki's own words, nothing stored for that window.
        loki.injectFault(ServerFault::ServerError);
        const int64_t fetchesBefore = count(cache.toStdString(), "fetches");
        Run failed = cli({QStringLiteral("fetch"), QStringLiteral("--cache"), cache, QStringLiteral("--sources"), sources,
                          QStringLiteral("--source"), QStringLiteral("logs"), QStringLiteral("--from"),
                          QStringLiteral("2025-11-23T14:30:00Z"), QStringLiteral("--to"), QStringLiteral("2025-11-23T14:31:00Z"),
                          QStringLiteral("--query"), QStringLiteral("{env=\"prod\"}")});
        QCOMPARE(failed.exitCode, 2);
        QVERIFY2(failed.err.contains("HTTP 500: rpc error"), failed.err.constData());
        QCOMPARE(count(cache.toStdString(), "logs"), int64_t(30));
        QCOMPARE(count(cache.toStdString(), "fetches"), fetchesBefore);
    }
};

QTEST_GUILESS_MAIN(TestCliFetchLokiJaeger)
#include "tst_cli_fetch_loki_jaeger.moc"
