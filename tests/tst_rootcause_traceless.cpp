// Issue 15: root causes where no trace connects the services that fail. Each scenario
// (CascadeScenarios.cpp has the worked examples) is imported through the one ingest path into a
// fresh cache and ranked; the cause must come first with a clear margin and say why, each
// symptom must say whose symptom it is — or, where nothing separates two candidates, both must
// share a rank and say "equally likely".

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "correlation/RootCauseRanker.h"
#include "correlation/ServiceDirectory.h"
#include "import/WriterSink.h"
#include "investigation/Investigation.h"
#include "investigation/InvestigationReport.h"
#include "investigation/Scenarios.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace rootline;

namespace {

const RootCauseCandidate* candidateOf(const RootCauseRanking& r, const std::string& service)
{
    for (const auto& c : r.candidates)
        if (c.service == service)
            return &c;
    return nullptr;
}

bool has(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

} // namespace

class TestRootCauseTraceless : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::map<ScenarioKind, std::string> m_paths;

    Result<RootCauseRanking> rank(ScenarioKind kind)
    {
        const ScenarioSpec& spec = scenarioSpec(kind);
        if (!m_paths.count(kind)) {
            const std::string path = m_dir.filePath(QString::fromUtf8(spec.name) + QStringLiteral(".rootline")).toStdString();
            auto writer = CacheWriter::open(path);
            if (!writer)
                return writer.error();
            auto unit = (*writer)->begin(FetchRecord{0, "scenario", "import", spec.name});
            WriterSink sink(*unit);
            if (auto s = generateScenario(kind, sink); !s)
                return s.error();
            if (auto stats = unit->commit(); !stats)
                return stats.error();
            m_paths[kind] = path;
        }
        auto reader = CacheReader::open(m_paths[kind]);
        if (!reader)
            return reader.error();
        auto services = ServiceDirectory::load(**reader, nullptr);
        if (!services)
            return services.error();
        RankerOptions options;
        options.service = spec.focusService;
        options.incident = spec.incident;
        options.baseline = spec.baseline;
        auto ranking = rankRootCauses(**reader, *services, options);
        if (ranking)
            for (const auto& c : ranking->candidates)
                qInfo("#%d %.3f %s [%s] %s", c.rank, c.score, c.service.c_str(), c.kind.c_str(), c.explanation.c_str());
        return ranking;
    }

