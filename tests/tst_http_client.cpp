// The HTTP layer against a loopback server that misbehaves on command: retries (503 + Retry-After,
// 429, dropped connections), timeouts, the size cap, gzip, cancellation, concurrency, auth headers
// and credential-free errors. Every case is bounded in time: nothing may hang.

#include "http/HttpClient.h"
#include "http/HttpRetry.h"
#include "support/LoopbackHttpServer.h"
#include "support/Gzip.h"

#include <QtTest>


#include <chrono>

using namespace rootline;
using namespace rootline::http;
using rootline::test::HttpServerConnection;
using rootline::test::HttpServerRequest;
using rootline::test::LoopbackHttpServer;
using namespace std::chrono_literals;

namespace {

using rootline::test::gzip;


HttpRequest get(const LoopbackHttpServer& server, const std::string& path)
{
    HttpRequest r;
    r.url = server.url() + path;
    r.retry.initialBackoff = Duration::millis(20);
    r.retry.maxBackoff = Duration::millis(100);
    r.totalTimeout = Duration::seconds(10);
    return r;
}

double secondsSince(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

class TestHttpClient : public QObject {
    Q_OBJECT

private slots:
    void simpleGet()
    {
        LoopbackHttpServer server([](const HttpServerRequest& req, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(200, "hello " + req.param("name"), {{"X-Thing", "42"}}, "text/plain"));
        });
        HttpClient client;
        auto r = client.perform(get(server, "/greet?name=" + HttpClient::urlEncode("a b&c")));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->status, 200L);
        QCOMPARE(r->body, std::string("hello a b&c"));
        QVERIFY(r->header("x-thing"));
        QCOMPARE(*r->header("X-THING"), std::string("42"));
        QCOMPARE(r->attempts, 1);
        // Accept-Encoding is offered (CURLOPT_ACCEPT_ENCODING "").
        QVERIFY(server.requests().front().header("Accept-Encoding").find("gzip") != std::string::npos);
    }

