// Resource normalisation: each source names the same service differently; a Resource holds the
// normalised fields and keeps the raw attributes it came from.

#include "core/Resource.h"

#include <QTest>

using namespace rootline;

Q_DECLARE_METATYPE(rootline::SourceKind)

namespace {
// "k=v;k=v" → Attributes (string values), in order.
Attributes attrs(const QString& spec)
{
    Attributes a;
    for (const QString& pair : spec.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(QLatin1Char('='));
        a.set(pair.left(eq).toStdString(), pair.mid(eq + 1).toStdString());
    }
    return a;
}
QString q(const std::string& s) { return QString::fromStdString(s); }
} // namespace

// Stored attributes in a shape Rootline does not write itself (spaces, null, a nested array, an
// integer beyond int64, an escaped key). Not a raw string: moc cannot parse this one.
static constexpr const char* kForeignAttributes =
    " { \"n\" : null , \"arr\" : [1, {\"y\":2}] , \"big\" : 18446744073709551615 , \"k\\\"ey\" : \"v\\u00e9\" , \"f\" : 2.5e3 } ";
class TestResource : public QObject {
    Q_OBJECT

private slots:
    void normalise_data()
    {
        QTest::addColumn<QString>("attributes");
        QTest::addColumn<SourceKind>("kind");
        QTest::addColumn<QString>("service");
        QTest::addColumn<QString>("ns");
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("pod");
        QTest::addColumn<QString>("container");

        QTest::newRow("otel full")
            << "service.name=checkout;service.namespace=shop;service.version=1.4.2;deployment.environment.name=prod;"
               "host.name=node-7;k8s.pod.name=checkout-5d9f;k8s.container.name=app"
            << SourceKind::Otlp << "checkout" << "shop" << "1.4.2" << "prod" << "node-7" << "checkout-5d9f" << "app";
        QTest::newRow("otel old env key") << "service.name=cart;deployment.environment=staging" << SourceKind::Otlp << "cart" << ""
                                          << "" << "staging" << "" << "" << "";
        QTest::newRow("otel new env key wins") << "service.name=cart;deployment.environment=old;deployment.environment.name=new"
                                               << SourceKind::Otlp << "cart" << "" << "" << "new" << "" << "" << "";
        QTest::newRow("otel k8s namespace") << "service.name=cart;k8s.namespace.name=shop" << SourceKind::Otlp << "cart" << "shop"
                                            << "" << "" << "" << "" << "";
        QTest::newRow("prometheus job ns/svc") << "job=shop/payments;instance=10.0.0.5:9090" << SourceKind::Prometheus << "payments"
                                               << "shop" << "" << "" << "10.0.0.5:9090" << "" << "";
        QTest::newRow("prometheus job plain") << "job=node_exporter;instance=host-1:9100" << SourceKind::Prometheus << "node_exporter"
                                              << "" << "" << "" << "host-1:9100" << "" << "";
        QTest::newRow("prometheus namespace label wins over job prefix")
            << "job=shop/payments;namespace=prod-shop" << SourceKind::Prometheus << "payments" << "prod-shop" << "" << "" << "" << ""
            << "";
        QTest::newRow("prometheus job beats container label")
            << "container=payments-sidecar;job=shop/payments" << SourceKind::Prometheus << "payments" << "shop" << "" << "" << ""
            << "" << "";
        QTest::newRow("prometheus service label beats job")
            << "job=shop/payments;service=payments-api" << SourceKind::Prometheus << "payments-api" << "" << "" << "" << "" << ""
            << "";
        QTest::newRow("job slash ignored for otlp") << "job=shop/payments" << SourceKind::Otlp << "shop/payments" << "" << "" << ""
                                                    << "" << "" << "";
        QTest::newRow("loki service_name") << "service_name=frontend;namespace=web;pod=frontend-abc;env=prod" << SourceKind::Loki
                                           << "frontend" << "web" << "" << "prod" << "" << "frontend-abc" << "";
        QTest::newRow("loki app") << "app=frontend;pod_name=frontend-1" << SourceKind::Loki << "frontend" << "" << "" << "" << ""
                                  << "frontend-1" << "";
        QTest::newRow("loki service_name beats app") << "app=legacy;service_name=frontend" << SourceKind::Loki << "frontend" << ""
                                                     << "" << "" << "" << "" << "";
        QTest::newRow("loki job ns/svc") << "job=web/frontend;filename=/var/log/x.log" << SourceKind::Loki << "frontend" << "web"
                                         << "" << "" << "" << "" << "";
        QTest::newRow("jaeger serviceName") << "serviceName=driver;hostname=h1;version=2" << SourceKind::Jaeger << "driver" << ""
                                            << "2" << "" << "h1" << "" << "";
        QTest::newRow("k8s app label") << "app.kubernetes.io/name=api;app.kubernetes.io/version=3.1" << SourceKind::Otlp << "api"
                                       << "" << "3.1" << "" << "" << "" << "";
        QTest::newRow("container stands in for service")
            << "container=worker" << SourceKind::Otlp << "worker" << "" << "" << "" << "" << "" << "";
        QTest::newRow("container name kept when service given")
            << "service.name=worker;container.name=worker" << SourceKind::Otlp << "worker" << "" << "" << "" << "" << "" << "worker";
        QTest::newRow("empty service.name falls through") << "service.name=;app=fallback" << SourceKind::Otlp << "fallback" << ""
                                                          << "" << "" << "" << "" << "";
        QTest::newRow("nothing says") << "region=eu-west-1" << SourceKind::CloudWatch << "unknown_service" << "" << "" << "" << ""
                                      << "" << "";
        QTest::newRow("empty") << "" << SourceKind::File << "unknown_service" << "" << "" << "" << "" << "" << "";
    }

