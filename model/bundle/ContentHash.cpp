#include "ContentHash.h"

#include "cache/CacheReader.h"

#include <QCryptographicHash>

#include <cmath>
#include <cstdio>
#include <cstring>

namespace rootline {
namespace {

// Feeds typed, length-prefixed fields, so ("ab","c") and ("a","bc") hash differently.
class Canonical {
public:
    void text(std::string_view s)
    {
        integer(int64_t(s.size()));
        m_hash.addData(QByteArrayView(s.data(), qsizetype(s.size())));
    }
    void integer(int64_t v)
    {
        unsigned char bytes[8];
        for (int i = 0; i < 8; ++i)
            bytes[i] = static_cast<unsigned char>(uint64_t(v) >> (56 - 8 * i));
        m_hash.addData(QByteArrayView(reinterpret_cast<const char*>(bytes), 8));
    }
    void real(double v)
    {
        // NaN has many bit patterns; all mean "no value".
        if (std::isnan(v)) {
            text("NaN");
            return;
        }
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        text(buf);
    }
    // Every column of the current row, by its SQLite type.
    void row(const sql::Statement& stmt, int columns)
    {
        for (int c = 0; c < columns; ++c) {
            switch (sqlite3_column_type(stmt.handle(), c)) {
            case SQLITE_NULL:
                integer(-1);
                text("");
                break;
            case SQLITE_INTEGER:
                integer(1);
                integer(stmt.int64(c));
                break;
            case SQLITE_FLOAT:
                integer(2);
                real(stmt.real(c));
                break;
            default: // text and blobs alike
                integer(3);
                text(stmt.blob(c));
                break;
            }
        }
    }
    void section(const char* name) { text(name); }
    std::string hex() const { return m_hash.result().toHex().toStdString(); }

private:
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
};

Status hashQuery(sql::Database& db, Canonical& out, const char* section, const char* query)
{
    out.section(section);
    auto stmt = db.prepare(query);
    if (!stmt)
        return stmt.error().within("content hash");
    const int columns = sqlite3_column_count(stmt->handle());
    int64_t rows = 0;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error().within("content hash");
        if (!*row)
            break;
        out.row(*stmt, columns);
        ++rows;
    }
    out.integer(rows);
    return {};
}

// Resources are hashed by what they say, never by their row id.
constexpr const char* kResourceColumns = "coalesce(r.key, ''), coalesce(r.attributes, '')";

} // namespace

Result<std::string> contentHash(CacheReader& reader)
{
    sql::Database& db = reader.database();
    Canonical h;
    h.section("rootline content v1");

    // Logs: ordered by time, then by every field, so equal timestamps need no row id to order them.
    const std::string logs = std::string("SELECT l.ts, l.observed_ts, l.severity, l.severity_text, l.body, l.attributes, t.trace_id, l.span_id, ")
                             + kResourceColumns
                             + " FROM logs l LEFT JOIN traces t ON t.id = l.trace LEFT JOIN resources r ON r.id = l.resource"
                               " ORDER BY l.ts, l.body, l.observed_ts, l.severity, l.severity_text, l.attributes, t.trace_id, l.span_id, r.key,"
                               " r.attributes";
    if (auto s = hashQuery(db, h, "logs", logs.c_str()); !s)
        return s.error();

    const std::string spans = std::string("SELECT t.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ts, s.duration, s.status,"
                                          " s.status_message, s.attributes, s.events, s.links, ")
                              + kResourceColumns
                              + " FROM spans s JOIN traces t ON t.id = s.trace LEFT JOIN resources r ON r.id = s.resource"
                                " ORDER BY t.trace_id, s.start_ts, s.span_id, s.name, s.duration, s.attributes, s.events, s.links, r.key";
    if (auto s = hashQuery(db, h, "spans", spans.c_str()); !s)
        return s.error();

    // Series one by one (ordered by their identity), each with its points.
    auto series = db.prepare(std::string("SELECT s.id, s.key, s.name, s.labels, s.kind, s.unit, ") + kResourceColumns
                             + " FROM series s LEFT JOIN resources r ON r.id = s.resource ORDER BY s.key");
    if (!series)
        return series.error();
    auto histograms = db.prepare("SELECT ts, count, sum, buckets FROM histogram_samples WHERE series = ? ORDER BY ts");
    if (!histograms)
        return histograms.error();
    auto exemplars = db.prepare("SELECT e.ts, e.value, t.trace_id, e.span_id, e.labels FROM exemplars e LEFT JOIN traces t ON t.id = e.trace"
                                " WHERE e.series = ? ORDER BY e.ts, e.value, t.trace_id, e.span_id, e.labels");
    if (!exemplars)
        return exemplars.error();
    h.section("series");
    int64_t seriesCount = 0;
    for (;;) {
        auto row = series->step();
        if (!row)
            return row.error();
        if (!*row)
            break;
        ++seriesCount;
        const int64_t id = series->int64(0);
        h.text(series->text(1));
        h.text(series->text(2));
        h.text(series->text(3));
        h.integer(series->int64(4));
        h.text(series->text(5));
        h.text(series->text(6));
        h.text(series->text(7));
        // A series' samples are bounded by its length, not by the cache's size.
        auto samples = reader.samples(id, TimeWindow::all());
        if (!samples)
            return samples.error();
        h.integer(int64_t(samples->size()));
        for (const Sample& s : *samples) {
            h.integer(s.time.nanos());
            h.real(s.value);
        }
        for (sql::Statement* points : {&*histograms, &*exemplars}) {
            points->bind(1, id);
            int64_t n = 0;
            const int columns = sqlite3_column_count(points->handle());
            for (;;) {
                auto p = points->step();
                if (!p) {
                    points->reset();
                    return p.error();
                }
                if (!*p)
                    break;
                h.row(*points, columns);
                ++n;
            }
            points->reset();
            h.integer(n);
        }
    }
    h.integer(seriesCount);

    if (auto s = hashQuery(db, h, "alerts",
                           "SELECT name, labels, annotations, state, active_since, value, source FROM alerts"
                           " ORDER BY name, labels, source, active_since, state, annotations, value");
        !s)
        return s.error();
    return h.hex();
}

} // namespace rootline
