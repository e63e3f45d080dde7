// Error text never carries the request's credentials (issue 13, secrets): a loopback server that
// echoes the request's headers in its 401 body — as some auth proxies and debug endpoints do — is
// asked through the HTTP client and through every connector, and the token, password, session
// token and added header values must not appear in the error the user sees. A URL that carries
// credentials is refused before anything is sent.

#include "ConnectorFactory.h"
#include "bundle/SecretScrubber.h"
#include "http/ErrorText.h"
#include "http/HttpClient.h"
#include "import/RecordSink.h"
#include "support/LoopbackHttpServer.h"

#include <QJsonDocument>
#include <QtTest>

#include <cstdlib>

using namespace rootline;
using namespace rootline::http;
using rootline::test::HttpServerConnection;
using rootline::test::HttpServerRequest;
using rootline::test::LoopbackHttpServer;

namespace {

const std::string kToken = "BearerTok-8f2d5a61c0e94b7e";
const std::string kPassword = "BasicPw-5d4c3b2a";
const std::string kHeaderValue = "HdrVal-77e1c9";
const std::string kAwsSecret = "Je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
const std::string kAwsSession = "SessTok-1a2b3c4d5e6f7a8b9c0d";

// The request's headers as the body of a 401: as text lines and as a Go-style JSON header map, and
// each header value once more, bare (so only masking the request's own values can catch it).
std::string echoBody(const HttpServerRequest& req, bool json)
{
    std::string lines, map, bare;
    for (const auto& [name, value] : req.headers) {
        lines += name + ": " + value + "\n";
        std::string escaped;
        for (char c : value) {
            if (c == '"' || c == '\\')
                escaped.push_back('\\');
            escaped.push_back(c);
        }
        map += std::string(map.empty() ? "" : ",") + "\"" + name + "\":[\"" + escaped + "\"]";
        const size_t space = value.rfind(' ');
        bare += " " + (space == std::string::npos ? value : value.substr(space + 1));
    }
    if (!json)
        return "401 Unauthorized: credentials rejected\n" + req.method + " " + req.target + "\n" + lines + "you sent:" + bare + "\n";
    std::string escapedBare;
    for (char c : bare)
        escapedBare += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return R"({"status":"error","errorType":"unauthorized","error":"rejected:)" + escapedBare + R"(","message":"rejected:)" + escapedBare
        + R"(","__type":"UnrecognizedClientException","headers":{)" + map + "}}";
}

LoopbackHttpServer::Handler echo401(bool json)
{
    return [json](const HttpServerRequest& req, HttpServerConnection& conn) {
        conn.write(LoopbackHttpServer::response(401, echoBody(req, json), {}, json ? "application/json" : "text/plain"));
    };
}

// Whatever secret leaked into `text`, by name.
QByteArray leakIn(const std::string& text, const std::vector<std::string>& secrets)
{
    for (const std::string& s : secrets)
        if (text.find(s) != std::string::npos)
            return QByteArray::fromStdString("leaked " + s + " in: " + text);
    return {};
}

std::string basicPair(const std::string& user, const std::string& password)
{
    return QByteArray::fromStdString(user + ":" + password).toBase64().toStdString();
}

} // namespace

