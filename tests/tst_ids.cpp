// Trace and span id normalisation: every form met on the wire (wire-formats.md §0.2), and the
// errors for everything else.

#include "core/Ids.h"

#include <QTest>

#include <unordered_set>

using namespace rootline;

Q_DECLARE_METATYPE(rootline::IdEncoding)

namespace {
std::string_view view(const QByteArray& b) { return std::string_view(b.constData(), size_t(b.size())); }
} // namespace

class TestIds : public QObject {
    Q_OBJECT

private slots:
    void traceIdValid_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<IdEncoding>("encoding");
        QTest::addColumn<QByteArray>("hex"); // normalised

        QTest::newRow("32 hex") << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736") << IdEncoding::Auto
                                << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("upper case OTLP") << QByteArray("4BF92F3577B34DA6A3CE929D0E0E4736") << IdEncoding::Auto
                                         << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("mixed case") << QByteArray("4Bf92f3577b34dA6a3ce929d0e0e4736") << IdEncoding::Hex
                                    << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("16 hex 64-bit") << QByteArray("a3ce929d0e0e4736") << IdEncoding::Auto
                                       << QByteArray("0000000000000000a3ce929d0e0e4736");
        QTest::newRow("31 hex exemplar") << QByteArray("bf92f3577b34da6a3ce929d0e0e4736") << IdEncoding::Auto
                                         << QByteArray("0bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("jaeger short") << QByteArray("1a2b3c") << IdEncoding::Auto << QByteArray("000000000000000000000000001a2b3c");
        QTest::newRow("one digit") << QByteArray("1") << IdEncoding::Auto << QByteArray("00000000000000000000000000000001");
        QTest::newRow("17 hex crosses the halves") << QByteArray("1ffffffffffffffff") << IdEncoding::Auto
                                                   << QByteArray("0000000000000001ffffffffffffffff");
        QTest::newRow("all f") << QByteArray("ffffffffffffffffffffffffffffffff") << IdEncoding::Auto
                               << QByteArray("ffffffffffffffffffffffffffffffff");
        QTest::newRow("xray") << QByteArray("1-5759e988-bd862e3fe1be46a994272793") << IdEncoding::Auto
                              << QByteArray("5759e988bd862e3fe1be46a994272793");
        QTest::newRow("xray explicit") << QByteArray("1-5759e988-bd862e3fe1be46a994272793") << IdEncoding::XRay
                                       << QByteArray("5759e988bd862e3fe1be46a994272793");
        QTest::newRow("xray upper") << QByteArray("1-5759E988-BD862E3FE1BE46A994272793") << IdEncoding::Auto
                                    << QByteArray("5759e988bd862e3fe1be46a994272793");
        QTest::newRow("base64 padded") << QByteArray("AAAAAAAAAADW6TKdZ7YUaw==") << IdEncoding::Auto
                                       << QByteArray("0000000000000000d6e9329d67b6146b");
        QTest::newRow("base64 unpadded") << QByteArray("S/kvNXezTaajzpKdDg5HNg") << IdEncoding::Auto
                                         << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("base64 explicit") << QByteArray("S/kvNXezTaajzpKdDg5HNg==") << IdEncoding::Base64
                                         << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("base64 url-safe") << QByteArray("S_kvNXezTaajzpKdDg5HNg==") << IdEncoding::Auto
                                         << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736");
        QTest::newRow("datadog decimal") << QByteArray("1234567890123456789") << IdEncoding::Decimal
                                         << QByteArray("0000000000000000112210f47de98115");
        QTest::newRow("datadog above 2^63") << QByteArray("9223372036854775808") << IdEncoding::Decimal
                                            << QByteArray("00000000000000008000000000000000");
        QTest::newRow("datadog 2^64-1") << QByteArray("18446744073709551615") << IdEncoding::Decimal
                                        << QByteArray("0000000000000000ffffffffffffffff");
        QTest::newRow("datadog leading zeros") << QByteArray("00000000000000000001") << IdEncoding::Decimal
                                               << QByteArray("00000000000000000000000000000001");
    }

