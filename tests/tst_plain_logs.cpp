// Plain log files: jsonl-logs, logfmt, plain-text-logs (model/import/PlainLogs.h, LogTime.h).

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"
#include "import/Format.h"
#include "import/Importer.h"
#include "import/LogTime.h"
#include "import/PlainLogs.h"

#include <QDirIterator>
#include <algorithm>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace rootline;

namespace {

constexpr int64_t kS = 1795186021; // 2026-11-20T14:47:01Z
constexpr int64_t kNs = kS * 1000000000LL;

CollectingSink parseWith(const char* formatName, const std::string& document, int64_t firstLine = 1,
                         bool strict = false, Status* status = nullptr) {
    const Format* f = formatByName(formatName);
    CollectingSink sink;
    if (!f) {
        qWarning("format %s is not registered", formatName);
        return sink;
    }
    ParseContext ctx;
    ctx.origin = "f.log";
    ctx.firstLine = firstLine;
    ctx.strict = strict;
    ctx.batchSize = 2;
    Status s = f->parse(document, ctx, sink);
    if (status)
        *status = s;
    else if (!s)
        qWarning("parse failed: %s", s.error().message().c_str());
    return sink;
}

std::string attr(const LogRecord& r, const char* key) {
    return r.attributes.text(key).value_or("<missing>");
}

void writeFile(const QString& path, const std::string& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text.data(), qint64(text.size()));
}

} // namespace

class TestPlainLogs : public QObject {
    Q_OBJECT

private slots:
    void init() {
        // Syslog times carry no year: fix it so the expected values do not depend on today.
        QVERIFY(setPlainLogPattern({"", 2026}).ok());
    }
    void cleanupTestCase() { QVERIFY(setPlainLogPattern({}).ok()); }

