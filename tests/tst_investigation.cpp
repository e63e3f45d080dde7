// The guided investigation over generated incidents: the eight steps run as a state machine,
// record what they looked at and pinned, take notes, survive a save and reload, confirm recovery,
// and export a report that reads as a postmortem draft (times in UTC, the zone stated).

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "import/WriterSink.h"
#include "investigation/Investigation.h"
#include "investigation/InvestigationReport.h"
#include "investigation/Scenarios.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

class TestInvestigation : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    std::string cacheFor(ScenarioKind kind)
    {
        const std::string path = m_dir.filePath(QString::fromUtf8(scenarioSpec(kind).name) + QStringLiteral(".rootline")).toStdString();
        if (QFile::exists(QString::fromStdString(path)))
            return path;
        auto writer = CacheWriter::open(path);
        if (!writer)
            qFatal("%s", writer.error().message().c_str());
        auto unit = (*writer)->begin(FetchRecord{0, "scenario", "import", scenarioSpec(kind).name});
        WriterSink sink(*unit);
        if (auto s = generateScenario(kind, sink); !s)
            qFatal("%s", s.error().message().c_str());
        if (auto c = unit->commit(); !c)
            qFatal("%s", c.error().message().c_str());
        return path;
    }

    // An investigation of `service` over the scenario's incident window, without an alert.
    static InvestigationOptions serviceWindow(ScenarioKind kind, std::string service)
    {
        InvestigationOptions options;
        options.service = std::move(service);
        options.window = scenarioSpec(kind).incident;
        return options;
    }

