#include "FakeAwsServer.h"

#include "SigV4Verifier.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QPointer>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

namespace rootline::test {

namespace {

QElapsedTimer& clock()
{
    static QElapsedTimer t = [] { QElapsedTimer e; e.start(); return e; }();
    return t;
}

// Epoch seconds the way AWS's Java serialiser writes doubles: "1.67119356E9".
QByteArray scientificSeconds(double seconds)
{
    if (seconds == 0)
        return "0.0";
    const int exponent = int(std::floor(std::log10(std::fabs(seconds))));
    const double mantissa = seconds / std::pow(10.0, exponent);
    QByteArray m = QByteArray::number(mantissa, 'f', 12);
    while (m.endsWith('0') && !m.endsWith(".0"))
        m.chop(1);
    return m + 'E' + QByteArray::number(exponent);
}

QByteArray jsonString(const QString& s)
{
    // QJsonDocument escapes a string only inside a container: wrap and unwrap.
    QByteArray a = QJsonDocument(QJsonArray{s}).toJson(QJsonDocument::Compact);
    return a.mid(1, a.size() - 2);
}

struct Reply {
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    std::optional<FakeAwsServer::Fault> fault;
};

Reply awsError(int status, const QByteArray& code, const QString& message, bool restJson = false)
{
    Reply r;
    r.status = status;
    if (restJson) {
        r.headers.append(qMakePair(QByteArray("x-amzn-ErrorType"), code + ":http://internal.amazon.com/coral/com.amazon.xray/"));
        r.body = "{\"message\":" + jsonString(message) + "}";
    } else {
        r.body = "{\"__type\":\"" + code + "\",\"message\":" + jsonString(message) + "}";
    }
    return r;
}

struct InsightsQuery {
    QString id;
    std::vector<FakeAwsServer::LogEvent> rows;
    std::vector<QString> groups;
    int polls = 0;
    bool stopped = false;
};

} // namespace

struct FakeAwsServer::State {
    mutable QMutex mutex;
    FakeAwsServer::Options options;
    std::map<QString, std::vector<LogEvent>> logs;
    int logsPageSize = 10000;
    int emptyPageEvery = 0;
    struct Metric {
        QString ns, name;
        std::vector<std::pair<QString, QString>> dims;
        std::vector<MetricPoint> points;
    };
    std::vector<Metric> metrics;
    int metricPagePoints = 100800;
    int insightsPollsUntilComplete = 2;
    QString insightsTerminal = QStringLiteral("Complete");
    int insightsRowCap = 10000;
    int insightsPageRows = 0;
    std::map<QString, InsightsQuery> queries;
    int nextQuery = 1;
    QStringList stopped;
    struct Trace {
        QString id;
        double start = 0, duration = 0;
        bool fault = false;
        QStringList documents;
    };
    std::vector<Trace> traces;
    std::vector<QJsonObject> alarms; // DescribeAlarms: MetricAlarms entries
    int summariesPageSize = 100;
    std::set<QString> unprocessedOnce;
    struct PendingFault {
        Fault fault;
        int count;
        QByteArray operation;
        int skip;
    };
    std::deque<PendingFault> faults;
    int delayMs = 3000;
    qint64 hugeBytes = 4 << 20;
    int faultsServed = 0;
    QList<Received> received;
    QStringList violations;

    std::optional<Fault> takeFault(const QByteArray& operation)
    {
        for (auto it = faults.begin(); it != faults.end(); ++it) {
            if (!it->operation.isEmpty() && it->operation != operation)
                continue;
            if (it->skip > 0) {
                --it->skip;
                return std::nullopt;
            }
            const Fault f = it->fault;
            if (--it->count <= 0)
                faults.erase(it);
            ++faultsServed;
            return f;
        }
        return std::nullopt;
    }

    Reply violation(const QByteArray& operation, const QString& what, bool restJson = false)
    {
        violations.append(QString::fromLatin1(operation) + QStringLiteral(": ") + what);
        return awsError(400, restJson ? "InvalidRequestException" : "ValidationException", what, restJson);
    }

