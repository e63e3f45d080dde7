// The Prometheus API decoder against every real capture from Prometheus 2.42 (fixtures/prometheus)
// and the native-histogram matrix from Prometheus's own codec test.

#include "import/Format.h"
#include "import/PrometheusApi.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

using namespace rootline;

namespace {

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const nlohmann::json& captures()
{
    static const nlohmann::json doc =
        nlohmann::json::parse(readFile(std::string(ROOTLINE_FIXTURES) + "/prometheus/prometheus-2.42-loopback-captures.json"))["captures"];
    return doc;
}

std::string body(const char* name)
{
    return captures().at(name).at("body_raw").get<std::string>();
}

long statusOf(const char* name)
{
    const std::string s = captures().at(name).at("status").get<std::string>(); // "HTTP/1.1 400 Bad Request"
    return std::stol(s.substr(9, 3));
}

Timestamp seconds(const char* text)
{
    return *parseSecondsText(text);
}

} // namespace

class TestPrometheusParse : public QObject {
    Q_OBJECT

private slots:
    void everyCaptureIsUnderstood()
    {
        // A guard that the fixture still has what the cases below read, and none is forgotten.
        const std::set<std::string> covered = {"buildinfo", "query_exemplars", "query_range_quantile", "query_scalar_inf", "query_vector_nan",
                                               "query_string", "err_11000", "err_parse", "err_exec", "post_form_query_range", "series",
                                               "label_values", "alerts", "rules", "metadata", "not_found"};
        for (auto it = captures().begin(); it != captures().end(); ++it)
            QVERIFY2(covered.count(it.key()), it.key().c_str());
        QCOMPARE(captures().size(), covered.size());
    }

    void buildinfo()
    {
        auto b = decodePrometheusBuildInfo(body("buildinfo"), "t");
        QVERIFY(b.ok());
        QCOMPARE(b->version, std::string("2.42.0+ds"));
        QCOMPARE(b->revision, std::string("2.42.0+ds-5+deb12u1"));
        QCOMPARE(b->goVersion, std::string("go1.19.8"));
    }

    void exemplars()
    {
        auto r = decodePrometheusExemplars(body("query_exemplars"), "t");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->size(), size_t(3));
        QCOMPARE((*r)[0].exemplars.size(), size_t(8));
        QCOMPARE((*r)[1].exemplars.size(), size_t(1));
        QCOMPARE((*r)[2].exemplars.size(), size_t(8));
        const Exemplar& first = (*r)[0].exemplars[0];
        QCOMPARE(first.time, seconds("1795343316.123"));
        QCOMPARE(first.time.nanos(), int64_t(1795343316123000000));
        QCOMPARE(first.value, 0.043);
        QVERIFY(first.traceId && first.spanId);
        QCOMPARE(first.traceId->toHex(), std::string("4bf92f3577b34da6a3ce929d0e0e4736"));
        QCOMPARE(first.spanId->toHex(), std::string("00f067aa0ba902b7"));
        const Exemplar& noSpan = (*r)[1].exemplars[0];
        QVERIFY(noSpan.traceId && !noSpan.spanId);
        QCOMPARE(noSpan.traceId->toHex(), std::string("0af7651916cd43dd8448eb211c80319c"));
        QCOMPARE((*r)[2].exemplars[0].time.nanos(), int64_t(1795343316500000000)); // "…316.500"

