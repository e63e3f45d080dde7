// rootline-cli export / exportBundle: filtered, self-contained, credential-free bundles whose
// content round-trips exactly.

#include "bundle/BundleExporter.h"
#include "bundle/ContentHash.h"
#include "bundle/Redactor.h"
#include "bundle/SecretScrubber.h"
#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "sample/SampleCache.h"
#include "support/SecretForms.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace rootline;
namespace story = rootline::sample_story;

namespace {

std::unique_ptr<CacheReader> openReader(const QString& path)
{
    auto r = CacheReader::open(path.toStdString());
    if (!r) {
        qWarning("%s", r.error().message().c_str());
        return nullptr;
    }
    return std::move(*r);
}

std::string hashOf(const QString& path)
{
    auto reader = openReader(path);
    if (!reader)
        return "cannot open";
    auto h = contentHash(*reader);
    return h ? *h : h.error().message();
}

std::map<std::string, std::string> manifestOf(CacheReader& reader)
{
    auto m = reader.manifest();
    return m ? std::map<std::string, std::string>(m->begin(), m->end()) : std::map<std::string, std::string>{};
}

// The file and its write-ahead log: everything SQLite may have put on disk.
QByteArray fileBytes(const QString& path)
{
    QByteArray bytes;
    for (const QString& name : QStringList{path, path + QStringLiteral("-wal")}) {
        QFile f(name);
        if (f.open(QIODevice::ReadOnly))
            bytes += f.readAll();
    }
    return bytes;
}

const char* kSecretToken = "s3cr3t-T0ken-9f8e7d6c5b4a";
const char* kSecretKey = "SUPERSECRETAPIKEY42";

} // namespace