    // ---------------------------------------------------------------- CloudWatch Logs
    Reply filterLogEvents(const QJsonObject& b)
    {
        const QByteArray op = "FilterLogEvents";
        const bool byName = b.contains(QStringLiteral("logGroupName"));
        const bool byIdentifier = b.contains(QStringLiteral("logGroupIdentifier"));
        if (byName == byIdentifier)
            return violation(op, QStringLiteral("exactly one of logGroupName and logGroupIdentifier is required"));
        const QString group = b.value(byName ? QStringLiteral("logGroupName") : QStringLiteral("logGroupIdentifier")).toString();
        for (const char* key : {"startTime", "endTime"}) {
            const QJsonValue v = b.value(QLatin1String(key));
            if (!v.isUndefined() && (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() < 1e11 || v.toDouble() > 1e14))
                return violation(op, QStringLiteral("%1 must be epoch milliseconds, got %2").arg(QLatin1String(key)).arg(v.toDouble(), 0, 'f', 3));
        }
        const int limit = b.value(QStringLiteral("limit")).toInt(10000);
        if (limit < 1 || limit > 10000)
            return violation(op, QStringLiteral("limit must be 1..10000"));
        auto it = logs.find(group);
        if (it == logs.end())
            return awsError(400, "ResourceNotFoundException", QStringLiteral("The specified log group does not exist."));
        const qint64 start = qint64(b.value(QStringLiteral("startTime")).toDouble(0));
        const qint64 end = b.contains(QStringLiteral("endTime")) ? qint64(b.value(QStringLiteral("endTime")).toDouble()) : LLONG_MAX;
        std::vector<const LogEvent*> matching;
        const QString pattern = b.value(QStringLiteral("filterPattern")).toString().remove(QLatin1Char('"'));
        for (const auto& e : it->second)
            if (e.timestampMs >= start && e.timestampMs <= end && (pattern.isEmpty() || e.message.contains(pattern)))
                matching.push_back(&e);
        // token = "<offset>:<page>"
        int offset = 0, page = 0;
        if (b.contains(QStringLiteral("nextToken"))) {
            const QStringList parts = b.value(QStringLiteral("nextToken")).toString().split(QLatin1Char(':'));
            if (parts.size() != 2)
                return awsError(400, "InvalidParameterException", QStringLiteral("The specified nextToken is invalid."));
            offset = parts[0].toInt();
            page = parts[1].toInt();
        }
        const bool empty = emptyPageEvery > 0 && page % emptyPageEvery == emptyPageEvery - 1;
        const int n = empty ? 0 : std::min<int>({limit, logsPageSize, int(matching.size()) - offset});
        QByteArray body = "{\"events\":[";
        for (int i = 0; i < n; ++i) {
            const LogEvent& e = *matching[size_t(offset + i)];
            if (i)
                body += ',';
            body += "{\"logStreamName\":" + jsonString(e.stream) + ",\"timestamp\":" + QByteArray::number(e.timestampMs)
                + ",\"message\":" + jsonString(e.message) + ",\"ingestionTime\":" + QByteArray::number(e.timestampMs + 250)
                + ",\"eventId\":" + jsonString(e.eventId) + '}';
        }
        body += "],\"searchedLogStreams\":[]";
        if (offset + n < int(matching.size()) || empty)
            body += ",\"nextToken\":\"" + QByteArray::number(offset + n) + ':' + QByteArray::number(page + 1) + '"';
        body += '}';
        return Reply{200, body, {}, {}};
    }