    // No trace starts inside the incident window: these are the cases the issue is about.
    void requireNoIncidentTraces(const RootCauseRanking& r) { QCOMPARE(r.incidentTraces, int64_t(0)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Logs and metrics only: notification's relay refuses, accounts waits for it and fails.
    // Before issue 15 both scored 0.50 as "log-template".
    void logsCascade()
    {
        auto r = rank(ScenarioKind::LogsCascade);
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        requireNoIncidentTraces(*r);
        QVERIFY(r->candidates.size() >= 2);
        const RootCauseCandidate& top = r->candidates.front();
        QCOMPARE(top.service, std::string("notification"));
        QCOMPARE(top.rank, 1);
        QVERIFY(top.tiedWith.empty());
        QVERIFY(top.symptomOf.empty());
        const RootCauseCandidate* api = candidateOf(*r, "accounts");
        QVERIFY(api);
        QCOMPARE(api->symptomOf, std::string("notification"));
        QVERIFY2(top.score - api->score >= 0.4, std::to_string(top.score - api->score).c_str());
        // The reasons are stated: precedence with its size, the symptom's words, the metric.
        QVERIFY2(has(top.explanation, "explains accounts"), top.explanation.c_str());
        QVERIFY2(has(top.explanation, "30 s before accounts"), top.explanation.c_str());
        QVERIFY2(has(api->explanation, "likely a symptom of notification"), api->explanation.c_str());
        QVERIFY2(has(api->explanation, "name notification"), api->explanation.c_str());
        QVERIFY2(has(api->explanation, "notification_emails_failed_total"), api->explanation.c_str()); // moved first, alone
        QVERIFY(top.components.at("cause") >= 0.99);
        QVERIFY(api->components.at("symptom") >= 0.99);
        // Its evidence opens: log lines that say what failed, and the series that moved first.
        QVERIFY(!top.evidence.logIds.empty());
        auto reader = CacheReader::open(m_paths[ScenarioKind::LogsCascade]);
        QVERIFY(reader);
        for (int64_t row : top.evidence.logIds) {
            auto log = (*reader)->logById(row);
            QVERIFY(log && log->has_value());
            QVERIFY2(has((*log)->body, "refused"), (*log)->body.c_str());
        }
        QVERIFY(std::any_of(top.evidence.series.begin(), top.evidence.series.end(),
                            [](const std::string& s) { return has(s, "notification_emails_failed_total"); }));
    }

    // Three tiers, everything within 400 ms: timing cannot order them, the topology known from
    // the baseline's traces and the retries' own words do.
    void retryCascade()
    {
        auto r = rank(ScenarioKind::RetryCascade);
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        requireNoIncidentTraces(*r);
        QVERIFY(r->baselineTraces > 0);
        QVERIFY(r->topologyEdges >= 2);
        const RootCauseCandidate& top = r->candidates.front();
        QCOMPARE(top.service, std::string("ledger"));
        QVERIFY(top.tiedWith.empty());
        const RootCauseCandidate* billing = candidateOf(*r, "billing");
        const RootCauseCandidate* storefront = candidateOf(*r, "storefront");
        QVERIFY(billing && storefront);
        QCOMPARE(billing->symptomOf, std::string("ledger"));
        QCOMPARE(storefront->symptomOf, std::string("billing"));
        QVERIFY2(top.score - billing->score >= 0.4, std::to_string(top.score - billing->score).c_str());
        QVERIFY2(top.score - storefront->score >= 0.4, std::to_string(top.score - storefront->score).c_str());
        QVERIFY2(has(billing->explanation, "billing calls ledger (known from traces"), billing->explanation.c_str());
        QVERIFY2(has(billing->explanation, "name ledger"), billing->explanation.c_str());
        // Precedence is not claimed where the data cannot resolve it.
        QVERIFY2(!has(billing->explanation, "before billing") && !has(billing->explanation, "started first"), billing->explanation.c_str());
    }

    // Two faults at once, unrelated: both reported, neither hides the other, and the tie says so.
    void unrelatedFaults()
    {
        auto r = rank(ScenarioKind::UnrelatedFaults);
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        requireNoIncidentTraces(*r);
        QVERIFY(r->candidates.size() >= 2);
        const RootCauseCandidate& a = r->candidates[0];
        const RootCauseCandidate& b = r->candidates[1];
        QCOMPARE(std::set<std::string>({a.service, b.service}), std::set<std::string>({"notification", "search"}));
        QCOMPARE(a.rank, 1);
        QCOMPARE(b.rank, 1); // one rank: the list's order between them is not a verdict
        QCOMPARE(a.tiedWith, std::vector<std::string>{b.service});
        QCOMPARE(b.tiedWith, std::vector<std::string>{a.service});
        QVERIFY(a.symptomOf.empty() && b.symptomOf.empty());
        QVERIFY(a.score >= 0.4 && b.score >= 0.4);
        for (const auto* c : {&a, &b}) {
            QVERIFY2(has(c->explanation, "equally likely as"), c->explanation.c_str());
            QVERIFY2(has(c->explanation, "neither names the other"), c->explanation.c_str());
            QVERIFY2(has(c->explanation, "no known dependency links them"), c->explanation.c_str());
            QVERIFY2(has(c->explanation, "trace"), c->explanation.c_str()); // what would separate them
        }
        for (size_t i = 2; i < r->candidates.size(); ++i)
            QVERIFY(r->candidates[i].score < b.score - 0.2);
        // The report says it too, rather than naming one of them "the" cause.
        InvestigationState st;
        st.candidates = r->candidates;
        const std::string md = investigationMarkdown(st, Timestamp::fromSeconds(1795172400));
        QVERIFY2(has(md, "**Most likely cause:** equally likely — "), md.c_str());
    }

    // Saturation with no error anywhere: the consumer's series moves first and alone.
    void queueSaturation()
    {
        auto r = rank(ScenarioKind::QueueSaturation);
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        requireNoIncidentTraces(*r);
        auto reader = CacheReader::open(m_paths[ScenarioKind::QueueSaturation]);
        QVERIFY(reader);
        LogQuery errors;
        errors.minSeverity = int(Severity::Error);
        auto errorLines = (*reader)->countLogs(errors);
        QVERIFY(errorLines);
        QCOMPARE(*errorLines, int64_t(0)); // "no errors at all"
        const RootCauseCandidate& top = r->candidates.front();
        QCOMPARE(top.service, std::string("fulfillment"));
        QVERIFY(top.tiedWith.empty());
        const RootCauseCandidate* orders = candidateOf(*r, "orders");
        QVERIFY(orders);
        QCOMPARE(orders->symptomOf, std::string("fulfillment"));
        QVERIFY2(top.score - orders->score >= 0.4, std::to_string(top.score - orders->score).c_str());
        QVERIFY2(has(top.explanation, "fulfillment_worker_busy_ratio"), top.explanation.c_str());
        QVERIFY2(has(orders->explanation, "orders calls fulfillment (known from the service-graph metric"), orders->explanation.c_str());
        QVERIFY2(has(orders->explanation, "moved first, alone"), orders->explanation.c_str());
        QVERIFY(top.components.at("metric") >= 0.9);
        QVERIFY(std::any_of(top.evidence.series.begin(), top.evidence.series.end(),
                            [](const std::string& s) { return has(s, "fulfillment_worker_busy_ratio"); }));
    }

    // Through the guided investigation from the scenario's alert: the CLI's result document carries
    // the tie (one rank, "tied_with") and the symptom's cause ("symptom_of"), and a saved
    // investigation reopens with both.
    void investigationCarriesTiesAndSymptoms()
    {
        for (ScenarioKind kind : {ScenarioKind::UnrelatedFaults, ScenarioKind::LogsCascade}) {
            QVERIFY(rank(kind)); // makes the cache
            auto reader = CacheReader::open(m_paths[kind]);
            QVERIFY(reader);
            InvestigationOptions options;
            auto alert = chooseAlert(**reader, "", nullptr);
            QVERIFY2(alert, alert ? "" : alert.error().message().c_str());
            options.alert = *alert;
            auto inv = Investigation::start(**reader, options);
            QVERIFY2(inv, inv ? "" : inv.error().message().c_str());
            QVERIFY(inv->runAll(**reader));
            const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(inv->resultJson())).object();
            const auto candidates = doc[QStringLiteral("candidates")].toArray();
            QVERIFY(candidates.size() >= 2);
            const auto first = candidates[0].toObject(), second = candidates[1].toObject();
            if (kind == ScenarioKind::UnrelatedFaults) {
                QCOMPARE(first[QStringLiteral("rank")].toInt(), 1);
                QCOMPARE(second[QStringLiteral("rank")].toInt(), 1);
                QCOMPARE(first[QStringLiteral("tied_with")].toArray().first().toString(), second[QStringLiteral("service")].toString());
            } else {
                QCOMPARE(first[QStringLiteral("service")].toString(), QStringLiteral("notification"));
                QVERIFY(!first.contains(QStringLiteral("tied_with")));
                QCOMPARE(second[QStringLiteral("symptom_of")].toString(), QStringLiteral("notification"));
            }
            auto reopened = Investigation::fromJson(inv->toJson());
            QVERIFY2(reopened, reopened ? "" : reopened.error().message().c_str());
            const auto& before = inv->state().candidates;
            const auto& after = reopened->state().candidates;
            QCOMPARE(after.size(), before.size());
            for (size_t i = 0; i < before.size(); ++i) {
                QCOMPARE(after[i].tiedWith, before[i].tiedWith);
                QCOMPARE(after[i].symptomOf, before[i].symptomOf);
            }
        }
    }

    // A single service failing alone keeps its old score: nothing to order it against.
    void aloneIsUnchanged()
    {
        auto r = rank(ScenarioKind::LogOnly);
        QVERIFY2(r, r ? "" : r.error().message().c_str());
        const RootCauseCandidate& top = r->candidates.front();
        QCOMPARE(top.service, std::string("notification"));
        QCOMPARE(top.kind, std::string("log-template"));
        QVERIFY(std::fabs(top.score - 0.5) < 1e-9);
        QVERIFY(top.tiedWith.empty());
    }
};

QTEST_GUILESS_MAIN(TestRootCauseTraceless)
#include "tst_rootcause_traceless.moc"
