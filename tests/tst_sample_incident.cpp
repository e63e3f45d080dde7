// The bundled sample incident: deterministic, the right size, and telling its story.

#include "bundle/ContentHash.h"
#include "cache/CacheReader.h"
#include "sample/SampleCache.h"
#include "sample/SampleIncident.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace rootline;
namespace story = rootline::sample_story;

namespace {

// Counts what the generator emits without a cache, and keeps a few logs to inspect.
class InspectingSink final : public RecordSink {
public:
    Status batch(TelemetryBatch&& b) override
    {
        logs += int64_t(b.logs.size());
        spans += int64_t(b.spans.size());
        for (const Span& s : b.spans)
            traces.insert(s.traceId);
        for (const SeriesData& d : b.series) {
            seriesKeys.insert(d.series.key());
            samples += int64_t(d.samples.size());
            exemplars += int64_t(d.exemplars.size());
        }
        alerts += int64_t(b.alerts.size());
        for (const LogRecord& l : b.logs) {
            services.insert(l.resource ? l.resource->serviceName : std::string());
            checkTraceFields(l);
        }
        return {};
    }
    void reject(std::string, std::string, std::string) override { ++rejected; }

    // OTLP-style lines (zap, slog) carry their trace id in the record as well; every other style
    // only in its text, where ingest must find it.
    void checkTraceFields(const LogRecord& l)
    {
        const bool otlpStyle = l.body.rfind("{\"level\":\"", 0) == 0 || l.body.rfind("{\"time\":\"", 0) == 0;
        const auto at = l.body.find("\"trace_id\":\"");
        if (otlpStyle && at != std::string::npos) {
            ++otlpTraced;
            if (!l.traceId || l.body.compare(at + 12, 32, l.traceId->toHex()) != 0)
                ++mismatched;
        } else if (l.traceId) {
            ++unexpectedRecordIds;
        }
        for (const char* field : {"\"traceId\":", "\"traceID\":", "\"otelTraceID\":", "\"dd.trace_id\":", "\"trace_id\":", " trace=", "[trace="}) {
            if (l.body.find(field) != std::string::npos && !(std::string_view(field) == " trace=" && l.body.ends_with("trace=-")))
                fieldForms.insert(field);
        }
        if (l.body.find("\"dd.trace_id\":\"") != std::string::npos) {
            const auto start = l.body.find("\"dd.trace_id\":\"") + 15;
            const auto value = l.body.substr(start, l.body.find('"', start) - start);
            (value.size() == 32 ? ddHex : ddDecimal)++;
        }
    }

    int64_t logs = 0, spans = 0, samples = 0, exemplars = 0, alerts = 0, rejected = 0;
    int64_t otlpTraced = 0, mismatched = 0, unexpectedRecordIds = 0, ddHex = 0, ddDecimal = 0;
    std::set<TraceId> traces;
    std::set<std::string> seriesKeys, services, fieldForms;
};

std::string hashOf(const QString& path)
{
    auto reader = CacheReader::open(path.toStdString());
    if (!reader)
        return "open failed: " + reader.error().message();
    auto hash = contentHash(**reader);
    return hash ? *hash : "hash failed: " + hash.error().message();
}

} // namespace

