// A log line is its resource, time, body and attributes (cache schema 6, issue 12 item 3): the same
// lines arriving through two files, or an import and then a fetch, are stored once; lines that
// differ in any of those are all kept, and so are copies a single source says twice.

#include "CacheTestUtil.h"
#include "cache/LogIdentity.h"
#include "core/Clock.h"
#include "http/HttpClient.h"
#include "import/Importer.h"
#include "loki/LokiConnector.h"
#include "support/ConnectorTestUtil.h"
#include "support/FakeLokiServer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;
using namespace rootline::testutil;

namespace {

constexpr int64_t kT0 = 1763908000000000000; // 2025-11-23T14:26:40Z

LogRecord line(int64_t second, std::string body, const char* service = "checkout")
{
    LogRecord r;
    r.time = Timestamp::fromNanos(kT0 + second * 1'000'000'000);
    r.body = std::move(body);
    r.attributes.set("thread", int64_t(7));
    r.resource = makeResource(Attributes{{"service.name", std::string(service)}});
    return r;
}

FetchRecord source(std::string name)
{
    FetchRecord f;
    f.source = std::move(name);
    f.kind = "import";
    return f;
}

std::vector<std::string> bodies(CacheReader& reader)
{
    auto page = reader.logPage({}, std::nullopt, 1000);
    if (!page)
        qFatal("%s", page.error().message().c_str());
    std::vector<std::string> out;
    for (const auto& l : *page)
        out.push_back(l.body);
    return out;
}

bool writeFile(const QString& path, const std::string& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text.data(), qint64(text.size())) == qint64(text.size());
}

// A Loki query_range answer (what `curl …/query_range` saves) holding `entries` of one stream.
std::string lokiDump(const test::FakeLokiStream& stream)
{
    std::string labels;
    for (const auto& [k, v] : stream.labels)
        labels += (labels.empty() ? "\"" : ",\"") + k + "\":\"" + v + "\"";
    std::string values;
    for (const auto& e : stream.entries)
        values += (values.empty() ? "[\"" : ",[\"") + std::to_string(e.ns) + "\",\"" + e.line + "\"]";
    return R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{)" + labels + R"(},"values":[)" + values
        + "]}]}}";
}

test::FakeLokiStream checkoutStream(int from, int to)
{
    test::FakeLokiStream s{{{"app", "checkout"}, {"namespace", "shop"}}, {}};
    for (int i = from; i < to; ++i)
        s.entries.push_back({kT0 + int64_t(i) * 1'000'000'000, "order " + std::to_string(i) + " placed", {}});
    return s;
}

} // namespace

class TestLogIdentity : public QObject {
    Q_OBJECT

private slots:
    void identityFieldsAllCount()
    {
        // Each field enters the identity, and a field boundary is not a shifted byte.
        const int64_t base = cache::logIdentity("k", "body", "{}");
        QCOMPARE(cache::logIdentity("k", "body", "{}"), base);
        QVERIFY(cache::logIdentity("k2", "body", "{}") != base);
        QVERIFY(cache::logIdentity("k", "body2", "{}") != base);
        QVERIFY(cache::logIdentity("k", "body", "{\"a\":1}") != base);
        QVERIFY(cache::logIdentity("kb", "ody", "{}") != base);
        QCOMPARE(cache::logOccurrence(base, 0), base);
        QVERIFY(cache::logOccurrence(base, 1) != base);
        QVERIFY(cache::logOccurrence(base, 1) != cache::logOccurrence(base, 2));
        // The values are stored in cache files: they must never change.
        QCOMPARE(cache::murmurHash64("", 0), uint64_t(0));
        QCOMPARE(cache::murmurHash64("hello", 0), uint64_t(0x1e68d17c457bf117ULL));
    }

    void sameLinesFromTwoUnitsStoredOnce()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto writer = openWriter(path);
        QVERIFY(writer);
        TelemetryBatch first;
        for (int i = 0; i < 3; ++i)
            first.logs.push_back(line(i, "order " + std::to_string(i)));
        auto a = writer->write(first, source("a.json"));
        QVERIFY(a.ok());
        QCOMPARE(a->logs, int64_t(3));
        QCOMPARE(a->duplicates, int64_t(0));

        TelemetryBatch second;
        for (int i = 1; i < 5; ++i) // 1 and 2 again, 3 and 4 new
            second.logs.push_back(line(i, "order " + std::to_string(i)));
        auto b = writer->write(second, source("b.json"));
        QVERIFY(b.ok());
        QCOMPARE(b->logs, int64_t(2));
        QCOMPARE(b->duplicates, int64_t(2));
        writer.reset();

        auto reader = openReader(path);
        QVERIFY(reader);
        QCOMPARE(bodies(*reader), (std::vector<std::string>{"order 0", "order 1", "order 2", "order 3", "order 4"}));
        // The full-text index holds each stored line once, the skipped copies not at all.
        LogQuery search;
        search.text = "order";
        QCOMPARE(*reader->countLogs(search), int64_t(5));
    }

    void linesThatDifferAreAllKept()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto writer = openWriter(path);
        QVERIFY(writer);
        TelemetryBatch first;
        first.logs.push_back(line(0, "payment failed"));
        QVERIFY(writer->write(first, source("a.json")).ok());

        TelemetryBatch second;
        LogRecord otherAttributes = line(0, "payment failed");
        otherAttributes.attributes.set("thread", int64_t(8));
        LogRecord otherResource = line(0, "payment failed", "payment");
        LogRecord noResource = line(0, "payment failed");
        noResource.resource.reset();
        LogRecord otherTime = line(1, "payment failed");
        LogRecord otherBody = line(0, "payment failed!");
        for (const auto& r : {otherAttributes, otherResource, noResource, otherTime, otherBody})
            second.logs.push_back(r);
        second.logs.push_back(line(0, "payment failed")); // the one copy of the first file's line
        auto b = writer->write(second, source("b.json"));
        QVERIFY(b.ok());
        QCOMPARE(b->logs, int64_t(5));
        QCOMPARE(b->duplicates, int64_t(1));
        writer.reset();
        auto reader = openReader(path);
        QVERIFY(reader);
        QCOMPARE(*reader->countLogs({}), int64_t(6));
    }

