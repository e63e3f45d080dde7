// Full-text log search must return exactly what a brute-force filter over all rows returns, in
// (time, id) order, page after page — for rare terms (matches collected from the index) and common
// ones (walked block by block through the log_blocks zone map), with units written out of order.

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <random>

using namespace rootline;

class TestLogSearch : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_path;
    struct Row {
        int64_t ts;
        std::string body;
    };
    std::vector<Row> m_rows; // in insertion order: row id = index + 1

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("search.rootline")).toStdString();
        auto writer = CacheWriter::open(m_path);
        QVERIFY(writer.ok());
        std::mt19937_64 rng(1);
        auto resource = makeResource(Attributes{{"service.name", std::string("checkout")}});
        // Six units covering interleaved time ranges, so row ids do not follow time.
        for (int unit = 0; unit < 6; ++unit) {
            TelemetryBatch batch;
            for (int i = 0; i < 9000; ++i) {
                LogRecord r;
                // Many rows share a timestamp (only 2,000 distinct values per unit).
                r.time = Timestamp::fromSeconds(1'700'000'000 + (unit % 3) * 500 + int64_t(rng() % 2000));
                const bool common = rng() % 10 < 6;
                const bool rare = rng() % 1000 == 0;
                // Numbered across units: the same line again from another unit would be stored once.
                r.body = std::string(common ? "request timeout " : "request ok ") + (rare ? "zebracorn " : "") + std::to_string(unit * 9000 + i);
                r.resource = resource;
                m_rows.push_back({r.time.nanos(), r.body});
                batch.logs.push_back(std::move(r));
            }
            auto stats = (*writer)->write(std::move(batch), FetchRecord{.source = "test", .kind = "logs"});
            QVERIFY2(stats.ok(), stats.ok() ? "" : stats.error().message().c_str());
        }
    }

    void pagesEqualBruteForce_data()
    {
        QTest::addColumn<QString>("term");
        QTest::addColumn<bool>("forward");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        const qint64 all0 = 0, all1 = std::numeric_limits<qint64>::max();
        const qint64 w0 = 1'700'000'700LL * 1'000'000'000, w1 = 1'700'001'200LL * 1'000'000'000;
        QTest::newRow("common forward") << QStringLiteral("timeout") << true << all0 << all1;
        QTest::newRow("common backward") << QStringLiteral("timeout") << false << all0 << all1;
        QTest::newRow("common backward in window") << QStringLiteral("timeout") << false << w0 << w1;
        QTest::newRow("common forward in window") << QStringLiteral("timeout") << true << w0 << w1;
        QTest::newRow("rare backward") << QStringLiteral("zebracorn") << false << all0 << all1;
        QTest::newRow("absent") << QStringLiteral("nothing") << true << all0 << all1;
    }

    void pagesEqualBruteForce()
    {
        QFETCH(QString, term);
        QFETCH(bool, forward);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        const std::string word = term.toStdString();
        std::vector<std::pair<int64_t, int64_t>> expected; // (ts, id)
        for (size_t i = 0; i < m_rows.size(); ++i) {
            const auto& r = m_rows[i];
            if (r.ts >= from && r.ts < to && r.body.find(word + " ") != std::string::npos)
                expected.emplace_back(r.ts, int64_t(i + 1));
        }
        std::sort(expected.begin(), expected.end());
        if (!forward)
            std::reverse(expected.begin(), expected.end());

        auto reader = CacheReader::open(m_path);
        QVERIFY(reader.ok());
        LogQuery q;
        q.text = word;
        q.window = {Timestamp::fromNanos(from), Timestamp::fromNanos(to)};
        std::vector<std::pair<int64_t, int64_t>> got;
        std::optional<LogCursor> cursor;
        for (int page = 0; page < 1000; ++page) {
            auto rows = (*reader)->logPage(q, cursor, 997, forward ? Direction::Forward : Direction::Backward);
            QVERIFY2(rows.ok(), rows.ok() ? "" : rows.error().message().c_str());
            if (rows->empty())
                break;
            for (const auto& r : *rows)
                got.emplace_back(r.time.nanos(), r.rowId);
            cursor = LogCursor{rows->back().time, rows->back().rowId};
        }
        QCOMPARE(got.size(), expected.size());
        QVERIFY(got == expected);
    }
};

QTEST_GUILESS_MAIN(TestLogSearch)
#include "tst_log_search.moc"