class TestSampleIncident : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_story; // scale 0.25, the default seed
    std::unique_ptr<CacheReader> m_reader;

    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_story = path("story.rootline");
        auto stats = writeSampleCache(m_story.toStdString(), {20261123, 0.25});
        QVERIFY2(stats.ok(), stats ? "" : stats.error().message().c_str());
        auto reader = CacheReader::open(m_story.toStdString());
        QVERIFY2(reader.ok(), reader ? "" : reader.error().message().c_str());
        m_reader = std::move(*reader);
    }

    void sameSeedSameContent()
    {
        const QString again = path("again.rootline");
        QVERIFY(writeSampleCache(again.toStdString(), {20261123, 0.25}).ok());
        const std::string a = hashOf(m_story), b = hashOf(again);
        QCOMPARE(a.size(), size_t(64));
        QCOMPARE(a, b);
    }

    void otherSeedOtherContent()
    {
        const QString other = path("other.rootline");
        QVERIFY(writeSampleCache(other.toStdString(), {7, 0.25}).ok());
        QVERIFY(hashOf(other).size() == 64);
        QVERIFY(hashOf(m_story) != hashOf(other));
    }

    void refusesToOverwrite()
    {
        const auto before = QFileInfo(m_story).lastModified();
        auto again = writeSampleCache(m_story.toStdString(), {1, 0.01});
        QVERIFY(!again.ok());
        QVERIFY(again.error().message().find("already exists") != std::string::npos);
        QCOMPARE(QFileInfo(m_story).lastModified(), before);
        QVERIFY(!QFileInfo::exists(m_story + QStringLiteral("-wal")));
    }

    void rejectsNonsenseScale()
    {
        InspectingSink sink;
        QVERIFY(!generateSampleIncident({1, 0}, sink).ok());
        QVERIFY(!generateSampleIncident({1, -3}, sink).ok());
        QCOMPARE(sink.logs, 0);
    }

    void fullScaleCountsAndLogForms()
    {
        InspectingSink sink;
        auto s = generateSampleIncident({}, sink);
        QVERIFY2(s.ok(), s ? "" : s.error().message().c_str());
        QVERIFY2(sink.logs >= 90'000 && sink.logs <= 110'000, std::to_string(sink.logs).c_str());
        QVERIFY2(sink.traces.size() >= 1'800 && sink.traces.size() <= 2'200, std::to_string(sink.traces.size()).c_str());
        QVERIFY(sink.spans > int64_t(sink.traces.size()) * 4);
        QVERIFY(sink.samples > 100'000);
        QVERIFY(sink.exemplars > 1'000);
        QCOMPARE(sink.alerts, 1);
        QCOMPARE(sink.rejected, 0);
        const std::set<std::string> services = {"cart", "catalog", "checkout", "currency", "email", "frontend", "payment", "shipping"};
        QCOMPARE(sink.services, services);
        QVERIFY(sink.seriesKeys.count(R"(slo:sli_error:ratio_rate5m{service="checkout",slo="checkout-availability"})"));
        // Every trace-id form the correlation engine must recognise appears.
        QCOMPARE(sink.fieldForms.size(), size_t(7));
        QVERIFY(sink.ddHex > 0 && sink.ddDecimal > 0);
        QVERIFY(sink.otlpTraced > 100);
        QCOMPARE(sink.mismatched, 0);
        QCOMPARE(sink.unexpectedRecordIds, 0);
    }

    void scaleMultipliesTraffic()
    {
        InspectingSink small, larger;
        QVERIFY(generateSampleIncident({5, 0.1}, small).ok());
        QVERIFY(generateSampleIncident({5, 0.4}, larger).ok());
        QVERIFY(larger.logs > small.logs * 2);
        QVERIFY(larger.traces.size() > small.traces.size() * 2);
        QVERIFY(larger.seriesKeys.size() >= small.seriesKeys.size());
    }

    void cancelStops()
    {
        InspectingSink sink;
        std::atomic_bool cancelled{true};
        auto s = generateSampleIncident({}, sink, &cancelled);
        QVERIFY(!s.ok());
        QCOMPARE(sink.logs, 0);
    }

    void storyWindowAndManifest()
    {
        auto o = m_reader->overview();
        QVERIFY(o.ok());
        QVERIFY(o->range.has_value());
        QVERIFY(o->range->from >= story::kWindowStart);
        QVERIFY(o->range->to <= story::kWindowEnd);
        auto manifest = m_reader->manifest();
        QVERIFY(manifest.ok());
        std::map<std::string, std::string> m(manifest->begin(), manifest->end());
        QCOMPARE(m["origin_timezone"], std::string("UTC"));
        QCOMPARE(m["seed"], std::string("20261123"));
        QCOMPARE(m["scale"], std::string("0.25"));
        QVERIFY(!m["title"].empty());
    }

    void paymentErrorsStartAt1447()
    {
        LogQuery q;
        q.services = {"payment"};
        q.minSeverity = int(Severity::Error);
        auto first = m_reader->logPage(q, std::nullopt, 1);
        QVERIFY(first.ok());
        QCOMPARE(first->size(), size_t(1));
        QVERIFY2(first->front().time >= story::kGatewayTimeouts, first->front().time.toRfc3339().c_str());
        QVERIFY(first->front().time < story::kGatewayTimeouts + Duration::minutes(2));
        auto count = m_reader->countLogs(q);
        QVERIFY(count.ok());
        QVERIFY(*count >= 10);
        // Payment warns about the slow gateway from 14:46, before anything fails.
        LogQuery warn = q;
        warn.minSeverity = int(Severity::Warn);
        warn.text = "slow*";
        auto slow = m_reader->logPage(warn, std::nullopt, 1);
        QVERIFY(slow.ok());
        QVERIFY(!slow->empty());
        QVERIFY(slow->front().time >= story::kGatewaySlow);
        QVERIFY(slow->front().time < story::kGatewayTimeouts);
    }

    void checkoutLatencyRisesAt1446()
    {
        // From checkout's latency histogram: the share of PlaceOrder requests within 1 s, and the
        // mean, before 14:46 and after.
        auto series = m_reader->listSeries();
        QVERIFY(series.ok());
        auto total = [&](const char* name, const char* le, Timestamp t) {
            double sum = 0;
            for (const auto& info : *series) {
                const auto* service = info.series.label("service");
                const auto* bucket = info.series.label("le");
                if (info.series.name != name || !service || *service != "checkout" || (le && (!bucket || *bucket != le)))
                    continue;
                auto samples = m_reader->samples(info.series.rowId, {t, t + Duration::seconds(1)});
                if (samples.ok() && !samples->empty())
                    sum += samples->front().value;
            }
            return sum;
        };
        const Timestamp t0 = story::kGatewaySlow - Duration::minutes(40), t1 = story::kGatewaySlow,
                        t2 = story::kWindowEnd - Duration::seconds(15);
        const char* count = "http_server_request_duration_seconds_count";
        const char* sum = "http_server_request_duration_seconds_sum";
        const char* bucket = "http_server_request_duration_seconds_bucket";
        const double beforeN = total(count, nullptr, t1) - total(count, nullptr, t0);
        const double afterN = total(count, nullptr, t2) - total(count, nullptr, t1);
        QVERIFY(beforeN > 20 && afterN > 5);
        const double beforeMean = (total(sum, nullptr, t1) - total(sum, nullptr, t0)) / beforeN;
        const double afterMean = (total(sum, nullptr, t2) - total(sum, nullptr, t1)) / afterN;
        QVERIFY2(afterMean > 5 * beforeMean, (std::to_string(beforeMean) + " → " + std::to_string(afterMean)).c_str());
        const double beforeFast = (total(bucket, "1", t1) - total(bucket, "1", t0)) / beforeN;
        const double afterFast = (total(bucket, "1", t2) - total(bucket, "1", t1)) / afterN;
        QVERIFY2(beforeFast >= 0.95, std::to_string(beforeFast).c_str()); // p95 under 1 s before
        QVERIFY2(afterFast < 0.5, std::to_string(afterFast).c_str());     // p95 far above it after
    }

    void burnRateAlertFires()
    {
        auto alerts = m_reader->alerts();
        QVERIFY(alerts.ok());
        QCOMPARE(alerts->size(), size_t(1));
        const Alert& a = alerts->front();
        QCOMPARE(a.name, std::string(story::kAlertName));
        QCOMPARE(a.state, AlertState::Firing);
        QCOMPARE(a.activeSince, story::kAlertActiveSince);
        QCOMPARE(a.source, std::string("prometheus"));
        const std::vector<std::pair<std::string, std::string>> labels = {
            {"alertname", story::kAlertName}, {"service", "checkout"}, {"severity", "page"}, {"slo", "checkout-availability"}};
        QCOMPARE(a.labels, labels);
        std::set<std::string> annotations;
        for (const auto& [k, v] : a.annotations)
            annotations.insert(k);
        QCOMPARE(annotations, (std::set<std::string>{"description", "runbook_url", "summary"}));
        QVERIFY2(a.value > 14.4, std::to_string(a.value).c_str());
    }

    void everyExemplarOpensATrace()
    {
        auto exemplars = m_reader->exemplars(0, TimeWindow::all());
        QVERIFY(exemplars.ok());
        QVERIFY(exemplars->size() > 100);
        int failingDuringIncident = 0;
        for (const Exemplar& e : *exemplars) {
            QVERIFY(e.traceId.has_value());
            auto summary = m_reader->traceSummary(*e.traceId);
            QVERIFY(summary.ok());
            QVERIFY2(summary->has_value() && (*summary)->spanCount > 0, e.traceId->toHex().c_str());
            if (e.time >= story::kGatewayTimeouts && (*summary)->errorCount > 0)
                ++failingDuringIncident;
        }
        QVERIFY(failingDuringIncident > 0);
    }

    void gatewayCallsTimeOut()
    {
        TraceQuery q;
        q.window = {story::kWindowStart, story::kWindowEnd};
        q.limit = 100000;
        auto traces = m_reader->traces(q);
        QVERIFY(traces.ok());
        int timeouts = 0, fine = 0;
        for (const TraceSummary& t : *traces) {
            auto spans = m_reader->traceSpans(t.traceId);
            QVERIFY(spans.ok());
            for (const Span& s : *spans) {
                const auto peer = s.attributes.text("peer.service");
                if (!peer || *peer != "payment-gateway")
                    continue;
                QCOMPARE(s.kind, SpanKind::Client);
                QCOMPARE(s.attributes.text("server.address").value_or(""), std::string("api.paygate.example"));
                if (s.isError()) {
                    ++timeouts;
                    QVERIFY(s.start >= story::kGatewayTimeouts);
                    QVERIFY(s.duration >= story::kGatewayTimeout && s.duration < story::kGatewayTimeout + Duration::millis(100));
                    QCOMPARE(s.statusMessage, std::string("context deadline exceeded"));
                    QCOMPARE(s.events.size(), size_t(1));
                } else {
                    ++fine;
                }
            }
        }
        QVERIFY(timeouts >= 3);
        QVERIFY(fine > 20);
    }

    void catalogDeployIsARedHerring()
    {
        auto resources = m_reader->resources();
        QVERIFY(resources.ok());
        std::set<std::string> versions;
        for (const auto& [id, r] : *resources) {
            if (r->serviceName == "catalog")
                versions.insert(r->serviceVersion);
            QCOMPARE(r->environment, std::string("prod"));
            QVERIFY(!r->pod.empty() || r->serviceVersion.empty()); // only the SLO's recording rules have no pod
        }
        QCOMPARE(versions, (std::set<std::string>{"1.8.2", "1.9.0"}));
        // No catalog errors follow the deploy any more than they preceded it.
        LogQuery q;
        q.services = {"catalog"};
        q.minSeverity = int(Severity::Error);
        q.window = {story::kCatalogDeploy, story::kCatalogDeploy + Duration::minutes(30)};
        auto after = m_reader->countLogs(q);
        QVERIFY(after.ok());
        QVERIFY(*after <= 2);
    }
};

QTEST_GUILESS_MAIN(TestSampleIncident)
#include "tst_sample_incident.moc"