    void normalise()
    {
        QFETCH(QString, attributes);
        QFETCH(SourceKind, kind);
        const Attributes raw = attrs(attributes);
        const Resource r = Resource::fromAttributes(raw, kind);
        QTEST(q(r.serviceName), "service");
        QTEST(q(r.serviceNamespace), "ns");
        QTEST(q(r.serviceVersion), "version");
        QTEST(q(r.environment), "env");
        QTEST(q(r.host), "host");
        QTEST(q(r.pod), "pod");
        QTEST(q(r.container), "container");
        // Everything the source said is kept as it said it.
        QCOMPARE(r.raw, raw);
        QCOMPARE(r.raw.size(), raw.size());
    }

    void nonStringValues()
    {
        Attributes a;
        a.set("service.name", std::string("api"));
        a.set("service.version", int64_t(7));
        a.set("host.name", true);
        const Resource r = Resource::fromAttributes(a);
        QCOMPARE(q(r.serviceVersion), QStringLiteral("7"));
        QCOMPARE(q(r.host), QStringLiteral("true"));
        QVERIFY(std::holds_alternative<int64_t>(*r.raw.find("service.version")));
    }

    void keyEquality()
    {
        const Resource a = Resource::fromAttributes(attrs(QStringLiteral("service.name=api;host.name=h1;extra=1")));
        const Resource b = Resource::fromAttributes(attrs(QStringLiteral("host.name=h1;service.name=api;other=2")));
        const Resource c = Resource::fromAttributes(attrs(QStringLiteral("service.name=api;host.name=h2")));
        const Resource d = Resource::fromAttributes(attrs(QStringLiteral("service.name=api;service.namespace=h1")));
        const Resource e = Resource::fromAttributes(attrs(QStringLiteral("service.name=api;host.name=h1")));
        // Same normalised fields → same key, whatever the raw order or extra attributes.
        QCOMPARE(a.key(), b.key());
        QVERIFY(a == b);
        QVERIFY(!(a == c));
        // The key separates fields: "api" + host "h1" is not "api" + namespace "h1".
        QVERIFY(a.key() != d.key());
        QVERIFY(a == e);
        // Prometheus "shop/payments" and OTel service.name=payments, service.namespace=shop are one service.
        const Resource prom = Resource::fromAttributes(attrs(QStringLiteral("job=shop/payments")), SourceKind::Prometheus);
        const Resource otel = Resource::fromAttributes(attrs(QStringLiteral("service.name=payments;service.namespace=shop")));
        QCOMPARE(prom.key(), otel.key());
    }

    void makeResourceShares()
    {
        const ResourcePtr p = makeResource(attrs(QStringLiteral("service.name=api")));
        QVERIFY(p);
        QCOMPARE(q(p->serviceName), QStringLiteral("api"));
        const ResourcePtr copy = p;
        QCOMPARE(p.use_count(), 2);
    }