class TestExport : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_sample;  // the sample incident at scale 0.2
    QString m_secrets; // a small cache with credentials in its provenance and PII in its logs

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sample = path(QStringLiteral("sample.rootline"));
        auto s = writeSampleCache(m_sample.toStdString(), {20261123, 0.2});
        QVERIFY2(s.ok(), s ? "" : s.error().message().c_str());

        m_secrets = path(QStringLiteral("secrets.rootline"));
        auto writer = CacheWriter::open(m_secrets.toStdString());
        QVERIFY(writer.ok());
        FetchRecord fetch;
        fetch.source = "loki-prod";
        fetch.kind = "logs";
        fetch.query = std::string("GET /loki/api/v1/query_range?query={app=\"payment\"}\nAuthorization: Bearer ") + kSecretToken;
        fetch.message = std::string("retried with api_key=") + kSecretKey;
        fetch.window = {story::kWindowStart, story::kWindowEnd};
        TelemetryBatch batch;
        LogRecord log;
        log.time = story::kGatewayTimeouts;
        log.severity = int(Severity::Error);
        log.severityText = "ERROR";
        log.body = "charge failed for jane.doe@example.com from 203.0.113.7 with header Bearer abcdef123456";
        log.attributes = Attributes{{"user.email", std::string("omar.haddad@example.org")}, {"client.address", std::string("198.51.100.23")},
                                    {"retries", int64_t(3)}};
        log.resource = makeResource({{"service.name", std::string("payment")}});
        batch.logs.push_back(log);
        auto stats = (*writer)->write(std::move(batch), fetch);
        QVERIFY2(stats.ok(), stats ? "" : stats.error().message().c_str());
        QVERIFY((*writer)->setManifest("title", "has secrets").ok());
    }

    void wholeExportRoundTrips()
    {
        const QString out = path(QStringLiteral("all.rootline"));
        auto summary = exportBundle(m_sample.toStdString(), out.toStdString(), {});
        QVERIFY2(summary.ok(), summary ? "" : summary.error().message().c_str());
        auto src = openReader(m_sample), dst = openReader(out);
        QVERIFY(src && dst);
        auto a = src->overview(), b = dst->overview();
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(b->logs, a->logs);
        QCOMPARE(b->spans, a->spans);
        QCOMPARE(b->traces, a->traces);
        QCOMPARE(b->series, a->series);
        QCOMPARE(b->samples, a->samples);
        QCOMPARE(b->exemplars, a->exemplars);
        QCOMPARE(b->alerts, a->alerts);
        QCOMPARE(b->services, a->services);
        QVERIFY(b->range == a->range);
        QCOMPARE(summary->stats.logs, a->logs);
        QCOMPARE(summary->traces, a->traces);

        // Identical content: the round trip of issue 3.
        const std::string sourceHash = hashOf(m_sample);
        QCOMPARE(summary->contentHash, sourceHash);
        QCOMPARE(hashOf(out), sourceHash);

        auto m = manifestOf(*dst);
        QCOMPARE(m["content_hash"], sourceHash);
        QCOMPARE(m["origin_timezone"], std::string("UTC"));
        QCOMPARE(m["format"], std::string("rootline-bundle"));
        QCOMPARE(m["title"], std::string("Sample incident: checkout failed 5 minutes ago"));
        QCOMPARE(m["time_range_from"], a->range->from.toRfc3339());
        QVERIFY(m["provenance"].find("rootline sample generator") != std::string::npos);
        const auto contents = QJsonDocument::fromJson(QByteArray::fromStdString(m["contents"])).object();
        QCOMPARE(contents.value(QStringLiteral("logs")).toInteger(), a->logs);
        // One self-contained file: no write-ahead log, nothing half-written left behind.
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("-wal")));
        const auto leftovers = QDir(m_dir.path()).entryList({QStringLiteral("*.partial-*")});
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u',')));
    }

    void roundTripsEveryRecordKind()
    {
        // Edge cases the sample does not have: NaN and infinite samples, a native histogram, an
        // exemplar without a trace, an alert without a start, nested and typed attributes.
        const QString src = path(QStringLiteral("kinds.rootline"));
        {
            auto writer = CacheWriter::open(src.toStdString());
            QVERIFY(writer.ok());
            auto resource = makeResource({{"service.name", std::string("svc")}, {"host.name", std::string("h1")}});
            const TraceId trace{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
            TelemetryBatch b;
            LogRecord log;
            log.time = story::kWindowStart;
            log.body = "same time";
            log.attributes = Attributes{{"s", std::string("x")}, {"i", int64_t(-7)}, {"d", 0.1}, {"b", true}, {"n", JsonText{R"({"k":[1,2]})"}}};
            log.traceId = trace;
            log.spanId = SpanId{42};
            log.resource = resource;
            b.logs.push_back(log);
            log.body = "same time, other line";
            b.logs.push_back(log);
            Span span;
            span.traceId = trace;
            span.spanId = SpanId{42};
            span.name = "op";
            span.kind = SpanKind::Server;
            span.start = story::kWindowStart;
            span.duration = Duration::millis(3);
            span.events.push_back({story::kWindowStart + Duration::millis(1), "evt", Attributes{{"a", int64_t(1)}}});
            span.links.push_back({TraceId{1, 2}, SpanId{3}, "FOLLOWS_FROM", {}});
            span.resource = resource;
            b.spans.push_back(span);
            SeriesData data;
            data.series.name = "m";
            data.series.setLabel("a", "1");
            data.series.resource = resource;
            data.samples = {{story::kWindowStart, std::nan("")}, {story::kWindowStart + Duration::seconds(15), INFINITY},
                            {story::kWindowStart + Duration::seconds(30), -INFINITY}, {story::kWindowStart + Duration::seconds(45), 1.5}};
            data.histograms.push_back({story::kWindowStart, 3, 0.75, {{0, 0.5, 2}, {0.5, 1, 1}}});
            Exemplar e;
            e.time = story::kWindowStart;
            e.value = 0.3;
            e.labels = Attributes{{"x", std::string("y")}};
            data.exemplars.push_back(e);
            b.series.push_back(data);
            Alert alert;
            alert.name = "A";
            alert.state = AlertState::Pending;
            alert.source = "bundle";
            b.alerts.push_back(alert);
            QVERIFY((*writer)->write(std::move(b), {}).ok());
        }
        const QString out = path(QStringLiteral("kinds-out.rootline"));
        auto summary = exportBundle(src.toStdString(), out.toStdString(), {});
        QVERIFY2(summary.ok(), summary ? "" : summary.error().message().c_str());
        QCOMPARE(summary->stats.histograms, int64_t(1));
        QCOMPARE(summary->stats.samples, int64_t(4));
        QCOMPARE(hashOf(out), hashOf(src));
        // And the hash sees every kind: changing any one of them changes it.
        const std::string before = hashOf(out);
        {
            auto writer = CacheWriter::open(out.toStdString());
            QVERIFY(writer.ok());
            TelemetryBatch b;
            Alert alert;
            alert.name = "B";
            alert.source = "bundle";
            b.alerts.push_back(alert);
            QVERIFY((*writer)->write(std::move(b), {}).ok());
        }
        QVERIFY(hashOf(out) != before);
    }

    void filters_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QStringList>("services");
        QTest::newRow("incident window") << QStringLiteral("2026-11-20T14:40:00Z") << QStringLiteral("2026-11-20T15:00:00Z") << QStringList();
        QTest::newRow("payment only") << QString() << QString() << QStringList{QStringLiteral("payment")};
        QTest::newRow("checkout and payment, 14:45-14:55")
            << QStringLiteral("2026-11-20T14:45:00Z") << QStringLiteral("2026-11-20T14:55:00Z")
            << QStringList{QStringLiteral("checkout"), QStringLiteral("payment")};
    }

    void filters()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QStringList, services);
        ExportOptions options;
        if (!from.isEmpty())
            options.window = {*parseRfc3339(from.toStdString()), *parseRfc3339(to.toStdString())};
        for (const QString& s : services)
            options.services.push_back(s.toStdString());
        const QString out = path(QStringLiteral("filtered-%1.rootline").arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'_'));
        auto summary = exportBundle(m_sample.toStdString(), out.toStdString(), options);
        QVERIFY2(summary.ok(), summary ? "" : summary.error().message().c_str());
        auto src = openReader(m_sample), dst = openReader(out);
        QVERIFY(src && dst);
        auto selected = [&](const std::string& service) {
            return options.services.empty() || std::find(options.services.begin(), options.services.end(), service) != options.services.end();
        };

        // Logs: exactly those of the window and services.
        LogQuery q;
        q.window = options.window;
        q.services = options.services;
        auto expected = src->countLogs(q);
        QVERIFY(expected.ok());
        QVERIFY(*expected > 0);
        auto o = dst->overview();
        QVERIFY(o.ok());
        QCOMPARE(o->logs, *expected);
        auto page = dst->logPage({}, std::nullopt, 100000);
        QVERIFY(page.ok());
        for (const LogRecord& l : *page) {
            QVERIFY(options.window.contains(l.time));
            QVERIFY(l.resource && selected(l.resource->serviceName));
        }

        // Traces: whole, overlapping the window, touching a selected service.
        TraceQuery tq;
        tq.limit = 1000000;
        auto traces = dst->traces(tq);
        QVERIFY(traces.ok());
        QVERIFY(!traces->empty());
        QCOMPARE(int64_t(traces->size()), summary->traces);
        for (const TraceSummary& t : *traces) {
            QVERIFY(options.window.overlaps({t.start, t.start + t.duration + Duration::nanos(1)}));
            auto spans = dst->traceSpans(t.traceId);
            auto original = src->traceSpans(t.traceId);
            QVERIFY(spans.ok() && original.ok());
            QCOMPARE(spans->size(), original->size());
            bool touches = false;
            for (const Span& s : *spans)
                touches = touches || (s.resource && selected(s.resource->serviceName));
            QVERIFY(touches);
        }

        // Series: samples and exemplars inside the window, of the selected services only.
        auto series = dst->listSeries();
        QVERIFY(series.ok());
        QVERIFY(!series->empty());
        for (const SeriesInfo& info : *series) {
            QVERIFY(info.series.resource && selected(info.series.resource->serviceName));
            QVERIFY(info.range && options.window.contains(info.range->from));
        }
        auto exemplars = dst->exemplars(0, TimeWindow::all());
        QVERIFY(exemplars.ok());
        for (const Exemplar& e : *exemplars)
            QVERIFY(options.window.contains(e.time));
        auto m = manifestOf(*dst);
        QCOMPARE(m["content_hash"], hashOf(out));
        QVERIFY(m["filters"].find("\"services\":[") != std::string::npos);
    }

    void redactMasksPersonalData()
    {
        const QString out = path(QStringLiteral("redacted.rootline"));
        ExportOptions options;
        options.redact = true;
        auto summary = exportBundle(m_secrets.toStdString(), out.toStdString(), options);
        QVERIFY2(summary.ok(), summary ? "" : summary.error().message().c_str());
        QCOMPARE(summary->redactedValues, int64_t(2)); // one body, one attribute set
        auto dst = openReader(out);
        QVERIFY(dst);
        auto logs = dst->logPage({}, std::nullopt, 10);
        QVERIFY(logs.ok());
        QCOMPARE(logs->size(), size_t(1));
        const LogRecord& l = logs->front();
        QCOMPARE(l.body, std::string("charge failed for [email] from [ipv4] with header Bearer [REDACTED]"));
        QCOMPARE(l.attributes.text("user.email").value_or(""), std::string("[email]"));
        QCOMPARE(l.attributes.text("client.address").value_or(""), std::string("[ipv4]"));
        QCOMPARE(l.attributes.text("retries").value_or(""), std::string("3"));

        // The sample's e-mail addresses and client IPs are gone too, and nothing else changed size.
        const QString sampleOut = path(QStringLiteral("sample-redacted.rootline"));
        auto s = exportBundle(m_sample.toStdString(), sampleOut.toStdString(), options);
        QVERIFY(s.ok());
        QVERIFY(s->redactedValues > 0);
        auto r = openReader(sampleOut);
        QVERIFY(r);
        LogQuery emails;
        emails.text = "\"example.com\"";
        auto hits = r->countLogs(emails);
        QVERIFY(hits.ok());
        QCOMPARE(*hits, int64_t(0));
        LogQuery masked;
        masked.text = "email";
        auto maskedHits = r->countLogs(masked);
        QVERIFY(maskedHits.ok());
        QVERIFY(*maskedHits > 0);
    }

    // Issue 13: each form of secret, planted in log bodies and in string, nested and secret-named
    // attributes (and in a span's status, attributes and event), is gone after `rootline-cli
    // export --redact` — from the bundle's bytes, not just from its rows — with the mask in its
    // place; ordinary lines come out unchanged.
    void redactRemovesEveryPlantedSecret()
    {
        const QString cache = path(QStringLiteral("planted.rootline"));
        std::vector<std::string> secrets;
        {
            auto writer = CacheWriter::open(cache.toStdString());
            QVERIFY(writer.ok());
            TelemetryBatch batch;
            auto plant = [&](const std::string& form, const std::string& line, Attributes extra) {
                LogRecord log;
                log.time = story::kGatewayTimeouts + Duration::millis(int64_t(batch.logs.size()));
                log.body = line;
                const QByteArray nested = QJsonDocument(QJsonObject{{QStringLiteral("msg"), QString::fromStdString(line)}}).toJson(QJsonDocument::Compact);
                log.attributes = Attributes{{"form", form}, {"detail", line}, {"nested", JsonText{nested.toStdString()}}};
                for (const Attribute& a : extra)
                    log.attributes.set(a.key, a.value);
                log.resource = makeResource({{"service.name", std::string("payment")}});
                batch.logs.push_back(std::move(log));
            };
            for (const test::SecretForm& f : test::kSecretForms) {
                plant(f.name, f.line, {});
                secrets.emplace_back(f.secret);
            }
            plant("secret-named attributes", "login ok",
                  {{"password", std::string("AttrPw-3141")}, {"http.request.header.authorization", JsonText{R"(["Bearer AttrTok-2718"])"}}});
            secrets.insert(secrets.end(), {"AttrPw-3141", "AttrTok-2718"});
            for (size_t i = 0; i < std::size(test::kOrdinaryLines); ++i)
                plant("ordinary " + std::to_string(i), test::kOrdinaryLines[i], {});
            // A span that failed on an upstream's 401, with the echo in its status and an event.
            Span span;
            span.traceId = *parseTraceId("4bf92f3577b34da6a3ce929d0e0e4736");
            span.spanId = *parseSpanId("00f067aa0ba902b7");
            span.name = "POST /charge";
            span.start = story::kGatewayTimeouts;
            span.duration = Duration::millis(12);
            span.status = StatusCode::Error;
            span.statusMessage = "401 from gateway: Authorization: Bearer SpanTok-1618";
            span.attributes = Attributes{{"http.request.header.x-api-key", std::string("SpanKey-1414")}};
            span.events.push_back({story::kGatewayTimeouts, "exception", Attributes{{"exception.message", std::string("bad password=SpanPw-1732")}}});
            span.resource = makeResource({{"service.name", std::string("payment")}});
            batch.spans.push_back(std::move(span));
            secrets.insert(secrets.end(), {"SpanTok-1618", "SpanKey-1414", "SpanPw-1732"});

            FetchRecord fetch;
            fetch.source = "planted";
            fetch.kind = "logs";
            auto stats = (*writer)->write(std::move(batch), fetch);
            QVERIFY2(stats.ok(), stats ? "" : stats.error().message().c_str());
        }
        const QByteArray sourceBytes = fileBytes(cache);
        for (const std::string& secret : secrets)
            QVERIFY2(sourceBytes.contains(QByteArray::fromStdString(secret)), secret.c_str()); // the test would prove nothing otherwise

        const QString out = path(QStringLiteral("planted-redacted.rootline"));
        QProcess exporter;
        exporter.start(QStringLiteral(ROOTLINE_CLI),
                       {QStringLiteral("export"), QStringLiteral("--cache"), cache, QStringLiteral("--out"), out, QStringLiteral("--redact")});
        QVERIFY(exporter.waitForFinished(120000));
        QVERIFY2(exporter.exitCode() == 0, exporter.readAllStandardError().constData());

        const QByteArray bundleBytes = fileBytes(out);
        for (const std::string& secret : secrets)
            QVERIFY2(!bundleBytes.contains(QByteArray::fromStdString(secret)), ("still in the bundle: " + secret).c_str());
        auto dst = openReader(out);
        QVERIFY(dst);
        auto logs = dst->logPage({}, std::nullopt, 1000);
        QVERIFY(logs.ok());
        QCOMPARE(logs->size(), std::size(test::kSecretForms) + 1 + std::size(test::kOrdinaryLines));
        auto spans = dst->traceSpans(*parseTraceId("4bf92f3577b34da6a3ce929d0e0e4736"));
        QVERIFY(spans.ok() && spans->size() == 1);
        QCOMPARE(spans->front().statusMessage, std::string("401 from gateway: Authorization: [REDACTED]"));
        for (const LogRecord& log : *logs) {
            const std::string form = log.attributes.text("form").value_or("?");
            const std::string detail = log.attributes.text("detail").value_or("");
            if (form.rfind("ordinary ", 0) == 0) {
                const std::string original = test::kOrdinaryLines[std::stoul(form.substr(9))];
                QVERIFY2(log.body == original, (form + ": " + log.body).c_str());
                QVERIFY2(detail == original, (form + ": " + detail).c_str());
            } else if (form == "secret-named attributes") {
                QCOMPARE(log.attributes.text("password").value_or(""), std::string(kSecretMask));
            } else {
                QVERIFY2(log.body.find(kSecretMask) != std::string::npos, (form + ": " + log.body).c_str());
                QVERIFY2(detail.find(kSecretMask) != std::string::npos, (form + ": " + detail).c_str());
                QVERIFY2(log.attributes.text("nested").value_or("").find(kSecretMask) != std::string::npos, form.c_str());
            }
        }
    }

    void customRedactionPattern()
    {
        auto bad = Redactor::create({{"broken", "(unclosed", "x"}});
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message().find("broken") != std::string::npos);
        auto r = Redactor::create({{"order", R"(ord-[0-9a-f]{8})", "ord-[redacted]"}});
        QVERIFY(r.ok());
        std::string text = "order ord-1234abcd failed";
        QVERIFY(r->apply(text));
        QCOMPARE(text, std::string("order ord-[redacted] failed"));
    }

    void secretsNeverLeave()
    {
        const QString out = path(QStringLiteral("no-secrets.rootline"));
        auto summary = exportBundle(m_secrets.toStdString(), out.toStdString(), {});
        QVERIFY2(summary.ok(), summary ? "" : summary.error().message().c_str());
        QVERIFY(fileBytes(m_secrets).contains(kSecretToken)); // the test would prove nothing otherwise
        const QByteArray bytes = fileBytes(out);
        QVERIFY(!bytes.contains(kSecretToken));
        QVERIFY(!bytes.contains(kSecretKey));
        auto dst = openReader(out);
        QVERIFY(dst);
        auto m = manifestOf(*dst);
        QVERIFY(m["provenance"].find("[REDACTED]") != std::string::npos);
        QVERIFY(m["provenance"].find("loki-prod") != std::string::npos);
    }

    void scrubberTable_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("secret");
        QTest::newRow("authorization header") << QStringLiteral("Authorization: Basic dXNlcjpwYXNzd29yZA==") << QStringLiteral("dXNlcjpwYXNzd29yZA");
        QTest::newRow("bearer in text") << QStringLiteral("sent bearer eyJhbGciOiJIUzI1NiJ9.e30.sig") << QStringLiteral("eyJhbGci");
        QTest::newRow("api key parameter") << QStringLiteral("https://x/api?api_key=abc123def&q=1") << QStringLiteral("abc123def");
        QTest::newRow("json password") << QStringLiteral(R"({"password": "hunter22"})") << QStringLiteral("hunter22");
        QTest::newRow("url credentials") << QStringLiteral("https://admin:pa55w0rd@loki.example.com/") << QStringLiteral("pa55w0rd");
        QTest::newRow("aws access key") << QStringLiteral("key AKIAIOSFODNN7EXAMPLE used") << QStringLiteral("AKIAIOSFODNN7EXAMPLE");
        QTest::newRow("sigv4") << QStringLiteral("AWS4-HMAC-SHA256 Credential=AKID/20261120/eu-west-1/logs/aws4_request, Signature=abcdef0123")
                               << QStringLiteral("abcdef0123");
    }

    void scrubberTable()
    {
        QFETCH(QString, input);
        QFETCH(QString, secret);
        const std::string out = scrubSecrets(input.toStdString());
        QVERIFY2(out.find(secret.toStdString()) == std::string::npos, out.c_str());
        QVERIFY2(out.find("[REDACTED]") != std::string::npos, out.c_str());
    }

    void refusesToOverwriteOrCopyOntoItself()
    {
        const QString out = path(QStringLiteral("exists.rootline"));
        QFile f(out);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("keep me");
        f.close();
        auto r = exportBundle(m_secrets.toStdString(), out.toStdString(), {});
        QVERIFY(!r.ok());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("keep me"));
        f.close();
        ExportOptions force;
        force.overwrite = true;
        QVERIFY(exportBundle(m_secrets.toStdString(), out.toStdString(), force).ok());
        QVERIFY(openReader(out) != nullptr);
        auto self = exportBundle(m_secrets.toStdString(), m_secrets.toStdString(), force);
        QVERIFY(!self.ok());
        QVERIFY(openReader(m_secrets) != nullptr);
    }

    void cancelledExportLeavesNothing()
    {
        const QString out = path(QStringLiteral("cancelled.rootline"));
        std::atomic_bool cancelled{true};
        auto r = exportBundle(m_sample.toStdString(), out.toStdString(), {}, &cancelled);
        QVERIFY(!r.ok());
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(QDir(m_dir.path()).entryList({QStringLiteral("cancelled.rootline*")}).isEmpty());
    }

    void commandLine()
    {
        const QString out = path(QStringLiteral("cli.rootline"));
        QProcess exporter;
        exporter.start(QStringLiteral(ROOTLINE_CLI),
                       {QStringLiteral("export"), QStringLiteral("--cache"), m_sample, QStringLiteral("--out"), out, QStringLiteral("--service"),
                        QStringLiteral("payment"), QStringLiteral("--from"), QStringLiteral("2026-11-20T14:00:00Z"), QStringLiteral("--to"),
                        QStringLiteral("2026-11-20T15:00:00Z"), QStringLiteral("--redact"), QStringLiteral("--json")});
        QVERIFY(exporter.waitForFinished(120000));
        QVERIFY2(exporter.exitCode() == 0, exporter.readAllStandardError().constData());
        const auto exported = QJsonDocument::fromJson(exporter.readAllStandardOutput()).object();
        QVERIFY(exported.value(QStringLiteral("logs")).toInteger() > 0);

        QProcess stats;
        stats.start(QStringLiteral(ROOTLINE_CLI), {QStringLiteral("stats"), QStringLiteral("--cache"), out, QStringLiteral("--json")});
        QVERIFY(stats.waitForFinished(60000));
        QCOMPARE(stats.exitCode(), 0);
        const auto counted = QJsonDocument::fromJson(stats.readAllStandardOutput()).object();
        QCOMPARE(counted.value(QStringLiteral("logs")).toInteger(), exported.value(QStringLiteral("logs")).toInteger());
        QCOMPARE(counted.value(QStringLiteral("spans")).toInteger(), exported.value(QStringLiteral("spans")).toInteger());
        QCOMPARE(counted.value(QStringLiteral("traces")).toInteger(), exported.value(QStringLiteral("traces")).toInteger());
        QCOMPARE(counted.value(QStringLiteral("alerts")).toInteger(), 0); // the alert is checkout's

        QProcess again; // refuses to overwrite; exit 2 with a one-line error
        again.start(QStringLiteral(ROOTLINE_CLI), {QStringLiteral("export"), QStringLiteral("--cache"), m_sample, QStringLiteral("--out"), out});
        QVERIFY(again.waitForFinished(60000));
        QCOMPARE(again.exitCode(), 2);
        QVERIFY(again.readAllStandardError().contains("already exists"));
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
