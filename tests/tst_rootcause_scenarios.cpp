// The scenario suite (issue 5, Tests): six generated incidents, each imported through the one
// ingest path into a fresh cache, ranked, and checked for the right root cause first with
// evidence that opens — its trace ids are in the cache, its log ids point at lines that mention
// the failure.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/DeployMarkers.h"
#include "correlation/RootCauseRanker.h"
#include "correlation/TraceLinks.h"
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

    // The ranking of a scenario's focus service over its incident and baseline windows.
    static RankerOptions optionsFor(const ScenarioSpec& spec)
    {
        RankerOptions options;
        options.service = spec.focusService;
        options.incident = spec.incident;
        options.baseline = spec.baseline;
        return options;
    }

private slots:
    void rankings_data()
    {
        QTest::addColumn<ScenarioKind>("kind");
        for (const auto& s : scenarioSpecs())
            if (s.traced) // the traceless ones (issue 15) have tst_rootcause_traceless
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
        RankerOptions options = optionsFor(spec);
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
        default:
            QFAIL("a traceless scenario reached the traced suite"); // rankings_data() leaves them out
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
        RankerOptions options = optionsFor(spec);
        options.correctClockSkew = false;
        auto ranking = rankRootCauses(**reader, *services, options);
        QVERIFY(ranking && !ranking->candidates.empty());
        QVERIFY(ranking->candidates.front().service != "shipping");
    }

    // The log-template stage reads at most maxLogLines lines per window and flags each window it
    // cut short; a window read whole is not flagged.
    void logTemplateCapFlagged()
    {
        const ScenarioSpec& spec = scenarioSpec(ScenarioKind::LogOnly);
        auto reader = CacheReader::open(m_dir.filePath(QStringLiteral("log-only.rootline")).toStdString());
        QVERIFY(reader);
        auto services = ServiceDirectory::load(**reader, nullptr);
        QVERIFY(services);
        RankerOptions options = optionsFor(spec);
        auto whole = rankRootCauses(**reader, *services, options);
        QVERIFY(whole);
        QVERIFY(!whole->incidentLogsTruncated && !whole->baselineLogsTruncated);
        QVERIFY(whole->limits.empty());
        options.maxLogLines = int(whole->incidentLogs); // one fewer (below) than the lines the window yielded
        QVERIFY(options.maxLogLines > 1);
        options.maxLogLines -= 1;
        auto capped = rankRootCauses(**reader, *services, options);
        QVERIFY(capped);
        QVERIFY(capped->incidentLogsTruncated);
        QVERIFY(capped->incidentLogs <= int64_t(options.maxLogLines));
        QVERIFY(!capped->limits.empty());
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

    // Exemplars link a histogram's points to traces; a series without exemplars gets the traces
    // of its service in the bucket instead, marked as stand-ins.
    void exemplarsAndStandIns()
    {
        const ScenarioSpec& spec = scenarioSpec(ScenarioKind::DownstreamTimeout);
        auto reader = CacheReader::open(m_dir.filePath(QStringLiteral("downstream-timeout.rootline")).toStdString());
        QVERIFY(reader);
        auto services = ServiceDirectory::load(**reader, nullptr);
        QVERIFY(services);
        auto series = (*reader)->listSeries();
        QVERIFY(series);
        int64_t histogram = 0, paymentCounter = 0;
        for (const auto& info : *series) {
            if (info.series.name == "http_server_request_duration_seconds_bucket" && *info.series.label("le") == "+Inf")
                histogram = info.series.rowId;
            if (info.series.name == "http_server_requests_total" && *info.series.label("service") == "payment"
                && *info.series.label("status_class") == "5xx")
                paymentCounter = info.series.rowId;
        }
        QVERIFY(histogram && paymentCounter);
        auto ex = tracesForBucket(**reader, *services, histogram, "checkout", "", spec.incident, 5);
        QVERIFY(ex);
        QVERIFY(!ex->empty());
        for (const auto& l : *ex) {
            QVERIFY(l.fromExemplar);
            QVERIFY(l.value > 1); // the +Inf bucket only gets the slow ones
            QVERIFY((*reader)->traceSummary(l.traceId)->has_value());
        }
        const TimeWindow bucket{spec.faultStart + Duration::minutes(5), spec.faultStart + Duration::minutes(6)};
        auto standIns = tracesForBucket(**reader, *services, paymentCounter, "payment", "Charge", bucket, 5);
        QVERIFY(standIns);
        QCOMPARE(standIns->size(), size_t(5));
        for (const auto& l : *standIns) {
            QVERIFY(!l.fromExemplar);
            QVERIFY(bucket.contains(l.time));
            QVERIFY(l.error); // failing first
        }
    }

    void deployMarkers()
    {
        auto reader = CacheReader::open(m_dir.filePath(QStringLiteral("bad-deploy.rootline")).toStdString());
        QVERIFY(reader);
        auto services = ServiceDirectory::load(**reader, nullptr);
        QVERIFY(services);
        auto markers = findDeployMarkers(**reader, *services, TimeWindow::all());
        QVERIFY(markers);
        QCOMPARE(markers->size(), size_t(1));
        const DeployMarker& m = markers->front();
        QCOMPARE(m.service, std::string("cart"));
        QCOMPARE(m.fromVersion, std::string("1.4.0"));
        QCOMPARE(m.toVersion, std::string("1.5.0"));
        const Timestamp expected = scenarioSpec(ScenarioKind::BadDeploy).faultStart - Duration::minutes(1);
        QVERIFY(m.time >= expected && m.time < expected + Duration::seconds(20));
        // A service that never changed version has no marker, whatever the window.
        auto none = CacheReader::open(m_dir.filePath(QStringLiteral("latency-only.rootline")).toStdString());
        QVERIFY(none);
        auto noneServices = ServiceDirectory::load(**none, nullptr);
        QVERIFY(noneServices);
        auto noMarkers = findDeployMarkers(**none, *noneServices, TimeWindow::all());
        QVERIFY(noMarkers && noMarkers->empty());
    }
};

QTEST_GUILESS_MAIN(TestRootCauseScenarios)
#include "tst_rootcause_scenarios.moc"