    void logTime_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("nanos");
        QTest::newRow("rfc3339 Z") << "2026-11-20T14:47:01Z" << qint64(kNs);
        QTest::newRow("rfc3339 ns") << "2026-11-20T14:47:01.123456789Z" << qint64(kNs + 123456789);
        QTest::newRow("rfc3339 offset") << "2026-11-20T16:47:01+02:00" << qint64(kNs);
        QTest::newRow("iso space no zone") << "2026-11-20 14:47:01.5" << qint64(kNs + 500000000);
        QTest::newRow("log4j comma") << "2026-11-20 14:47:01,123" << qint64(kNs + 123000000);
        QTest::newRow("bracketed") << "[2026-11-20 14:47:01]" << qint64(kNs);
        QTest::newRow("epoch s") << "1795186021" << qint64(kNs);
        QTest::newRow("epoch s fraction") << "1795186021.25" << qint64(kNs + 250000000);
        QTest::newRow("epoch s exponent") << "1.795186021E9" << qint64(kNs);
        QTest::newRow("epoch ms") << "1795186021123" << qint64(kNs + 123000000);
        QTest::newRow("epoch ms fraction") << "1795186021123.5" << qint64(kNs + 123500000);
        QTest::newRow("epoch us") << "1795186021123456" << qint64(kNs + 123456000);
        QTest::newRow("epoch ns") << "1795186021123456789" << qint64(kNs + 123456789);
        QTest::newRow("syslog") << "Nov 20 14:47:01" << qint64(kNs);
        QTest::newRow("syslog padded day")
            << "Nov  2 14:47:01" << qint64(1793630821LL * 1000000000LL);
        QTest::newRow("syslog fraction") << "Nov 20 14:47:01.000250" << qint64(kNs + 250000);
        QTest::newRow("nginx") << "20/Nov/2026:14:47:01 +0000" << qint64(kNs);
        QTest::newRow("nginx offset") << "20/Nov/2026:15:47:01 +0100" << qint64(kNs);
    }
    void logTime() {
        QFETCH(QString, text);
        QFETCH(qint64, nanos);
        auto t = parseLogTime(text.toStdString(), 2026);
        QVERIFY2(t.ok(), t.ok() ? "" : t.error().message().c_str());
        QCOMPARE(t->nanos(), nanos);
    }

    void badLogTime_data() {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << "";
        QTest::newRow("word") << "yesterday";
        QTest::newRow("month 13") << "2026-13-20T14:47:01Z";
        QTest::newRow("bad syslog month") << "Foo 20 14:47:01";
        QTest::newRow("garbage digits") << "17951x86021";
    }
    void badLogTime() {
        QFETCH(QString, text);
        QVERIFY(!parseLogTime(text.toStdString(), 2026).ok());
    }

    void utcYearOf() {
        QCOMPARE(utcYear(Timestamp::fromSeconds(kS)), 2026);
        QCOMPARE(utcYear(Timestamp::fromSeconds(1767225599)), 2025); // 2025-12-31T23:59:59Z
        QCOMPARE(utcYear(Timestamp::fromSeconds(1767225600)), 2026);
    }

    void jsonLevels_data() {
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("severityText");
        QTest::newRow("level info") << R"("level":"info")" << 9 << "info";
        QTest::newRow("level WARN") << R"("level":"WARN")" << 13 << "WARN";
        QTest::newRow("severity error") << R"("severity":"error")" << 17 << "error";
        QTest::newRow("lvl dbug") << R"("lvl":"dbug")" << 5 << "dbug";
        QTest::newRow("levelname CRITICAL") << R"("levelname":"CRITICAL")" << 21 << "CRITICAL";
        QTest::newRow("log.level debug") << R"("log.level":"debug")" << 5 << "debug";
        QTest::newRow("pino 10") << R"("level":10)" << 1 << "TRACE";
        QTest::newRow("pino 30") << R"("level":30)" << 9 << "INFO";
        QTest::newRow("pino 40") << R"("level":40)" << 13 << "WARN";
        QTest::newRow("bunyan 50") << R"("level":50)" << 17 << "ERROR";
        QTest::newRow("pino 60") << R"("level":60)" << 21 << "FATAL";
        QTest::newRow("none") << R"("other":1)" << 0 << "";
    }
    void jsonLevels() {
        QFETCH(QString, field);
        QFETCH(int, severity);
        QFETCH(QString, severityText);
        auto sink = parseWith("jsonl-logs", R"({"time":"2026-11-20T14:47:01Z","msg":"m",)" +
                                                field.toStdString() + "}\n");
        QCOMPARE(sink.collected.logs.size(), size_t(1));
        QCOMPARE(sink.collected.logs[0].severity, severity);
        QCOMPARE(QString::fromStdString(sink.collected.logs[0].severityText), severityText);
    }

    void jsonTimeKeys_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<qint64>("nanos");
        QTest::newRow("timestamp")
            << R"({"timestamp":"2026-11-20T14:47:01.001Z","msg":"m"})" << qint64(kNs + 1000000);
        QTest::newRow("@timestamp")
            << R"({"@timestamp":"2026-11-20T14:47:01Z","message":"m"})" << qint64(kNs);
        QTest::newRow("ts epoch float")
            << R"({"ts":1795186021.123456,"msg":"m"})" << qint64(kNs + 123456000);
        QTest::newRow("time epoch ms")
            << R"({"time":1795186021123,"msg":"m"})" << qint64(kNs + 123000000);
        QTest::newRow("t epoch ns string")
            << R"({"t":"1795186021000000007","msg":"m"})" << qint64(kNs + 7);
        QTest::newRow("date python")
            << R"({"date":"2026-11-20 14:47:01,250","msg":"m"})" << qint64(kNs + 250000000);
        QTest::newRow("mongodb $date")
            << R"({"t":{"$date":"2026-11-20T14:47:01.123+00:00"},"s":"I","msg":"m"})"
            << qint64(kNs + 123000000);
        QTest::newRow("timestamp beats time")
            << R"({"time":"junk","timestamp":"2026-11-20T14:47:01Z","msg":"m"})" << qint64(kNs);
    }
    void jsonTimeKeys() {
        QFETCH(QString, line);
        QFETCH(qint64, nanos);
        auto sink = parseWith("jsonl-logs", line.toStdString() + "\n");
        QCOMPARE(sink.rejections.size(), size_t(0));
        QCOMPARE(sink.collected.logs.size(), size_t(1));
        QCOMPARE(sink.collected.logs[0].time.nanos(), nanos);
    }

    void jsonFields() {
        const std::string doc =
            "{\"ts\":\"2026-11-20T14:47:01Z\",\"level\":\"error\",\"msg\":\"payment "
            "\\\"declined\\\"\",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
            R"("span_id":"00f067aa0ba902b7","service":"checkout","env":"prod","user":"u1","n":3,"ratio":0.5,"ok":true,"gone":null,"ctx":{"a":[1,2]}})"
            "\n\n"
            R"({"time":"2026-11-20T14:47:02Z","message":"second","application":"billing"})"
            "\n"
            R"({"time":"2026-11-20T14:47:03Z","log":"third","logger":"app.db"})"
            "\n"
            R"({"time":"2026-11-20T14:47:04Z","level":"info","user":"u2"})"
            "\n";
        auto sink = parseWith("jsonl-logs", doc);
        QCOMPARE(sink.rejections.size(), size_t(0));
        const auto& logs = sink.collected.logs;
        QCOMPARE(logs.size(), size_t(4));
        QCOMPARE(sink.batches, 2); // batchSize 2
        const LogRecord& r = logs[0];
        QCOMPARE(r.body, std::string("payment \"declined\""));
        QVERIFY(r.traceId && r.spanId);
        QCOMPARE(r.traceId->toHex(), std::string("4bf92f3577b34da6a3ce929d0e0e4736"));
        QCOMPARE(r.spanId->toHex(), std::string("00f067aa0ba902b7"));
        QCOMPARE(r.resource->serviceName, std::string("checkout"));
        QCOMPARE(r.resource->environment, std::string("prod"));
        QCOMPARE(attr(r, "user"), std::string("u1"));
        QVERIFY(r.attributes.find("n") && std::get<int64_t>(*r.attributes.find("n")) == 3);
        QVERIFY(r.attributes.find("ratio") && std::get<double>(*r.attributes.find("ratio")) == 0.5);
        QVERIFY(r.attributes.find("ok") && std::get<bool>(*r.attributes.find("ok")));
        QVERIFY(r.attributes.find("ctx") &&
                std::get<JsonText>(*r.attributes.find("ctx")).text == R"({"a":[1,2]})");
        QVERIFY(!r.attributes.find("gone"));
        QVERIFY(!r.attributes.find("ts") && !r.attributes.find("msg") &&
                !r.attributes.find("service"));
        QCOMPARE(logs[1].body, std::string("second"));
        QCOMPARE(logs[1].resource->serviceName, std::string("billing"));
        QCOMPARE(logs[2].body, std::string("third"));
        QCOMPARE(logs[2].resource->serviceName,
                 std::string("app.db")); // the logger, when nothing else names it
        QCOMPARE(attr(logs[2], "logger"), std::string("app.db"));
        // No message field: the line itself is the body.
        QCOMPARE(logs[3].body,
                 std::string(R"({"time":"2026-11-20T14:47:04Z","level":"info","user":"u2"})"));
        QCOMPARE(logs[3].resource->serviceName, std::string("unknown_service"));
        // Records of one service share the resource.
        auto again = parseWith("jsonl-logs", R"({"time":1,"service":"a"})"
                                             "\n"
                                             R"({"time":2,"service":"a"})"
                                             "\n");
        QCOMPARE(again.collected.logs.size(), size_t(2));
        QCOMPARE(again.collected.logs[0].resource.get(), again.collected.logs[1].resource.get());
    }

    void logfmtValues_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::newRow("plain") << "a=1 msg=hello"
                               << "msg"
                               << "hello";
        QTest::newRow("quoted") << R"(a=1 msg="hello world")"
                                << "msg"
                                << "hello world";
        QTest::newRow("escaped quote") << "msg=\"say \\\"hi\\\"\" a=1"
                                       << "msg"
                                       << R"(say "hi")";
        QTest::newRow("escaped backslash") << "path=\"C:\\\\tmp\" a=1"
                                           << "path"
                                           << "C:\\tmp";
        QTest::newRow("newline tab") << "msg=\"a\\nb\\tc\""
                                     << "msg"
                                     << "a\nb\tc";
        QTest::newRow("unicode") << "msg=\"caf\\u00e9\""
                                 << "msg" << QString::fromUtf8("café");
        QTest::newRow("equals in value") << "q=a=b"
                                         << "q"
                                         << "a=b";
        QTest::newRow("empty value") << "a=1 empty= b=2"
                                     << "empty"
                                     << "";
        QTest::newRow("empty quoted") << R"(a=1 e="" b=2)"
                                      << "e"
                                      << "";
        QTest::newRow("bare key") << "a=1 flag b=2"
                                  << "flag"
                                  << "true";
        QTest::newRow("tabs") << "a=1\tmsg=x"
                              << "msg"
                              << "x";
        QTest::newRow("utf8 raw") << QString::fromUtf8("msg=naïve") << "msg"
                                  << QString::fromUtf8("naïve");
    }
    void logfmtValues() {
        QFETCH(QString, line);
        QFETCH(QString, key);
        QFETCH(QString, value);
        auto fields = parseLogfmtLine(line.toStdString());
        QVERIFY2(fields.ok(), fields.ok() ? "" : fields.error().what.c_str());
        bool found = false;
        for (const auto& f : *fields)
            if (f.key == key.toStdString()) {
                found = true;
                QCOMPARE(QString::fromStdString(f.text), value);
            }
        QVERIFY(found);
    }

    void logfmtErrors_data() {
        QTest::addColumn<QString>("line");
        QTest::newRow("unterminated") << "a=1 msg=\"never closed";
        QTest::newRow("text after quote") << "msg=\"a\"b";
        QTest::newRow("no key") << "=value";
        QTest::newRow("short unicode") << "msg=\"\\u12\"";
        QTest::newRow("empty") << "   ";
    }
    void logfmtErrors() {
        QFETCH(QString, line);
        QVERIFY(!parseLogfmtLine(line.toStdString()).ok());
    }

    void logfmtRecords() {
        const std::string doc = "time=2026-11-20T14:47:01.5Z level=warn msg=\"disk almost full\" "
                                "app=storage pct=93 trace_id=4bf92f3577b34da6a3ce929d0e0e4736\r\n"
                                "ts=1795186021 lvl=error msg=boom caller=main.go:12\n";
        auto sink = parseWith("logfmt", doc);
        QCOMPARE(sink.rejections.size(), size_t(0));
        QCOMPARE(sink.collected.logs.size(), size_t(2));
        const auto& a = sink.collected.logs[0];
        QCOMPARE(a.time.nanos(), kNs + 500000000);
        QCOMPARE(a.severity, 13);
        QCOMPARE(a.body, std::string("disk almost full"));
        QCOMPARE(a.resource->serviceName, std::string("storage"));
        QCOMPARE(attr(a, "pct"), std::string("93"));
        QVERIFY(a.traceId);
        const auto& b = sink.collected.logs[1];
        QCOMPARE(b.time.nanos(), kNs);
        QCOMPARE(b.severity, 17);
        QCOMPARE(attr(b, "caller"), std::string("main.go:12"));
    }

    void plainLines_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<qint64>("nanos");
        QTest::addColumn<QString>("level");
        QTest::addColumn<int>("severity");
        QTest::addColumn<QString>("message");
        QTest::newRow("iso T level") << "2026-11-20T14:47:01.123Z INFO started server"
                                     << qint64(kNs + 123000000) << "INFO" << 9 << "started server";
        QTest::newRow("log4j") << "2026-11-20 14:47:01,123 ERROR [main] c.e.App - failed"
                               << qint64(kNs + 123000000) << "ERROR" << 17
                               << "[main] c.e.App - failed";
        QTest::newRow("bracketed both")
            << "[2026-11-20 14:47:01] [warn] retrying" << qint64(kNs) << "warn" << 13 << "retrying";
        QTest::newRow("level colon")
            << "2026-11-20T14:47:01+00:00 DEBUG: x=1" << qint64(kNs) << "DEBUG" << 5 << "x=1";
        QTest::newRow("syslog") << "Nov 20 14:47:01 web1 sshd[42]: Accepted key" << qint64(kNs)
                                << "" << 0 << "web1 sshd[42]: Accepted key";
        QTest::newRow("nginx") << "20/Nov/2026:14:47:01 +0000 GET /index.html 200" << qint64(kNs)
                               << "" << 0 << "GET /index.html 200";
        QTest::newRow("no level, word like one") << "2026-11-20T14:47:01Z Information follows"
                                                 << qint64(kNs) << "" << 0 << "Information follows";
        QTest::newRow("time only") << "2026-11-20T14:47:01Z" << qint64(kNs) << "" << 0 << "";
    }
    void plainLines() {
        QFETCH(QString, line);
        QFETCH(qint64, nanos);
        QFETCH(QString, level);
        QFETCH(int, severity);
        QFETCH(QString, message);
        auto sink = parseWith("plain-text-logs", line.toStdString() + "\n");
        QCOMPARE(sink.rejections.size(), size_t(0));
        QCOMPARE(sink.collected.logs.size(), size_t(1));
        const auto& r = sink.collected.logs[0];
        QCOMPARE(r.time.nanos(), nanos);
        QCOMPARE(QString::fromStdString(r.severityText), level);
        QCOMPARE(r.severity, severity);
        QCOMPARE(QString::fromStdString(r.body), message);
    }

    void byteOrderMark_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("document");
        QTest::newRow("jsonl") << "jsonl-logs"
                               << "\xEF\xBB\xBF{\"time\":\"2026-11-20T14:47:01Z\",\"msg\":\"a\"}\n";
        QTest::newRow("logfmt") << "logfmt"
                                << "\xEF\xBB\xBFtime=2026-11-20T14:47:01Z msg=a\n";
        QTest::newRow("plain") << "plain-text-logs"
                               << "\xEF\xBB\xBF"
                                  "2026-11-20T14:47:01Z a\n";
    }
    void byteOrderMark() {
        QFETCH(QString, format);
        QFETCH(QString, document);
        const std::string name = format.toStdString();
        auto sink = parseWith(name.c_str(), document.toStdString());
        QCOMPARE(sink.rejections.size(), size_t(0));
        QCOMPARE(sink.collected.logs.size(), size_t(1));
        QCOMPARE(sink.collected.logs[0].time.nanos(), kNs);
        QCOMPARE(sink.collected.logs[0].body, std::string("a"));
    }

    void continuationLines() {
        const std::string doc = "2026-11-20 14:47:01,000 ERROR request failed\n"
                                "java.lang.IllegalStateException: boom\n"
                                "\tat a.b.C.run(C.java:10)\n"
                                "\n"
                                "\tat a.b.D.main(D.java:3)\n"
                                "2026-11-20 14:47:02,000 INFO next\n";
        auto sink = parseWith("plain-text-logs", doc);
        QCOMPARE(sink.rejections.size(), size_t(0));
        QCOMPARE(sink.collected.logs.size(), size_t(2));
        QCOMPARE(sink.collected.logs[0].body,
                 std::string("request failed\njava.lang.IllegalStateException: boom\n\tat "
                             "a.b.C.run(C.java:10)\n\tat a.b.D.main(D.java:3)"));
        QCOMPARE(sink.collected.logs[1].body, std::string("next"));
    }

    // A stack trace's lines join their record wherever the importer's line chunks end
    // (ImportOptions::lineChunkBytes): sweeping the chunk size puts a boundary at every offset
    // inside the traces, including right before a continuation line.
    void continuationAcrossChunks_data() {
        QTest::addColumn<int>("chunkBytes");
        for (int bytes = 24; bytes <= 420; bytes += 11)
            QTest::newRow(qPrintable(QString::number(bytes))) << bytes;
        QTest::newRow("whole file") << (8 << 20);
    }
    void continuationAcrossChunks() {
        QFETCH(int, chunkBytes);
        std::string text;
        std::vector<std::string> bodies;
        for (int i = 0; i < 12; ++i) {
            std::string body = "request " + std::to_string(i) + " failed";
            text += "2026-11-20 14:47:" + std::string(i < 10 ? "0" : "") + std::to_string(i) +
                    ",000 ERROR " + body + "\n";
            for (int depth = 0; depth < i % 4 + 1; ++depth) {
                const std::string frame = "\tat a.b.C" + std::to_string(i) + ".run" +
                                          std::to_string(depth) + "(C.java:" +
                                          std::to_string(10 + depth) + ")";
                text += frame + (i % 3 == 0 ? "\r\n" : "\n"); // CRLF files too
                body += "\n" + frame;
            }
            bodies.push_back(body);
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString in = dir.filePath(QStringLiteral("server.txt"));
        writeFile(in, text);
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        {
            auto writer = CacheWriter::open(cache);
            QVERIFY(writer.ok());
            ImportOptions options;
            options.lineChunkBytes = size_t(chunkBytes);
            Importer importer(**writer, options);
            const ImportSummary summary = importer.run({in.toStdString()});
            QCOMPARE(summary.files.size(), size_t(1));
            QCOMPARE(summary.files[0].format, std::string("plain-text-logs"));
            QCOMPARE(summary.files[0].rejected, int64_t(0));
            QCOMPARE(summary.totals.logs, int64_t(bodies.size()));
        }
        auto reader = CacheReader::open(cache);
        QVERIFY(reader.ok());
        auto page = (*reader)->logPage(LogQuery{}, std::nullopt, 100);
        QVERIFY(page.ok());
        QCOMPARE(page->size(), bodies.size());
        std::vector<std::string> stored;
        for (const auto& log : *page)
            stored.push_back(log.body);
        std::sort(stored.begin(), stored.end());
        std::sort(bodies.begin(), bodies.end());
        QCOMPARE(stored, bodies);
    }

    // A run of continuation lines far longer than the chunk size is cut after all (memory stays
    // bounded): the file still imports, the orphaned lines are rejected with their line numbers.
    void endlessContinuationIsBounded() {
        std::string text = "2026-11-20 14:47:01,000 ERROR first\n";
        for (int i = 0; i < 200; ++i)
            text += "\tat frame" + std::to_string(i) + "\n";
        text += "2026-11-20 14:47:02,000 INFO second\n";
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString in = dir.filePath(QStringLiteral("server.txt"));
        writeFile(in, text);
        auto writer = CacheWriter::open(dir.filePath(QStringLiteral("c.rootline")).toStdString());
        QVERIFY(writer.ok());
        ImportOptions options;
        options.lineChunkBytes = 64; // records are cut beyond 8 chunks (512 bytes)
        Importer importer(**writer, options);
        const ImportSummary summary = importer.run({in.toStdString()});
        QCOMPARE(summary.files.at(0).outcome, ImportFileResult::Outcome::Imported);
        QCOMPARE(summary.totals.logs, int64_t(2));
        QVERIFY(summary.files[0].rejected > 0);
        QVERIFY(summary.files[0].rejected < 200);
        QVERIFY(QString::fromStdString(summary.files[0].errors.at(0).location).contains(QStringLiteral("server.txt:")));
    }

    void syslogYearFromContext() {
        QVERIFY(setPlainLogPattern({}).ok()); // year 0: take it from the file
        auto sink =
            parseWith("plain-text-logs", "2025-11-20T14:47:00Z INFO a\nNov 20 14:47:01 host b\n");
        QCOMPARE(sink.collected.logs.size(), size_t(2));
        QCOMPARE(sink.collected.logs[1].time.nanos(), 1763650021LL * 1000000000LL);
    }

    void customPattern() {
        QVERIFY(
            setPlainLogPattern(
                {R"((?P<level>\w+) (?P<time>\S+) trace=(?P<trace_id>[0-9a-f]+) span=(?P<span_id>[0-9a-f]+) )"
                 R"((?P<service>[\w-]+): (?P<message>.*))"})
                .ok());
        QVERIFY(plainLogPattern().regex.find("trace_id") != std::string::npos);
        auto sink = parseWith("plain-text-logs",
                              "W 2026-11-20T14:47:01Z trace=4bf92f3577b34da6a3ce929d0e0e4736 "
                              "span=00f067aa0ba902b7 cart-svc: slow call\n");
        QCOMPARE(sink.collected.logs.size(), size_t(1));
        const auto& r = sink.collected.logs[0];
        QCOMPARE(r.time.nanos(), kNs);
        QCOMPARE(r.severity, 13);
        QCOMPARE(r.body, std::string("slow call"));
        QCOMPARE(r.resource->serviceName, std::string("cart-svc"));
        QVERIFY(r.traceId && r.spanId);
        QCOMPARE(r.spanId->toHex(), std::string("00f067aa0ba902b7"));
        // Refused patterns keep the current one.
        auto noTime = setPlainLogPattern({R"((?P<message>.*))"});
        QVERIFY(!noTime.ok());
        QVERIFY(noTime.error().what.find("time") != std::string::npos);
        QVERIFY(!setPlainLogPattern({"(?P<time>[unclosed"}).ok());
        QVERIFY(plainLogPattern().regex.find("trace_id") != std::string::npos);
    }

    void badLineRejected_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("document");
        QTest::addColumn<int>("records");
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("snippet");
        QTest::newRow("jsonl bad time") << "jsonl-logs"
                                        << "{\"time\":\"2026-11-20T14:47:01Z\",\"msg\":\"a\"}\n{"
                                           "\"time\":\"noon\",\"msg\":\"b\"}\n"
                                           "{\"time\":\"2026-11-20T14:47:03Z\",\"msg\":\"c\"}\n"
                                        << 2 << "f.log:11"
                                        << "{\"time\":\"noon\",\"msg\":\"b\"}";
        QTest::newRow("jsonl malformed")
            << "jsonl-logs"
            << "{\"time\":1,\"msg\":\"a\"}\n{\"time\":2,\"msg\":\n{\"time\":3}\n"
            << 2 << "f.log:11"
            << "{\"time\":2,\"msg\":";
        QTest::newRow("jsonl no time") << "jsonl-logs"
                                       << "{\"time\":1}\n{\"msg\":\"b\"}\n"
                                       << 1 << "f.log:11"
                                       << "{\"msg\":\"b\"}";
        QTest::newRow("jsonl not object") << "jsonl-logs"
                                          << "[1,2]\n{\"time\":1}\n"
                                          << 1 << "f.log:10"
                                          << "[1,2]";
        QTest::newRow("logfmt bad time") << "logfmt"
                                         << "time=1 msg=a\ntime=13:00 msg=b\ntime=3 msg=c\n"
                                         << 2 << "f.log:11"
                                         << "time=13:00 msg=b";
        QTest::newRow("logfmt bad quoting") << "logfmt"
                                            << "time=1 msg=a\ntime=2 msg=\"open\n"
                                            << 1 << "f.log:11"
                                            << "time=2 msg=\"open";
        QTest::newRow("plain bad date") << "plain-text-logs"
                                        << "2026-11-20T14:47:01Z INFO a\n2026-13-45T14:47:01Z INFO "
                                           "b\n\tat cont\n2026-11-20T14:47:03Z INFO c\n"
                                        << 2 << "f.log:11"
                                        << "2026-13-45T14:47:01Z INFO b";
        QTest::newRow("plain orphan first line")
            << "plain-text-logs"
            << "no timestamp here\n2026-11-20T14:47:01Z INFO a\n"
            << 1 << "f.log:10"
            << "no timestamp here";
    }
    void badLineRejected() {
        QFETCH(QString, format);
        QFETCH(QString, document);
        QFETCH(int, records);
        QFETCH(QString, location);
        QFETCH(QString, snippet);
        const std::string name = format.toStdString();
        auto sink = parseWith(name.c_str(), document.toStdString(), 10);
        QCOMPARE(int(sink.collected.logs.size()), records);
        QCOMPARE(sink.rejections.size(), size_t(1));
        QCOMPARE(QString::fromStdString(sink.rejections[0].location), location);
        QCOMPARE(QString::fromStdString(sink.rejections[0].snippet), snippet);
        QVERIFY(!sink.rejections[0].message.empty());
        // Strict: the same line is an error naming its place.
        Status status;
        parseWith(name.c_str(), document.toStdString(), 10, true, &status);
        QVERIFY(!status.ok());
        QCOMPARE(QString::fromStdString(status.error().where), location);
    }

    void detection_data() {
        QTest::addColumn<QString>("head");
        QTest::addColumn<QString>("format");
        QTest::newRow("jsonl") << "{\"time\":\"2026-11-20T14:47:01Z\",\"level\":\"info\",\"msg\":"
                                  "\"a\"}\n{\"time\":\"2026-11-20T14:47:02Z\",\"msg\":\"b\"}\n"
                               << "jsonl-logs";
        QTest::newRow("pino") << "{\"level\":30,\"time\":1795186021123,\"pid\":1,\"hostname\":"
                                 "\"h\",\"msg\":\"hello\"}\n"
                              << "jsonl-logs";
        QTest::newRow("logfmt") << "time=2026-11-20T14:47:01Z level=info msg=\"a "
                                   "b\"\nts=2026-11-20T14:47:02Z level=warn msg=c\n"
                                << "logfmt";
        QTest::newRow("plain iso") << "2026-11-20T14:47:01Z INFO a\n2026-11-20T14:47:02Z WARN b\n"
                                   << "plain-text-logs";
        QTest::newRow("plain with stack")
            << "2026-11-20 14:47:01,000 ERROR x\n\tat a.b(C.java:1)\n\tat "
               "d.e(F.java:2)\n2026-11-20 14:47:02,000 INFO y\n"
            << "plain-text-logs";
        QTest::newRow("plain, mostly stack trace")
            << "2026-11-20 14:47:01,000 ERROR x\njava.lang.Error: y\n\tat a.b(C.java:1)\n\tat "
               "d.e(F.java:2)\n\tat g.h(I.java:3)\n"
            << "plain-text-logs";
        QTest::newRow("prose then a date") << "Meeting notes\n2026-11-20 14:47:01 we met\n"
                                           << "";
        QTest::newRow("plain iso with logfmt tail") << "2026-11-20T14:47:01Z level=info msg=a\n"
                                                    << "plain-text-logs";
        QTest::newRow("syslog")
            << "Nov 20 14:47:01 web1 sshd[42]: a\nNov 20 14:47:02 web1 sshd[42]: b\n"
            << "plain-text-logs";
        QTest::newRow("nginx") << "[20/Nov/2026:14:47:01 +0000] GET /\n"
                               << "plain-text-logs";
        QTest::newRow("jsonl with BOM") << "\xEF\xBB\xBF{\"time\":1,\"msg\":\"a\"}\n"
                                        << "jsonl-logs";
        QTest::newRow("logfmt with BOM") << "\xEF\xBB\xBFtime=1 msg=a\n"
                                         << "logfmt";
        QTest::newRow("plain with BOM") << "\xEF\xBB\xBF"
                                           "2026-11-20T14:47:01Z INFO a\n"
                                        << "plain-text-logs";
        QTest::newRow("prose") << "Hello there,\nthis is a letter.\n"
                               << "";
        QTest::newRow("csv") << "time,level,msg\n2026-11-20,info,a\n"
                             << "";
        QTest::newRow("json without time") << "{\"a\":1}\n{\"a\":2}\n"
                                           << "";
        QTest::newRow("otlp json lines")
            << R"({"resourceLogs":[{"resource":{},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","body":{"stringValue":"x"}}]}]}]})"
               "\n"
            << "otlp-json";
        QTest::newRow("compact cloudwatch events")
            << R"({"events":[{"logStreamName":"s","timestamp":1795186021000,"message":"x","ingestionTime":1}]})"
               "\n"
            << "aws-cloudwatch-logs";
        QTest::newRow("compact insights")
            << R"({"results":[[{"field":"@timestamp","value":"2026-11-20 14:47:01.000"}]],"status":"Complete"})"
               "\n"
            << "aws-logs-insights";
        QTest::newRow("logcli jsonl")
            << R"({"labels":{"app":"a"},"line":"x","timestamp":"2026-11-20T14:47:01Z"})"
               "\n"
            << "loki-api";
    }
    void detection() {
        QFETCH(QString, head);
        QFETCH(QString, format);
        const std::string h = head.toStdString();
        const Format* f = detectFormat(h);
        QCOMPARE(QString::fromStdString(f ? f->name : std::string()), format);
    }

    void fixturesNotClaimed() {
        const char* mine[] = {"jsonl-logs", "logfmt", "plain-text-logs"};
        int files = 0;
        QDirIterator it(QStringLiteral(ROOTLINE_FIXTURES),
                        {QStringLiteral("*.json"), QStringLiteral("*.jsonl")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray head = file.read(8192);
            const std::string_view h(head.constData(), size_t(head.size()));
            for (const char* name : mine)
                QVERIFY2(
                    formatByName(name)->sniff(h) == 0,
                    qPrintable(path + QStringLiteral(" claimed by ") + QString::fromUtf8(name)));
            ++files;
        }
        QVERIFY(files >= 5);
    }

    void endToEndImport() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString in = dir.filePath(QStringLiteral("in"));
        QVERIFY(QDir().mkpath(in));
        writeFile(in + QStringLiteral("/app.jsonl"),
                  "{\"time\":\"2026-11-20T14:47:01Z\",\"level\":\"info\",\"msg\":\"order "
                  "placed\",\"service\":\"shop\"}\n"
                  "{\"time\":\"garbage\",\"level\":\"info\",\"msg\":\"bad\",\"service\":\"shop\"}\n"
                  "{\"time\":\"2026-11-20T14:47:03Z\",\"level\":\"error\",\"msg\":\"payment "
                  "declined\",\"service\":\"shop\"}\n");
        writeFile(in + QStringLiteral("/worker.log"),
                  "time=2026-11-20T14:47:02Z level=warn msg=\"queue slow\" app=worker\n"
                  "time=2026-11-20T14:47:04Z level=info msg=\"drained\" app=worker\n");
        writeFile(in + QStringLiteral("/server.txt"),
                  "2026-11-20 14:47:05,000 ERROR crash in handler\n\tat x.Y(Y.java:1)\n"
                  "2026-11-20 14:47:06,000 INFO recovered\n");
        const std::string cache = dir.filePath(QStringLiteral("c.rootline")).toStdString();
        {
            auto writer = CacheWriter::open(cache);
            QVERIFY(writer.ok());
            Importer importer(**writer);
            const ImportSummary summary = importer.run({in.toStdString()});
            QCOMPARE(summary.files.size(), size_t(3));
            std::map<std::string, std::string> formatOf;
            for (const auto& f : summary.files)
                formatOf[QFileInfo(QString::fromStdString(f.path)).fileName().toStdString()] =
                    f.format;
            QCOMPARE(formatOf["app.jsonl"], std::string("jsonl-logs"));
            QCOMPARE(formatOf["worker.log"], std::string("logfmt"));
            QCOMPARE(formatOf["server.txt"], std::string("plain-text-logs"));
            QCOMPARE(summary.totals.logs, int64_t(6));
            QCOMPARE(summary.exitCode(), 1); // one line rejected
            bool sawRejection = false;
            for (const auto& f : summary.files)
                for (const auto& e : f.errors)
                    sawRejection =
                        sawRejection ||
                        QString::fromStdString(e.location).endsWith(QStringLiteral("app.jsonl:2"));
            QVERIFY(sawRejection);
        }
        auto reader = CacheReader::open(cache);
        QVERIFY(reader.ok());
        LogQuery all;
        QCOMPARE(*(*reader)->countLogs(all), int64_t(6));
        LogQuery errors;
        errors.minSeverity = 17;
        auto page = (*reader)->logPage(errors, std::nullopt, 10);
        QVERIFY(page.ok());
        QCOMPARE(page->size(), size_t(2));
        QCOMPARE((*page)[0].body, std::string("payment declined"));
        QCOMPARE((*page)[0].resource->serviceName, std::string("shop"));
        QCOMPARE((*page)[1].body, std::string("crash in handler\n\tat x.Y(Y.java:1)"));
        LogQuery worker;
        worker.services = {"worker"};
        QCOMPARE(*(*reader)->countLogs(worker), int64_t(2));
    }
};

QTEST_GUILESS_MAIN(TestPlainLogs)
#include "tst_plain_logs.moc"
