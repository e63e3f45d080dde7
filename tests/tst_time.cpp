// Time conversions at every unit met on the wire, exact to the nanosecond, and the errors for what
// cannot be read.

#include "core/Clock.h"
#include "core/Time.h"

#include <QTest>

using namespace rootline;

namespace {
constexpr qint64 kMaxNs = std::numeric_limits<qint64>::max();
constexpr qint64 kMinNs = std::numeric_limits<qint64>::min();

QByteArray bytes(std::string_view s) { return QByteArray(s.data(), qsizetype(s.size())); }
} // namespace

class TestTime : public QObject {
    Q_OBJECT

private slots:
    void units_data()
    {
        QTest::addColumn<QString>("unit");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("nanos");

        // Loki / OTLP nanosecond strings.
        QTest::newRow("ns loki") << "ns" << QByteArray("1569266497240578000") << qint64(1569266497240578000);
        QTest::newRow("ns zero") << "ns" << QByteArray("0") << qint64(0);
        QTest::newRow("ns leading zeros") << "ns" << QByteArray("000123") << qint64(123);
        QTest::newRow("ns negative") << "ns" << QByteArray("-1") << qint64(-1);
        QTest::newRow("ns int64 max") << "ns" << QByteArray("9223372036854775807") << kMaxNs;
        QTest::newRow("ns int64 -max") << "ns" << QByteArray("-9223372036854775807") << (kMinNs + 1);

        // Float / scientific seconds (Prometheus, CloudWatch, X-Ray).
        QTest::newRow("s integer") << "s" << QByteArray("1795343321") << qint64(1795343321'000000000);
        QTest::newRow("s millis fraction") << "s" << QByteArray("1795343321.500") << qint64(1795343321'500000000);
        QTest::newRow("s nanos fraction") << "s" << QByteArray("1795343321.123456789") << qint64(1795343321'123456789);
        QTest::newRow("s scientific") << "s" << QByteArray("1.67119356E9") << qint64(1671193560'000000000);
        QTest::newRow("s scientific lower") << "s" << QByteArray("1.671193561234e9") << qint64(1671193561'234000000);
        QTest::newRow("s scientific plus") << "s" << QByteArray("1.5e+1") << qint64(15'000000000);
        QTest::newRow("s scientific negative exp") << "s" << QByteArray("15e-1") << qint64(1'500000000);
        QTest::newRow("s negative fraction") << "s" << QByteArray("-0.001") << qint64(-1'000000);
        QTest::newRow("s leading dot") << "s" << QByteArray(".25") << qint64(250000000);
        QTest::newRow("s trailing dot") << "s" << QByteArray("7.") << qint64(7'000000000);
        QTest::newRow("s plus sign") << "s" << QByteArray("+2") << qint64(2'000000000);
        QTest::newRow("s one ns") << "s" << QByteArray("0.000000001") << qint64(1);
        QTest::newRow("s 1e-9") << "s" << QByteArray("1e-9") << qint64(1);
        // Below a nanosecond: rounded half away from zero.
        QTest::newRow("s round down") << "s" << QByteArray("0.0000000014") << qint64(1);
        QTest::newRow("s round up") << "s" << QByteArray("0.0000000015") << qint64(2);
        QTest::newRow("s round half") << "s" << QByteArray("1.0000000005") << qint64(1'000000001);
        QTest::newRow("s round negative") << "s" << QByteArray("-1.0000000005") << qint64(-1'000000001);
        QTest::newRow("s tiny rounds to zero") << "s" << QByteArray("0.00000000049") << qint64(0);
        QTest::newRow("s many digits") << "s" << QByteArray("1795343321.50000000000000000000000001") << qint64(1795343321'500000000);
        QTest::newRow("s double would lose ns") << "s" << QByteArray("1700000000.000000001") << qint64(1700000000'000000001);
        QTest::newRow("s 2262 max") << "s" << QByteArray("9223372036.854775807") << kMaxNs;

        // CloudWatch milliseconds, Jaeger microseconds.
        QTest::newRow("ms") << "ms" << QByteArray("1700000000123") << qint64(1700000000'123000000);
        QTest::newRow("ms fraction") << "ms" << QByteArray("1700000000123.456789") << qint64(1700000000'123456789);
        QTest::newRow("ms negative") << "ms" << QByteArray("-5") << qint64(-5'000000);
        QTest::newRow("us") << "us" << QByteArray("1700000000123456") << qint64(1700000000'123456000);
        QTest::newRow("us fraction") << "us" << QByteArray("1.5") << qint64(1500);
        QTest::newRow("us round") << "us" << QByteArray("0.0005") << qint64(1);
    }

    void units()
    {
        QFETCH(QString, unit);
        QFETCH(QByteArray, text);
        QFETCH(qint64, nanos);
        const std::string_view t(text.constData(), size_t(text.size()));
        Result<Timestamp> r = unit == QLatin1String("ns") ? parseNanosText(t)
                              : unit == QLatin1String("s") ? parseSecondsText(t)
                              : unit == QLatin1String("ms") ? parseMillisText(t)
                                                            : parseMicrosText(t);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->nanos(), nanos);
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("unit");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("why"); // a piece of the error message

        QTest::newRow("ns empty") << "ns" << QByteArray("") << "no digits";
        QTest::newRow("ns fraction") << "ns" << QByteArray("1.5") << "not an integer";
        QTest::newRow("ns exponent") << "ns" << QByteArray("1e9") << "not an integer";
        QTest::newRow("ns overflow") << "ns" << QByteArray("9223372036854775808") << "out of range";
        QTest::newRow("ns way too long") << "ns" << QByteArray("123456789012345678901234567890") << "out of range";
        QTest::newRow("ns sign in middle") << "ns" << QByteArray("12-3") << "unexpected character '-'";
        QTest::newRow("s empty") << "s" << QByteArray("") << "no digits";
        QTest::newRow("s letters") << "s" << QByteArray("abc") << "no digits";
        QTest::newRow("s dot only") << "s" << QByteArray(".") << "no digits";
        QTest::newRow("s sign only") << "s" << QByteArray("-") << "no digits";
        QTest::newRow("s nan") << "s" << QByteArray("NaN") << "no digits";
        QTest::newRow("s trailing text") << "s" << QByteArray("12s") << "unexpected character 's'";
        QTest::newRow("s two dots") << "s" << QByteArray("1.2.3") << "unexpected character '.'";
        QTest::newRow("s exponent without digits") << "s" << QByteArray("1e") << "exponent without digits";
        QTest::newRow("s exponent sign only") << "s" << QByteArray("1e+") << "exponent without digits";
        QTest::newRow("s huge exponent") << "s" << QByteArray("1e999") << "exponent out of range";
        QTest::newRow("s past 2262") << "s" << QByteArray("9223372037") << "out of range";
        QTest::newRow("s scientific past 2262") << "s" << QByteArray("1e10") << "out of range";
        QTest::newRow("s rounding past max") << "s" << QByteArray("9223372036.8547758075") << "out of range";
        QTest::newRow("s space") << "s" << QByteArray(" 1") << "no digits";
        QTest::newRow("ms overflow") << "ms" << QByteArray("9223372036855") << "out of range";
        QTest::newRow("us overflow") << "us" << QByteArray("9223372036854776") << "out of range";
    }

    void malformed()
    {
        QFETCH(QString, unit);
        QFETCH(QByteArray, text);
        QFETCH(QString, why);
        const std::string_view t(text.constData(), size_t(text.size()));
        Result<Timestamp> r = unit == QLatin1String("ns") ? parseNanosText(t)
                              : unit == QLatin1String("s") ? parseSecondsText(t)
                              : unit == QLatin1String("ms") ? parseMillisText(t)
                                                            : parseMicrosText(t);
        QVERIFY2(!r.ok(), r.ok() ? std::to_string(r->nanos()).c_str() : "");
        const QString message = QString::fromStdString(r.error().message());
        QVERIFY2(message.contains(why), qPrintable(message));
        // The error quotes the input, so a log line says which value was bad.
        QVERIFY2(message.contains(QString::fromLatin1("\"" + text.left(64) + "\"")), qPrintable(message));
    }

    void unitNamedInError()
    {
        QVERIFY(QString::fromStdString(parseMillisText("x").error().message()).contains(QLatin1String("milliseconds")));
        QVERIFY(QString::fromStdString(parseMicrosText("x").error().message()).contains(QLatin1String("microseconds")));
        QVERIFY(QString::fromStdString(parseSecondsText("x").error().message()).contains(QLatin1String("seconds")));
        QVERIFY(QString::fromStdString(parseNanosText("x").error().message()).contains(QLatin1String("nanoseconds")));
    }

    void accessorsFloorTowardsMinusInfinity_data()
    {
        QTest::addColumn<qint64>("nanos");
        QTest::addColumn<qint64>("micros");
        QTest::addColumn<qint64>("millis");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("zero") << qint64(0) << qint64(0) << qint64(0) << qint64(0);
        QTest::newRow("positive") << qint64(1'234'567'891) << qint64(1'234'567) << qint64(1'234) << qint64(1);
        QTest::newRow("minus one ns") << qint64(-1) << qint64(-1) << qint64(-1) << qint64(-1);
        QTest::newRow("minus one s") << qint64(-1'000'000'000) << qint64(-1'000'000) << qint64(-1'000) << qint64(-1);
        QTest::newRow("minus 1.5 s") << qint64(-1'500'000'000) << qint64(-1'500'000) << qint64(-1'500) << qint64(-2);
    }

    void accessorsFloorTowardsMinusInfinity()
    {
        QFETCH(qint64, nanos);
        const Timestamp t = Timestamp::fromNanos(nanos);
        QTEST(qint64(t.micros()), "micros");
        QTEST(qint64(t.millis()), "millis");
        QTEST(qint64(t.seconds()), "seconds");
    }

    void constructors()
    {
        QCOMPARE(Timestamp::fromMicros(1700000000123456).nanos(), int64_t(1700000000123456000));
        QCOMPARE(Timestamp::fromMillis(-1).nanos(), int64_t(-1000000));
        QCOMPARE(Timestamp::fromSeconds(2).nanos(), int64_t(2000000000));
        QCOMPARE(Timestamp::fromSecondsDouble(1.5).nanos(), int64_t(1500000000));
        QCOMPARE(Timestamp::fromSecondsDouble(-0.001).nanos(), int64_t(-1000000));
        // A double near 2023 holds ~0.2 µs of precision; the result is the nearest nanosecond of it.
        QVERIFY(std::llabs(Timestamp::fromSecondsDouble(1671193560.123456).nanos() - 1671193560'123456000) < 1000);
        // Non-finite and out-of-range doubles clamp instead of being undefined behaviour.
        QCOMPARE(Timestamp::fromSecondsDouble(1e300), Timestamp::max());
        QCOMPARE(Timestamp::fromSecondsDouble(-1e300), Timestamp::min());
        QCOMPARE(Timestamp::fromSecondsDouble(std::nan("")), Timestamp());
        QCOMPARE(Duration::minutes(2).count(), int64_t(120'000'000'000));
        QCOMPARE(Duration::hours(1), Duration::minutes(60));
        QCOMPARE((Timestamp::fromSeconds(10) - Timestamp::fromSeconds(4)), Duration::seconds(6));
        QVERIFY(Clock::current().now() > Timestamp::fromSeconds(1'700'000'000));
    }

    void rfc3339Parse_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("nanos");
        QTest::newRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << qint64(0);
        QTest::newRow("zulu") << QByteArray("2026-11-23T14:46:00Z") << qint64(1795445160'000000000);
        QTest::newRow("lower case t z") << QByteArray("2026-11-23t14:46:00z") << qint64(1795445160'000000000);
        QTest::newRow("zero offset") << QByteArray("2024-09-29T22:10:00+00:00") << qint64(1727647800'000000000);
        QTest::newRow("positive offset") << QByteArray("2024-09-30T00:10:00+02:00") << qint64(1727647800'000000000);
        QTest::newRow("negative offset") << QByteArray("2024-09-29T17:10:00-05:00") << qint64(1727647800'000000000);
        QTest::newRow("offset without colon") << QByteArray("2024-09-30T03:40:00+0530") << qint64(1727647800'000000000);
        QTest::newRow("no zone is UTC") << QByteArray("2024-09-29T22:10:00") << qint64(1727647800'000000000);
        QTest::newRow("space separator") << QByteArray("2022-07-18 12:34:31.195") << qint64(1658147671'195000000);
        QTest::newRow("fraction 1") << QByteArray("2022-07-18T12:34:31.1Z") << qint64(1658147671'100000000);
        QTest::newRow("fraction 6") << QByteArray("2022-07-18T12:34:31.123456Z") << qint64(1658147671'123456000);
        QTest::newRow("fraction 9") << QByteArray("2022-07-18T12:34:31.123456789Z") << qint64(1658147671'123456789);
        QTest::newRow("fraction 12 rounds") << QByteArray("2022-07-18T12:34:31.123456789500Z") << qint64(1658147671'123456790);
        QTest::newRow("fraction 12 down") << QByteArray("2022-07-18T12:34:31.123456789499Z") << qint64(1658147671'123456789);
        QTest::newRow("comma fraction") << QByteArray("2022-07-18T12:34:31,5Z") << qint64(1658147671'500000000);
        QTest::newRow("fraction with offset") << QByteArray("2022-07-18T14:34:31.5+02:00") << qint64(1658147671'500000000);
        QTest::newRow("before epoch") << QByteArray("1969-12-31T23:59:59.5Z") << qint64(-500000000);
        QTest::newRow("1900") << QByteArray("1900-01-01T00:00:00Z") << qint64(-2208988800'000000000);
        QTest::newRow("leap day 2024") << QByteArray("2024-02-29T12:00:00Z") << qint64(1709208000'000000000);
        QTest::newRow("leap day 2000") << QByteArray("2000-02-29T00:00:00Z") << qint64(951782400'000000000);
        QTest::newRow("leap second folds forward") << QByteArray("2016-12-31T23:59:60Z") << qint64(1483228800'000000000);
        QTest::newRow("year end") << QByteArray("2023-12-31T23:59:59.999999999Z") << qint64(1704067199'999999999);
        QTest::newRow("2262 last ns") << QByteArray("2262-04-11T23:47:16.854775807Z") << kMaxNs;
        QTest::newRow("1677 first ns") << QByteArray("1677-09-21T00:12:43.145224192Z") << kMinNs;
    }

    void rfc3339Parse()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, nanos);
        auto r = parseRfc3339(std::string_view(text.constData(), size_t(text.size())));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->nanos(), nanos);
    }

    void rfc3339Malformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("empty") << QByteArray("") << "too short";
        QTest::newRow("date only") << QByteArray("2026-11-23") << "expected YYYY-MM-DDThh:mm:ss";
        QTest::newRow("slashes") << QByteArray("2026/11/23T14:46:00Z") << "expected YYYY-MM-DDThh:mm:ss";
        QTest::newRow("letter in year") << QByteArray("2O26-11-23T14:46:00Z") << "expected a digit at position 1";
        QTest::newRow("month 13") << QByteArray("2026-13-01T00:00:00Z") << "month";
        QTest::newRow("month 0") << QByteArray("2026-00-01T00:00:00Z") << "month";
        QTest::newRow("day 32") << QByteArray("2026-01-32T00:00:00Z") << "day";
        QTest::newRow("feb 29 non-leap") << QByteArray("2023-02-29T00:00:00Z") << "day";
        QTest::newRow("feb 29 1900") << QByteArray("1900-02-29T00:00:00Z") << "day";
        QTest::newRow("feb 30 leap") << QByteArray("2024-02-30T00:00:00Z") << "day";
        QTest::newRow("april 31") << QByteArray("2026-04-31T00:00:00Z") << "day";
        QTest::newRow("hour 24") << QByteArray("2026-01-01T24:00:00Z") << "hour";
        QTest::newRow("minute 60") << QByteArray("2026-01-01T00:60:00Z") << "minute";
        QTest::newRow("second 61") << QByteArray("2026-01-01T00:00:61Z") << "second";
        QTest::newRow("empty fraction") << QByteArray("2026-01-01T00:00:00.Z") << "empty fraction";
        QTest::newRow("trailing garbage") << QByteArray("2026-01-01T00:00:00Zjunk") << "unexpected character 'Z'";
        QTest::newRow("bad zone") << QByteArray("2026-01-01T00:00:00 UTC") << "unexpected character ' '";
        QTest::newRow("zone hours only") << QByteArray("2026-01-01T00:00:00+05") << "too short";
        QTest::newRow("zone hour 24") << QByteArray("2026-01-01T00:00:00+24:00") << "zone";
        QTest::newRow("zone minute 60") << QByteArray("2026-01-01T00:00:00+01:60") << "zone";
        QTest::newRow("zone trailing") << QByteArray("2026-01-01T00:00:00+01:00:00") << "trailing characters";
        QTest::newRow("after 2262") << QByteArray("2262-04-11T23:47:16.854775808Z") << "out of range";
        QTest::newRow("year 9999") << QByteArray("9999-12-31T23:59:59Z") << "out of range";
        QTest::newRow("before 1677") << QByteArray("1677-09-21T00:12:43.145224191Z") << "out of range";
        QTest::newRow("year 0001") << QByteArray("0001-01-01T00:00:00Z") << "out of range";
    }

    void rfc3339Malformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, why);
        auto r = parseRfc3339(std::string_view(text.constData(), size_t(text.size())));
        QVERIFY2(!r.ok(), r.ok() ? r->toRfc3339().c_str() : "");
        const QString message = QString::fromStdString(r.error().message());
        QVERIFY2(message.contains(why), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("RFC 3339")), qPrintable(message));
    }

    void rfc3339Format_data()
    {
        QTest::addColumn<qint64>("nanos");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("epoch") << qint64(0) << QByteArray("1970-01-01T00:00:00Z");
        QTest::newRow("millis") << qint64(1658147671'195000000) << QByteArray("2022-07-18T12:34:31.195Z");
        QTest::newRow("micros") << qint64(1658147671'123456000) << QByteArray("2022-07-18T12:34:31.123456Z");
        QTest::newRow("nanos") << qint64(1658147671'123456789) << QByteArray("2022-07-18T12:34:31.123456789Z");
        QTest::newRow("tenth") << qint64(1658147671'100000000) << QByteArray("2022-07-18T12:34:31.100Z");
        QTest::newRow("one ns") << qint64(1) << QByteArray("1970-01-01T00:00:00.000000001Z");
        QTest::newRow("minus one ns") << qint64(-1) << QByteArray("1969-12-31T23:59:59.999999999Z");
        QTest::newRow("minus half s") << qint64(-500000000) << QByteArray("1969-12-31T23:59:59.500Z");
        QTest::newRow("minus one day") << qint64(-86400'000000000) << QByteArray("1969-12-31T00:00:00Z");
        QTest::newRow("leap day") << qint64(1709208000'000000000) << QByteArray("2024-02-29T12:00:00Z");
        QTest::newRow("max") << kMaxNs << QByteArray("2262-04-11T23:47:16.854775807Z");
        QTest::newRow("min") << kMinNs << QByteArray("1677-09-21T00:12:43.145224192Z");
    }

    void rfc3339Format()
    {
        QFETCH(qint64, nanos);
        QFETCH(QByteArray, text);
        const std::string formatted = Timestamp::fromNanos(nanos).toRfc3339();
        QCOMPARE(bytes(formatted), text);
        // And back, exactly.
        auto back = parseRfc3339(formatted);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message().c_str());
        QCOMPARE(back->nanos(), nanos);
    }

    void rfc3339RoundTripSweep()
    {
        // Every day boundary ±1 ns across 1968..2030, including every leap day.
        for (int64_t day = -800; day < 22000; day += 7) {
            for (int64_t delta : {int64_t(-1), int64_t(0), int64_t(1), int64_t(43'200'000'000'123)}) {
                const int64_t ns = day * 86400'000000000 + delta;
                const std::string s = Timestamp::fromNanos(ns).toRfc3339();
                auto back = parseRfc3339(s);
                QVERIFY2(back.ok(), s.c_str());
                QCOMPARE(back->nanos(), ns);
            }
        }
    }

    void userTime_data()
    {
        const qint64 now = 1795445160'000000000; // 2026-11-23T14:46:00Z
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("now");
        QTest::addColumn<qint64>("nanos");
        QTest::newRow("now") << QByteArray("now") << now << now;
        QTest::newRow("now-15m") << QByteArray("now-15m") << now << now - 15 * 60'000000000LL;
        QTest::newRow("now+1h") << QByteArray("now+1h") << now << now + 3600'000000000LL;
        QTest::newRow("now-1m30s") << QByteArray("now-1m30s") << now << now - 90'000000000LL;
        QTest::newRow("now-1.5s") << QByteArray("now-1.5s") << now << now - 1'500000000LL;
        QTest::newRow("unix seconds") << QByteArray("1795445160") << now << qint64(1795445160'000000000);
        QTest::newRow("unix fraction") << QByteArray("1795445160.25") << now << qint64(1795445160'250000000);
        QTest::newRow("rfc3339") << QByteArray("2026-11-23T14:46:00Z") << now << qint64(1795445160'000000000);
        QTest::newRow("rfc3339 space") << QByteArray("2026-11-23 14:46:00") << now << qint64(1795445160'000000000);
    }

    void userTime()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, now);
        QFETCH(qint64, nanos);
        auto r = parseUserTime(std::string_view(text.constData(), size_t(text.size())), Timestamp::fromNanos(now));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->nanos(), nanos);
    }

    void userTimeMalformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("empty") << QByteArray("") << "cannot read \"\"";
        QTest::newRow("words") << QByteArray("yesterday") << "yesterday";
        QTest::newRow("now garbage") << QByteArray("nowish") << "expected now-15m or now+1h";
        QTest::newRow("now bad duration") << QByteArray("now-15x") << "unknown unit \"x\"";
        QTest::newRow("now missing duration") << QByteArray("now-") << "empty";
        QTest::newRow("bad date") << QByteArray("2026-02-30T00:00:00Z") << "day";
    }

    void userTimeMalformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, why);
        auto r = parseUserTime(std::string_view(text.constData(), size_t(text.size())), Timestamp::fromSeconds(1));
        QVERIFY(!r.ok());
        const QString message = QString::fromStdString(r.error().message());
        QVERIFY2(message.contains(why), qPrintable(message));
    }

    void duration_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qint64>("nanos");
        QTest::newRow("plain seconds") << QByteArray("15") << qint64(15'000000000);
        QTest::newRow("plain fraction") << QByteArray("0.5") << qint64(500000000);
        QTest::newRow("1m30s") << QByteArray("1m30s") << qint64(90'000000000);
        QTest::newRow("1.2s") << QByteArray("1.2s") << qint64(1'200000000);
        QTest::newRow("100ms") << QByteArray("100ms") << qint64(100'000000);
        QTest::newRow("5us") << QByteArray("5us") << qint64(5'000);
        QTest::newRow("250µs micro sign") << QByteArray("250\xC2\xB5s") << qint64(250'000);
        QTest::newRow("250μs greek mu") << QByteArray("250\xCE\xBCs") << qint64(250'000);
        QTest::newRow("7ns") << QByteArray("7ns") << qint64(7);
        QTest::newRow("2h") << QByteArray("2h") << qint64(7200'000000000);
        QTest::newRow("1d") << QByteArray("1d") << qint64(86400'000000000);
        QTest::newRow("1h2m3.5s") << QByteArray("1h2m3.5s") << qint64(3723'500000000);
        QTest::newRow("1.5h") << QByteArray("1.5h") << qint64(5400'000000000);
        QTest::newRow("negative") << QByteArray("-1m") << qint64(-60'000000000);
        QTest::newRow("plus") << QByteArray("+2s") << qint64(2'000000000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("zero seconds") << QByteArray("0s") << qint64(0);
        QTest::newRow("sub ns rounds") << QByteArray("1.5ns") << qint64(2);
    }

    void duration()
    {
        QFETCH(QByteArray, text);
        QFETCH(qint64, nanos);
        auto r = parseDuration(std::string_view(text.constData(), size_t(text.size())));
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message().c_str());
        QCOMPARE(r->count(), nanos);
    }

    void durationMalformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("why");
        QTest::newRow("empty") << QByteArray("") << "empty";
        QTest::newRow("unit only") << QByteArray("s") << "expected a number";
        QTest::newRow("unknown unit") << QByteArray("5y") << "unknown unit \"y\"";
        QTest::newRow("missing unit") << QByteArray("1m30") << "missing unit";
        QTest::newRow("two dots") << QByteArray("1.2.3s") << "unexpected character '.'";
        QTest::newRow("space") << QByteArray("5 s") << "unknown unit \" s\"";
        QTest::newRow("sign only") << QByteArray("-") << "expected a number";
        QTest::newRow("overflow hours") << QByteArray("2562048h") << "out of range";
        QTest::newRow("overflow sum") << QByteArray("2562047h2562047h") << "out of range";
        QTest::newRow("overflow seconds") << QByteArray("9223372037s") << "out of range";
    }

    void durationMalformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, why);
        auto r = parseDuration(std::string_view(text.constData(), size_t(text.size())));
        QVERIFY2(!r.ok(), r.ok() ? std::to_string(r->count()).c_str() : "");
        const QString message = QString::fromStdString(r.error().message());
        QVERIFY2(message.contains(why), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("90s, 1m30s")), qPrintable(message)); // the hint
    }

    void durationToString_data()
    {
        QTest::addColumn<qint64>("nanos");
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("ns") << qint64(999) << QByteArray("999ns");
        QTest::newRow("us") << qint64(250'000) << QByteArray("250\xC2\xB5s");
        QTest::newRow("ms") << qint64(250'000'000) << QByteArray("250ms");
        QTest::newRow("s") << qint64(1'500'000'000) << QByteArray("1.5s");
        QTest::newRow("m") << qint64(90'000'000'000) << QByteArray("1.5m");
        QTest::newRow("h") << qint64(7200'000'000'000) << QByteArray("2h");
        QTest::newRow("negative") << qint64(-250'000'000) << QByteArray("-250ms");
        QTest::newRow("zero") << qint64(0) << QByteArray("0ns");
    }

    void durationToString()
    {
        QFETCH(qint64, nanos);
        QFETCH(QByteArray, text);
        QCOMPARE(bytes(Duration::nanos(nanos).toString()), text);
    }

    void window()
    {
        const TimeWindow w{Timestamp::fromSeconds(10), Timestamp::fromSeconds(20)};
        QVERIFY(w.isValid());
        QVERIFY(w.contains(Timestamp::fromSeconds(10)));
        QVERIFY(!w.contains(Timestamp::fromSeconds(20))); // half-open
        QCOMPARE(w.length(), Duration::seconds(10));
        QVERIFY(w.overlaps({Timestamp::fromSeconds(19), Timestamp::fromSeconds(30)}));
        QVERIFY(!w.overlaps({Timestamp::fromSeconds(20), Timestamp::fromSeconds(30)}));
        QCOMPARE(w.widened(Duration::seconds(1)), (TimeWindow{Timestamp::fromSeconds(9), Timestamp::fromSeconds(21)}));
        QVERIFY(!(TimeWindow{Timestamp::fromSeconds(1), Timestamp::fromSeconds(1)}).isValid());
        QVERIFY(TimeWindow::all().contains(Timestamp::fromSeconds(-5)));
        // The unbounded window stays unbounded when widened or measured (no overflow).
        QCOMPARE(TimeWindow::all().widened(Duration::hours(1)), TimeWindow::all());
        QCOMPARE(TimeWindow::all().length().count(), std::numeric_limits<int64_t>::max());
        QCOMPARE(Timestamp::max() + Duration::nanos(1), Timestamp::max());
        QCOMPARE(Timestamp::min() - Duration::nanos(1), Timestamp::min());
        QCOMPARE(Timestamp::min() + Duration::nanos(-1), Timestamp::min());
        QCOMPARE(Timestamp::max() - Duration::nanos(-1), Timestamp::max());
        QCOMPARE((Timestamp::min() - Timestamp::max()).count(), std::numeric_limits<int64_t>::min());
        QCOMPARE(Timestamp::fromNanos(5) - Duration::nanos(7), Timestamp::fromNanos(-2));
    }
};

QTEST_GUILESS_MAIN(TestTime)
#include "tst_time.moc"