    void attributesJsonRoundTrip()
    {
        Attributes a;
        a.set("s", std::string("caf\xC3\xA9 \"quoted\"\n\ttab \x01"));
        a.set("i", int64_t(-9007199254740993));
        a.set("d", 0.1);
        a.set("b", false);
        a.set("nested", JsonText{R"({"x":[1,2]})"});
        a.set("nan", std::nan(""));
        const std::string json = a.toJson();
        const Attributes back = Attributes::fromJson(json);
        QCOMPARE(back.size(), a.size());
        QCOMPARE(std::get<std::string>(*back.find("s")), std::get<std::string>(*a.find("s")));
        QCOMPARE(std::get<int64_t>(*back.find("i")), int64_t(-9007199254740993));
        QCOMPARE(std::get<double>(*back.find("d")), 0.1);
        QCOMPARE(std::get<bool>(*back.find("b")), false);
        QCOMPARE(q(std::get<JsonText>(*back.find("nested")).text), QStringLiteral(R"({"x":[1,2]})"));
        QCOMPARE(q(std::get<std::string>(*back.find("nan"))), QStringLiteral("NaN")); // JSON has no NaN
        // set() replaces in place and keeps the order.
        a.set("s", std::string("new"));
        QCOMPARE(a.begin()->key, std::string("s"));
        QCOMPARE(q(*a.text("s")), QStringLiteral("new"));
        QVERIFY(!a.text("missing"));
        QCOMPARE(QByteArray::fromStdString(Attributes().toJson()), QByteArray("{}"));
        QVERIFY(Attributes::fromJson("not json").empty());
    }

    // What the reader makes of stored JSON it did not write itself (older caches, bundles).
    void attributesFromJsonShapes()
    {
        const Attributes a = Attributes::fromJson(kForeignAttributes);
        QCOMPARE(a.size(), size_t(5));
        QCOMPARE(q(std::get<JsonText>(*a.find("n")).text), QStringLiteral("null"));
        QCOMPARE(q(std::get<JsonText>(*a.find("arr")).text), QStringLiteral("[1, {\"y\":2}]"));
        QCOMPARE(std::get<double>(*a.find("big")), 18446744073709551615.0); // beyond int64: a double
        QCOMPARE(QString::fromStdString(*a.text("k\"ey")), QString::fromUtf8("v\xC3\xA9"));
        QCOMPARE(std::get<double>(*a.find("f")), 2500.0);
        QCOMPARE(a.begin()->key, std::string("n")); // stored order kept
        QVERIFY(Attributes::fromJson("{\"a\":1,\"b\":").empty()); // truncated: nothing, not half (no raw string: moc counts its braces)
        QVERIFY(Attributes::fromJson("[1,2]").empty());
        QVERIFY(Attributes::fromJson("").empty());
        QVERIFY(Attributes::fromJson("{}").empty());
    }

    void invalidUtf8StaysReadable_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("expected");
        const QString r = QString(QChar(0xFFFD));
        QTest::newRow("latin-1 byte") << QByteArray("caf\xE9!") << QStringLiteral("caf") + r + QStringLiteral("!");
        QTest::newRow("lone continuation") << QByteArray("a\x80" "b") << QStringLiteral("a") + r + QStringLiteral("b");
        QTest::newRow("truncated sequence at end") << QByteArray("ok\xC3") << QStringLiteral("ok") + r;
        QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << r + r;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << r + r + r;
        QTest::newRow("valid 4-byte") << QByteArray("\xF0\x9F\x9A\x80") << QString::fromUtf8("\xF0\x9F\x9A\x80");
        QTest::newRow("valid mixed") << QByteArray("na\xC3\xAFve \xE6\x97\xA5") << QString::fromUtf8("na\xC3\xAFve \xE6\x97\xA5");
    }

    void invalidUtf8StaysReadable()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, expected);
        Attributes a;
        a.set("before", std::string("kept"));
        a.set("bad", raw.toStdString());
        a.set("after", int64_t(1));
        const Attributes back = Attributes::fromJson(a.toJson());
        QCOMPARE(back.size(), size_t(3)); // one bad value must not lose the whole set
        QCOMPARE(QString::fromStdString(*back.text("bad")), expected);
        QCOMPARE(QString::fromStdString(*back.text("before")), QStringLiteral("kept"));
    }
};

QTEST_GUILESS_MAIN(TestResource)
#include "tst_resource.moc"