    void traceIdValid()
    {
        QFETCH(QByteArray, text);
        QFETCH(IdEncoding, encoding);
        QFETCH(QByteArray, hex);
        auto id = parseTraceId(view(text), encoding);
        QVERIFY2(id.ok(), id.ok() ? "" : id.error().message().c_str());
        QVERIFY(id->isValid());
        QCOMPARE(QByteArray::fromStdString(id->toHex()), hex);
        // The normalised form reads back to the same id, in both text forms.
        auto again = parseTraceId(id->toHex(), IdEncoding::Hex);
        QVERIFY(again.ok());
        QCOMPARE(*again, *id);
        auto viaXRay = parseTraceId(id->toXRay());
        QVERIFY2(viaXRay.ok(), id->toXRay().c_str());
        QCOMPARE(*viaXRay, *id);
        unsigned char bytes[16];
        id->toBytes(bytes);
        QCOMPARE(TraceId::fromBytes(bytes), *id);
    }

    void traceIdInvalid_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<IdEncoding>("encoding");
        QTest::addColumn<QString>("why");

        QTest::newRow("empty") << QByteArray("") << IdEncoding::Auto << "empty";
        QTest::newRow("empty decimal") << QByteArray("") << IdEncoding::Decimal << "empty";
        QTest::newRow("all zero") << QByteArray("00000000000000000000000000000000") << IdEncoding::Auto << "all-zero";
        QTest::newRow("zero") << QByteArray("0") << IdEncoding::Auto << "all-zero";
        QTest::newRow("zero decimal") << QByteArray("0") << IdEncoding::Decimal << "all-zero";
        QTest::newRow("zero base64") << QByteArray("AAAAAAAAAAAAAAAAAAAAAA==") << IdEncoding::Auto << "all-zero";
        QTest::newRow("33 hex") << QByteArray("4bf92f3577b34da6a3ce929d0e0e47361") << IdEncoding::Auto << "more than 32 hex digits";
        QTest::newRow("64 hex") << QByteArray(64, 'a') << IdEncoding::Hex << "more than 32 hex digits";
        QTest::newRow("non-hex") << QByteArray("4bf92f3577b34da6a3ce929d0e0e473g") << IdEncoding::Auto << "expected 1 to 32 hex digits";
        QTest::newRow("0x prefix") << QByteArray("0x1234") << IdEncoding::Auto << "hex digits";
        QTest::newRow("dashes uuid") << QByteArray("4bf92f35-77b3-4da6-a3ce-929d0e0e4736") << IdEncoding::Auto << "hex digits";
        QTest::newRow("space") << QByteArray(" 4bf92f3577b34da6") << IdEncoding::Auto << "hex digits";
        QTest::newRow("xray bad version") << QByteArray("2-5759e988-bd862e3fe1be46a994272793") << IdEncoding::XRay << "X-Ray";
        QTest::newRow("xray short") << QByteArray("1-5759e988-bd862e3fe1be46a99427279") << IdEncoding::XRay << "X-Ray";
        QTest::newRow("xray non-hex") << QByteArray("1-5759e98z-bd862e3fe1be46a994272793") << IdEncoding::Auto << "non-hex";
        QTest::newRow("base64 wrong length") << QByteArray("AAAAAAAAAADW6TKdZ7YU") << IdEncoding::Base64 << "base64 of 16 bytes";
        QTest::newRow("base64 bad char") << QByteArray("AAAAAAAAAADW6TKdZ7Y*aw==") << IdEncoding::Base64 << "base64 of 16 bytes";
        QTest::newRow("decimal overflow") << QByteArray("18446744073709551616") << IdEncoding::Decimal << "larger than 64 bits";
        QTest::newRow("decimal far overflow") << QByteArray("99999999999999999999") << IdEncoding::Decimal << "larger than 64 bits";
        QTest::newRow("decimal too long") << QByteArray("184467440737095516150") << IdEncoding::Decimal << "longer than 20 digits";
        QTest::newRow("decimal hex digits") << QByteArray("12ab") << IdEncoding::Decimal << "decimal";
        QTest::newRow("decimal negative") << QByteArray("-5") << IdEncoding::Decimal << "decimal";
    }

    void traceIdInvalid()
    {
        QFETCH(QByteArray, text);
        QFETCH(IdEncoding, encoding);
        QFETCH(QString, why);
        auto id = parseTraceId(view(text), encoding);
        QVERIFY2(!id.ok(), id.ok() ? id->toHex().c_str() : "");
        const QString message = QString::fromStdString(id.error().message());
        QVERIFY2(message.contains(why), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("trace id")), qPrintable(message));
        QVERIFY2(message.contains(QString::fromLatin1("\"" + text.left(80) + "\"")), qPrintable(message));
    }

    void spanIdValid_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<IdEncoding>("encoding");
        QTest::addColumn<quint64>("value");
        QTest::newRow("16 hex") << QByteArray("00f067aa0ba902b7") << IdEncoding::Auto << quint64(0x00f067aa0ba902b7ULL);
        QTest::newRow("upper") << QByteArray("00F067AA0BA902B7") << IdEncoding::Auto << quint64(0x00f067aa0ba902b7ULL);
        QTest::newRow("short") << QByteArray("abc") << IdEncoding::Auto << quint64(0xabc);
        QTest::newRow("high bit") << QByteArray("ffffffffffffffff") << IdEncoding::Auto << quint64(~0ULL);
        QTest::newRow("base64") << QByteArray("APBnqgupArc=") << IdEncoding::Auto << quint64(0x00f067aa0ba902b7ULL);
        QTest::newRow("base64 explicit") << QByteArray("APBnqgupArc=") << IdEncoding::Base64 << quint64(0x00f067aa0ba902b7ULL);
        QTest::newRow("decimal") << QByteArray("67667974448284343") << IdEncoding::Decimal << quint64(67667974448284343ULL);
        QTest::newRow("decimal max") << QByteArray("18446744073709551615") << IdEncoding::Decimal << quint64(~0ULL);
    }

    void spanIdValid()
    {
        QFETCH(QByteArray, text);
        QFETCH(IdEncoding, encoding);
        QFETCH(quint64, value);
        auto id = parseSpanId(view(text), encoding);
        QVERIFY2(id.ok(), id.ok() ? "" : id.error().message().c_str());
        QCOMPARE(quint64(id->value), value);
        QCOMPARE(id->toHex().size(), size_t(16));
        auto back = parseSpanId(id->toHex(), IdEncoding::Hex);
        QVERIFY(back.ok());
        QCOMPARE(*back, *id);
    }

    void spanIdInvalid_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<IdEncoding>("encoding");
        QTest::addColumn<QString>("why");
        QTest::newRow("empty") << QByteArray("") << IdEncoding::Auto << "empty";
        QTest::newRow("zero") << QByteArray("0000000000000000") << IdEncoding::Auto << "all-zero";
        QTest::newRow("17 hex") << QByteArray("100f067aa0ba902b7") << IdEncoding::Auto << "more than 16 hex digits";
        QTest::newRow("trace-length") << QByteArray("4bf92f3577b34da6a3ce929d0e0e4736") << IdEncoding::Auto << "more than 16";
        QTest::newRow("non-hex") << QByteArray("00f067aa0ba902bz") << IdEncoding::Auto << "hex digits";
        QTest::newRow("base64 of 16 bytes") << QByteArray("S/kvNXezTaajzpKdDg5HNg==") << IdEncoding::Base64 << "base64 of 8 bytes";
        QTest::newRow("decimal overflow") << QByteArray("18446744073709551616") << IdEncoding::Decimal << "larger than 64 bits";
        QTest::newRow("decimal junk") << QByteArray("12x") << IdEncoding::Decimal << "decimal";
        QTest::newRow("xray is no span id") << QByteArray("1-5759e988-bd862e3fe1be46a994272793") << IdEncoding::Auto << "span id";
    }

    void spanIdInvalid()
    {
        QFETCH(QByteArray, text);
        QFETCH(IdEncoding, encoding);
        QFETCH(QString, why);
        auto id = parseSpanId(view(text), encoding);
        QVERIFY2(!id.ok(), id.ok() ? id->toHex().c_str() : "");
        const QString message = QString::fromStdString(id.error().message());
        QVERIFY2(message.contains(why), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("span id")), qPrintable(message));
    }

    void xrayRoundTrip()
    {
        const QByteArray xray("1-5759e988-bd862e3fe1be46a994272793");
        auto id = parseTraceId(view(xray));
        QVERIFY(id.ok());
        QCOMPARE(QByteArray::fromStdString(id->toXRay()), xray);
        QCOMPARE(id->high, quint64(0x5759e988bd862e3fULL));
        QCOMPARE(id->low, quint64(0xe1be46a994272793ULL));
    }

    void orderingAndHash()
    {
        const TraceId a{0, 5}, b{1, 0}, c{1, 0};
        QVERIFY(a < b);
        QCOMPARE(b, c);
        QVERIFY(SpanId{1} < SpanId{2});
        QVERIFY(!TraceId{}.isValid());
        QVERIFY(!SpanId{}.isValid());
        std::unordered_set<TraceId> set{a, b, c};
        QCOMPARE(set.size(), size_t(2));
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