        SeriesData d = prometheusExemplarData((*r)[1]);
        QCOMPARE(d.series.name, std::string("checkout_request_duration_seconds_bucket"));
        QVERIFY(d.series.label("le"));
        QCOMPARE(*d.series.label("le"), std::string("1.0"));
        QVERIFY(!d.series.label("__name__"));
        QCOMPARE(d.series.resource->serviceName, std::string("checkout"));
    }

    void matrixWithFractionalTimestamps()
    {
        auto r = decodePrometheusQuery(body("query_range_quantile"), "t");
        QVERIFY(r.ok());
        QCOMPARE(r->resultType, std::string("matrix"));
        QCOMPARE(r->series.size(), size_t(1));
        QVERIFY(r->series[0].labels.empty());
        const auto& s = r->series[0].samples;
        QCOMPARE(s.size(), size_t(3));
        QCOMPARE(s[0].time.nanos(), int64_t(1795343319) * 1'000'000'000);
        QCOMPARE(s[1].time.nanos(), int64_t(1795343321500000000));
        QCOMPARE(s[0].value, 0.09900000000000002);
        QCOMPARE(s[1].value, 1.0);
        QVERIFY(r->rejections.empty());
        // No __name__: the series is named by the query.
        SeriesData d = prometheusSeriesData(r->series[0], "histogram_quantile(...)");
        QCOMPARE(d.series.name, std::string("histogram_quantile(...)"));
    }

    void scalarInfinity()
    {
        auto r = decodePrometheusQuery(body("query_scalar_inf"), "t");
        QVERIFY(r.ok());
        QCOMPARE(r->resultType, std::string("scalar"));
        QVERIFY(r->scalar);
        QVERIFY(std::isinf(r->scalar->value) && r->scalar->value > 0);
        QCOMPARE(r->scalar->time.nanos(), int64_t(1795343324469000000));
    }

    void vectorNaN()
    {
        auto r = decodePrometheusQuery(body("query_vector_nan"), "t");
        QVERIFY(r.ok());
        QCOMPARE(r->resultType, std::string("vector"));
        QCOMPARE(r->series.size(), size_t(1));
        QCOMPARE(r->series[0].samples.size(), size_t(1));
        QVERIFY(std::isnan(r->series[0].samples[0].value));
        QCOMPARE(r->series[0].labels.size(), size_t(3));
    }

    void stringResult()
    {
        auto r = decodePrometheusQuery(body("query_string"), "t");
        QVERIFY(r.ok());
        QCOMPARE(r->resultType, std::string("string"));
        QVERIFY(r->text);
        QCOMPARE(r->text->second, std::string("hello"));
        QCOMPARE(r->text->first.nanos(), int64_t(1795343324509000000));
        QVERIFY(r->series.empty() && !r->scalar);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("capture");
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("hint");
        QTest::newRow("11000 points") << "err_11000" << "bad_data: exceeded maximum resolution" << "step";
        QTest::newRow("parse error") << "err_parse" << "bad_data: invalid parameter \"query\": 1:17: parse error" << "syntax";
        QTest::newRow("execution") << "err_exec" << "execution: multiple matches for labels" << "group_left";
        QTest::newRow("404 text") << "not_found" << "unexpected response: 404 page not found" << "URL";
    }
    void errors()
    {
        QFETCH(QString, capture);
        QFETCH(QString, what);
        QFETCH(QString, hint);
        const std::string name = capture.toStdString();
        const std::string b = body(name.c_str());
        // The query decoder refuses an error envelope with the same message.
        auto r = decodePrometheusQuery(b, "prom GET /api/v1/query");
        QVERIFY(!r.ok());
        Error e = prometheusError(b, "prom GET /api/v1/query", statusOf(name.c_str()));
        QCOMPARE(e.where, std::string("prom GET /api/v1/query"));
        QVERIFY2(e.what.find(what.toStdString()) != std::string::npos, e.what.c_str());
        QVERIFY2(e.what.find("HTTP " + std::to_string(statusOf(name.c_str()))) == 0, e.what.c_str());
        QVERIFY2(e.hint.find(hint.toStdString()) != std::string::npos, e.hint.c_str());
        if (name != "not_found") {
            auto api = prometheusErrorOf(b);
            QVERIFY(api);
            QVERIFY(!api->errorType.empty());
            QVERIFY(r.error().what.find(api->errorType) == 0);
        } else {
            QVERIFY(!prometheusErrorOf(b));
        }
    }

    void formPostRange()
    {
        auto r = decodePrometheusQuery(body("post_form_query_range"), "t");
        QVERIFY(r.ok());
        QCOMPARE(r->series.size(), size_t(1));
        QCOMPARE(r->series[0].samples.size(), size_t(3));
        QCOMPARE(r->series[0].samples[0].value, 0.3782);
        SeriesData d = prometheusSeriesData(r->series[0], "rate(payment_errors_total[5s])");
        QCOMPARE(d.series.name, std::string("rate(payment_errors_total[5s])"));
        QCOMPARE(d.series.resource->serviceName, std::string("payment"));
        QCOMPARE(d.series.labels.size(), size_t(3));
        QVERIFY(std::is_sorted(d.series.labels.begin(), d.series.labels.end()));
    }

    void seriesAndLabels()
    {
        auto s = decodePrometheusSeriesList(body("series"), "t");
        QVERIFY(s.ok());
        QCOMPARE(s->size(), size_t(1));
        QCOMPARE((*s)[0].front(), (std::pair<std::string, std::string>("__name__", "checkout_request_duration_seconds_count")));
        auto v = decodePrometheusStringList(body("label_values"), "t");
        QVERIFY(v.ok());
        QCOMPARE(*v, std::vector<std::string>{"checkout"});
        // metadata is not a string list: a clear error, not garbage.
        QVERIFY(!decodePrometheusStringList(body("metadata"), "t").ok());
    }

    void alerts()
    {
        auto a = decodePrometheusAlerts(body("alerts"), "t", "prometheus:test");
        QVERIFY(a.ok());
        QCOMPARE(a->size(), size_t(1));
        const Alert& alert = a->front();
        QCOMPARE(alert.name, std::string("CheckoutErrorBudgetBurn"));
        QCOMPARE(alert.state, AlertState::Firing);
        QCOMPARE(alert.value, 14.4); // "1.44e+01"
        QCOMPARE(alert.activeSince.nanos(), parseRfc3339("2026-11-22T10:28:31.256172746Z")->nanos());
        QCOMPARE(alert.source, std::string("prometheus:test"));
        QCOMPARE(alert.annotations.size(), size_t(1));
        QCOMPARE(alert.annotations[0].second, std::string("checkout burning error budget"));
    }

    void rules()
    {
        auto r = decodePrometheusRules(body("rules"), "t", "prometheus:test");
        QVERIFY(r.ok());
        QCOMPARE(r->size(), size_t(2));
        const PromRule& alerting = (*r)[0];
        QCOMPARE(alerting.type, std::string("alerting"));
        QCOMPARE(alerting.state, std::string("firing"));
        QCOMPARE(alerting.query, std::string("vector(14.4) > 1")); // \u003e decoded
        QCOMPARE(alerting.group, std::string("slo"));
        QCOMPARE(alerting.alerts.size(), size_t(1));
        QCOMPARE(alerting.alerts[0].state, AlertState::Firing);
        const PromRule& recording = (*r)[1];
        QCOMPARE(recording.type, std::string("recording"));
        QVERIFY(recording.alerts.empty());
    }

    void nativeHistogram()
    {
        const std::string b = readFile(std::string(ROOTLINE_FIXTURES) + "/prometheus/prometheus-native-histogram-matrix.json");
        auto r = decodePrometheusQuery(b, "t");
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->series.size(), size_t(1));
        const auto& hs = r->series[0].histograms;
        QCOMPARE(hs.size(), size_t(1));
        QVERIFY(r->series[0].samples.empty());
        const HistogramSample& h = hs[0];
        QCOMPARE(h.time.nanos(), int64_t(1'000'000'000));
        QCOMPARE(h.count, 10.0);
        QCOMPARE(h.sum, 20.0);
        QCOMPARE(h.buckets.size(), size_t(8));
        QCOMPARE(h.buckets[0].lower, -1.6817928305074288);
        QCOMPARE(h.buckets[0].upper, -1.414213562373095);
        QCOMPARE(h.buckets[0].count, 1.0);
        QCOMPARE(h.buckets[2].lower, -0.001); // the zero bucket (boundary rule 3)
        QCOMPARE(h.buckets[2].count, 12.0);
        SeriesData d = prometheusSeriesData(r->series[0], "q");
        QCOMPARE(d.series.name, std::string("foo"));
        QCOMPARE(d.series.kind, MetricKind::Histogram);
    }

    void values_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("int") << "1" << 1.0 << true;
        QTest::newRow("go exp") << "1.44e+01" << 14.4 << true;
        QTest::newRow("negative") << "-0.5" << -0.5 << true;
        QTest::newRow("+Inf") << "+Inf" << qInf() << true;
        QTest::newRow("-Inf") << "-Inf" << -qInf() << true;
        QTest::newRow("tiny") << "5e-324" << 5e-324 << true;
        QTest::newRow("garbage") << "abc" << 0.0 << false;
        QTest::newRow("empty") << "" << 0.0 << false;
        QTest::newRow("trailing") << "1.5x" << 0.0 << false;
    }
    void values()
    {
        QFETCH(QString, text);
        QFETCH(double, value);
        QFETCH(bool, ok);
        auto v = parsePrometheusValue(text.toStdString());
        QCOMPARE(v.ok(), ok);
        if (ok)
            QCOMPARE(*v, value);
        QVERIFY(std::isnan(*parsePrometheusValue("NaN")));
    }

    void badPointsAreRejectedNotFatal()
    {
        const std::string b = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x"},)"
                              R"("values":[[1,"1"],[2,"oops"],["bad","3"],[4,"4"]]}]}})";
        auto r = decodePrometheusQuery(b, "file.json");
        QVERIFY(r.ok());
        QCOMPARE(r->series[0].samples.size(), size_t(2));
        QCOMPARE(r->rejections.size(), size_t(2));
        QCOMPARE(r->rejections[0].location, std::string("file.json#result[0].values[1]"));
        QCOMPARE(r->rejections[0].snippet, std::string("oops"));
    }

    void truncatedAndForeignBodies_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("cut off") << QString::fromStdString(body("query_range_quantile").substr(0, 60));
        QTest::newRow("empty") << "";
        QTest::newRow("html") << "<html>bad gateway</html>";
        QTest::newRow("no status") << R"({"data":{"resultType":"matrix","result":[]}})";
        QTest::newRow("array") << "[1,2]";
    }
    void truncatedAndForeignBodies()
    {
        QFETCH(QString, text);
        const std::string b = text.toStdString();
        auto q = decodePrometheusQuery(b, "origin");
        QVERIFY(!q.ok());
        QCOMPARE(q.error().where, std::string("origin"));
        QVERIFY(!decodePrometheusExemplars(b, "origin").ok());
        QVERIFY(!decodePrometheusAlerts(b, "origin", "s").ok());
        QVERIFY(!decodePrometheusRules(b, "origin", "s").ok());
    }

    void fileImportFormat_data()
    {
        QTest::addColumn<QString>("capture");
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("exemplars");
        QTest::addColumn<int>("alerts");
        QTest::newRow("matrix") << "post_form_query_range" << 3 << 0 << 0;
        QTest::newRow("vector") << "query_vector_nan" << 1 << 0 << 0;
        QTest::newRow("scalar") << "query_scalar_inf" << 1 << 0 << 0;
        QTest::newRow("exemplars") << "query_exemplars" << 0 << 17 << 0;
        QTest::newRow("alerts") << "alerts" << 0 << 0 << 1;
        QTest::newRow("rules") << "rules" << 0 << 0 << 1;
    }
    void fileImportFormat()
    {
        QFETCH(QString, capture);
        QFETCH(int, samples);
        QFETCH(int, exemplars);
        QFETCH(int, alerts);
        const std::string b = body(capture.toStdString().c_str());
        const Format* f = detectFormat(b.substr(0, 4096));
        QVERIFY(f);
        QCOMPARE(f->name, std::string("prometheus-api"));
        QCOMPARE(formatByName("prometheus-api"), f);
        CollectingSink sink;
        ParseContext ctx;
        ctx.origin = "dump.json";
        QVERIFY(f->parse(b, ctx, sink).ok());
        int gotSamples = 0, gotExemplars = 0;
        for (const auto& s : sink.collected.series) {
            gotSamples += int(s.samples.size());
            gotExemplars += int(s.exemplars.size());
        }
        QCOMPARE(gotSamples, samples);
        QCOMPARE(gotExemplars, exemplars);
        QCOMPARE(int(sink.collected.alerts.size()), alerts);
    }

    void lokiResponsesAreNotClaimed()
    {
        const std::string loki = R"({"status":"success","data":{"resultType":"streams","result":[],"stats":{}}})";
        QCOMPARE(prometheusApiFormat().sniff(loki), 0);
        const std::string lokiMatrix = R"({"status":"success","data":{"resultType":"matrix","result":[],"stats":{"summary":{}}}})";
        QCOMPARE(prometheusApiFormat().sniff(lokiMatrix), 0);
    }

    void batching()
    {
        PromQueryResult r;
        r.resultType = "matrix";
        PromSeries s;
        s.labels = {{"__name__", "big"}, {"job", "j"}};
        for (int i = 0; i < 12'345; ++i)
            s.samples.push_back({Timestamp::fromSeconds(i), double(i)});
        r.series.push_back(s);
        CollectingSink sink;
        ParseContext ctx;
        ctx.batchSize = 5000;
        QVERIFY(emitPrometheusQuery(r, "q", ctx, sink).ok());
        QCOMPARE(sink.batches, 3);
        QCOMPARE(sink.collected.series.size(), size_t(3));
        size_t total = 0;
        for (const auto& d : sink.collected.series) {
            total += d.samples.size();
            QCOMPARE(d.series.key(), sink.collected.series[0].series.key());
        }
        QCOMPARE(total, size_t(12'345));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusParse)
#include "tst_prometheus_parse.moc"
