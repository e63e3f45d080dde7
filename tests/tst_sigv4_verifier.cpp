// The fake AWS server's SigV4 verifier, checked against requests libcurl 7.88.1 really signed
// (fixtures/aws/sigv4-libcurl-7.88.1-signed-requests.json, AWS's public example credentials):
// if the verifier accepts those and rejects any tampering, a connector test that passes it proves
// the connector's signature is right.

#include "support/SigV4Verifier.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rootline::test;

class TstSigV4Verifier : public QObject {
    Q_OBJECT

    QJsonObject m_fixture;

    SignedRequest request(int index) const
    {
        const QJsonObject r = m_fixture.value(QStringLiteral("requests")).toArray().at(index).toObject();
        SignedRequest s;
        s.method = r.value(QStringLiteral("method")).toString().toLatin1();
        s.path = r.value(QStringLiteral("path")).toString().toLatin1();
        s.body = r.value(QStringLiteral("body")).toString().toUtf8();
        for (const auto& h : r.value(QStringLiteral("headers")).toArray())
            s.headers.append({h.toArray().at(0).toString().toLatin1(), h.toArray().at(1).toString().toLatin1()});
        return s;
    }
    SigV4Expectation expectation() const
    {
        const QJsonObject c = m_fixture.value(QStringLiteral("credentials")).toObject();
        SigV4Expectation e;
        e.accessKeyId = c.value(QStringLiteral("access_key_id")).toString().toLatin1();
        e.secretAccessKey = c.value(QStringLiteral("secret_access_key")).toString().toLatin1();
        return e;
    }
    static void setHeader(SignedRequest& r, const QByteArray& name, const QByteArray& value)
    {
        for (auto& h : r.headers)
            if (h.first.toLower() == name.toLower())
                h.second = value;
    }

private slots:
    void initTestCase()
    {
        QFile f(QStringLiteral(ROOTLINE_FIXTURES "/aws/sigv4-libcurl-7.88.1-signed-requests.json"));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        m_fixture = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(m_fixture.value(QStringLiteral("requests")).toArray().size(), 4);
    }

    void capturedRequestsVerify_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QByteArray>("region");
        QTest::addColumn<QByteArray>("service");
        QTest::newRow("logs FilterLogEvents") << 0 << QByteArray("us-east-1") << QByteArray("logs");
        QTest::newRow("monitoring GetMetricData + session token") << 1 << QByteArray("eu-west-1") << QByteArray("monitoring");
        QTest::newRow("xray GetTraceSummaries") << 2 << QByteArray("us-east-1") << QByteArray("xray");
        QTest::newRow("GET with raw unsorted query (as 7.88.1 signs it)") << 3 << QByteArray("us-east-1") << QByteArray("monitoring");
    }
    void capturedRequestsVerify()
    {
        QFETCH(int, index);
        QFETCH(QByteArray, region);
        QFETCH(QByteArray, service);
        SigV4Expectation e = expectation();
        e.region = region;
        e.service = service;
        const SigV4Result r = SigV4Verifier::verify(request(index), e);
        QVERIFY2(r.ok, qPrintable(r.reason));
        QCOMPARE(r.region, region);
        QCOMPARE(r.service, service);
    }

    void knownCanonicalRequest()
    {
        // Independently written out from the spec for fixture request 2 (X-Ray).
        const SignedRequest r = request(2);
        const QByteArray c = SigV4Verifier::canonicalRequest(r, {"content-type", "host", "x-amz-date"});
        QVERIFY(c.startsWith("POST\n/TraceSummaries\n\ncontent-type:application/json\nhost:127.0.0.1:18083\nx-amz-date:20261122T103016Z\n\ncontent-type;host;x-amz-date\n"));
        QCOMPARE(c.right(64), QCryptographicHash::hash(r.body, QCryptographicHash::Sha256).toHex());
    }

    void tamperedRequestsFail_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("body") << QStringLiteral("body");
        QTest::newRow("signed header value") << QStringLiteral("target");
        QTest::newRow("x-amz-date") << QStringLiteral("date");
        QTest::newRow("path") << QStringLiteral("path");
        QTest::newRow("method") << QStringLiteral("method");
        QTest::newRow("secret") << QStringLiteral("secret");
        QTest::newRow("access key") << QStringLiteral("akid");
        QTest::newRow("region") << QStringLiteral("region");
        QTest::newRow("no authorization") << QStringLiteral("noauth");
        QTest::newRow("signed header removed") << QStringLiteral("dropheader");
    }
    void tamperedRequestsFail()
    {
        QFETCH(QString, what);
        SignedRequest r = request(0);
        SigV4Expectation e = expectation();
        if (what == QLatin1String("body"))
            r.body.replace("10000", "10001");
        else if (what == QLatin1String("target"))
            setHeader(r, "X-Amz-Target", "Logs_20140328.GetLogEvents");
        else if (what == QLatin1String("date"))
            setHeader(r, "X-Amz-Date", "20261122T103017Z");
        else if (what == QLatin1String("path"))
            r.path = "/x";
        else if (what == QLatin1String("method"))
            r.method = "PUT";
        else if (what == QLatin1String("secret"))
            e.secretAccessKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ";
        else if (what == QLatin1String("akid"))
            e.accessKeyId = "AKIDOTHER";
        else if (what == QLatin1String("region"))
            e.region = "eu-west-1";
        else if (what == QLatin1String("noauth"))
            r.headers.removeIf([](const auto& h) { return h.first == "Authorization"; });
        else if (what == QLatin1String("dropheader"))
            r.headers.removeIf([](const auto& h) { return h.first == "X-Amz-Target"; });
        const SigV4Result result = SigV4Verifier::verify(r, e);
        QVERIFY2(!result.ok, qPrintable(what));
        QVERIFY(!result.reason.isEmpty());
    }

    void expiredSignatureRejectedWhenAsked()
    {
        SigV4Expectation e = expectation();
        e.maxSkewSeconds = 15 * 60;
        e.now = QDateTime(QDate(2026, 11, 22), QTime(10, 30, 16), Qt::UTC).addSecs(16 * 60);
        SigV4Result r = SigV4Verifier::verify(request(0), e);
        QVERIFY(!r.ok);
        QVERIFY2(r.reason.contains(QLatin1String("Signature expired")), qPrintable(r.reason));
        e.now = QDateTime(QDate(2026, 11, 22), QTime(10, 30, 16), Qt::UTC).addSecs(14 * 60);
        r = SigV4Verifier::verify(request(0), e);
        QVERIFY2(r.ok, qPrintable(r.reason));
    }

    void headerOrderAndCaseDoNotMatter()
    {
        SignedRequest r = request(1);
        std::reverse(r.headers.begin(), r.headers.end());
        for (auto& h : r.headers)
            h.first = h.first.toLower();
        const SigV4Result result = SigV4Verifier::verify(r, expectation());
        QVERIFY2(result.ok, qPrintable(result.reason));
    }
};

QTEST_GUILESS_MAIN(TstSigV4Verifier)
#include "tst_sigv4_verifier.moc"
