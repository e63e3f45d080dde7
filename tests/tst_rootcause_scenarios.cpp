// The scenario suite (issue 5, Tests): six generated incidents, each imported through the one
// ingest path into a fresh cache, ranked, and checked for the right root cause first with
// evidence that opens — its trace ids are in the cache, its log ids point at lines that mention
// the failure.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/RootCauseRanker.h"
#include "correlation/ServiceDirectory.h"
#include "import/WriterSink.h"
#include "investigation/Scenarios.h"

#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

Q_DECLARE_METATYPE(rootline::ScenarioKind)

class TestRootCauseScenarios : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string makeCache(ScenarioKind kind)
    {
        const std::string path = m_dir.filePath(QString::fromUtf8(scenarioSpec(kind).name) + QStringLiteral(".rootline")).toStdString();
        auto writer = CacheWriter::open(path);
        if (!writer)
            qFatal("%s", writer.error().message().c_str());
        auto unit = (*writer)->begin(FetchRecord{0, "scenario", "import", scenarioSpec(kind).name});
        WriterSink sink(*unit);
        auto s = generateScenario(kind, sink);
        if (!s)
            qFatal("%s", s.error().message().c_str());
        auto stats = unit->commit();
        if (!stats)
            qFatal("%s", stats.error().message().c_str());
        return path;
    }

private slots:
    void rankings_data()
    {
        QTest::addColumn<ScenarioKind>("kind");
        for (const auto& s : scenarioSpecs())
            QTest::newRow(s.name) << s.kind;
    }

    void rankings()
    {
        QFETCH(ScenarioKind, kind);
        const ScenarioSpec& spec = scenarioSpec(kind);
        const std::string path = makeCache(kind);
        auto reader = CacheReader::open(path);
        QVERIFY2(reader, reader ? "" : reader.error().message().c_str());
        auto services = ServiceDirectory::load(**reader, nullptr);
        QVERIFY(services);
        RankerOptions options;
        options.service = spec.focusService;
        options.incident = spec.incident;
        options.baseline = spec.baseline;
        auto ranking = rankRootCauses(**reader, *services, options);
        QVERIFY2(ranking, ranking ? "" : ranking.error().message().c_str());
        QVERIFY(!ranking->candidates.empty());
        for (const auto& c : ranking->candidates)
            qInfo("#%d %.3f %s %s [%s] %s", c.rank, c.score, c.service.c_str(), c.operation.c_str(), c.kind.c_str(), c.explanation.c_str());
        const RootCauseCandidate& top = ranking->candidates.front();
        QCOMPARE(QString::fromStdString(top.service), QString::fromUtf8(spec.expectedService));
        QVERIFY2(top.operation.find(spec.expectedOperation) != std::string::npos, top.operation.c_str());
        QVERIFY(!top.explanation.empty());

        // Evidence opens: every trace id is a trace of the cache, every log id a line that says what failed.
        for (const auto& id : top.evidence.traceIds) {
            auto tid = parseTraceId(id);
            QVERIFY(tid);
            auto summary = (*reader)->traceSummary(*tid);
            QVERIFY(summary);
            QVERIFY2(summary->has_value(), id.c_str());
        }
        QVERIFY(!top.evidence.logIds.empty());
        for (int64_t row : top.evidence.logIds) {
            auto log = (*reader)->logById(row);
            QVERIFY(log && log->has_value());
            QVERIFY2((*log)->body.find(spec.failureWord) != std::string::npos, (*log)->body.c_str());
        }
        if (kind != ScenarioKind::LogOnly)
            QVERIFY(!top.evidence.traceIds.empty());

        switch (kind) {
        case ScenarioKind::DownstreamTimeout:
        case ScenarioKind::PoolExhaustion:
            QCOMPARE(QString::fromStdString(top.kind), QStringLiteral("error-origin"));
            break;
        case ScenarioKind::BadDeploy: {
            QCOMPARE(QString::fromStdString(top.kind), QStringLiteral("deploy"));
            bool version = false;
            for (const auto& [k, v] : top.evidence.attributes)
                version |= k == "service.version" && v.find("1.5.0") == 0;
            QVERIFY(version);
            break;
        }
        case ScenarioKind::LatencyOnly:
            QCOMPARE(QString::fromStdString(top.kind), QStringLiteral("latency"));
            QCOMPARE(top.components.at("error-origin"), 0.0); // nothing fails: latency alone names it
            break;
        case ScenarioKind::ClockSkew: {
            QCOMPARE(QString::fromStdString(top.kind), QStringLiteral("latency"));
            const double skewMs = ranking->skew.offsetOf("shipping").toMillis();
            QVERIFY2(std::abs(skewMs - 2500) < 5, std::to_string(skewMs).c_str());
            break;
        }
        case ScenarioKind::LogOnly:
            QCOMPARE(QString::fromStdString(top.kind), QStringLiteral("log-template"));
            QVERIFY(top.evidence.traceIds.empty());
            break;
        }
    }

    // Without skew correction the slow shipping work falls outside its parent and the blame goes
    // to checkout's client span: the correction is what puts it on shipping.
    void skewCorrectionMatters()
    {
        const ScenarioSpec& spec = scenarioSpec(ScenarioKind::ClockSkew);
        const std::string path = m_dir.filePath(QStringLiteral("clock-skew.rootline")).toStdString();
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        auto services = ServiceDirectory::load(**reader, nullptr);
        QVERIFY(services);
        RankerOptions options;
        options.service = spec.focusService;
        options.incident = spec.incident;
        options.baseline = spec.baseline;
        options.correctClockSkew = false;
        auto ranking = rankRootCauses(**reader, *services, options);
        QVERIFY(ranking && !ranking->candidates.empty());
        QVERIFY(ranking->candidates.front().service != "shipping");
    }

    // Trace ids written into bodies (JSON, logfmt) and attributes (traceID, X-Ray header) were
    // linked at ingest: the logs of a trace are found by trace.
    void traceIdsExtractedAtIngest()
    {
        const std::string path = m_dir.filePath(QStringLiteral("downstream-timeout.rootline")).toStdString();
        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        auto linked = (*reader)->database().queryInt("SELECT count(*) FROM logs WHERE trace IS NOT NULL");
        auto unlinked = (*reader)->database().queryInt(
            "SELECT count(*) FROM logs l JOIN resources r ON r.id = l.resource WHERE l.trace IS NULL AND r.service <> 'notification'");
        QVERIFY(linked && unlinked);
        QVERIFY(*linked > 1000);
        QCOMPARE(*unlinked, int64_t(0));
    }
};

QTEST_GUILESS_MAIN(TestRootCauseScenarios)
#include "tst_rootcause_scenarios.moc"