    Reply startQuery(const QJsonObject& b)
    {
        const QByteArray op = "StartQuery";
        std::vector<QString> groups;
        int forms = 0;
        if (b.contains(QStringLiteral("logGroupName"))) {
            ++forms;
            groups.push_back(b.value(QStringLiteral("logGroupName")).toString());
        }
        for (const char* key : {"logGroupNames", "logGroupIdentifiers"}) {
            if (b.contains(QLatin1String(key))) {
                ++forms;
                for (const auto& g : b.value(QLatin1String(key)).toArray())
                    groups.push_back(g.toString());
            }
        }
        if (forms != 1 || groups.empty() || groups.size() > 50)
            return violation(op, QStringLiteral("exactly one of logGroupName, logGroupNames, logGroupIdentifiers (1..50) is required"));
        for (const char* key : {"startTime", "endTime"}) {
            const QJsonValue v = b.value(QLatin1String(key));
            if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble()) || v.toDouble() > 1e11 || v.toDouble() < 1e8)
                return violation(op, QStringLiteral("%1 must be epoch SECONDS, got %2").arg(QLatin1String(key)).arg(v.toDouble(), 0, 'f', 3));
        }
        const qint64 start = qint64(b.value(QStringLiteral("startTime")).toDouble());
        const qint64 end = qint64(b.value(QStringLiteral("endTime")).toDouble());
        if (start > end)
            return violation(op, QStringLiteral("startTime after endTime"));
        if (b.value(QStringLiteral("queryString")).toString().isEmpty())
            return violation(op, QStringLiteral("queryString is required"));
        const int limit = b.value(QStringLiteral("limit")).toInt(10000);
        if (limit < 1 || limit > 10000)
            return violation(op, QStringLiteral("limit must be 1..10000"));
        InsightsQuery q;
        q.id = QStringLiteral("q-%1").arg(nextQuery++);
        q.groups = groups;
        for (const auto& g : groups) {
            auto it = logs.find(g);
            if (it == logs.end())
                return awsError(400, "ResourceNotFoundException", QStringLiteral("Log group '%1' does not exist").arg(g));
            for (const auto& e : it->second)
                if (e.timestampMs >= start * 1000 && e.timestampMs <= end * 1000 + 999) // both ends inclusive, in seconds
                    q.rows.push_back(e);
        }
        std::stable_sort(q.rows.begin(), q.rows.end(), [](const LogEvent& a, const LogEvent& c) { return a.timestampMs > c.timestampMs; });
        if (q.rows.size() > size_t(std::min(limit, insightsRowCap)))
            q.rows.resize(size_t(std::min(limit, insightsRowCap)));
        const QString id = q.id;
        queries.emplace(id, std::move(q));
        return Reply{200, "{\"queryId\":" + jsonString(id) + '}', {}, {}};
    }

    static QByteArray insightsRow(const LogEvent& e, const QString& group)
    {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(e.timestampMs, Qt::UTC);
        return "[{\"field\":\"@timestamp\",\"value\":" + jsonString(t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")))
            + "},{\"field\":\"@message\",\"value\":" + jsonString(e.message) + "},{\"field\":\"@logStream\",\"value\":"
            + jsonString(e.stream) + "},{\"field\":\"@log\",\"value\":" + jsonString(QStringLiteral("123456789012:") + group)
            + "},{\"field\":\"@ptr\",\"value\":" + jsonString(QStringLiteral("ptr-") + e.eventId) + "}]";
    }

    Reply getQueryResults(const QJsonObject& b)
    {
        auto it = queries.find(b.value(QStringLiteral("queryId")).toString());
        if (it == queries.end())
            return awsError(400, "ResourceNotFoundException", QStringLiteral("Query does not exist"));
        InsightsQuery& q = it->second;
        if (!b.contains(QStringLiteral("nextToken"))) // paging a Complete result is not polling
            ++q.polls;
        QString status;
        size_t rows = 0, first = 0;
        if (q.stopped) {
            status = QStringLiteral("Cancelled");
        } else if (q.polls == 1 && insightsPollsUntilComplete > 1) {
            status = QStringLiteral("Scheduled");
        } else if (q.polls < insightsPollsUntilComplete) {
            status = QStringLiteral("Running");
            rows = q.rows.size() / 2; // partial rows while running
        } else {
            status = insightsTerminal;
            rows = status == QLatin1String("Complete") ? q.rows.size() : 0;
        }
        QByteArray next;
        if (status == QLatin1String("Complete") && insightsPageRows > 0) {
            first = size_t(b.value(QStringLiteral("nextToken")).toString().mid(2).toInt());
            rows = std::min(q.rows.size(), first + size_t(insightsPageRows));
            if (rows < q.rows.size())
                next = ",\"nextToken\":\"r-" + QByteArray::number(qint64(rows)) + '"';
        }
        QByteArray body = "{\"results\":[";
        for (size_t i = first; i < rows; ++i)
            body += (i > first ? "," : "") + insightsRow(q.rows[i], q.groups.front());
        body += "],\"statistics\":{\"recordsMatched\":" + QByteArray::number(double(q.rows.size()), 'f', 1)
            + ",\"recordsScanned\":" + QByteArray::number(double(q.rows.size() * 4), 'f', 1) + ",\"bytesScanned\":16792.0},\"status\":\""
            + status.toLatin1() + "\"" + next + "}";
        return Reply{200, body, {}, {}};
    }

    Reply stopQuery(const QJsonObject& b)
    {
        const QString id = b.value(QStringLiteral("queryId")).toString();
        auto it = queries.find(id);
        if (it == queries.end())
            return awsError(400, "ResourceNotFoundException", QStringLiteral("Query does not exist"));
        stopped.append(id);
        if (it->second.polls >= insightsPollsUntilComplete || it->second.stopped)
            return awsError(400, "InvalidParameterException", QStringLiteral("Query is not running"));
        it->second.stopped = true;
        return Reply{200, "{\"success\":true}", {}, {}};
    }

    // ---------------------------------------------------------------- CloudWatch metrics
    static bool validId(const QString& id)
    {
        static const QRegularExpression re(QStringLiteral("^[a-z][a-zA-Z0-9_]{0,254}$"));
        return re.match(id).hasMatch();
    }

    const Metric* findMetric(const QJsonObject& metric) const
    {
        std::vector<std::pair<QString, QString>> dims;
        for (const auto& d : metric.value(QStringLiteral("Dimensions")).toArray())
            dims.emplace_back(d.toObject().value(QStringLiteral("Name")).toString(), d.toObject().value(QStringLiteral("Value")).toString());
        std::sort(dims.begin(), dims.end());
        for (const auto& m : metrics) {
            auto sorted = m.dims;
            std::sort(sorted.begin(), sorted.end());
            if (m.ns == metric.value(QStringLiteral("Namespace")).toString() && m.name == metric.value(QStringLiteral("MetricName")).toString() && sorted == dims)
                return &m;
        }
        return nullptr;
    }

    static std::vector<MetricPoint> aggregate(const std::vector<MetricPoint>& points, qint64 start, qint64 end, qint64 period)
    {
        std::map<qint64, std::pair<double, int>> buckets;
        for (const auto& p : points) {
            if (p.seconds < start || p.seconds >= end)
                continue;
            auto& b = buckets[start + (p.seconds - start) / period * period];
            b.first += p.value;
            ++b.second;
        }
        std::vector<MetricPoint> out;
        for (const auto& [t, b] : buckets)
            out.push_back({t, b.first / b.second});
        return out;
    }

    Reply getMetricData(const QJsonObject& b)
    {
        const QByteArray op = "GetMetricData";
        for (const char* key : {"StartTime", "EndTime"}) {
            const QJsonValue v = b.value(QLatin1String(key));
            if (!v.isDouble() || v.toDouble() > 1e11 || v.toDouble() < 1e8)
                return violation(op, QStringLiteral("%1 must be epoch seconds").arg(QLatin1String(key)));
        }
        const qint64 start = qint64(b.value(QStringLiteral("StartTime")).toDouble());
        const qint64 end = qint64(b.value(QStringLiteral("EndTime")).toDouble());
        if (start >= end)
            return violation(op, QStringLiteral("The parameter StartTime must be less than the parameter EndTime."));
        const QJsonArray queriesJson = b.value(QStringLiteral("MetricDataQueries")).toArray();
        if (queriesJson.isEmpty() || queriesJson.size() > 500)
            return violation(op, QStringLiteral("MetricDataQueries must have 1..500 members"));
        if (b.contains(QStringLiteral("MaxDatapoints")) && b.value(QStringLiteral("MaxDatapoints")).toInt() > 100800)
            return violation(op, QStringLiteral("MaxDatapoints above 100,800"));
        const bool ascending = b.value(QStringLiteral("ScanBy")).toString() == QLatin1String("TimestampAscending");
        const int page = b.contains(QStringLiteral("NextToken")) ? b.value(QStringLiteral("NextToken")).toString().mid(3).toInt() : 0;
        if (b.contains(QStringLiteral("NextToken")) && !b.value(QStringLiteral("NextToken")).toString().startsWith(QLatin1String("mp-")))
            return awsError(400, "InvalidNextToken", QStringLiteral("The service couldn't process your request because the NextToken is invalid."));

        struct Series {
            QString id, label;
            std::vector<MetricPoint> points;
        };
        std::vector<Series> results;
        std::map<QString, std::vector<MetricPoint>> byId;
        std::set<QString> ids;
        for (const auto& qv : queriesJson) {
            const QJsonObject q = qv.toObject();
            const QString id = q.value(QStringLiteral("Id")).toString();
            if (!validId(id))
                return violation(op, QStringLiteral("invalid Id '%1': must start with a lower-case letter, then letters, digits, _").arg(id));
            if (!ids.insert(id).second)
                return violation(op, QStringLiteral("duplicate Id '%1'").arg(id));
            const bool stat = q.contains(QStringLiteral("MetricStat"));
            const bool expr = q.contains(QStringLiteral("Expression"));
            if (stat == expr)
                return violation(op, QStringLiteral("query %1: exactly one of MetricStat and Expression").arg(id));
            const qint64 period = stat ? q.value(QStringLiteral("MetricStat")).toObject().value(QStringLiteral("Period")).toInt()
                                       : q.value(QStringLiteral("Period")).toInt(60);
            if (period < 1 || (period >= 60 && period % 60 != 0) || (period < 60 && 60 % period != 0))
                return violation(op, QStringLiteral("query %1: Period %2 is not 1, 5, 10, 20, 30 or a multiple of 60").arg(id).arg(period));
            if ((end - start) / period > 100800)
                return violation(op, QStringLiteral("query %1: %2 datapoints exceed 100,800; choose a longer Period").arg(id).arg((end - start) / period));
            std::vector<MetricPoint> points;
            QString label;
            if (stat) {
                const QJsonObject ms = q.value(QStringLiteral("MetricStat")).toObject();
                if (ms.value(QStringLiteral("Stat")).toString().isEmpty())
                    return violation(op, QStringLiteral("query %1: MetricStat.Stat is required").arg(id));
                const QJsonObject metric = ms.value(QStringLiteral("Metric")).toObject();
                label = metric.value(QStringLiteral("MetricName")).toString();
                if (const Metric* m = findMetric(metric))
                    points = aggregate(m->points, start, end, period);
            } else {
                // A tiny expression language: "<id> * <k>" and "<id> / <k>".
                static const QRegularExpression re(QStringLiteral(R"(^\s*([a-z]\w*)\s*([*/])\s*([0-9.]+)\s*$)"));
                const auto m = re.match(q.value(QStringLiteral("Expression")).toString());
                if (m.hasMatch() && byId.count(m.captured(1))) {
                    const double k = m.captured(3).toDouble();
                    for (auto p : byId[m.captured(1)]) {
                        p.value = m.captured(2) == QLatin1String("*") ? p.value * k : p.value / k;
                        points.push_back(p);
                    }
                }
                label = q.value(QStringLiteral("Label")).toString(id);
            }
            if (q.contains(QStringLiteral("Label")))
                label = q.value(QStringLiteral("Label")).toString();
            byId[id] = points;
            if (q.value(QStringLiteral("ReturnData")).toBool(true))
                results.push_back({id, label, points});
        }
        QByteArray body = "{\"MetricDataResults\":[";
        bool more = false;
        for (size_t r = 0; r < results.size(); ++r) {
            auto points = results[r].points;
            if (!ascending)
                std::reverse(points.begin(), points.end()); // newest first, AWS's default
            const size_t from = size_t(page) * size_t(metricPagePoints);
            const size_t to = std::min(points.size(), from + size_t(metricPagePoints));
            const bool partial = to < points.size();
            more = more || partial;
            body += (r ? "," : "") + QByteArray("{\"Id\":") + jsonString(results[r].id) + ",\"Label\":" + jsonString(results[r].label)
                + ",\"Timestamps\":[";
            for (size_t i = from; i < to; ++i)
                body += (i > from ? "," : "") + scientificSeconds(double(points[i].seconds));
            body += "],\"Values\":[";
            for (size_t i = from; i < to; ++i)
                body += (i > from ? "," : "") + QByteArray::number(points[i].value, 'g', 17);
            body += "],\"StatusCode\":\"" + QByteArray(partial ? "PartialData" : "Complete") + "\",\"Messages\":[]}";
        }
        body += "],\"Messages\":[]";
        if (more)
            body += ",\"NextToken\":\"mp-" + QByteArray::number(page + 1) + '"';
        body += '}';
        return Reply{200, body, {}, {}};
    }

    Reply listMetrics(const QJsonObject& b)
    {
        QByteArray body = "{\"Metrics\":[";
        bool first = true;
        for (const auto& m : metrics) {
            if (b.contains(QStringLiteral("Namespace")) && b.value(QStringLiteral("Namespace")).toString() != m.ns)
                continue;
            if (b.contains(QStringLiteral("MetricName")) && b.value(QStringLiteral("MetricName")).toString() != m.name)
                continue;
            body += (first ? "" : ",") + QByteArray("{\"Namespace\":") + jsonString(m.ns) + ",\"MetricName\":" + jsonString(m.name) + ",\"Dimensions\":[";
            for (size_t i = 0; i < m.dims.size(); ++i)
                body += (i ? "," : "") + QByteArray("{\"Name\":") + jsonString(m.dims[i].first) + ",\"Value\":" + jsonString(m.dims[i].second) + '}';
            body += "]}";
            first = false;
        }
        body += "]}";
        return Reply{200, body, {}, {}};
    }

    // DescribeAlarms (awsJson 1.0): the metric alarms whose StateValue matches, if one is asked.
    Reply describeAlarms(const QJsonObject& b)
    {
        const QString state = b.value(QStringLiteral("StateValue")).toString();
        if (!state.isEmpty() && state != QLatin1String("OK") && state != QLatin1String("ALARM") && state != QLatin1String("INSUFFICIENT_DATA"))
            return awsError(400, "ValidationError", QStringLiteral("1 validation error detected: Value '%1' at 'stateValue'").arg(state));
        QJsonArray out;
        for (const auto& a : alarms)
            if (state.isEmpty() || a.value(QStringLiteral("StateValue")).toString() == state)
                out.append(a);
        QJsonObject doc{{QStringLiteral("MetricAlarms"), out}, {QStringLiteral("CompositeAlarms"), QJsonArray()}};
        return Reply{200, QJsonDocument(doc).toJson(QJsonDocument::Compact), {}, {}};
    }

    // ---------------------------------------------------------------- X-Ray
    Reply traceSummaries(const QJsonObject& b)
    {
        const QByteArray op = "GetTraceSummaries";
        for (const char* key : {"StartTime", "EndTime"}) {
            const QJsonValue v = b.value(QLatin1String(key));
            if (!v.isDouble() || v.toDouble() > 1e11 || v.toDouble() < 1e8)
                return violation(op, QStringLiteral("%1 must be epoch seconds").arg(QLatin1String(key)), true);
        }
        const double start = b.value(QStringLiteral("StartTime")).toDouble();
        const double end = b.value(QStringLiteral("EndTime")).toDouble();
        std::vector<const Trace*> matching;
        const QString filter = b.value(QStringLiteral("FilterExpression")).toString();
        const bool faultOnly = filter.contains(QLatin1String("fault = true")) || filter.contains(QLatin1String("fault"));
        for (const auto& t : traces)
            if (t.start >= start && t.start <= end && (!faultOnly || t.fault))
                matching.push_back(&t);
        std::sort(matching.begin(), matching.end(), [](const Trace* a, const Trace* c) { return a->start > c->start; }); // most recent first
        const int offset = b.contains(QStringLiteral("NextToken")) ? b.value(QStringLiteral("NextToken")).toString().mid(3).toInt() : 0;
        const int n = std::max(0, std::min<int>(summariesPageSize, int(matching.size()) - offset));
        QByteArray body = "{\"TraceSummaries\":[";
        for (int i = 0; i < n; ++i) {
            const Trace& t = *matching[size_t(offset + i)];
            body += (i ? "," : "") + QByteArray("{\"Id\":") + jsonString(t.id) + ",\"StartTime\":" + scientificSeconds(t.start)
                + ",\"Duration\":" + QByteArray::number(t.duration, 'g', 12) + ",\"ResponseTime\":" + QByteArray::number(t.duration, 'g', 12)
                + ",\"HasFault\":" + (t.fault ? "true" : "false") + ",\"HasError\":false,\"HasThrottle\":false,\"IsPartial\":false}";
        }
        body += "],\"ApproximateTime\":" + scientificSeconds(end) + ",\"TracesProcessedCount\":" + QByteArray::number(qint64(matching.size()));
        if (offset + n < int(matching.size()))
            body += ",\"NextToken\":\"ts-" + QByteArray::number(offset + n) + '"';
        body += '}';
        return Reply{200, body, {}, {}};
    }

    Reply batchGetTraces(const QJsonObject& b)
    {
        const QJsonArray ids = b.value(QStringLiteral("TraceIds")).toArray();
        if (ids.isEmpty() || ids.size() > 5)
            return violation("BatchGetTraces", QStringLiteral("TraceIds must have 1..5 members, got %1").arg(ids.size()), true);
        QByteArray body = "{\"Traces\":[";
        QByteArray unprocessed;
        bool first = true;
        for (const auto& idv : ids) {
            const QString id = idv.toString();
            if (unprocessedOnce.erase(id)) {
                unprocessed += (unprocessed.isEmpty() ? "" : ",") + jsonString(id);
                continue;
            }
            auto it = std::find_if(traces.begin(), traces.end(), [&](const Trace& t) { return t.id == id; });
            if (it == traces.end())
                continue;
            body += (first ? "" : ",") + QByteArray("{\"Id\":") + jsonString(id) + ",\"Duration\":" + QByteArray::number(it->duration, 'g', 12)
                + ",\"LimitExceeded\":false,\"Segments\":[";
            for (int i = 0; i < it->documents.size(); ++i) {
                const QJsonObject doc = QJsonDocument::fromJson(it->documents[i].toUtf8()).object();
                body += (i ? "," : "") + QByteArray("{\"Id\":") + jsonString(doc.value(QStringLiteral("id")).toString())
                    + ",\"Document\":" + jsonString(it->documents[i]) + '}';
            }
            body += "]}";
            first = false;
        }
        body += "],\"UnprocessedTraceIds\":[" + unprocessed + "]}";
        return Reply{200, body, {}, {}};
    }
};