class TestErrorSecrets : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // The CloudWatch row signs with these; no profile file may stand in for them.
        ::setenv("AWS_ACCESS_KEY_ID", "AKIA2E0A8F3B244C9986", 1);
        ::setenv("AWS_SECRET_ACCESS_KEY", kAwsSecret.c_str(), 1);
        ::setenv("AWS_SESSION_TOKEN", kAwsSession.c_str(), 1);
        ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", 1);
        ::setenv("AWS_CONFIG_FILE", "/nonexistent/config", 1);
        ::unsetenv("AWS_PROFILE");
    }

    void httpClientErrors_data()
    {
        QTest::addColumn<bool>("json");
        QTest::addColumn<bool>("basic");
        QTest::newRow("text echo, bearer") << false << false;
        QTest::newRow("json echo, bearer") << true << false;
        QTest::newRow("text echo, basic") << false << true;
        QTest::newRow("json echo, basic") << true << true;
    }
    void httpClientErrors()
    {
        QFETCH(bool, json);
        QFETCH(bool, basic);
        LoopbackHttpServer server(echo401(json));
        HttpClient client;
        HttpRequest req;
        req.url = server.url() + "/api/v1/query?query=up";
        req.where = "prometheus echo";
        if (basic) {
            req.username = "alice";
            req.password = kPassword;
        } else {
            req.bearerToken = kToken;
        }
        req.headers = {{"X-Grafana-Org", kHeaderValue}};
        const std::vector<std::string> secrets = {kToken, kPassword, basicPair("alice", kPassword), kHeaderValue};

        auto r = client.perform(req);
        QVERIFY(!r.ok());
        const std::string received = server.requests().front().header("Authorization");
        QVERIFY2(received.find(basic ? basicPair("alice", kPassword) : kToken) != std::string::npos, received.c_str()); // it was sent
        const std::string message = r.error().message();
        QVERIFY2(leakIn(message, secrets).isEmpty(), leakIn(message, secrets).constData());
        QVERIFY2(message.find("HTTP status 401") != std::string::npos, message.c_str());
        QVERIFY2(message.find(kSecretMask) != std::string::npos, message.c_str()); // the echo is shown, masked
        QVERIFY2(message.find("credentials rejected") != std::string::npos || json, message.c_str());

        // execute() hands the body to connectors: it is scrubbed too, and JSON stays JSON.
        HttpOutcome out = client.execute(req);
        QCOMPARE(out.response.status, 401L);
        QVERIFY2(leakIn(out.response.body, secrets).isEmpty(), leakIn(out.response.body, secrets).constData());
        if (json) {
            QJsonParseError error;
            QJsonDocument::fromJson(QByteArray::fromStdString(out.response.body), &error);
            QCOMPARE(error.error, QJsonParseError::NoError);
        }
    }

    // Every connector builds its own error from the body; none may show the secret.
    void connectorErrors_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<bool>("json");
        for (SourceType t : {SourceType::Prometheus, SourceType::Loki, SourceType::Jaeger, SourceType::CloudWatch})
            for (bool json : {false, true})
                QTest::newRow((std::string(sourceTypeName(t)) + (json ? ", json echo" : ", text echo")).c_str()) << int(t) << json;
    }
    void connectorErrors()
    {
        QFETCH(int, type);
        QFETCH(bool, json);
        LoopbackHttpServer server(echo401(json));
        HttpClient client;
        Source source;
        source.name = "echo";
        source.type = SourceType(type);
        source.url = server.url();
        if (source.type == SourceType::CloudWatch) {
            source.auth.kind = AuthKind::Aws;
            source.auth.awsRegion = "eu-west-1";
        } else {
            source.auth.kind = AuthKind::Bearer;
            source.secrets.token = kToken;
            source.auth.tenant = "team-a";
            source.options.headers = {{"X-Grafana-Org", kHeaderValue}};
        }
        const std::vector<std::string> secrets = {kToken, kHeaderValue, kAwsSecret, kAwsSession};
        auto connector = makeConnector(source, &client);
        QVERIFY2(connector.ok(), connector ? "" : connector.error().message().c_str());

        auto tested = (*connector)->testConnection();
        QVERIFY(!tested.ok());
        QVERIFY(server.requestCount() > 0);
        const std::string sent = server.requests().front().header(source.type == SourceType::CloudWatch ? "X-Amz-Security-Token" : "Authorization");
        QVERIFY2(sent.find(source.type == SourceType::CloudWatch ? kAwsSession : kToken) != std::string::npos, sent.c_str());
        QVERIFY2(leakIn(tested.error().message(), secrets).isEmpty(), leakIn(tested.error().message(), secrets).constData());

        FetchRequest request;
        request.source = source.name;
        request.kind = source.type == SourceType::Jaeger ? FetchKind::Traces : source.type == SourceType::Loki ? FetchKind::Logs : FetchKind::Series;
        request.query = source.type == SourceType::CloudWatch ? "AWS/Lambda Errors FunctionName=checkout" : source.type == SourceType::Loki ? "{app=\"x\"}" : "up";
        request.search = {{"service", "checkout"}};
        request.window = {*parseRfc3339("2026-11-20T14:00:00Z"), *parseRfc3339("2026-11-20T15:00:00Z")};
        CollectingSink sink;
        auto fetched = (*connector)->fetch(request, sink);
        const std::string message = fetched ? fetched->partialReason : fetched.error().message();
        QVERIFY2(!fetched.ok() || !fetched->complete, "a 401 must not look like a complete fetch");
        QVERIFY2(leakIn(message, secrets).isEmpty(), leakIn(message, secrets).constData());
    }

    // errorSnippet() is what a connector uses for any other text it quotes from a response.
    void snippetsAreScrubbedBeforeTheyAreCut()
    {
        HttpRequest req;
        req.bearerToken = kToken;
        const std::string body = std::string(290, 'x') + " Authorization: Bearer " + kToken + " and more";
        const std::string snippet = errorSnippet(req, body, 300);
        QVERIFY2(snippet.find(kToken.substr(0, 4)) == std::string::npos, snippet.c_str()); // not even its first bytes
        QVERIFY(snippet.size() <= 300 + std::string("…").size());
    }

    // user:password@ in a request URL is refused by the client itself, before anything is sent.
    void credentialsInTheUrlAreRefused()
    {
        LoopbackHttpServer server(echo401(false));
        HttpClient client;
        HttpRequest req;
        req.url = "http://alice:" + kPassword + "@" + server.url().substr(std::string("http://").size()) + "/x";
        auto r = client.perform(req);
        QVERIFY(!r.ok());
        QCOMPARE(server.requestCount(), 0);
        QVERIFY2(r.error().message().find(kPassword) == std::string::npos, r.error().message().c_str());
        QVERIFY2(r.error().what.find("credentials") != std::string::npos, r.error().message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestErrorSecrets)
#include "tst_error_secrets.moc"
