// Cache benchmarks (issue 2): ingest rates, keyset paging, full-text search and downsampling.
//
//   bench_cache [--rows N] [--ingest-rows N] [--dir DIR] [--ingest-only] [--only base|indexed]
//
// Writes its caches under DIR (default: a fresh temporary directory, removed at the end).
// --ingest-only runs the three ingest figures alone; --only runs one ingest case, for profiling
// (valgrind --tool=callgrind instruction counts do not depend on the machine's load).

#include "cache/CacheReader.h"
#include "cache/CacheWriter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>

using namespace rootline;

namespace {

const char* kWords[] = {"checkout", "payment", "order", "cart", "user", "timeout", "request", "completed", "started",
                        "gateway", "retry", "inventory", "latency", "db", "query", "cache", "miss", "hit", "shipping", "quote"};

struct LogFactory {
    std::mt19937_64 rng{42};
    std::vector<ResourcePtr> resources;
    Timestamp start = Timestamp::fromSeconds(1'763'640'000);

    LogFactory()
    {
        for (const char* s : {"frontend", "checkout", "payment", "cart", "catalog", "shipping", "currency", "email"})
            resources.push_back(makeResource(Attributes{{"service.name", std::string(s)}, {"service.version", std::string("1.4.2")}}));
    }

    LogRecord make(int64_t i, bool withTrace)
    {
        LogRecord r;
        // ~3,000 lines per second of incident time, several sharing a millisecond.
        r.time = start + Duration::micros(i * 333);
        r.severity = (i % 50 == 0) ? 17 : 9;
        r.severityText = r.severity == 17 ? "ERROR" : "INFO";
        std::string body;
        for (int w = 0; w < 12; ++w) {
            body += kWords[rng() % 20];
            body.push_back(' ');
        }
        body += "order_id=" + std::to_string(rng() % 1'000'000) + " duration_ms=" + std::to_string(rng() % 900);
        if (i % 100'000 == 7)
            body += " zebracorn"; // a rare token, so searches have a needle as well as hay
        r.body = std::move(body);
        r.attributes.set("http.route", std::string("/api/checkout"));
        r.attributes.set("thread", int64_t(i % 16));
        if (withTrace) {
            r.traceId = TraceId{0x4bf92f3577b34da6ULL, uint64_t(i / 10 + 1)};
            r.spanId = SpanId{uint64_t(i + 1)};
        }
        r.resource = resources[size_t(i) % resources.size()];
        return r;
    }
};

double ingest(const std::string& path, int64_t rows, bool fullText, bool withTrace)
{
    auto writer = CacheWriter::open(path, WriterOptions{fullText, 4});
    if (!writer) {
        std::fprintf(stderr, "%s\n", writer.error().message().c_str());
        std::exit(2);
    }
    LogFactory factory;
    // A unit (one transaction) of 50,000 rows, appended as batches of 10,000 the way importers
    // append: the writer thread stores one batch while this thread makes the next.
    constexpr int64_t kUnit = 50'000, kBatch = 10'000;
    QElapsedTimer timer;
    timer.start();
    for (int64_t done = 0; done < rows;) {
        auto unit = (*writer)->begin(FetchRecord{.source = "bench", .kind = "logs"});
        const int64_t unitEnd = std::min(done + kUnit, rows);
        while (done < unitEnd) {
            TelemetryBatch batch;
            const int64_t n = std::min(kBatch, unitEnd - done);
            batch.logs.reserve(size_t(n));
            for (int64_t k = 0; k < n; ++k)
                batch.logs.push_back(factory.make(done + k, withTrace));
            if (auto s = unit->append(std::move(batch)); !s) {
                std::fprintf(stderr, "%s\n", s.error().message().c_str());
                std::exit(2);
            }
            done += n;
        }
        if (auto c = unit->commit(); !c) {
            std::fprintf(stderr, "%s\n", c.error().message().c_str());
            std::exit(2);
        }
    }
    writer->reset();
    return double(rows) / (double(timer.nsecsElapsed()) / 1e9);
}

// The same rows through the sqlite3 shell's .import into a table of the same shape, as a yardstick.
double shellImport(const QString& dir, int64_t rows)
{
    const std::string csv = QString(dir + QStringLiteral("/rows.csv")).toStdString();
    {
        std::ofstream out(csv);
        LogFactory factory;
        for (int64_t i = 0; i < rows; ++i) {
            const LogRecord r = factory.make(i, false);
            out << r.time.nanos() << ',' << r.time.nanos() << ',' << r.severity << ',' << r.severityText << ",\"" << r.body
                << "\",\"" << "{\"\"http.route\"\":\"\"/api/checkout\"\",\"\"thread\"\":" << (i % 16) << "}\"," << (i % 8 + 1)
                << '\n';
        }
    }
    const QString db = dir + QStringLiteral("/shell.db");
    QFile::remove(db);
    // Same shape as the cache's log table with its time index, created before the import as ours is.
    QProcess setup;
    setup.start(QStringLiteral("sqlite3"),
                {db, QStringLiteral("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                                    " CREATE TABLE rows(ts INTEGER NOT NULL, observed_ts INTEGER NOT NULL, severity INTEGER NOT NULL,"
                                    " severity_text TEXT NOT NULL, body TEXT NOT NULL, attributes TEXT NOT NULL, resource INTEGER);"
                                    " CREATE INDEX rows_ts ON rows(ts);")});
    setup.waitForFinished(-1);
    QProcess shell;
    QElapsedTimer timer;
    timer.start();
    shell.start(QStringLiteral("sqlite3"), {db, QStringLiteral("PRAGMA synchronous=NORMAL;"),
                                            QStringLiteral(".import --csv ") + QString::fromStdString(csv) + QStringLiteral(" rows")});
    shell.waitForFinished(-1);
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    if (shell.exitCode() != 0) {
        std::fprintf(stderr, "sqlite3 shell failed: %s\n", shell.readAllStandardError().constData());
        return 0;
    }
    return double(rows) / seconds;
}

template <class F>
double medianMillis(int runs, F&& f)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f(i);
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOption({QStringLiteral("rows"), QStringLiteral("rows for the read benchmarks"), QStringLiteral("N"), QStringLiteral("10000000")});
    parser.addOption({QStringLiteral("ingest-rows"), QStringLiteral("rows for the ingest benchmarks"), QStringLiteral("N"), QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("work directory"), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("ingest-only"), QStringLiteral("run only the ingest benchmarks (base, shell, indexed)")});
    parser.addOption({QStringLiteral("only"), QStringLiteral("run only this ingest benchmark, for profiling: base or indexed"), QStringLiteral("NAME")});
    parser.addHelpOption();
    parser.process(app);
    QTemporaryDir tmp;
    const QString dir = parser.isSet(QStringLiteral("dir")) ? parser.value(QStringLiteral("dir")) : tmp.path();
    QDir().mkpath(dir);
    const int64_t ingestRows = parser.value(QStringLiteral("ingest-rows")).toLongLong();
    const int64_t readRows = parser.value(QStringLiteral("rows")).toLongLong();

    if (parser.isSet(QStringLiteral("only"))) {
        const bool indexed = parser.value(QStringLiteral("only")) == QStringLiteral("indexed");
        const double rate = ingest(QString(dir + QStringLiteral("/only.rootline")).toStdString(), ingestRows, indexed, indexed);
        std::printf("BENCH ingest_logs_%s %.0f records/s\n", indexed ? "indexed" : "base", rate);
        return 0;
    }
    const double base = ingest(QString(dir + QStringLiteral("/base.rootline")).toStdString(), ingestRows, false, false);
    std::printf("BENCH ingest_logs_base %.0f records/s\n", base);
    const double shell = shellImport(dir, ingestRows);
    std::printf("BENCH sqlite3_shell_import %.0f records/s\n", shell);
    std::printf("BENCH ingest_logs_base_vs_shell %.2f x\n", shell > 0 ? base / shell : 0.0);
    const double indexed = ingest(QString(dir + QStringLiteral("/indexed.rootline")).toStdString(), ingestRows, true, true);
    std::printf("BENCH ingest_logs_indexed %.0f records/s\n", indexed);
    std::fflush(stdout);
    if (parser.isSet(QStringLiteral("ingest-only")))
        return 0;

    // Read benchmarks over a large cache with full-text index and trace ids.
    const std::string big = QString(dir + QStringLiteral("/big.rootline")).toStdString();
    const double bigRate = ingest(big, readRows, true, true);
    std::printf("BENCH ingest_logs_indexed_%lldM %.0f records/s\n", (long long)(readRows / 1'000'000), bigRate);
    std::fflush(stdout);
    auto reader = CacheReader::open(big);
    if (!reader) {
        std::fprintf(stderr, "%s\n", reader.error().message().c_str());
        return 2;
    }
    LogFactory factory;
    const Timestamp first = factory.start;
    const Duration span = Duration::micros(readRows * 333);
    std::mt19937_64 rng(7);
    const double page = medianMillis(200, [&](int) {
        const Timestamp at = first + Duration::nanos(int64_t(rng() % uint64_t(span.count())));
        LogQuery q;
        q.window.from = at;
        auto rows = (*reader)->logPage(q, std::nullopt, 200);
        if (!rows || rows->size() != 200)
            std::fprintf(stderr, "page: unexpected result\n");
    });
    std::printf("BENCH log_page_200_random %.3f ms\n", page);
    for (const char* token : {"zebracorn", "timeout"}) {
        const double search = medianMillis(20, [&](int) {
            LogQuery q;
            q.text = token;
            auto rows = (*reader)->logPage(q, std::nullopt, 200, Direction::Backward);
            if (!rows || rows->empty())
                std::fprintf(stderr, "search: no hits for %s\n", token);
        });
        std::printf("BENCH fts_newest_200_%s %.3f ms\n", token, search);
    }
    std::fflush(stdout);

    // A one-million-sample series, downsampled to 2,000 points.
    const std::string metrics = QString(dir + QStringLiteral("/series.rootline")).toStdString();
    {
        auto writer = CacheWriter::open(metrics);
        SeriesData data;
        data.series.name = "http_requests_per_second";
        data.series.setLabel("service", "checkout");
        for (int64_t i = 0; i < 1'000'000; ++i)
            data.samples.push_back({first + Duration::seconds(i), 100 + double(rng() % 1000) / 10.0});
        TelemetryBatch batch;
        batch.series.push_back(std::move(data));
        if (auto w = (*writer)->write(std::move(batch), FetchRecord{.source = "bench", .kind = "series"}); !w)
            return 2;
    }
    auto seriesReader = CacheReader::open(metrics);
    const TimeWindow all{first, first + Duration::seconds(1'000'000)};
    const double downsample = medianMillis(20, [&](int) {
        auto points = (*seriesReader)->downsampled(1, all, 2000);
        if (!points || points->size() > 2000 || points->size() < 1000)
            std::fprintf(stderr, "downsample: unexpected size\n");
    });
    std::printf("BENCH downsample_1M_to_2000 %.3f ms\n", downsample);
    return 0;
}
