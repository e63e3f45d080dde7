// `rootline-cli investigate` end to end: on the bundled sample incident it must name payment's
// call to the payment gateway (a timeout) first; on a generated scenario it takes a service and a
// window; usage errors exit 2 and say what is wrong.

#include "cache/CacheWriter.h"
#include "import/WriterSink.h"
#include "investigation/Scenarios.h"
#include "support/CliRunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

class TestInvestigateCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    using Run = test::CliResult;
    Run cli(const QStringList& args) { return test::runCli(args, m_dir.path(), 240000); } // no stray user rules

private slots:
    void sampleIncidentNamesPaymentGatewayTimeout()
    {
        const QString cache = m_dir.filePath(QStringLiteral("sample.rootline"));
        auto made = cli({QStringLiteral("sample"), QStringLiteral("--out"), cache});
        QVERIFY2(made.exitCode == 0, made.err.constData());
        const QString report = m_dir.filePath(QStringLiteral("sample.md"));
        auto run = cli({QStringLiteral("investigate"), QStringLiteral("--cache"), cache, QStringLiteral("--json"), QStringLiteral("--report"), report});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto doc = QJsonDocument::fromJson(run.out).object();
        QCOMPARE(doc[QStringLiteral("alert")].toObject()[QStringLiteral("name")].toString(), QStringLiteral("CheckoutAvailabilityBurnRate"));
        const auto top = doc[QStringLiteral("candidates")].toArray().first().toObject();
        QCOMPARE(top[QStringLiteral("service")].toString(), QStringLiteral("payment"));
        QCOMPARE(top[QStringLiteral("kind")].toString(), QStringLiteral("error-origin"));
        const QString why = top[QStringLiteral("explanation")].toString();
        QVERIFY2(why.contains(QStringLiteral("payment-gateway")) || top[QStringLiteral("operation")].toString().contains(QStringLiteral("gateway")),
                 qPrintable(why));
        QVERIFY2(why.contains(QStringLiteral("deadline")) || why.contains(QStringLiteral("timeout")) || why.contains(QStringLiteral("timed out")),
                 qPrintable(why));
        QVERIFY(!top[QStringLiteral("evidence")].toObject()[QStringLiteral("trace_ids")].toArray().isEmpty());
        QFile md(report);
        QVERIFY(md.open(QIODevice::ReadOnly));
        QVERIFY(md.readAll().contains("All times are UTC"));
    }

    void scenarioByServiceAndWindow()
    {
        const QString cache = m_dir.filePath(QStringLiteral("pool.rootline"));
        {
            auto writer = CacheWriter::open(cache.toStdString());
            QVERIFY(writer);
            auto unit = (*writer)->begin(FetchRecord{0, "scenario", "import", "pool-exhaustion"});
            WriterSink sink(*unit);
            QVERIFY(generateScenario(ScenarioKind::PoolExhaustion, sink));
            QVERIFY(unit->commit());
        }
        const auto& spec = scenarioSpec(ScenarioKind::PoolExhaustion);
        auto run = cli({QStringLiteral("investigate"), QStringLiteral("--cache"), cache, QStringLiteral("--service"), QStringLiteral("checkout"),
                        QStringLiteral("--from"), QString::fromStdString(spec.incident.from.toRfc3339()), QStringLiteral("--to"),
                        QString::fromStdString(spec.incident.to.toRfc3339()), QStringLiteral("--baseline-from"),
                        QString::fromStdString(spec.baseline.from.toRfc3339()), QStringLiteral("--baseline-to"),
                        QString::fromStdString(spec.baseline.to.toRfc3339()), QStringLiteral("--json")});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const auto doc = QJsonDocument::fromJson(run.out).object();
        QVERIFY(doc[QStringLiteral("alert")].isNull());
        QCOMPARE(doc[QStringLiteral("baseline")].toObject()[QStringLiteral("from")].toString(), QString::fromStdString(spec.baseline.from.toRfc3339()));
        const auto top = doc[QStringLiteral("candidates")].toArray().first().toObject();
        QCOMPARE(top[QStringLiteral("service")].toString(), QStringLiteral("inventory"));
        QCOMPARE(top[QStringLiteral("operation")].toString(), QStringLiteral("pool.acquire"));

        // A rules file with an alias: the alert's service and the span's service meet.
        const QString rules = m_dir.filePath(QStringLiteral("rules.yaml"));
        QFile f(rules);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("version: 1\nservice_aliases:\n  stock: [inventory]\n");
        f.close();
        auto aliased = cli({QStringLiteral("investigate"), QStringLiteral("--cache"), cache, QStringLiteral("--rules"), rules, QStringLiteral("--json")});
        QVERIFY2(aliased.exitCode == 0, aliased.err.constData());
        const auto top2 = QJsonDocument::fromJson(aliased.out).object()[QStringLiteral("candidates")].toArray().first().toObject();
        QCOMPARE(top2[QStringLiteral("service")].toString(), QStringLiteral("stock"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no cache") << QStringList{QStringLiteral("investigate")} << "--cache";
        QTest::newRow("alert and service") << QStringList{QStringLiteral("investigate"), QStringLiteral("--cache"), QStringLiteral("x"),
                                                          QStringLiteral("--alert"), QStringLiteral("A"), QStringLiteral("--service"), QStringLiteral("s")}
                                           << "not both";
        QTest::newRow("service without window") << QStringList{QStringLiteral("investigate"), QStringLiteral("--cache"), QStringLiteral("x"),
                                                               QStringLiteral("--service"), QStringLiteral("s")}
                                                << "go together";
        QTest::newRow("bad time") << QStringList{QStringLiteral("investigate"), QStringLiteral("--cache"), QStringLiteral("x"), QStringLiteral("--service"),
                                                 QStringLiteral("s"), QStringLiteral("--from"), QStringLiteral("yesterday"), QStringLiteral("--to"), QStringLiteral("now")}
                                  << "--from";
        QTest::newRow("missing cache file") << QStringList{QStringLiteral("investigate"), QStringLiteral("--cache"), QStringLiteral("/nonexistent.rootline")}
                                            << "no such file";
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        auto run = cli(args);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(QString::fromUtf8(run.err).contains(message), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestInvestigateCli)
#include "tst_investigate_cli.moc"