    void copiesOneSourceSaysTwiceAreKept()
    {
        // A Loki stream may hold one line twice at one nanosecond: two lines, both stored. Another
        // source bringing the same line (once or twice) adds nothing; the first source's copies
        // stay whether they arrived in one batch or in two.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        auto writer = openWriter(path);
        QVERIFY(writer);
        auto unit = writer->begin(source("loki"));
        TelemetryBatch one;
        one.logs = {line(0, "twice"), line(0, "twice"), line(1, "thrice")};
        QVERIFY(unit->append(one).ok());
        TelemetryBatch two;
        two.logs = {line(1, "thrice"), line(1, "thrice")};
        QVERIFY(unit->append(two).ok());
        auto stored = unit->commit();
        QVERIFY(stored.ok());
        QCOMPARE(stored->logs, int64_t(5));
        QCOMPARE(stored->duplicates, int64_t(0));

        TelemetryBatch again;
        again.logs = {line(0, "twice"), line(0, "twice"), line(0, "twice"), line(1, "thrice")};
        auto b = writer->write(again, source("file"));
        QVERIFY(b.ok());
        QCOMPARE(b->logs, int64_t(0));
        QCOMPARE(b->duplicates, int64_t(4));
        writer.reset();
        auto reader = openReader(path);
        QVERIFY(reader);
        QCOMPARE(bodies(*reader), (std::vector<std::string>{"twice", "twice", "thrice", "thrice", "thrice"}));
    }

    void sameLinesThroughTwoFilesImportedOnce()
    {
        // Two different files (so not skipped by content hash) sharing two of their lines.
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("a.json"));
        const QString b = dir.filePath(QStringLiteral("b.json"));
        QVERIFY(writeFile(a, lokiDump(checkoutStream(0, 3))));
        QVERIFY(writeFile(b, lokiDump(checkoutStream(1, 5))));
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        {
            auto writer = openWriter(cache);
            QVERIFY(writer);
            Importer importer(*writer, {});
            auto summary = importer.run({a.toStdString(), b.toStdString()});
            QCOMPARE(summary.files.size(), size_t(2));
            for (const auto& f : summary.files)
                QVERIFY2(f.outcome == ImportFileResult::Outcome::Imported, f.note.c_str());
        }
        auto reader = openReader(cache);
        QVERIFY(reader);
        QCOMPARE(bodies(*reader), (std::vector<std::string>{"order 0 placed", "order 1 placed", "order 2 placed", "order 3 placed",
                                                            "order 4 placed"}));
    }

    void importThenFetchStoredOnce()
    {
        // A Loki answer saved to a file and imported; later the same Loki is fetched over a wider
        // window: only the lines the file lacked are added.
        QTemporaryDir dir;
        const QString dump = dir.filePath(QStringLiteral("loki.json"));
        QVERIFY(writeFile(dump, lokiDump(checkoutStream(0, 10))));
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        {
            auto writer = openWriter(cache);
            QVERIFY(writer);
            Importer importer(*writer, {});
            auto summary = importer.run({dump.toStdString()});
            QCOMPARE(summary.files.size(), size_t(1));
            QVERIFY2(summary.files.front().outcome == ImportFileResult::Outcome::Imported, summary.files.front().note.c_str());
        }
        QCOMPARE(*openReader(cache)->countLogs({}), int64_t(10));

        test::FakeLokiServer server;
        QVERIFY(server.start());
        server.addStream(checkoutStream(0, 14));
        Source s;
        s.name = "loki-test";
        s.type = SourceType::Loki;
        s.url = server.url();
        s.options.timeout = Duration::seconds(5);
        http::HttpClient client;
        LokiConnector connector(s, client);
        FetchRequest request;
        request.source = "loki-test";
        request.kind = FetchKind::Logs;
        request.query = R"({app="checkout"})";
        request.window = TimeWindow{Timestamp::fromNanos(kT0), Timestamp::fromNanos(kT0 + 20'000'000'000)};
        auto outcome = test::fetchIntoCache(connector, request, cache);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().message().c_str());
        QVERIFY2(outcome->complete, outcome->partialReason.c_str());
        QCOMPARE(outcome->records, int64_t(14));
        QVERIFY2(server.problems().empty(), test::problemsText(server).c_str());

        auto reader = openReader(cache);
        QVERIFY(reader);
        const auto stored = bodies(*reader);
        QCOMPARE(stored.size(), size_t(14));
        for (int i = 0; i < 14; ++i)
            QCOMPARE(stored[size_t(i)], "order " + std::to_string(i) + " placed");
        auto fetches = reader->fetches();
        QVERIFY(fetches.ok());
        QCOMPARE(fetches->size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestLogIdentity)
#include "tst_log_identity.moc"
