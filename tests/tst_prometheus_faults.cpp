// The Prometheus connector against a loopback server that misbehaves in ways a healthy real
// Prometheus does not: a failing sub-range, malformed JSON, an oversized single point, a proxy
// refusing long URLs, server warnings, auth headers. The result is right, or partial and labelled,
// or a precise error — and nothing half-decoded reaches the sink.

#include "prometheus/PrometheusConnector.h"
#include "http/HttpClient.h"
#include "support/LoopbackHttpServer.h"

#include <QtTest>

using namespace rootline;
using rootline::test::HttpServerConnection;
using rootline::test::HttpServerRequest;
using rootline::test::LoopbackHttpServer;

namespace {

// A matrix answer with one point per step between the request's start and end.
std::string matrixFor(const HttpServerRequest& req, const std::string& extra = {})
{
    const int64_t start = std::stoll(req.param("start"));
    const int64_t end = std::stoll(req.param("end"));
    const int64_t step = std::stoll(req.param("step"));
    std::string values;
    for (int64_t t = start; t <= end; t += step)
        values += (values.empty() ? "" : ",") + std::string("[") + std::to_string(t) + ",\"" + std::to_string(t % 100) + "\"]";
    return "{\"status\":\"success\"" + extra + ",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":\"m\",\"job\":\"j\"},\"values\":[" + values
           + "]}]}}";
}

Source sourceFor(const LoopbackHttpServer& server)
{
    Source s;
    s.name = "fake";
    s.type = SourceType::Prometheus;
    s.url = server.url();
    return s;
}

FetchRequest rangeRequest(int64_t from, int64_t to, int64_t step = 1)
{
    FetchRequest r;
    r.source = "fake";
    r.kind = FetchKind::Series;
    r.query = "m";
    r.window = {Timestamp::fromSeconds(from), Timestamp::fromSeconds(to)};
    r.step = Duration::seconds(step);
    return r;
}

int64_t samplesIn(const CollectingSink& sink)
{
    int64_t n = 0;
    for (const auto& s : sink.collected.series)
        n += int64_t(s.samples.size());
    return n;
}

} // namespace

class TestPrometheusFaults : public QObject {
    Q_OBJECT

private slots:
    void failingSubRangeMakesThePartResultPartial()
    {
        LoopbackHttpServer server([](const HttpServerRequest& req, HttpServerConnection& conn) {
            if (std::stoll(req.param("start")) >= 11001) // the second sub-range always fails
                conn.write(LoopbackHttpServer::response(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}"));
            else
                conn.write(LoopbackHttpServer::response(200, matrixFor(req)));
        });
        http::HttpClient client;
        PrometheusConnector c(sourceFor(server), client);
        CollectingSink sink;
        auto out = c.fetch(rangeRequest(0, 15000), sink);
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QVERIFY(!out->complete);
        QVERIFY2(out->partialReason.find("overloaded") != std::string::npos, out->partialReason.c_str());
        QCOMPARE(samplesIn(sink), int64_t(11001)); // the good sub-range is kept whole
        QCOMPARE(out->requests, 1);
    }

    void badQueryFailsTheWholeFetch()
    {
        LoopbackHttpServer server([](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"));
        });
        http::HttpClient client;
        PrometheusConnector c(sourceFor(server), client);
        CollectingSink sink;
        auto out = c.fetch(rangeRequest(0, 100), sink);
        QVERIFY(!out.ok());
        QVERIFY(out.error().what.find("bad_data: parse error") != std::string::npos);
        QVERIFY(out.error().where.find("fake") != std::string::npos);
        QCOMPARE(sink.batches, 0);
    }

    void malformedJsonIsAnErrorAndWritesNothing()
    {
        LoopbackHttpServer server([](const HttpServerRequest& req, HttpServerConnection& conn) {
            const std::string body = matrixFor(req);
            conn.write(LoopbackHttpServer::response(200, body.substr(0, body.size() / 2)));
        });
        http::HttpClient client;
        PrometheusConnector c(sourceFor(server), client);
        CollectingSink sink;
        auto out = c.fetch(rangeRequest(0, 100), sink);
        QVERIFY(!out.ok());
        QVERIFY2(out.error().what.find("malformed JSON") != std::string::npos, out.error().message().c_str());
        QCOMPARE(sink.batches, 0);
    }

    void oversizedSinglePointIsPartial()
    {
        // Answers that include the point at t=3 are huge whatever their range: splitting isolates it.
        LoopbackHttpServer server([](const HttpServerRequest& req, HttpServerConnection& conn) {
            const bool huge = std::stoll(req.param("start")) <= 3 && std::stoll(req.param("end")) >= 3;
            conn.write(LoopbackHttpServer::response(200, matrixFor(req, huge ? ",\"warnings\":[\"" + std::string(5000, 'w') + "\"]" : std::string())));
        });
        http::HttpClient client;
        Source s = sourceFor(server);
        s.options.maxResponseBytes = 2000;
        PrometheusConnector c(s, client);
        CollectingSink sink;
        auto out = c.fetch(rangeRequest(0, 5), sink); // points 0..4
        QVERIFY2(out.ok(), out.ok() ? "" : out.error().message().c_str());
        QVERIFY(!out->complete);
        QVERIFY2(out->partialReason.find("too large") != std::string::npos, out->partialReason.c_str());
        QVERIFY(samplesIn(sink) >= 2); // the points around it that fit were kept
        QVERIFY(samplesIn(sink) <= 4);
        QVERIFY(server.requestCount() <= 12); // halved down to one point, then gave up: bounded

        // When nothing at all fits, it is an error saying so, with a hint.
        LoopbackHttpServer always([](const HttpServerRequest& req, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(200, matrixFor(req, ",\"warnings\":[\"" + std::string(5000, 'w') + "\"]")));
        });
        Source s2 = sourceFor(always);
        s2.options.maxResponseBytes = 2000;
        PrometheusConnector c2(s2, client);
        CollectingSink none;
        auto failed = c2.fetch(rangeRequest(0, 2), none);
        QVERIFY(!failed.ok());
        QVERIFY2(failed.error().what.find("too large") != std::string::npos, failed.error().message().c_str());
        QCOMPARE(none.batches, 0);
    }

