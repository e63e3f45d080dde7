#pragma once

// A faithful fake of CloudWatch (awsJson 1.0), CloudWatch Logs (awsJson 1.1, Logs Insights included)
// and X-Ray (restJson) on 127.0.0.1, for connector tests (wire-formats.md §5 and the §7 checklist).
// It runs its own thread, so blocking clients work. It
//  * routes by X-Amz-Target (Logs, CloudWatch) or path (X-Ray) and checks Content-Type, the body's
//    fields and their units (Logs ms, Insights seconds, CloudWatch/X-Ray epoch seconds, the
//    100,800-datapoint limit, ≤ 5 trace ids), answering 400 like AWS and recording a violation;
//  * verifies every request's SigV4 signature with SigV4Verifier (and the session token);
//  * answers Expect: 100-continue;
//  * serves the documented shapes: nextToken chains with empty pages, the same Id on every
//    GetMetricData page with PartialData, scientific-notation timestamps, Insights
//    Scheduled → Running (partial rows) → Complete, X-Ray documents as JSON strings;
//  * misbehaves on command (injectFault).

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <vector>

class QThread;

namespace rootline::test {

class FakeAwsWorker;

class FakeAwsServer {
public:
    struct Options {
        QByteArray accessKeyId = "AKIDEXAMPLE";
        QByteArray secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
        QByteArray sessionToken; // when set, requests must carry (and sign) X-Amz-Security-Token
        QByteArray region = "us-east-1";
        std::optional<qint64> maxClockSkewSeconds = 15 * 60;
    };

    struct LogEvent {
        QString stream;
        qint64 timestampMs = 0;
        QString message;
        QString eventId; // generated when empty
    };

    struct MetricPoint {
        qint64 seconds = 0;
        double value = 0;
    };

    enum class Fault {
        Slow,          // answer after `delayMs`
        DropMidBody,   // send headers and half the body, then close the connection
        Throttle,      // 400 ThrottlingException (Logs) / 400 Throttling (CloudWatch) / 429 ThrottledException (X-Ray)
        ServerError,   // 500 InternalFailure
        MalformedJson, // 200 with a body that is not JSON
        HugeBody,      // 200 with a valid but `hugeBytes`-long body
        EndlessStream, // 200, chunked, never ends
        AccessDenied,  // 400 AccessDeniedException (a non-retryable error)
    };

    struct Received {
        QByteArray operation; // FilterLogEvents, StartQuery, GetMetricData, GetTraceSummaries, BatchGetTraces, ...
        QByteArray method, path, contentType, target;
        QJsonObject body;
        bool signatureOk = false;
        QString signatureProblem;
        qint64 receivedAtMs = 0; // monotonic
    };

    explicit FakeAwsServer(Options options);
    FakeAwsServer();
    ~FakeAwsServer();
    FakeAwsServer(const FakeAwsServer&) = delete;
    FakeAwsServer& operator=(const FakeAwsServer&) = delete;

    quint16 port() const;
    std::string url() const; // "http://127.0.0.1:<port>"
    const Options& options() const { return m_options; }

    // ---- data
    void addLogEvents(const QString& group, const std::vector<LogEvent>& events);
    void setLogsPageSize(int events);     // FilterLogEvents events per page (default 10,000)
    void setEmptyPageEvery(int n);        // every n-th FilterLogEvents page is empty but has a token (0 = never)
    void addMetric(const QString& ns, const QString& name, const std::vector<std::pair<QString, QString>>& dimensions,
                   const std::vector<MetricPoint>& points);
    void setMetricPagePoints(int points); // datapoints per Id per GetMetricData page (default 100,800)
    void setInsightsPollsUntilComplete(int polls); // GetQueryResults calls before Complete (default 2)
    void setInsightsTerminalStatus(const QString& status); // "Complete" (default), "Failed", "Timeout"
    void setInsightsRowCap(int rows);     // rows a query returns at most (default 10,000, AWS's cap)
    void setInsightsPageRows(int rows);   // a Complete result paged with nextToken (0 = whole, as older servers)
    // A trace: its summary fields and its segment documents (JSON text, as X-Ray stores them).
    void addTrace(const QString& xrayId, double startSeconds, double durationSeconds, bool hasFault,
                  const QStringList& segmentDocuments);
    void setTraceSummariesPageSize(int n);
    // A CloudWatch metric alarm as DescribeAlarms lists it (AlarmName, StateValue, Namespace, …).
    void addAlarm(const QJsonObject& metricAlarm);
    void setUnprocessedOnce(const QString& xrayId); // the first BatchGetTraces naming it lists it as unprocessed

    // ---- misbehaviour: `count` requests of `operation` (empty: any) get `fault`, after letting
    // `skip` matching requests through normally (so a fault can hit page 2 of a chain).
    void injectFault(Fault fault, int count = 1, const QByteArray& operation = {}, int skip = 0);
    void setDelayMs(int ms);
    void setHugeBytes(qint64 bytes);

    // ---- what happened
    QList<Received> requests() const;
    QList<Received> requests(const QByteArray& operation) const;
    QStringList violations() const; // request checks that failed (a correct connector leaves this empty)
    QStringList stoppedQueries() const;
    int faultsServed() const;
    void clearRecords();

private:
    friend class FakeAwsWorker;
    struct State;
    Options m_options;
    std::shared_ptr<State> m_state;
    QThread* m_thread = nullptr;
    FakeAwsWorker* m_worker = nullptr;
    quint16 m_port = 0;
};

} // namespace rootline::test