// ---------------------------------------------------------------------------------------------
// The socket side, living in the server thread.

class FakeAwsWorker : public QObject {
public:
    explicit FakeAwsWorker(std::shared_ptr<FakeAwsServer::State> state) : m_state(std::move(state)) {}

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        QObject::connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server->nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::readyRead, this, [this, s] { onRead(s); });
                QObject::connect(s, &QTcpSocket::disconnected, this, [this, s] {
                    m_buffers.remove(s);
                    s->deleteLater();
                });
            }
        });
        return m_server->serverPort();
    }

    void shutdown()
    {
        for (QTcpSocket* s : m_server->findChildren<QTcpSocket*>())
            s->abort();
        m_server->close();
    }

private:
    struct Pending {
        QByteArray data;
        bool continued = false;
    };

    void onRead(QTcpSocket* s)
    {
        Pending& p = m_buffers[s];
        p.data += s->readAll();
        for (;;) {
            const int headerEnd = p.data.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            const QList<QByteArray> lines = p.data.left(headerEnd).split('\n');
            const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
            SignedRequest req;
            req.method = requestLine.value(0);
            req.path = requestLine.value(1);
            qint64 length = 0;
            bool expectContinue = false;
            for (int i = 1; i < lines.size(); ++i) {
                const QByteArray line = lines[i].trimmed();
                const int colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                const QByteArray name = line.left(colon).trimmed();
                const QByteArray value = line.mid(colon + 1).trimmed();
                req.headers.append({name, value});
                if (name.toLower() == "content-length")
                    length = value.toLongLong();
                if (name.toLower() == "expect" && value.toLower() == "100-continue")
                    expectContinue = true;
            }
            if (p.data.size() < headerEnd + 4 + length) {
                if (expectContinue && !p.continued) {
                    s->write("HTTP/1.1 100 Continue\r\n\r\n");
                    p.continued = true;
                }
                return;
            }
            req.body = p.data.mid(headerEnd + 4, length);
            p.data.remove(0, headerEnd + 4 + int(length));
            p.continued = false;
            respond(s, handle(req));
        }
    }

    static QByteArray header(const SignedRequest& r, const QByteArray& name)
    {
        for (const auto& [n, v] : r.headers)
            if (n.toLower() == name)
                return v;
        return {};
    }

    Reply handle(const SignedRequest& req)
    {
        QMutexLocker lock(&m_state->mutex);
        FakeAwsServer::State& st = *m_state;
        FakeAwsServer::Received rec;
        rec.method = req.method;
        rec.path = req.path;
        rec.contentType = header(req, "content-type");
        rec.target = header(req, "x-amz-target");
        rec.receivedAtMs = clock().elapsed();
        QJsonParseError pe;
        const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
        rec.body = doc.object();

        // Route: X-Amz-Target for the JSON services, path for X-Ray.
        QByteArray service, expectedType;
        bool restJson = false;
        if (rec.target.startsWith("Logs_20140328.")) {
            service = "logs";
            expectedType = "application/x-amz-json-1.1";
            rec.operation = rec.target.mid(14);
        } else if (rec.target.startsWith("GraniteServiceVersion20100801.")) {
            service = "monitoring";
            expectedType = "application/x-amz-json-1.0";
            rec.operation = rec.target.mid(30);
        } else if (rec.target.isEmpty() && (req.path == "/TraceSummaries" || req.path == "/Traces")) {
            service = "xray";
            expectedType = "application/json";
            restJson = true;
            rec.operation = req.path == "/Traces" ? "BatchGetTraces" : "GetTraceSummaries";
        }

        SigV4Expectation expect;
        expect.accessKeyId = st.options.accessKeyId;
        expect.secretAccessKey = st.options.secretAccessKey;
        expect.region = st.options.region;
        expect.service = service;
        expect.maxSkewSeconds = st.options.maxClockSkewSeconds;
        const SigV4Result sig = SigV4Verifier::verify(req, expect);
        rec.signatureOk = sig.ok;
        rec.signatureProblem = sig.reason;
        st.received.append(rec);

        if (service.isEmpty())
            return st.violation(rec.target.isEmpty() ? req.path : rec.target, QStringLiteral("unknown operation (X-Amz-Target '%1', path '%2')")
                                                                       .arg(QString::fromLatin1(rec.target), QString::fromLatin1(req.path)));
        if (req.method != "POST")
            return st.violation(rec.operation, QStringLiteral("method must be POST"), restJson);
        if (rec.contentType != expectedType)
            return st.violation(rec.operation, QStringLiteral("Content-Type must be %1, got '%2'")
                                                   .arg(QString::fromLatin1(expectedType), QString::fromLatin1(rec.contentType)), restJson);
        if (!sig.ok) {
            st.violations.append(QString::fromLatin1(rec.operation) + QStringLiteral(": signature: ") + sig.reason);
            return awsError(403, sig.reason.startsWith(QLatin1String("Signature expired")) ? "InvalidSignatureException" : "InvalidSignatureException",
                            sig.reason, restJson);
        }
        if (!st.options.sessionToken.isEmpty()) {
            if (header(req, "x-amz-security-token") != st.options.sessionToken || !sig.signedHeaders.split(';').contains("x-amz-security-token")) {
                st.violations.append(QString::fromLatin1(rec.operation) + QStringLiteral(": session token missing or unsigned"));
                return awsError(403, "UnrecognizedClientException", QStringLiteral("The security token included in the request is invalid."), restJson);
            }
        }
        if (pe.error != QJsonParseError::NoError || !doc.isObject())
            return st.violation(rec.operation, QStringLiteral("body is not a JSON object: ") + pe.errorString(), restJson);

        if (auto fault = st.takeFault(rec.operation)) {
            Reply r;
            r.fault = *fault;
            switch (*fault) {
            case FakeAwsServer::Fault::Throttle:
                if (restJson)
                    return awsError(429, "ThrottledException", QStringLiteral("Rate exceeded"), true);
                if (service == "monitoring") {
                    Reply t = awsError(400, "Throttling", QStringLiteral("Rate exceeded"));
                    t.headers.append(qMakePair(QByteArray("x-amzn-query-error"), QByteArray("Throttling;Sender")));
                    return t;
                }
                return awsError(400, "ThrottlingException", QStringLiteral("Rate exceeded"));
            case FakeAwsServer::Fault::ServerError:
                return awsError(500, "InternalFailure", QStringLiteral("The request processing has failed because of an unknown error."), restJson);
            case FakeAwsServer::Fault::AccessDenied:
                return awsError(400, "AccessDeniedException", QStringLiteral("User: arn:aws:iam::123456789012:user/x is not authorized"), restJson);
            case FakeAwsServer::Fault::MalformedJson:
                r.body = "{\"events\":[{\"timestamp\":17000000,\"message\":\"tru";
                r.fault.reset();
                return r;
            default:
                break; // the rest misbehave on the wire: the normal answer is the material
            }
            Reply normal = dispatch(st, rec.operation, rec.body);
            normal.fault = r.fault;
            if (*fault == FakeAwsServer::Fault::HugeBody) {
                // Still valid JSON, just enormous: a padding field before the real content.
                normal.body = "{\"padding\":\"" + QByteArray(int(st.hugeBytes), 'x') + "\"," + normal.body.mid(1);
                normal.fault.reset();
            }
            return normal;
        }
        return dispatch(st, rec.operation, rec.body);
    }

    static Reply dispatch(FakeAwsServer::State& st, const QByteArray& op, const QJsonObject& body)
    {
        if (op == "FilterLogEvents") return st.filterLogEvents(body);
        if (op == "StartQuery") return st.startQuery(body);
        if (op == "GetQueryResults") return st.getQueryResults(body);
        if (op == "StopQuery") return st.stopQuery(body);
        if (op == "GetMetricData") return st.getMetricData(body);
        if (op == "ListMetrics") return st.listMetrics(body);
        if (op == "DescribeAlarms") return st.describeAlarms(body);
        if (op == "GetTraceSummaries") return st.traceSummaries(body);
        if (op == "BatchGetTraces") return st.batchGetTraces(body);
        return awsError(400, "UnknownOperationException", QStringLiteral("unknown operation ") + QString::fromLatin1(op));
    }

    void respond(QTcpSocket* s, Reply r)
    {
        static const QHash<int, QByteArray> reasons = {{200, "OK"}, {400, "Bad Request"}, {403, "Forbidden"}, {429, "Too Many Requests"}, {500, "Internal Server Error"}};
        QByteArray head = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reasons.value(r.status, "Status") + "\r\n";
        head += "x-amzn-RequestId: 6f5b3c2e-0000-4000-8000-000000000000\r\nContent-Type: application/x-amz-json-1.1\r\n";
        for (const auto& [n, v] : r.headers)
            head += n + ": " + v + "\r\n";
        QPointer<QTcpSocket> socket(s);
        const auto fault = r.fault;
        if (fault == FakeAwsServer::Fault::EndlessStream) {
            s->write(head + "Transfer-Encoding: chunked\r\n\r\n");
            auto* timer = new QTimer(s);
            QObject::connect(timer, &QTimer::timeout, s, [socket] {
                if (!socket || socket->state() != QAbstractSocket::ConnectedState)
                    return;
                if (socket->bytesToWrite() < (1 << 20)) {
                    const QByteArray chunk = "{\"events\":[" + QByteArray(16384, ' ');
                    socket->write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
                }
            });
            timer->start(2);
            return;
        }
        head += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n\r\n";
        if (fault == FakeAwsServer::Fault::DropMidBody) {
            s->write(head + r.body.left(r.body.size() / 2));
            s->flush();
            QTimer::singleShot(20, s, [socket] {
                if (socket)
                    socket->abort();
            });
            return;
        }
        if (fault == FakeAwsServer::Fault::Slow) {
            int delay;
            {
                QMutexLocker lock(&m_state->mutex);
                delay = m_state->delayMs;
            }
            QTimer::singleShot(delay, s, [socket, head, body = r.body] {
                if (socket && socket->state() == QAbstractSocket::ConnectedState)
                    socket->write(head + body);
            });
            return;
        }
        s->write(head + r.body);
    }

    std::shared_ptr<FakeAwsServer::State> m_state;
    QTcpServer* m_server = nullptr;
    QHash<QTcpSocket*, Pending> m_buffers;
};

