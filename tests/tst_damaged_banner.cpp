// The window on a cache that SQLite's quick_check finds damaged (issue 13, item 2): it shows what
// it can read, under a banner that says what is wrong and that nothing will be written; a sound
// cache shows no banner.

#include "MainWindow.h"
#include "CacheSession.h"
#include "UiTestCache.h"

#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace rootline;

class TestDamagedBanner : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void soundCacheHasNoBanner()
    {
        const QString path = m_dir.filePath(QStringLiteral("sound.rootline"));
        QVERIFY(uitest::writeUiTestCache(path).ok());
        MainWindow window;
        window.show();
        QVERIFY(window.openCache(path).ok());
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->isLoaded(), 30000);
        QVERIFY(window.session()->damage().isEmpty());
        QVERIFY(!window.damageBanner()->isVisible());
    }

    void damagedCacheShowsABanner()
    {
        const QString path = m_dir.filePath(QStringLiteral("damaged.rootline"));
        QVERIFY(uitest::writeUiTestCache(path).ok());
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.size() > 12 * 4096);
            QVERIFY(f.seek(9 * 4096)); // the header of a b-tree page in the middle, as a bad disk would
            QCOMPARE(f.write(QByteArray(64, '\xff')), qint64(64));
        }
        MainWindow window;
        window.show();
        QVERIFY(window.openCache(path).ok()); // still opens: what can be read is shown
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->damage().isEmpty(), 30000);
        QTRY_VERIFY(window.damageBanner()->isVisible());
        QVERIFY(window.damageBanner()->text().contains(QStringLiteral("damaged")));
        QVERIFY(window.damageBanner()->text().contains(QStringLiteral("will not write")));
    }
};

QTEST_MAIN(TestDamagedBanner)
#include "tst_damaged_banner.moc"
