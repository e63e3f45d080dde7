// The query bar's plain logic: history (order, duplicates, cap, Up/Down browsing), what is being
// typed at the cursor (metric, label name, label value, search key/value), applying a completion,
// the request a pane makes of a source, the fetch window, and the words for how a fetch ended.
#include "CompletionContext.h"
#include "FetchResult.h"
#include "QueryHistory.h"
#include "QueryRequest.h"

#include <QTest>

using namespace rootline;
using What = CompletionContext::What;

Q_DECLARE_METATYPE(rootline::CompletionContext::What)

namespace {

// "up{job=\"a^\"}" → text without the caret, cursor where it was.
std::pair<QString, int> split(QString marked) {
    const int cursor = int(marked.indexOf(QLatin1Char('^')));
    Q_ASSERT(cursor >= 0);
    marked.remove(cursor, 1);
    return {marked, cursor};
}

Source sourceOf(SourceType type) {
    Source s;
    s.name = "src";
    s.type = type;
    s.url = "http://127.0.0.1:1";
    return s;
}

} // namespace

class TestQueryBar : public QObject {
    Q_OBJECT

private slots:
    void historyIsMostRecentFirstWithoutDuplicates() {
        QueryHistory h;
        h.add(QStringLiteral("a"));
        h.add(QStringLiteral("  b  "));
        h.add(QStringLiteral(""));
        h.add(QStringLiteral("a"));
        QCOMPARE(h.entries(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        // Loaded from settings (most recent first) with a duplicate: the more recent copy stays.
        QueryHistory loaded({QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("x")});
        QCOMPARE(loaded.entries(), (QStringList{QStringLiteral("x"), QStringLiteral("y")}));
    }

    void historyIsCapped() {
        QueryHistory h({}, 3);
        for (int i = 0; i < 10; ++i)
            h.add(QString::number(i));
        QCOMPARE(h.entries(),
                 (QStringList{QStringLiteral("9"), QStringLiteral("8"), QStringLiteral("7")}));
        QueryHistory defaults;
        for (int i = 0; i < 80; ++i)
            defaults.add(QString::number(i));
        QCOMPARE(defaults.entries().size(), QueryHistory::kDefaultCapacity);
    }

    void historyBrowsesLikeAShell() {
        QueryHistory h;
        h.add(QStringLiteral("first"));
        h.add(QStringLiteral("second"));
        h.add(QStringLiteral("third"));
        QVERIFY(!h.newer()); // not browsing yet
        QCOMPARE(h.older(QStringLiteral("draft")).value(), QStringLiteral("third"));
        QCOMPARE(h.older(QStringLiteral("third")).value(), QStringLiteral("second"));
        QCOMPARE(h.older(QStringLiteral("second")).value(), QStringLiteral("first"));
        QVERIFY(!h.older(QStringLiteral("first"))); // the oldest
        QCOMPARE(h.newer().value(), QStringLiteral("second"));
        QCOMPARE(h.newer().value(), QStringLiteral("third"));
        QCOMPARE(h.newer().value(), QStringLiteral("draft")); // back to what was being typed
        QVERIFY(!h.newer());
        // Up on the query just run (still in the field) goes to the one before it.
        QCOMPARE(h.older(QStringLiteral("third")).value(), QStringLiteral("second"));
        h.add(QStringLiteral("fourth"));
        QVERIFY(!h.isBrowsing());
        QCOMPARE(h.older(QString()).value(), QStringLiteral("fourth"));
    }

    void selectorContext_data() {
        QTest::addColumn<QString>("marked");
        QTest::addColumn<What>("what");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("metric");
        QTest::newRow("metric") << "http_req^" << What::MetricName << "http_req"
                                << ""
                                << "";
        QTest::newRow("metric in a function") << "rate(http_req^" << What::MetricName << "http_req"
                                              << ""
                                              << "";
        QTest::newRow("metric with colon") << "job:req^" << What::MetricName << "job:req"
                                           << ""
                                           << "";
        QTest::newRow("label after brace") << "up{^" << What::LabelName << ""
                                           << ""
                                           << "up";
        QTest::newRow("second label") << "up{job=\"api\", ins^" << What::LabelName << "ins"
                                      << ""
                                      << "up";
        QTest::newRow("label value") << "up{job=\"ap^" << What::LabelValue << "ap"
                                     << "job"
                                     << "up";
        QTest::newRow("regex value") << "{app=\"checkout\", env=~\"pr^" << What::LabelValue << "pr"
                                     << "env"
                                     << "";
        QTest::newRow("value before closing quote")
            << "{app=\"che^ck\"}" << What::LabelValue << "che"
            << "app"
            << "";
        QTest::newRow("escaped quote in value")
            << "up{job=\"a\\\"b^" << What::LabelValue << "a\\\"b"
            << "job"
            << "up";
        QTest::newRow("by list") << "sum by (ser^) (rate(x[5m]))" << What::LabelName << "ser"
                                 << ""
                                 << "";
        QTest::newRow("trailing by") << "sum(rate(x[5m])) by (^" << What::LabelName << ""
                                     << ""
                                     << "";
        QTest::newRow("range duration") << "rate(x[5^" << What::None << ""
                                        << ""
                                        << "";
        QTest::newRow("line filter string") << "{app=\"a\"} |= \"err^" << What::None << ""
                                            << ""
                                            << "";
        QTest::newRow("after a pipe") << "{app=\"a\"} | js^" << What::None << "js"
                                      << ""
                                      << "";
        QTest::newRow("number") << "x > 12^" << What::None << "12"
                                << ""
                                << "";
        QTest::newRow("label value without quote") << "up{job=^" << What::None << ""
                                                   << ""
                                                   << "up";
        QTest::newRow("after the selector")
            << "{app=\"a\"} |= \"x\" or cou^" << What::MetricName << "cou"
            << ""
            << "";
    }

    void selectorContext() {
        QFETCH(QString, marked);
        QFETCH(What, what);
        QFETCH(QString, prefix);
        QFETCH(QString, label);
        QFETCH(QString, metric);
        const auto [text, cursor] = split(marked);
        const CompletionContext c = selectorCompletionContext(text, cursor);
        QCOMPARE(c.what, what);
        QCOMPARE(c.prefix, prefix);
        QCOMPARE(c.label, label);
        QCOMPARE(c.metric, metric);
    }

    void searchContext_data() {
        QTest::addColumn<QString>("marked");
        QTest::addColumn<What>("what");
        QTest::addColumn<QString>("prefix");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("service");
        QTest::newRow("first key") << "ser^" << What::SearchKey << "ser"
                                   << ""
                                   << "";
        QTest::newRow("service value") << "service=chec^" << What::SearchValue << "chec"
                                       << "service"
                                       << "";
        QTest::newRow("second key") << "service=checkout op^" << What::SearchKey << "op"
                                    << ""
                                    << "checkout";
        QTest::newRow("quoted operation")
            << "service=checkout operation=\"GET /^" << What::SearchValue << "GET /"
            << "operation"
            << "checkout";
        QTest::newRow("empty") << "^" << What::SearchKey << ""
                               << ""
                               << "";
        QTest::newRow("service quoted elsewhere")
            << "operation=^ service=\"check out\"" << What::SearchValue << ""
            << "operation"
            << "check out";
    }

    void searchContext() {
        QFETCH(QString, marked);
        QFETCH(What, what);
        QFETCH(QString, prefix);
        QFETCH(QString, label);
        QFETCH(QString, service);
        const auto [text, cursor] = split(marked);
        const CompletionContext c = searchCompletionContext(text, cursor);
        QCOMPARE(c.what, what);
        QCOMPARE(c.prefix, prefix);
        QCOMPARE(c.label, label);
        QCOMPARE(c.service, service);
    }

    void applyingACompletion_data() {
        QTest::addColumn<QString>("marked");
        QTest::addColumn<bool>("search");
        QTest::addColumn<QString>("choice");
        QTest::addColumn<QString>("expected"); // '^' marks the cursor after
        QTest::newRow("metric mid-word") << "rate(http_re^qs[5m])" << false << "http_requests_total"
                                         << "rate(http_requests_total^[5m])";
        QTest::newRow("label name opens its value") << "up{jo^" << false << "job"
                                                    << "up{job=\"^";
        QTest::newRow("label name before an operator") << "up{jo^=\"x\"}" << false << "job"
                                                       << "up{job^=\"x\"}";
        QTest::newRow("label in a by list") << "sum by (ser^)" << false << "service"
                                            << "sum by (service^)";
        QTest::newRow("value closes its quote") << "up{job=\"ap^" << false << "api"
                                                << "up{job=\"api\"^";
        QTest::newRow("value keeps the closing quote") << "up{job=\"a^x\"}" << false << "api"
                                                       << "up{job=\"api\"^}";
        QTest::newRow("value is escaped") << "{msg=\"^" << false << "say \"hi\" \\o/"
                                          << "{msg=\"say \\\"hi\\\" \\\\o/\"^";
        QTest::newRow("search key") << "service=a op^" << true << "operation"
                                    << "service=a operation=^";
        QTest::newRow("search value with a space") << "operation=GE^" << true << "GET /cart"
                                                   << "operation=\"GET /cart\"^";
        QTest::newRow("plain search value") << "service=ch^" << true << "checkout"
                                            << "service=checkout^";
    }

    void applyingACompletion() {
        QFETCH(QString, marked);
        QFETCH(bool, search);
        QFETCH(QString, choice);
        QFETCH(QString, expected);
        const auto [text, cursor] = split(marked);
        const CompletionContext c = search ? searchCompletionContext(text, cursor)
                                           : selectorCompletionContext(text, cursor);
        const CompletionEdit edit = applyCompletion(text, c, choice);
        QString got = edit.text;
        got.insert(edit.cursor, QLatin1Char('^'));
        QCOMPARE(got, expected);
    }

    void completionRequests() {
        CompletionContext c = selectorCompletionContext(QStringLiteral("up{job=\"a"), 9);
        auto prom = completionRequestFor(SourceType::Prometheus, c);
        QVERIFY(prom);
        QCOMPARE(prom->what, CompletionRequest::What::LabelValues);
        QCOMPARE(prom->label, std::string("job"));
        QCOMPARE(prom->matcher, std::string("up")); // narrowed to the metric
        auto loki = completionRequestFor(SourceType::Loki, c);
        QVERIFY(loki);
        QCOMPARE(loki->matcher, std::string()); // Loki's label lookups take no metric
        QVERIFY(!completionRequestFor(SourceType::CloudWatch, c));
        c = selectorCompletionContext(QStringLiteral("http"), 4);
        QCOMPARE(completionRequestFor(SourceType::Prometheus, c)->what,
                 CompletionRequest::What::MetricNames);
        QVERIFY(!completionRequestFor(SourceType::Loki, c)); // LogQL functions are built in
        QVERIFY(builtinCompletions(SourceType::Loki, QueryPane::Metrics, What::MetricName)
                    .contains(QStringLiteral("count_over_time")));
        c = searchCompletionContext(QStringLiteral("service=checkout operation="), 27);
        auto ops = completionRequestFor(SourceType::Jaeger, c);
        QVERIFY(ops);
        QCOMPARE(ops->what, CompletionRequest::What::Operations);
        QCOMPARE(ops->label, std::string("checkout"));
        c = searchCompletionContext(QStringLiteral("operation="), 10);
        QVERIFY(!completionRequestFor(SourceType::Jaeger, c)); // no service yet
        QVERIFY(builtinCompletions(SourceType::Jaeger, QueryPane::Traces, What::SearchKey)
                    .contains(QStringLiteral("minDuration")));
    }

    void panesAndSources() {
        QVERIFY(servesPane({FetchKind::Logs, FetchKind::Series}, QueryPane::Metrics));
        QVERIFY(servesPane({FetchKind::Logs, FetchKind::Series}, QueryPane::Logs));
        QVERIFY(!servesPane({FetchKind::Logs, FetchKind::Series}, QueryPane::Traces));
        QVERIFY(servesPane({FetchKind::Trace}, QueryPane::Traces));
        QVERIFY(!servesPane({FetchKind::Series, FetchKind::Alerts}, QueryPane::Logs));
    }

    void requests() {
        const TimeWindow w{Timestamp::fromSeconds(1000), Timestamp::fromSeconds(2000)};
        auto logs = buildFetchRequest(QueryPane::Logs, sourceOf(SourceType::Loki),
                                      QStringLiteral("  {app=\"a\"} |= \"x\" "), w);
        QVERIFY(logs);
        QCOMPARE(logs->kind, FetchKind::Logs);
        QCOMPARE(logs->query, std::string("{app=\"a\"} |= \"x\""));
        QCOMPARE(logs->source, std::string("src"));
        QCOMPARE(logs->window, w);
        auto series = buildFetchRequest(QueryPane::Metrics, sourceOf(SourceType::Prometheus),
                                        QStringLiteral("up"), w);
        QCOMPARE(series->kind, FetchKind::Series);
        auto trace = buildFetchRequest(QueryPane::Traces, sourceOf(SourceType::Jaeger),
                                       QStringLiteral("4BF92F3577B34DA6A3CE929D0E0E4736"), w);
        QCOMPARE(trace->kind, FetchKind::Trace);
        QCOMPARE(trace->traceId, std::string("4BF92F3577B34DA6A3CE929D0E0E4736"));
        auto search = buildFetchRequest(
            QueryPane::Traces, sourceOf(SourceType::Jaeger),
            QStringLiteral("service=checkout operation=\"POST /pay\" minDuration=1s"), w);
        QVERIFY(search);
        QCOMPARE(search->kind, FetchKind::Traces);
        const std::vector<std::pair<std::string, std::string>> terms = {
            {"service", "checkout"}, {"operation", "POST /pay"}, {"minDuration", "1s"}};
        QCOMPARE(search->search, terms);
        auto xray = buildFetchRequest(QueryPane::Traces, sourceOf(SourceType::CloudWatch),
                                      QStringLiteral("service(\"a\") AND fault"), w);
        QCOMPARE(xray->kind, FetchKind::Traces);
        QCOMPARE(xray->query, std::string("service(\"a\") AND fault"));
        QVERIFY(looksLikeTraceId(QStringLiteral("1-5f84c7a1-0123456789abcdef01234567")));
        QVERIFY(!looksLikeTraceId(QStringLiteral("abc"))); // too short to mean a trace

        auto empty = buildFetchRequest(QueryPane::Logs, sourceOf(SourceType::Loki),
                                       QStringLiteral("   "), w);
        QVERIFY(!empty);
        QCOMPARE(empty.error().what, std::string("the query is empty"));
        auto bad = buildFetchRequest(QueryPane::Traces, sourceOf(SourceType::Jaeger),
                                     QStringLiteral("service=a checkout"), w);
        QVERIFY(!bad);
        QVERIFY2(bad.error().what.find("\"checkout\" is not key=value") != std::string::npos,
                 bad.error().what.c_str());
        QVERIFY(!parseSearchTerms("operation=\"GET /x"));
    }

    void fetchWindowFallsBack() {
        const Timestamp now = Timestamp::fromSeconds(100000);
        const TimeWindow focus{Timestamp::fromSeconds(10), Timestamp::fromSeconds(20)};
        const TimeWindow range{Timestamp::fromSeconds(5), Timestamp::fromSeconds(50)};
        QCOMPARE(fetchWindow(focus, range, now), focus);
        const TimeWindow whole = fetchWindow(TimeWindow::all(), range, now);
        QCOMPARE(whole.from, range.from);
        QVERIFY(whole.contains(range.to)); // the last record is inside (windows end exclusive)
        QCOMPARE(fetchWindow(TimeWindow::all(), std::nullopt, now),
                 (TimeWindow{now - Duration::hours(1), now}));
    }

    void describingAFetch() {
        FetchRunResult r;
        r.request.query = "{app=\"a\"}";
        FetchReport rep;
        rep.request = r.request;
        rep.fetched = {TimeWindow{Timestamp::fromSeconds(0), Timestamp::fromSeconds(60)}};
        rep.stored.logs = 1234;
        rep.requests = 2;
        rep.bytes = 4096;
        r.report = rep;
        FetchMessage m = describeFetch(r);
        QCOMPARE(m.level, FetchMessage::Level::Complete);
        QCOMPARE(m.text, QStringLiteral("Complete: 1,234 logs from the network."));
        QVERIFY(m.details.contains(QStringLiteral("2 requests, 4.0 KiB")));

        r.report->complete = false;
        r.report->partialReason = "limit of 5000 lines reached";
        r.report->warnings = {"max series"};
        m = describeFetch(r);
        QCOMPARE(m.level, FetchMessage::Level::Partial);
        QVERIFY2(
            m.text.startsWith(QStringLiteral("PARTIAL (limit of 5000 lines reached): 1,234 logs")),
            qPrintable(m.text));
        QVERIFY(m.details.contains(QStringLiteral("Server warning: max series")));

        r.report->partialReason = "cancelled";
        r.report->stored = {};
        m = describeFetch(r);
        QCOMPARE(m.level, FetchMessage::Level::Cancelled);
        QCOMPARE(m.text, QStringLiteral("Cancelled — nothing was stored."));

        r.report->complete = true;
        r.report->partialReason.clear();
        r.report->cached = r.report->fetched;
        r.report->fetched.clear();
        m = describeFetch(r);
        QCOMPARE(m.level, FetchMessage::Level::Complete);
        QVERIFY2(m.text.contains(QStringLiteral("already in the cache")), qPrintable(m.text));

        FetchRunResult failed;
        failed.error = Error{"loki prod GET /loki/api/v1/query_range",
                             "HTTP 400: parse error at line 1, col 5", "check the LogQL syntax"};
        m = describeFetch(failed);
        QCOMPARE(m.level, FetchMessage::Level::Failed);
        QCOMPARE(m.text,
                 QStringLiteral(
                     "Failed: HTTP 400: parse error at line 1, col 5 — check the LogQL syntax"));
        QVERIFY(
            m.details.contains(QStringLiteral("Where: loki prod GET /loki/api/v1/query_range")));

        WriteStats s;
        s.series = 3;
        s.samples = 720;
        s.spans = 1;
        QCOMPARE(rowsText(s), QStringLiteral("1 span · 3 series (720 samples)"));
        QCOMPARE(rowsText({}), QStringLiteral("no rows"));
    }

    void exemplarsRideWithMetricQueries() {
        const TimeWindow w{Timestamp::fromSeconds(1000), Timestamp::fromSeconds(2000)};
        const std::vector<FetchKind> prometheus = {FetchKind::Series, FetchKind::Instant,
                                                   FetchKind::Exemplars, FetchKind::Alerts};
        auto series = buildFetchRequest(
            QueryPane::Metrics, sourceOf(SourceType::Prometheus),
            QStringLiteral("histogram_quantile(0.95, sum by (le) (rate(x_bucket[1m])))"), w);
        QVERIFY(series);
        const auto companions = companionRequests(*series, prometheus);
        QCOMPARE(companions.size(), size_t(1));
        QCOMPARE(companions[0].kind, FetchKind::Exemplars);
        QCOMPARE(companions[0].query, series->query); // query_exemplars takes the PromQL itself
        QCOMPARE(companions[0].window, w);
        QCOMPARE(companions[0].source, std::string("src"));
        // A source without exemplars (Loki metric queries), and anything but a series fetch: none.
        QVERIFY(companionRequests(*series, {FetchKind::Series, FetchKind::Logs}).empty());
        auto logs = buildFetchRequest(QueryPane::Logs, sourceOf(SourceType::Loki),
                                      QStringLiteral("{app=\"a\"}"), w);
        QVERIFY(companionRequests(*logs, prometheus).empty());

        const FetchRequest alerts = alertsRequest(sourceOf(SourceType::Prometheus), w);
        QCOMPARE(alerts.kind, FetchKind::Alerts);
        QCOMPARE(alerts.source, std::string("src"));
        QVERIFY(companionRequests(alerts, prometheus).empty());
    }

    void describingACompanion() {
        // The series came in; the exemplars failed: the line says both, the success first.
        FetchRunResult r;
        r.request.query = "up";
        FetchReport rep;
        rep.request = r.request;
        rep.fetched = {TimeWindow{Timestamp::fromSeconds(0), Timestamp::fromSeconds(60)}};
        rep.stored.series = 2;
        rep.stored.samples = 120;
        rep.requests = 1;
        r.report = rep;
        CompanionResult failed;
        failed.label = "exemplars";
        failed.error = Error{"prometheus p /api/v1/query_exemplars", "HTTP 503: overloaded",
                             "try again"};
        r.companions.push_back(failed);
        FetchMessage m = describeFetch(r);
        QCOMPARE(m.level, FetchMessage::Level::Complete);
        QCOMPARE(m.text, QStringLiteral("Complete: 2 series (120 samples) from the network. "
                                        "Warning: exemplars failed: HTTP 503: overloaded."));
        QVERIFY2(m.details.contains(QStringLiteral("/api/v1/query_exemplars")), qPrintable(m.details));
        QVERIFY2(m.details.contains(QStringLiteral("try again")), qPrintable(m.details));
        QVERIFY(r.stored());

        // Exemplars that came: counted in the same line, their holder series not counted again.
        r.companions.clear();
        CompanionResult ok;
        ok.label = "exemplars";
        FetchReport ex;
        ex.fetched = rep.fetched;
        ex.stored.series = 3;
        ex.stored.exemplars = 7;
        ex.requests = 1;
        ok.report = ex;
        r.companions.push_back(ok);
        m = describeFetch(r);
        QCOMPARE(m.text, QStringLiteral("Complete: 2 series (120 samples) · 7 exemplars from the network."));
        QVERIFY2(m.details.contains(QStringLiteral("exemplars: 7 exemplars")), qPrintable(m.details));
        QCOMPARE(r.storedTotal().exemplars, int64_t(7));

        // Everything already in the cache but the exemplars: not "nothing new".
        r.report->cached = r.report->fetched;
        r.report->fetched.clear();
        r.report->stored = {};
        m = describeFetch(r);
        QVERIFY2(!m.text.contains(QStringLiteral("nothing new")), qPrintable(m.text));
        QVERIFY2(m.text.contains(QStringLiteral("7 exemplars")), qPrintable(m.text));

        // A companion cut short says PARTIAL as a warning; the main fetch stays complete.
        r.companions[0].report->complete = false;
        r.companions[0].report->partialReason = "response too large";
        m = describeFetch(r);
        QCOMPARE(m.level, FetchMessage::Level::Complete);
        QVERIFY2(m.text.endsWith(QStringLiteral("Warning: exemplars PARTIAL (response too large).")),
                 qPrintable(m.text));
    }
};

QTEST_GUILESS_MAIN(TestQueryBar)
#include "tst_query_bar.moc"
