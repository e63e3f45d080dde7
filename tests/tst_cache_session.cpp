// CacheSession: worker jobs deliver plain values on the UI thread, and a result is dropped when
// its receiver is gone, its job was cancelled, or another cache was opened; "loaded" fires once
// every job started since open() has finished. A bad file is an error value.
#include "CacheSession.h"
#include "UiTestCache.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace rootline;

class TestCacheSession : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("s.rootline"));
        QVERIFY(uitest::writeUiTestCache(m_path).ok());
    }

    void opensAndLoadsTheOverview()
    {
        CacheSession session;
        QSignalSpy overview(&session, &CacheSession::overviewReady);
        QSignalSpy loaded(&session, &CacheSession::loaded);
        QVERIFY(session.open(m_path).ok());
        QVERIFY(session.reader());
        QVERIFY(session.isLoading());
        QVERIFY(loaded.wait(30'000));
        QCOMPARE(overview.count(), 1);
        QVERIFY(session.isLoaded());
        QCOMPARE(session.overview()->logs, int64_t(uitest::kLogs));
        QCOMPARE(int(session.overview()->services.size()), 3);
    }

    void badFileIsAnError()
    {
        const QString bad = m_dir.filePath(QStringLiteral("bad.rootline"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("garbage");
        f.close();
        CacheSession session;
        QSignalSpy opened(&session, &CacheSession::opened);
        auto status = session.open(bad);
        QVERIFY(!status.ok());
        QVERIFY(!session.isOpen());
        QCOMPARE(opened.count(), 0);
    }

    void deliversOnTheUiThread()
    {
        CacheSession session;
        QVERIFY(session.open(m_path).ok());
        QObject receiver;
        std::optional<int64_t> got;
        QThread* deliveredOn = nullptr;
        QThread* ranOn = nullptr;
        session.run<int64_t>(
            &receiver,
            [&ranOn](CacheReader& reader, const std::atomic_bool&) {
                ranOn = QThread::currentThread();
                return reader.countLogs(LogQuery{});
            },
            [&](Result<int64_t> n) {
                deliveredOn = QThread::currentThread();
                got = n.ok() ? *n : -1;
            });
        QTRY_VERIFY(got.has_value());
        QCOMPARE(*got, int64_t(uitest::kLogs));
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY(ranOn != QThread::currentThread());
    }

    void dropsWhenCancelledOrReceiverGoneOrReopened()
    {
        CacheSession session;
        QVERIFY(session.open(m_path).ok());
        QSignalSpy loaded(&session, &CacheSession::loaded);
        int delivered = 0;
        auto count = [](CacheReader& reader, const std::atomic_bool&) { return reader.countLogs(LogQuery{}); };
        auto onDone = [&delivered](Result<int64_t>) { ++delivered; };

        auto flag = session.run<int64_t>(this, count, onDone);
        flag->store(true); // superseded
        auto* receiver = new QObject;
        session.run<int64_t>(receiver, count, onDone);
        delete receiver; // the pane went away
        session.run<int64_t>(this, count, onDone); // this one arrives
        QVERIFY(loaded.wait(30'000));
        QCOMPARE(delivered, 1);

        // A job of the previous cache never reaches the new one's receivers.
        session.run<int64_t>(this, count, onDone);
        QVERIFY(session.open(m_path).ok());
        QVERIFY(loaded.wait(30'000));
        QCOMPARE(delivered, 1);
    }

    void errorsAreDeliveredAndReported()
    {
        CacheSession session;
        QVERIFY(session.open(m_path).ok());
        QSignalSpy failed(&session, &CacheSession::jobFailed);
        std::optional<std::string> what;
        session.run<int64_t>(
            this, [](CacheReader&, const std::atomic_bool&) -> Result<int64_t> { return Error{"test", "went wrong", "try again"}; },
            [&what](Result<int64_t> r) { what = r.ok() ? std::string() : r.error().what; });
        QTRY_VERIFY(what.has_value());
        QCOMPARE(*what, std::string("went wrong"));
        QCOMPARE(failed.count(), 1);
    }
};

QTEST_MAIN(TestCacheSession)
#include "tst_cache_session.moc"