    void retriesOn503WithRetryAfter()
    {
        std::atomic_int calls{0};
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            if (calls++ == 0)
                conn.write(LoopbackHttpServer::response(503, "overloaded", {{"Retry-After", "1"}}, "text/plain"));
            else
                conn.write(LoopbackHttpServer::response(200, "ok"));
        });
        HttpClient client;
        const auto started = std::chrono::steady_clock::now();
        auto r = client.perform(get(server, "/x"));
        QVERIFY(r.ok());
        QCOMPARE(r->attempts, 2);
        QCOMPARE(r->body, std::string("ok"));
        QVERIFY2(secondsSince(started) >= 0.9, "Retry-After: 1 was not honoured");
        QVERIFY(secondsSince(started) < 5);
    }

    // A Retry-After date counts from the server's Date, not from the workstation's clock: the
    // server below lives in 2001, and "one second after my Date" must still mean one second.
    void retryAfterDateCountsFromTheServersDate()
    {
        std::atomic_int calls{0};
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            if (calls++ == 0)
                conn.write(LoopbackHttpServer::response(503, "overloaded",
                                                        {{"Date", "Mon, 01 Jan 2001 00:00:00 GMT"},
                                                         {"Retry-After", "Mon, 01 Jan 2001 00:00:01 GMT"}},
                                                        "text/plain"));
            else
                conn.write(LoopbackHttpServer::response(200, "ok"));
        });
        HttpClient client;
        const auto started = std::chrono::steady_clock::now();
        auto r = client.perform(get(server, "/x"));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->attempts, 2);
        QVERIFY2(secondsSince(started) >= 0.9, "the Retry-After date was not honoured");
        QVERIFY(secondsSince(started) < 5);
    }

    void retriesOn429AndGivesUp()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(429, R"({"message":"slow down"})"));
        });
        HttpClient client;
        HttpRequest req = get(server, "/api?token=s3cret");
        req.retry.maxAttempts = 3;
        HttpOutcome out = client.execute(req);
        QVERIFY(out.ok()); // the exchange completed: the status is the caller's to judge
        QCOMPARE(out.response.status, 429L);
        QCOMPARE(out.response.attempts, 3);
        QCOMPARE(server.requestCount(), 3);

        auto r = client.perform(req);
        QVERIFY(!r.ok());
        QCOMPARE(HttpClient::failureOf(r.error()), HttpFailure::Status);
        const std::string msg = r.error().message();
        QVERIFY2(msg.find("429") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("slow down") != std::string::npos, msg.c_str()); // body snippet
        QVERIFY2(msg.find("GET http://127.0.0.1") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("s3cret") == std::string::npos, msg.c_str()); // no credentials in errors
    }

    void retryAfterLongerThanCapIsNotWaited()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(503, "later", {{"Retry-After", "3600"}}));
        });
        HttpClient client;
        const auto started = std::chrono::steady_clock::now();
        HttpOutcome out = client.execute(get(server, "/x"));
        QCOMPARE(out.response.status, 503L);
        QCOMPARE(out.response.attempts, 1);
        QVERIFY(secondsSince(started) < 2);
    }

    void noRetryOnClientErrors()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(400, R"({"status":"error"})"));
        });
        HttpClient client;
        HttpOutcome out = client.execute(get(server, "/x"));
        QCOMPARE(out.response.status, 400L);
        QCOMPARE(server.requestCount(), 1);
    }

    void connectionDroppedMidBodyIsRetried()
    {
        std::atomic_int calls{0};
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            if (calls++ == 0) {
                conn.write(LoopbackHttpServer::head(200, {{"Content-Length", "1000"}}));
                conn.write(std::string(100, 'x'));
                conn.close();
            } else {
                conn.write(LoopbackHttpServer::response(200, std::string(1000, 'y')));
            }
        });
        HttpClient client;
        auto r = client.perform(get(server, "/x"));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->body, std::string(1000, 'y')); // no half body from the first attempt
        QCOMPARE(r->attempts, 2);
    }

    void connectionAlwaysDroppedFails()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::head(200, {{"Content-Length", "1000"}}));
            conn.write("partial");
            conn.close();
        });
        HttpClient client;
        HttpRequest req = get(server, "/x");
        req.retry.maxAttempts = 2;
        HttpOutcome out = client.execute(req);
        QCOMPARE(out.failure, HttpFailure::Connect);
        QCOMPARE(out.response.attempts, 2);
        QVERIFY(out.error.message().find("/x") != std::string::npos);
    }

    void connectionRefused()
    {
        uint16_t port = 0;
        {
            LoopbackHttpServer closed([](const HttpServerRequest&, HttpServerConnection&) {});
            port = closed.port();
        }
        HttpClient client;
        HttpRequest req;
        req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
        req.retry.maxAttempts = 2;
        req.retry.initialBackoff = Duration::millis(10);
        const auto started = std::chrono::steady_clock::now();
        auto r = client.perform(req);
        QVERIFY(!r.ok());
        QCOMPARE(HttpClient::failureOf(r.error()), HttpFailure::Connect);
        QVERIFY(!r.error().hint.empty());
        QVERIFY(secondsSince(started) < 5);
    }

    void slowResponseTimesOut()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.sleepFor(10s);
            conn.write(LoopbackHttpServer::response(200, "too late"));
        });
        HttpClient client;
        HttpRequest req = get(server, "/slow");
        req.totalTimeout = Duration::millis(300);
        const auto started = std::chrono::steady_clock::now();
        HttpOutcome out = client.execute(req);
        QCOMPARE(out.failure, HttpFailure::Timeout);
        QVERIFY(secondsSince(started) < 3);
        QCOMPARE(HttpClient::failureOf(out.error), HttpFailure::Timeout);
    }

    void bodyOverTheCap_data()
    {
        QTest::addColumn<bool>("contentLength");
        QTest::newRow("declared length") << true;
        QTest::newRow("endless chunked stream") << false;
    }
    void bodyOverTheCap()
    {
        QFETCH(bool, contentLength);
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            if (contentLength) {
                conn.write(LoopbackHttpServer::head(200, {{"Content-Length", std::to_string(4 << 20)}}));
                const std::string block(64 << 10, 'z');
                for (int i = 0; i < 64 && conn.write(block); ++i) {}
            } else {
                conn.write(LoopbackHttpServer::head(200, {{"Transfer-Encoding", "chunked"}}));
                const std::string block(16 << 10, 'z');
                while (conn.write(LoopbackHttpServer::chunk(block))) {} // forever, until the client hangs up
            }
        });
        HttpClient client;
        HttpRequest req = get(server, "/big");
        req.maxResponseBytes = 1 << 20;
        HttpOutcome out = client.execute(req);
        QCOMPARE(out.failure, HttpFailure::TooLarge);
        QCOMPARE(out.response.attempts, 1); // not retried
        QVERIFY(out.error.what.find("too large") != std::string::npos);
        QVERIFY(!out.error.hint.empty());
        auto r = client.perform(req);
        QVERIFY(!r.ok());
        QCOMPARE(HttpClient::failureOf(r.error()), HttpFailure::TooLarge);
    }

    void gzipIsDecoded()
    {
        std::string body;
        for (int i = 0; i < 2000; ++i)
            body += "{\"line\":" + std::to_string(i) + "}\n";
        LoopbackHttpServer server([&](const HttpServerRequest& req, HttpServerConnection& conn) {
            QVERIFY(req.header("Accept-Encoding").find("gzip") != std::string::npos);
            conn.write(LoopbackHttpServer::response(200, gzip(body), {{"Content-Encoding", "gzip"}}));
        });
        HttpClient client;
        auto r = client.perform(get(server, "/gz"));
        QVERIFY(r.ok());
        QCOMPARE(r->body.size(), body.size());
        QVERIFY(r->body == body);
    }

    void cancelById()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.sleepFor(20s);
        });
        HttpClient client;
        std::promise<HttpOutcome> done;
        auto future = done.get_future();
        const auto started = std::chrono::steady_clock::now();
        const RequestId id = client.submit(get(server, "/hang"), [&](HttpOutcome o) { done.set_value(std::move(o)); });
        QTRY_COMPARE(server.requestCount(), 1);
        client.cancel(id);
        QVERIFY(future.wait_for(5s) == std::future_status::ready);
        HttpOutcome out = future.get();
        QCOMPARE(out.failure, HttpFailure::Cancelled);
        QVERIFY(secondsSince(started) < 5);
    }

    void cancelByFlagDuringRetryWait()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(503, "", {{"Retry-After", "20"}}));
        });
        HttpClient client;
        std::atomic_bool cancelled{false};
        HttpRequest req = get(server, "/x");
        req.retry.maxRetryAfter = Duration::seconds(60);
        req.cancelled = &cancelled;
        auto future = client.submitFuture(req);
        QTRY_COMPARE(server.requestCount(), 1);
        cancelled = true;
        QVERIFY(future.wait_for(5s) == std::future_status::ready);
        QCOMPARE(future.get().failure, HttpFailure::Cancelled);
    }

    void manyRequestsInFlight()
    {
        LoopbackHttpServer server([&](const HttpServerRequest& req, HttpServerConnection& conn) {
            conn.sleepFor(300ms);
            conn.write(LoopbackHttpServer::response(200, req.param("i")));
        });
        HttpClient client;
        std::vector<std::future<HttpOutcome>> futures;
        const auto started = std::chrono::steady_clock::now();
        for (int i = 0; i < 16; ++i)
            futures.push_back(client.submitFuture(get(server, "/p?i=" + std::to_string(i))));
        for (int i = 0; i < 16; ++i) {
            QVERIFY(futures[i].wait_for(10s) == std::future_status::ready);
            HttpOutcome o = futures[i].get();
            QVERIFY(o.ok());
            QCOMPARE(o.response.body, std::to_string(i));
        }
        // 16 × 300 ms one after another would be 4.8 s; 8 connections in parallel take ~0.6 s.
        QVERIFY2(secondsSince(started) < 3.0, "requests were not concurrent");
    }

    void postBodyHeadersAndAuth()
    {
        LoopbackHttpServer server([&](const HttpServerRequest& req, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(200, req.method + " " + req.header("Content-Type") + " " + req.body));
        });
        HttpClient client;
        HttpRequest req = get(server, "/post");
        req.method = "POST";
        req.body = std::string(2 << 20, 'b'); // > 1 MiB: no Expect: 100-continue stall
        req.contentType = "application/x-amz-json-1.1";
        req.headers = {{"X-Amz-Target", "Logs_20140328.FilterLogEvents"}};
        req.username = "alice";
        req.password = "pa55";
        const auto started = std::chrono::steady_clock::now();
        auto r = client.perform(req);
        QVERIFY(r.ok());
        QVERIFY(secondsSince(started) < 0.9);
        QCOMPARE(r->body.substr(0, 33), std::string("POST application/x-amz-json-1.1 b"));
        const auto seen = server.requests().back();
        QCOMPARE(seen.header("X-Amz-Target"), std::string("Logs_20140328.FilterLogEvents"));
        QCOMPARE(seen.header("Authorization"), std::string("Basic YWxpY2U6cGE1NQ=="));
        QCOMPARE(seen.body.size(), size_t(2 << 20));

        HttpRequest bearer = get(server, "/b");
        bearer.bearerToken = "tok";
        QVERIFY(client.perform(bearer).ok());
        QCOMPARE(server.requests().back().header("Authorization"), std::string("Bearer tok"));
    }

    void sigv4Signs()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) {
            conn.write(LoopbackHttpServer::response(200, "{}"));
        });
        HttpClient client;
        HttpRequest req = get(server, "/");
        req.method = "POST";
        req.body = R"({"logGroupName":"g"})";
        req.contentType = "application/x-amz-json-1.1";
        req.sigv4 = AwsSigV4{"aws:amz:us-east-1:logs", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token"};
        QVERIFY(client.perform(req).ok());
        const auto seen = server.requests().back();
        const std::string auth = seen.header("Authorization");
        QVERIFY2(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", 0) == 0, auth.c_str());
        QVERIFY(auth.find("/us-east-1/logs/aws4_request") != std::string::npos);
        QVERIFY(auth.find("x-amz-security-token") != std::string::npos); // the token header is signed
        // Only headers actually sent may be signed (an empty "Expect:" suppresses one and must not be).
        const size_t sh = auth.find("SignedHeaders=");
        QVERIFY(sh != std::string::npos);
        const std::string signedHeaders = auth.substr(sh + 14, auth.find(',', sh) - sh - 14);
        QCOMPARE(signedHeaders, std::string("content-type;host;x-amz-date;x-amz-security-token"));
        QVERIFY(!seen.header("X-Amz-Date").empty());
        QCOMPARE(seen.header("X-Amz-Security-Token"), std::string("session-token"));
        QCOMPARE(seen.header("Content-Type"), std::string("application/x-amz-json-1.1"));
    }

    void blockingCallFromACallbackIsRefused()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) { conn.write(LoopbackHttpServer::response(200, "x")); });
        HttpClient client;
        std::promise<HttpOutcome> inner;
        client.submit(get(server, "/a"), [&](HttpOutcome) { inner.set_value(client.execute(get(server, "/b"))); });
        auto f = inner.get_future();
        QVERIFY(f.wait_for(5s) == std::future_status::ready); // no deadlock
        QCOMPARE(f.get().failure, HttpFailure::Other);
    }

    void destructionWithRequestsInFlight()
    {
        LoopbackHttpServer server([&](const HttpServerRequest&, HttpServerConnection& conn) { conn.sleepFor(20s); });
        std::future<HttpOutcome> future;
        const auto started = std::chrono::steady_clock::now();
        {
            HttpClient client;
            future = client.submitFuture(get(server, "/hang"));
            QTRY_COMPARE(server.requestCount(), 1);
        }
        QVERIFY(future.wait_for(1s) == std::future_status::ready);
        QCOMPARE(future.get().failure, HttpFailure::Cancelled);
        QVERIFY(secondsSince(started) < 5);
    }

    void retryAfterParsing_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<qint64>("seconds"); // -1: unreadable
        QTest::newRow("seconds") << "120" << qint64(120);
        QTest::newRow("spaces") << " 3 " << qint64(3);
        QTest::newRow("imf date") << "Mon, 23 Nov 2026 18:00:30 GMT" << qint64(30);
        QTest::newRow("past date") << "Mon, 23 Nov 2026 17:00:00 GMT" << qint64(0);
        QTest::newRow("rfc850") << "Monday, 23-Nov-26 18:01:00 GMT" << qint64(60);
        QTest::newRow("garbage") << "soon" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
    }
    void retryAfterParsing()
    {
        QFETCH(QString, value);
        QFETCH(qint64, seconds);
        const Timestamp now = *parseRfc3339("2026-11-23T18:00:00Z");
        auto d = parseRetryAfter(value.toStdString(), now);
        if (seconds < 0) {
            QVERIFY(!d);
        } else {
            QVERIFY(d);
            QCOMPARE(d->count(), Duration::seconds(seconds).count());
        }
    }

    void redaction_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("userinfo") << "https://bob:hunter2@prom.example:9090/api/v1/query?query=up"
                                  << "https://prom.example:9090/api/v1/query?query=up";
        QTest::newRow("token param") << "http://h/x?a=1&token=abc&b=2" << "http://h/x?a=1&token=REDACTED&b=2";
        QTest::newRow("plain") << "http://h/x" << "http://h/x";
    }
    void redaction()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(HttpClient::redactUrl(url.toStdString())), expected);
    }

    void encoding()
    {
        QCOMPARE(HttpClient::urlEncode("a b+c/é"), std::string("a%20b%2Bc%2F%C3%A9"));
        QCOMPARE(HttpClient::formEncode({{"query", "sum(x{a=\"b\"})"}, {"step", "15"}}),
                 std::string("query=sum%28x%7Ba%3D%22b%22%7D%29&step=15"));
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_http_client.moc"