private slots:
    void stepsFromTheAlert()
    {
        auto reader = CacheReader::open(cacheFor(ScenarioKind::DownstreamTimeout));
        QVERIFY(reader);
        auto alert = chooseAlert(**reader, "", nullptr); // the one firing alert
        QVERIFY2(alert, alert ? "" : alert.error().message().c_str());
        QCOMPARE(alert->name, std::string("CheckoutAvailabilityBurnRate"));
        InvestigationOptions options;
        options.alert = *alert;
        auto inv = Investigation::start(**reader, options);
        QVERIFY2(inv, inv ? "" : inv.error().message().c_str());
        QCOMPARE(inv->state().service, std::string("checkout"));
        QCOMPARE(inv->state().current, 0);
        QVERIFY(inv->state().window.contains(alert->activeSince));
        QVERIFY(inv->state().baseline.to <= inv->state().window.from);

        // One step at a time: each advance runs exactly the next step.
        QVERIFY(inv->advance(**reader));
        QCOMPARE(inv->state().current, 1);
        QCOMPARE(inv->state().step(StepKind::Alert).status, StepStatus::Done);
        QCOMPARE(inv->state().step(StepKind::Sli).status, StepStatus::Pending);
        QVERIFY(inv->runAll(**reader));
        QVERIFY(inv->finished());
        const auto& st = inv->state();
        for (StepKind k : {StepKind::Alert, StepKind::Sli, StepKind::Logs, StepKind::Traces, StepKind::Span, StepKind::TraceLogs,
                           StepKind::Reproduction})
            QVERIFY2(st.step(k).status == StepStatus::Done, stepName(k));
        QCOMPARE(st.step(StepKind::Confirmation).status, StepStatus::Waiting);
        QVERIFY(st.slo);
        QVERIFY(st.slo->errorRatioIncident > 0.3);
        QVERIFY(st.slo->errorRatioBaseline < 0.01);
        QVERIFY(QString::fromStdString(st.step(StepKind::Traces).summary).contains(QStringLiteral("exemplars point at traces")));
        // The span step names the failing gateway call; its trace's logs were looked at and pinned.
        QVERIFY(QString::fromStdString(st.step(StepKind::Span).summary).contains(QStringLiteral("payment-gateway")));
        QVERIFY(!st.focusTraceId.empty());
        QVERIFY(!st.step(StepKind::TraceLogs).pinned.empty());
        // Reproduction facts: route, method, peer, version of the failing span.
        std::map<std::string, std::string> facts(st.reproduction.begin(), st.reproduction.end());
        QCOMPARE(facts["route"], std::string("/checkout"));
        QCOMPARE(facts["target method"], std::string("POST"));
        QCOMPARE(facts["peer"], std::string("payment-gateway"));
        QCOMPARE(facts["version"], std::string("1.12.3"));
        QVERIFY(facts.count("parameter app.order.id") || facts.count("parameter app.payment.amount"));

        // Confirmation: the incident still burns at the end of the data.
        QVERIFY(inv->confirmAfter(**reader, scenarioSpec(ScenarioKind::DownstreamTimeout).faultStart + Duration::minutes(5)));
        QCOMPARE(inv->state().step(StepKind::Confirmation).status, StepStatus::Done);
        QVERIFY(inv->state().step(StepKind::Confirmation).summary.starts_with("Not recovered"));
        // And before the fault everything was fine.
        QVERIFY(inv->confirmAfter(**reader, scenarioSpec(ScenarioKind::DownstreamTimeout).baseline.from));
        QVERIFY(inv->state().step(StepKind::Confirmation).summary.starts_with("Recovered"));
    }

    void notesPinsSaveAndReload()
    {
        const std::string path = cacheFor(ScenarioKind::PoolExhaustion);
        std::optional<Investigation> inv;
        {
            auto reader = CacheReader::open(path);
            QVERIFY(reader);
            InvestigationOptions options;
            options.service = "checkout";
            options.window = scenarioSpec(ScenarioKind::PoolExhaustion).incident;
            auto started = Investigation::start(**reader, options);
            QVERIFY(started);
            inv.emplace(std::move(*started));
            QVERIFY(inv->runAll(**reader));
        }
        const Timestamp noteTime = Timestamp::fromSeconds(1795172100);
        inv->addNote(StepKind::Span, "pool max is 20; raise to 50 and add a queue timeout alert", noteTime);
        inv->pin(StepKind::Logs, {"log", "1", "first line"});
        inv->pin(StepKind::Logs, {"log", "1", "first line"}); // pinning twice keeps one
        const size_t pinned = inv->state().step(StepKind::Logs).pinned.size();
        inv->unpin(StepKind::Logs, {"log", "1", "first line"});
        QCOMPARE(inv->state().step(StepKind::Logs).pinned.size(), pinned - 1);
        inv->pin(StepKind::Logs, {"log", "1", "first line"});

        auto writer = CacheWriter::open(path);
        QVERIFY(writer);
        auto id = inv->save(**writer);
        QVERIFY(id);
        QVERIFY(*id > 0);
        auto again = inv->save(**writer); // an update, not a second row
        QVERIFY(again);
        QCOMPARE(*again, *id);
        writer->reset();

        auto reader = CacheReader::open(path);
        QVERIFY(reader);
        auto stmt = (*reader)->database().prepare("SELECT count(*), max(state) FROM investigations");
        QVERIFY(stmt);
        QVERIFY(*stmt->step());
        QCOMPARE(stmt->int64(0), int64_t(1));
        auto reloaded = Investigation::fromJson(stmt->text(1));
        QVERIFY2(reloaded, reloaded ? "" : reloaded.error().message().c_str());
        QCOMPARE(reloaded->toJson(), inv->toJson());
        QCOMPARE(reloaded->state().step(StepKind::Span).notes.size(), size_t(1));
        QCOMPARE(reloaded->state().step(StepKind::Span).notes.front().at, noteTime);
        QCOMPARE(reloaded->state().candidates.front().service, std::string("inventory"));
        QVERIFY(!Investigation::fromJson("{\"format\":\"something else\"}"));
    }

    void logOnlyFailure()
    {
        auto reader = CacheReader::open(cacheFor(ScenarioKind::LogOnly));
        QVERIFY(reader);
        auto alert = chooseAlert(**reader, "", nullptr);
        QVERIFY(!alert);
        QVERIFY(QString::fromStdString(alert.error().message()).contains(QStringLiteral("no firing alert")));
        InvestigationOptions options = serviceWindow(ScenarioKind::LogOnly, "notification");
        auto inv = Investigation::start(**reader, options);
        QVERIFY(inv);
        QVERIFY(inv->runAll(**reader));
        const auto& st = inv->state();
        QCOMPARE(st.candidates.front().service, std::string("notification"));
        QCOMPARE(st.step(StepKind::Traces).status, StepStatus::Skipped);
        QVERIFY(QString::fromStdString(st.step(StepKind::Traces).summary).contains(QStringLiteral("No trace was sampled")));
        QCOMPARE(st.step(StepKind::Span).status, StepStatus::Skipped);
        QVERIFY(QString::fromStdString(st.step(StepKind::Reproduction).summary).contains(QStringLiteral("SMTP connection refused")));
    }

    // The log-template stage reads at most maxLogLines lines per window (200 000 by default): when
    // it stops there, the result says it is partial — in the JSON, the Logs step and the report.
    void logTemplatesCappedSaySo()
    {
        auto reader = CacheReader::open(cacheFor(ScenarioKind::LogOnly));
        QVERIFY(reader);
        InvestigationOptions options = serviceWindow(ScenarioKind::LogOnly, "notification");
        options.maxLogLines = 25;
        auto inv = Investigation::start(**reader, options);
        QVERIFY2(inv, inv ? "" : inv.error().message().c_str());
        QVERIFY(inv->runAll(**reader));
        const auto& st = inv->state();
        QVERIFY(!st.limits.empty());
        QVERIFY2(QString::fromStdString(st.limits.front()).contains(QStringLiteral("only the first 25 warning-or-worse lines of the incident window")),
                 st.limits.front().c_str());
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(inv->resultJson())).object();
        QCOMPARE(doc[QStringLiteral("partial")].toBool(), true);
        QVERIFY(doc[QStringLiteral("limits")].toArray().first().toString().contains(QStringLiteral("only the first 25")));
        QVERIFY(QString::fromStdString(st.step(StepKind::Logs).summary).contains(QStringLiteral("Partial: log templates: only the first 25")));
        const QString report = QString::fromStdString(investigationMarkdown(st));
        QVERIFY(report.contains(QStringLiteral("## Limits of this analysis")));
        // The note survives a save and reload.
        auto reloaded = Investigation::fromJson(inv->toJson());
        QVERIFY(reloaded);
        QCOMPARE(reloaded->state().limits, st.limits);

        // With the default cap the same window is read whole, and nothing is said.
        options.maxLogLines = InvestigationOptions{}.maxLogLines;
        auto whole = Investigation::start(**reader, options);
        QVERIFY(whole);
        QVERIFY(whole->state().limits.empty());
        QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(whole->resultJson())).object()[QStringLiteral("partial")].toBool(), false);
    }

    // The span's own logs are few; a trace whose logs all belong to other spans makes the step
    // widen to the whole trace, and say so.
    void traceLogsWidenAndSaySo()
    {
        auto reader = CacheReader::open(cacheFor(ScenarioKind::LatencyOnly));
        QVERIFY(reader);
        InvestigationOptions options = serviceWindow(ScenarioKind::LatencyOnly, "checkout");
        auto inv = Investigation::start(**reader, options);
        QVERIFY(inv);
        QVERIFY(inv->runAll(**reader));
        const auto& step = inv->state().step(StepKind::TraceLogs);
        QCOMPARE(step.status, StepStatus::Done);
        QVERIFY2(QString::fromStdString(step.summary).contains(QStringLiteral("widened to the whole trace")), step.summary.c_str());
        QVERIFY(!step.lookedAt.empty());
    }

    void report()
    {
        auto reader = CacheReader::open(cacheFor(ScenarioKind::BadDeploy));
        QVERIFY(reader);
        auto alert = chooseAlert(**reader, "CheckoutAvailabilityBurnRate", nullptr);
        QVERIFY(alert);
        InvestigationOptions options;
        options.alert = *alert;
        auto inv = Investigation::start(**reader, options);
        QVERIFY(inv);
        QVERIFY(inv->runAll(**reader));
        inv->addNote(StepKind::Alert, "rolled cart back to 1.4.0 at 10:58", Timestamp::fromSeconds(1795172280));
        const QString md = QString::fromStdString(investigationMarkdown(inv->state(), Timestamp::fromSeconds(1795176000)));
        QVERIFY(md.startsWith(QStringLiteral("# Incident report: CheckoutAvailabilityBurnRate")));
        QVERIFY(md.contains(QStringLiteral("All times are UTC")));
        QVERIFY(md.contains(QStringLiteral("## Timeline (UTC)")));
        QVERIFY(md.contains(QStringLiteral("cart 1.5.0 first seen (was 1.4.0")));
        QVERIFY(md.contains(QStringLiteral("| 2026-11-20 10:47:00 | alert CheckoutAvailabilityBurnRate fires |")));
        QVERIFY(md.contains(QStringLiteral("**Most likely cause:** cart 1.5.0")));
        QVERIFY(md.contains(QStringLiteral("### Evidence for #1: cart GetCart")));
        QVERIFY(md.contains(QStringLiteral("rolled cart back to 1.4.0")));
        QVERIFY(md.contains(QStringLiteral("## Follow-up")));
        for (int i = 0; i < kStepCount; ++i)
            QVERIFY(md.contains(QStringLiteral("### %1. %2").arg(i + 1).arg(QString::fromUtf8(stepTitle(StepKind(i))))));
        const QString html = QString::fromStdString(investigationHtml(inv->state(), Timestamp::fromSeconds(1795176000)));
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QVERIFY(html.contains(QStringLiteral("<h2>Timeline (UTC)</h2>")));
        QVERIFY(html.contains(QStringLiteral("<td>cart</td>")));
        QCOMPARE(html.count(QStringLiteral("<table>")), html.count(QStringLiteral("</table>")));
        QCOMPARE(html.count(QStringLiteral("<ul>")), html.count(QStringLiteral("</ul>")));
        QVERIFY(!html.contains(QStringLiteral("<script")));
    }

    void resultJsonShape()
    {
        auto reader = CacheReader::open(cacheFor(ScenarioKind::DownstreamTimeout));
        QVERIFY(reader);
        InvestigationOptions options;
        options.alert = *chooseAlert(**reader, "", nullptr);
        auto inv = Investigation::start(**reader, options);
        QVERIFY(inv && inv->runAll(**reader));
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(inv->resultJson())).object();
        QCOMPARE(doc.keys(), (QStringList{QStringLiteral("alert"), QStringLiteral("baseline"), QStringLiteral("candidates"), QStringLiteral("limits"),
                                          QStringLiteral("partial"), QStringLiteral("slo"), QStringLiteral("steps"), QStringLiteral("window")}));
        // Nothing in this small scenario reaches a cap: the answer is whole.
        QCOMPARE(doc[QStringLiteral("partial")].toBool(), false);
        QVERIFY(doc[QStringLiteral("limits")].toArray().isEmpty());
        QVERIFY(doc[QStringLiteral("window")].toObject().contains(QStringLiteral("from")));
        const auto c = doc[QStringLiteral("candidates")].toArray().first().toObject();
        QCOMPARE(c[QStringLiteral("rank")].toInt(), 1);
        for (const char* key : {"service", "operation", "kind", "score", "explanation", "evidence"})
            QVERIFY2(c.contains(QLatin1String(key)), key);
        const auto e = c[QStringLiteral("evidence")].toObject();
        for (const char* key : {"trace_ids", "span_ids", "log_ids", "series", "attributes"})
            QVERIFY2(e.contains(QLatin1String(key)), key);
        QVERIFY(e[QStringLiteral("attributes")].isObject());
        const auto steps = doc[QStringLiteral("steps")].toArray();
        QCOMPARE(steps.size(), kStepCount);
        QCOMPARE(steps[0].toObject().keys(), (QStringList{QStringLiteral("name"), QStringLiteral("status"), QStringLiteral("summary")}));
    }
};

QTEST_GUILESS_MAIN(TestInvestigation)
#include "tst_investigation.moc"