    void refusedLongUrlFallsBackToPost()
    {
        LoopbackHttpServer server([](const HttpServerRequest& req, HttpServerConnection& conn) {
            if (req.method == "GET" && req.target.size() > 1000)
                conn.write(LoopbackHttpServer::response(414, "URI Too Long", {}, "text/plain"));
            else
                conn.write(LoopbackHttpServer::response(
                    200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"q\":\"" + std::to_string(req.param("query").size())
                             + "\"},\"value\":[10,\"1\"]}]}}"));
        });
        http::HttpClient client;
        PrometheusConnector c(sourceFor(server), client);
        const std::string query = "m{a=\"" + std::string(2000, 'x') + "\"}";
        auto r = c.queryInstant(query, Timestamp::fromSeconds(10));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->series[0].labels[0].second, std::to_string(query.size())); // the query arrived whole
        const auto reqs = server.requests();
        QCOMPARE(reqs.size(), size_t(2));
        QCOMPARE(reqs[0].method, std::string("GET"));
        QCOMPARE(reqs[1].method, std::string("POST"));
        QCOMPARE(reqs[1].header("Content-Type"), std::string("application/x-www-form-urlencoded"));
    }

    void warningsAndAuthTravel()
    {
        LoopbackHttpServer server([](const HttpServerRequest& req, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(200, matrixFor(req, ",\"warnings\":[\"partial data from store\"]")));
        });
        http::HttpClient client;
        Source s = sourceFor(server);
        s.auth.kind = AuthKind::Bearer;
        s.secrets.token = "tkn";
        s.options.headers = {{"X-Team", "sre"}};
        PrometheusConnector c(s, client);
        CollectingSink sink;
        auto out = c.fetch(rangeRequest(0, 60, 15), sink);
        QVERIFY(out.ok());
        QVERIFY(out->complete);
        QCOMPARE(out->warnings, std::vector<std::string>{"partial data from store"});
        QCOMPARE(samplesIn(sink), int64_t(4)); // 0, 15, 30, 45
        const auto req = server.requests().front();
        QCOMPARE(req.header("Authorization"), std::string("Bearer tkn"));
        QCOMPARE(req.header("X-Team"), std::string("sre"));
        QCOMPARE(req.param("step"), std::string("15"));
        QCOMPARE(req.param("start"), std::string("0"));
        QCOMPARE(req.param("end"), std::string("45"));
    }

    void seriesLimitMarksPartial()
    {
        LoopbackHttpServer server([](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                                                         "{\"metric\":{\"a\":\"1\"},\"values\":[[0,\"1\"]]},{\"metric\":{\"a\":\"2\"},\"values\":[[0,\"1\"]]},"
                                                         "{\"metric\":{\"a\":\"3\"},\"values\":[[0,\"1\"]]}]}}"));
        });
        http::HttpClient client;
        PrometheusConnector c(sourceFor(server), client);
        CollectingSink sink;
        FetchRequest req = rangeRequest(0, 1);
        req.limit = 2;
        auto out = c.fetch(req, sink);
        QVERIFY(out.ok());
        QVERIFY(!out->complete);
        QVERIFY(out->partialReason.find("limit 2") != std::string::npos);
        QCOMPARE(sink.collected.series.size(), size_t(2));
    }

    void cancelDuringASlowSubQuery()
    {
        LoopbackHttpServer server([](const HttpServerRequest&, HttpServerConnection& conn) { conn.sleepFor(std::chrono::seconds(20)); });
        http::HttpClient client;
        PrometheusConnector c(sourceFor(server), client);
        CollectingSink sink;
        std::atomic_bool cancelled{false};
        std::thread canceller([&] {
            while (server.requestCount() == 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            cancelled = true;
        });
        const auto started = std::chrono::steady_clock::now();
        auto out = c.fetch(rangeRequest(0, 30000), sink, &cancelled);
        canceller.join();
        QVERIFY(out.ok());
        QVERIFY(!out->complete);
        QCOMPARE(out->partialReason, std::string("cancelled"));
        QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusFaults)
#include "tst_prometheus_faults.moc"
