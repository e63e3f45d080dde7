// The credential scrubber (bundle/SecretScrubber.h) and the redactor built on it: every form a
// secret takes in a log line is masked, in text and in attributes; ordinary lines are not touched;
// a mask keeps JSON valid and masking twice changes nothing.

#include "bundle/Redactor.h"
#include "bundle/SecretScrubber.h"
#include "support/SecretForms.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace rootline;

using rootline::test::kOrdinaryLines;
using rootline::test::kSecretForms;
using rootline::test::SecretForm;

class TestSecretScrubber : public QObject {
    Q_OBJECT

private slots:
    void everyFormIsMasked_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("secret");
        for (const SecretForm& f : kSecretForms)
            QTest::newRow(f.name) << QString::fromUtf8(f.line) << QString::fromUtf8(f.secret);
    }
    void everyFormIsMasked()
    {
        QFETCH(QString, line);
        QFETCH(QString, secret);
        QVERIFY(line.contains(secret)); // the row would prove nothing otherwise
        const std::string out = scrubSecrets(line.toStdString());
        QVERIFY2(out.find(secret.toStdString()) == std::string::npos, out.c_str());
        QVERIFY2(out.find(kSecretMask) != std::string::npos, out.c_str());
        QCOMPARE(scrubSecrets(out), out); // masking twice changes nothing

        // The redactor (export --redact) masks it in a body and in string and nested attributes.
        auto redactor = Redactor::create(defaultRedactionRules());
        QVERIFY(redactor.ok());
        std::string body = line.toStdString();
        QVERIFY(redactor->apply(body));
        QVERIFY2(body.find(secret.toStdString()) == std::string::npos, body.c_str());
        const QByteArray nested = QJsonDocument(QJsonObject{{QStringLiteral("msg"), line}}).toJson(QJsonDocument::Compact);
        Attributes attributes{{"detail", line.toStdString()}, {"nested", JsonText{nested.toStdString()}}};
        QVERIFY(redactor->apply(attributes));
        const std::string json = attributes.toJson();
        QVERIFY2(json.find(secret.toStdString()) == std::string::npos, json.c_str());
        QVERIFY2(attributes.text("detail")->find(kSecretMask) != std::string::npos, json.c_str());
        // A mask never breaks the JSON it sits in.
        QJsonParseError error;
        QJsonDocument::fromJson(QByteArray::fromStdString(attributes.text("nested").value_or("")), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
    }

    void ordinaryLinesAreUntouched_data()
    {
        QTest::addColumn<QString>("line");
        for (const char* line : kOrdinaryLines)
            QTest::newRow(line) << QString::fromUtf8(line);
    }
    void ordinaryLinesAreUntouched()
    {
        QFETCH(QString, line);
        const std::string text = line.toStdString();
        QCOMPARE(scrubSecrets(text), text);
        auto redactor = Redactor::create(defaultRedactionRules());
        QVERIFY(redactor.ok());
        std::string body = text;
        QVERIFY(!redactor->apply(body));
        QCOMPARE(body, text);
        Attributes attributes{{"message", text}, {"retries", int64_t(3)}, {"auth.enabled", true}};
        const Attributes before = attributes;
        QVERIFY(!redactor->apply(attributes));
        QVERIFY(attributes == before);
    }

    // An attribute whose key names a secret is masked whole: its text has no "password=" to find.
    void attributesNamedAfterSecrets()
    {
        auto redactor = Redactor::create(defaultRedactionRules());
        QVERIFY(redactor.ok());
        Attributes attributes{{"password", std::string("AttrPw-1")},
                              {"http.request.header.authorization", JsonText{R"(["Bearer AttrTok-2"])"}},
                              {"db.api_key", int64_t(424242)},
                              {"auth.enabled", true},
                              {"service.name", std::string("payment")}};
        QVERIFY(redactor->apply(attributes));
        const std::string json = attributes.toJson();
        QVERIFY2(json.find("AttrPw-1") == std::string::npos, json.c_str());
        QVERIFY2(json.find("AttrTok-2") == std::string::npos, json.c_str());
        QVERIFY2(json.find("424242") == std::string::npos, json.c_str());
        QCOMPARE(attributes.text("password").value_or(""), std::string(kSecretMask));
        QCOMPARE(attributes.text("auth.enabled").value_or(""), std::string("true"));
        QCOMPARE(attributes.text("service.name").value_or(""), std::string("payment"));
    }

    void secretNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("secret");
        for (const char* n : {"password", "Password", "db_password", "PASSWD", "pwd", "client_secret", "access_token", "X-Api-Key", "apikey",
                              "aws_secret_access_key", "X-Amz-Security-Token", "http.request.header.authorization", "Set-Cookie", "auth",
                              "X-Amz-Signature"})
            QTest::newRow(n) << QString::fromUtf8(n) << true;
        for (const char* n : {"password_env", "token_env", "token_count", "tokens", "author", "keyring", "user", "service.name", "url"})
            QTest::newRow(n) << QString::fromUtf8(n) << false;
    }
    void secretNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, secret);
        QCOMPARE(isSecretName(name.toStdString()), secret);
    }

    // Values the caller sent are masked however the server echoes them back.
    void knownSecretsInEveryEncoding()
    {
        const std::string token = "tok/en+value 42";
        const std::string text = "raw tok/en+value 42, url tok%2Fen%2Bvalue%2042, json \"tok\\/en+value 42\", short ab";
        const std::string out = scrubSecrets(text, {token, "ab"});
        QVERIFY2(out.find("tok") == std::string::npos, out.c_str());
        QVERIFY2(out.find("ab") != std::string::npos, out.c_str()); // too short to mask without hiding the message
        QCOMPARE(QString::fromStdString(out).count(QString::fromUtf8(kSecretMask.data(), qsizetype(kSecretMask.size()))), 3);
    }

    // User patterns still work beside the built-in rules.
    void userPatterns()
    {
        auto rules = defaultRedactionRules();
        rules.push_back({"order", R"(ord-[0-9a-f]{8})", "ord-[redacted]"});
        auto r = Redactor::create(rules);
        QVERIFY(r.ok());
        std::string text = "order ord-1234abcd failed for password=OrdPw-9 from 10.1.2.3";
        QVERIFY(r->apply(text));
        QCOMPARE(text, std::string("order ord-[redacted] failed for password=[REDACTED] from [ipv4]"));
    }
};

QTEST_GUILESS_MAIN(TestSecretScrubber)
#include "tst_secret_scrubber.moc"