// ---------------------------------------------------------------------------------------------

FakeAwsServer::FakeAwsServer() : FakeAwsServer(Options{}) {}

FakeAwsServer::FakeAwsServer(Options options) : m_options(std::move(options)), m_state(std::make_shared<State>())
{
    m_state->options = m_options;
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("FakeAwsServer"));
    m_worker = new FakeAwsWorker(m_state);
    m_worker->moveToThread(m_thread);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, [this] { m_port = m_worker->listen(); }, Qt::BlockingQueuedConnection);
    if (m_port == 0)
        qFatal("FakeAwsServer: cannot listen on 127.0.0.1");
}

FakeAwsServer::~FakeAwsServer()
{
    QMetaObject::invokeMethod(m_worker, [this] {
        m_worker->shutdown();
        delete m_worker;
    }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

quint16 FakeAwsServer::port() const { return m_port; }
std::string FakeAwsServer::url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

void FakeAwsServer::addLogEvents(const QString& group, const std::vector<LogEvent>& events)
{
    QMutexLocker lock(&m_state->mutex);
    auto& list = m_state->logs[group];
    for (auto e : events) {
        if (e.eventId.isEmpty())
            e.eventId = QStringLiteral("%1%2").arg(e.timestampMs).arg(list.size(), 8, 10, QLatin1Char('0'));
        list.push_back(e);
    }
    std::stable_sort(list.begin(), list.end(), [](const LogEvent& a, const LogEvent& b) { return a.timestampMs < b.timestampMs; });
}

void FakeAwsServer::setLogsPageSize(int events) { QMutexLocker l(&m_state->mutex); m_state->logsPageSize = events; }
void FakeAwsServer::setEmptyPageEvery(int n) { QMutexLocker l(&m_state->mutex); m_state->emptyPageEvery = n; }

void FakeAwsServer::addMetric(const QString& ns, const QString& name, const std::vector<std::pair<QString, QString>>& dimensions,
                              const std::vector<MetricPoint>& points)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->metrics.push_back({ns, name, dimensions, points});
}

void FakeAwsServer::setMetricPagePoints(int points) { QMutexLocker l(&m_state->mutex); m_state->metricPagePoints = points; }
void FakeAwsServer::setInsightsPollsUntilComplete(int polls) { QMutexLocker l(&m_state->mutex); m_state->insightsPollsUntilComplete = polls; }
void FakeAwsServer::setInsightsTerminalStatus(const QString& status) { QMutexLocker l(&m_state->mutex); m_state->insightsTerminal = status; }
void FakeAwsServer::setInsightsRowCap(int rows) { QMutexLocker l(&m_state->mutex); m_state->insightsRowCap = rows; }
void FakeAwsServer::setInsightsPageRows(int rows) { QMutexLocker l(&m_state->mutex); m_state->insightsPageRows = rows; }

void FakeAwsServer::addTrace(const QString& xrayId, double startSeconds, double durationSeconds, bool hasFault, const QStringList& segmentDocuments)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->traces.push_back({xrayId, startSeconds, durationSeconds, hasFault, segmentDocuments});
}

