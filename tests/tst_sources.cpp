// The sources file and Grafana provisioning import: every field, every refusal, and that secrets
// never appear in what is printed or written back.

#include "sources/SourceRequest.h"
#include "sources/SourcesFile.h"

#include <QtTest>

#include <cstdlib>

using namespace rootline;

class TestSources : public QObject {
    Q_OBJECT

private slots:
    void minimalForm()
    {
        auto s = parseSources("sources:\n"
                              "  - {name: prom, kind: prometheus, url: http://localhost:9090/}\n"
                              "  - {name: logs, kind: loki, url: https://loki.example}\n"
                              "  - {name: traces, kind: jaeger, url: http://jaeger:16686}\n"
                              "  - {name: aws, kind: cloudwatch}\n");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message().c_str());
        QCOMPARE(s->size(), size_t(4));
        QCOMPARE((*s)[0].name, std::string("prom"));
        QCOMPARE((*s)[0].type, SourceType::Prometheus);
        QCOMPARE((*s)[0].url, std::string("http://localhost:9090")); // trailing slash dropped
        QCOMPARE((*s)[0].auth.kind, AuthKind::None);
        QCOMPARE((*s)[1].type, SourceType::Loki);
        QCOMPARE((*s)[2].type, SourceType::Jaeger);
        QCOMPARE((*s)[3].type, SourceType::CloudWatch);
        QCOMPARE((*s)[3].auth.kind, AuthKind::Aws);
        QVERIFY(findSource(*s, "logs"));
        QVERIFY(!findSource(*s, "nope"));
    }

    void fullForm()
    {
        auto s = parseSources(R"(sources:
  - name: prod-prom
    kind: prometheus
    url: https://prom.example:9090
    auth: {type: basic, username: alice, password_env: PROM_PW}
    options:
      timeout: 45s
      ca_file: /etc/ssl/corp.pem
      insecure_skip_verify: true
      max_response_bytes: 1000000
      headers: {X-Team: sre}
  - name: loki
    kind: loki
    url: http://loki:3100
    tenant: team-a
    auth: {type: bearer, token_env: LOKI_TOKEN}
  - name: kr
    kind: loki
    url: http://loki:3100
    auth: {type: basic, username: bob, keyring: true}
  - name: cw
    kind: cloudwatch
    aws: {profile: prod, region: eu-west-1}
)");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message().c_str());
        const Source& p = (*s)[0];
        QCOMPARE(p.auth.kind, AuthKind::Basic);
        QCOMPARE(p.auth.username, std::string("alice"));
        QCOMPARE(p.auth.passwordEnv, std::string("PROM_PW"));
        QVERIFY(p.options.timeout);
        QCOMPARE(p.options.timeout->count(), Duration::seconds(45).count());
        QCOMPARE(p.options.caFile, std::string("/etc/ssl/corp.pem"));
        QVERIFY(p.options.insecureSkipVerify);
        QCOMPARE(*p.options.maxResponseBytes, int64_t(1000000));
        QCOMPARE(p.options.headers.size(), size_t(1));
        const Source& l = (*s)[1];
        QCOMPARE(l.auth.kind, AuthKind::Bearer);
        QCOMPARE(l.auth.tenant, std::string("team-a"));
        QCOMPARE(l.auth.tokenEnv, std::string("LOKI_TOKEN"));
        QVERIFY((*s)[2].auth.keyring);
        const Source& c = (*s)[3];
        QCOMPARE(c.auth.awsProfile, std::string("prod"));
        QCOMPARE(c.auth.awsRegion, std::string("eu-west-1"));

        // Round trip through the writer.
        auto again = parseSources(formatSources(*s));
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().message().c_str());
        QCOMPARE(again->size(), s->size());
        QCOMPARE((*again)[0].auth.passwordEnv, std::string("PROM_PW"));
        QCOMPARE((*again)[0].options.timeout->count(), Duration::seconds(45).count());
        QCOMPARE((*again)[1].auth.tenant, std::string("team-a"));
        QCOMPARE((*again)[3].auth.awsRegion, std::string("eu-west-1"));
        QVERIFY((*again)[2].auth.keyring);
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("message");
        QTest::newRow("plain password") << "sources:\n  - {name: a, kind: prometheus, url: http://x, auth: {type: basic, username: u, password: hunter2}}\n"
                                        << "plain-text secret 'password'";
        QTest::newRow("plain token top-level") << "sources:\n  - {name: a, kind: loki, url: http://x, token: abc}\n" << "plain-text secret 'token'";
        QTest::newRow("authorization header") << "sources:\n  - {name: a, kind: loki, url: http://x, options: {headers: {Authorization: x}}}\n"
                                              << "carries a secret";
        QTest::newRow("unknown kind") << "sources:\n  - {name: a, kind: elastic, url: http://x}\n" << "unknown kind 'elastic'";
        QTest::newRow("no url") << "sources:\n  - {name: a, kind: loki}\n" << "has no url";
        QTest::newRow("bad scheme") << "sources:\n  - {name: a, kind: loki, url: ftp://x}\n" << "http:// or https://";
        QTest::newRow("no name") << "sources:\n  - {kind: loki, url: http://x}\n" << "without a name";
        QTest::newRow("duplicate") << "sources:\n  - {name: a, kind: loki, url: http://x}\n  - {name: a, kind: loki, url: http://y}\n"
                                   << "duplicate source name";
        QTest::newRow("basic without secret") << "sources:\n  - {name: a, kind: loki, url: http://x, auth: {type: basic, username: u}}\n"
                                              << "password_env or keyring";
        QTest::newRow("no list") << "datasources: []\n" << "no 'sources:' list";
        QTest::newRow("bad yaml") << "sources: [\n" << "not valid YAML";
        // Found by fuzzing: a scalar or a list at the top level used to end the program.
        QTest::newRow("top-level scalar") << "a" << "not a YAML mapping";
        QTest::newRow("top-level list") << "- sources\n- x\n" << "not a YAML mapping";
        QTest::newRow("bad timeout") << "sources:\n  - {name: a, kind: loki, url: http://x, options: {timeout: soon}}\n" << "unreadable duration";
    }
    void refusals()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, message);
        auto s = parseSources(yaml.toStdString(), "my.yaml");
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message().find(message.toStdString()) != std::string::npos, s.error().message().c_str());
        QVERIFY2(s.error().where.rfind("my.yaml", 0) == 0, s.error().where.c_str());
        QVERIFY2(s.error().message().find("hunter2") == std::string::npos, "a secret leaked into an error");
    }

    // Secrets in any spelling and in the url are refused like `password:`, and the error names
    // the file, the source and what to use instead — never the secret itself.
    void credentialRefusals_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("hint");
        QTest::newRow("url user and password") << "{name: a, kind: prometheus, url: 'http://bob:hunter2@prom:9090'}"
                                               << "user name and password" << "password_env";
        QTest::newRow("url user only") << "{name: a, kind: prometheus, url: 'https://hunter2@prom:9090'}" << "a user name" << "password_env";
        QTest::newRow("api_key in query") << "{name: a, kind: loki, url: 'http://loki:3100?api_key=hunter2'}" << "'api_key=…'" << "token_env";
        QTest::newRow("token in query") << "{name: a, kind: loki, url: 'http://loki:3100/?x=1&token=hunter2'}" << "'token=…'" << "token_env";
        QTest::newRow("access_token in query") << "{name: a, kind: jaeger, url: 'http://j/?access_token=hunter2'}" << "'access_token=…'" << "keyring";
        QTest::newRow("password in query") << "{name: a, kind: jaeger, url: 'http://j?Password=hunter2'}" << "'Password=…'" << "password_env";
        QTest::newRow("other query") << "{name: a, kind: jaeger, url: 'http://j?orgId=1'}" << "query string" << "remove";
        QTest::newRow("fragment") << "{name: a, kind: jaeger, url: 'http://j/#x'}" << "fragment" << "remove";
        QTest::newRow("capitalised Password") << "{name: a, kind: prometheus, url: http://x, auth: {type: basic, username: u, Password: hunter2}}"
                                              << "plain-text secret 'Password'" << "password_env";
        QTest::newRow("upper-case TOKEN") << "{name: a, kind: loki, url: http://x, TOKEN: hunter2}" << "plain-text secret 'TOKEN'" << "token_env";
        QTest::newRow("Api_Key") << "{name: a, kind: loki, url: http://x, auth: {Api_Key: hunter2}}" << "plain-text secret 'Api_Key'" << "token_env";
        QTest::newRow("passwd") << "{name: a, kind: loki, url: http://x, passwd: hunter2}" << "plain-text secret 'passwd'" << "password_env";
        QTest::newRow("client_secret") << "{name: a, kind: loki, url: http://x, client_secret: hunter2}" << "plain-text secret" << "keyring";
        QTest::newRow("aws secret") << "{name: a, kind: cloudwatch, aws: {profile: p, Secret_Access_Key: hunter2}}" << "plain-text secret"
                                    << "aws: {profile";
        QTest::newRow("X-Api-Key header") << "{name: a, kind: loki, url: http://x, options: {headers: {X-API-KEY: hunter2}}}" << "carries a secret"
                                          << "token_env";
        QTest::newRow("misspelt key") << "{name: a, kind: loki, url: http://x, auth: {type: bearer, tokn_env: T}}" << "unknown key 'tokn_env'"
                                      << "spelling";
        QTest::newRow("key twice in two cases") << "{name: a, kind: loki, url: http://x, URL: http://y}" << "given twice" << "";
    }
    void credentialRefusals()
    {
        QFETCH(QString, entry);
        QFETCH(QString, message);
        QFETCH(QString, hint);
        auto s = parseSources("sources:\n  - " + entry.toStdString() + "\n", "my.yaml");
        QVERIFY(!s.ok());
        const Error& e = s.error();
        QVERIFY2(e.where.rfind("my.yaml:2", 0) == 0, e.where.c_str()); // the file and the line
        QVERIFY2(e.what.find("source 'a'") != std::string::npos, e.what.c_str());
        QVERIFY2(e.what.find(message.toStdString()) != std::string::npos, e.what.c_str());
        QVERIFY2(e.hint.find(hint.toStdString()) != std::string::npos, e.hint.c_str());
        QVERIFY2(e.message().find("hunter2") == std::string::npos, "a secret leaked into an error");
    }

    // Known keys (and the kind and auth type) are accepted in any case, as the same keys.
    void keysMatchInAnyCase()
    {
        auto s = parseSources("sources:\n  - {Name: a, KIND: Loki, Url: 'http://loki:3100/', Tenant: t1,\n"
                              "     Auth: {Type: Bearer, Token_Env: LOKI_TOKEN}, Options: {Timeout: 5s, Headers: {X-Team: sre}}}\n");
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message().c_str());
        const Source& l = s->front();
        QCOMPARE(l.name, std::string("a"));
        QCOMPARE(l.type, SourceType::Loki);
        QCOMPARE(l.url, std::string("http://loki:3100"));
        QCOMPARE(l.auth.kind, AuthKind::Bearer);
        QCOMPARE(l.auth.tokenEnv, std::string("LOKI_TOKEN"));
        QCOMPARE(l.auth.tenant, std::string("t1"));
        QCOMPARE(l.options.timeout->count(), Duration::seconds(5).count());
        QCOMPARE(l.options.headers.front(), (std::pair<std::string, std::string>("X-Team", "sre"))); // header names keep their case
    }

    void grafanaUrlCredentialsRefused()
    {
        auto s = parseGrafanaProvisioning("apiVersion: 1\ndatasources:\n  - {name: P, type: prometheus, url: 'http://admin:hunter2@p:9090'}\n",
                                          "ds.yaml");
        QVERIFY(!s.ok());
        QVERIFY2(s.error().where.rfind("ds.yaml", 0) == 0, s.error().where.c_str());
        QVERIFY2(s.error().what.find("source 'P'") != std::string::npos, s.error().what.c_str());
        QVERIFY(s.error().message().find("hunter2") == std::string::npos);
    }

    void errorsNameTheLine()
    {
        auto s = parseSources("sources:\n  - {name: a, kind: loki, url: http://x}\n  - {name: b, kind: nope, url: http://x}\n", "f.yaml");
        QVERIFY(!s.ok());
        QCOMPARE(s.error().where, std::string("f.yaml:3"));
    }

    void grafanaProvisioning()
    {
        const char* yaml = R"(apiVersion: 1
datasources:
  - name: Prometheus
    type: prometheus
    access: proxy
    url: http://prometheus:9090
    basicAuth: true
    basicAuthUser: admin
    secureJsonData:
      basicAuthPassword: $PROM_PASSWORD
    jsonData:
      tlsSkipVerify: true
  - name: Loki
    type: loki
    url: http://loki:3100
    jsonData:
      httpHeaderName1: X-Scope-OrgID
    secureJsonData:
      httpHeaderValue1: tenant-1
  - name: Jaeger
    type: jaeger
    url: http://jaeger:16686
  - name: CloudWatch
    type: cloudwatch
    jsonData:
      authType: default
      defaultRegion: eu-west-1
  - name: Tempo
    type: tempo
    url: http://tempo
  - name: Hidden
    type: prometheus
    url: http://p2
    basicAuth: true
    basicAuthUser: u
    secureJsonData:
      basicAuthPassword: literal-secret
)";
        std::vector<std::string> skipped;
        auto s = parseGrafanaProvisioning(yaml, "ds.yaml", &skipped);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message().c_str());
        QCOMPARE(s->size(), size_t(5));
        QCOMPARE(skipped.size(), size_t(1));
        QVERIFY(skipped[0].find("Tempo") != std::string::npos);
        const Source& p = (*s)[0];
        QCOMPARE(p.type, SourceType::Prometheus);
        QCOMPARE(p.auth.kind, AuthKind::Basic);
        QCOMPARE(p.auth.username, std::string("admin"));
        QCOMPARE(p.auth.passwordEnv, std::string("PROM_PASSWORD")); // Grafana's $VAR becomes password_env
        QVERIFY(p.options.insecureSkipVerify);
        QCOMPARE((*s)[1].auth.tenant, std::string("tenant-1"));
        QCOMPARE((*s)[2].type, SourceType::Jaeger);
        QCOMPARE((*s)[3].auth.kind, AuthKind::Aws);
        QCOMPARE((*s)[3].auth.awsRegion, std::string("eu-west-1"));
        // A literal secret is not copied: the source gets an env variable to fill instead.
        QCOMPARE((*s)[4].auth.passwordEnv, std::string("ROOTLINE_HIDDEN_PASSWORD"));
        const std::string written = formatSources(*s);
        QVERIFY(written.find("literal-secret") == std::string::npos);
        QVERIFY(parseSources(written).ok());
    }

    void secretsFromTheEnvironment()
    {
        auto s = parseSources("sources:\n  - {name: p, kind: prometheus, url: 'http://h:1', auth: {type: basic, username: u, password_env: TST_SOURCES_PW}}\n"
                              "  - {name: t, kind: loki, url: 'http://h:2', tenant: ten, auth: {type: bearer, token_env: TST_SOURCES_TOKEN}}\n");
        QVERIFY(s.ok());
        Source p = (*s)[0];
        ::unsetenv("TST_SOURCES_PW");
        auto missing = resolveSecrets(p);
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message().find("TST_SOURCES_PW") != std::string::npos);
        ::setenv("TST_SOURCES_PW", "sekrit-pw", 1);
        QVERIFY(resolveSecrets(p).ok());
        QCOMPARE(p.secrets.password, std::string("sekrit-pw"));
        QVERIFY(p.redacted().find("sekrit-pw") == std::string::npos);
        QVERIFY(p.redacted().find("$TST_SOURCES_PW") != std::string::npos);
        Source withUserinfo = p; // refused in the file, but a Source built elsewhere still never shows it
        withUserinfo.url = "http://u:pw@h:1";
        QVERIFY(withUserinfo.redacted().find("pw@") == std::string::npos);

        auto req = sourceRequest(p, "GET", "/api/v1/query?query=up");
        QCOMPARE(req.url, std::string("http://h:1/api/v1/query?query=up"));
        QCOMPARE(req.username, std::string("u"));
        QCOMPARE(req.password, std::string("sekrit-pw"));
        QVERIFY(req.where.find("sekrit") == std::string::npos);

        Source t = (*s)[1];
        ::setenv("TST_SOURCES_TOKEN", "tok-123", 1);
        QVERIFY(resolveSecrets(t).ok());
        auto treq = sourceRequest(t, "GET", "/x");
        QCOMPARE(treq.bearerToken, std::string("tok-123"));
        QCOMPARE(treq.headers.size(), size_t(1));
        QCOMPARE(treq.headers[0], (std::pair<std::string, std::string>("X-Scope-OrgID", "ten")));
        // Secrets never reach the YAML written back.
        QVERIFY(formatSources({p, t}).find("tok-123") == std::string::npos);
        QVERIFY(formatSources({p, t}).find("sekrit-pw") == std::string::npos);
    }

    void defaultPath()
    {
        ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
        QCOMPARE(defaultSourcesPath(), std::string("/tmp/xdg-test/rootline/sources.yaml"));
        ::unsetenv("XDG_CONFIG_HOME");
        ::setenv("HOME", "/home/someone", 1);
        QCOMPARE(defaultSourcesPath(), std::string("/home/someone/.config/rootline/sources.yaml"));
    }

    void loadFromFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("sources.yaml")).toStdString();
        QVERIFY(!loadSources(path).ok());
        QVERIFY(loadSources(path).error().hint.find("--sources") != std::string::npos);
        {
            std::FILE* f = std::fopen(path.c_str(), "w");
            std::fputs("sources:\n  - {name: p, kind: prometheus, url: http://h}\n", f);
            std::fclose(f);
        }
        auto s = loadSources(path);
        QVERIFY(s.ok());
        QCOMPARE(s->size(), size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestSources)
#include "tst_sources.moc"