void FakeAwsServer::addAlarm(const QJsonObject& metricAlarm)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->alarms.push_back(metricAlarm);
}

void FakeAwsServer::setTraceSummariesPageSize(int n) { QMutexLocker l(&m_state->mutex); m_state->summariesPageSize = n; }
void FakeAwsServer::setUnprocessedOnce(const QString& xrayId) { QMutexLocker l(&m_state->mutex); m_state->unprocessedOnce.insert(xrayId); }

void FakeAwsServer::injectFault(Fault fault, int count, const QByteArray& operation, int skip)
{
    QMutexLocker lock(&m_state->mutex);
    m_state->faults.push_back({fault, count, operation, skip});
}

void FakeAwsServer::setDelayMs(int ms) { QMutexLocker l(&m_state->mutex); m_state->delayMs = ms; }
void FakeAwsServer::setHugeBytes(qint64 bytes) { QMutexLocker l(&m_state->mutex); m_state->hugeBytes = bytes; }

QList<FakeAwsServer::Received> FakeAwsServer::requests() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->received;
}

QList<FakeAwsServer::Received> FakeAwsServer::requests(const QByteArray& operation) const
{
    QList<Received> out;
    for (const auto& r : requests())
        if (r.operation == operation)
            out.append(r);
    return out;
}

QStringList FakeAwsServer::violations() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->violations;
}

QStringList FakeAwsServer::stoppedQueries() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->stopped;
}

int FakeAwsServer::faultsServed() const
{
    QMutexLocker lock(&m_state->mutex);
    return m_state->faultsServed;
}

void FakeAwsServer::clearRecords()
{
    QMutexLocker lock(&m_state->mutex);
    m_state->received.clear();
    m_state->violations.clear();
}

} // namespace rootline::test
