// What an installed Rootline shows on its own: the About box with the versions of Rootline, its
// libraries and the cache schema; the start page when started with nothing to open, whose sample
// incident opens as the user's own copy under $XDG_DATA_HOME; and the recent-investigations list,
// kept in the settings under $XDG_CONFIG_HOME, which forgets files that have gone.

#include "AboutDialog.h"
#include "CacheSession.h"
#include "MainWindow.h"
#include "RecentInvestigations.h"
#include "WelcomePage.h"
#include "cache/Schema.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <map>
#include <memory>

using namespace rootline;

namespace {
// Set before QApplication: QSettings decides its folder once per process.
std::unique_ptr<QTemporaryDir> g_home;
} // namespace

class TestAboutWelcome : public QObject {
    Q_OBJECT

    // For looking at them: with ROOTLINE_SCREENSHOT_DIR set, the widgets checked are also saved there.
    static void keep(QWidget* widget, const QString& name)
    {
        if (qEnvironmentVariableIsSet("ROOTLINE_SCREENSHOT_DIR"))
            widget->grab().save(QDir(qEnvironmentVariable("ROOTLINE_SCREENSHOT_DIR")).filePath(name + QStringLiteral(".png")));
    }

    static QString touch(const QString& name)
    {
        const QString path = QDir(g_home->path()).filePath(name);
        QFile f(path);
        return f.open(QIODevice::WriteOnly) ? path : QString();
    }

private slots:
    void init() { RecentInvestigations::clear(); }

    void settingsAndCachesLiveUnderXdg()
    {
        QVERIFY2(QSettings().fileName().startsWith(g_home->path() + QStringLiteral("/config/")), qPrintable(QSettings().fileName()));
        QCOMPARE(MainWindow::defaultCacheDirectory(), g_home->path() + QStringLiteral("/data/rootline/caches"));
    }

    void aboutListsTheVersions()
    {
        std::map<QString, QString> versions;
        for (const auto& c : AboutDialog::components())
            versions[c.name] = c.version;
        QCOMPARE(versions.size(), size_t(7));
        QCOMPARE(versions.at(QStringLiteral("Rootline")), QStringLiteral("9.8.7"));
        QCOMPARE(versions.at(QStringLiteral("Qt")), QString::fromLatin1(qVersion()));
        QCOMPARE(versions.at(QStringLiteral("SQLite")), QString::fromLatin1(sqlite3_libversion()));
        QCOMPARE(versions.at(QStringLiteral("Cache schema")), QString::number(cache::kSchemaVersion));
        for (const QString& name : {QStringLiteral("QCustomPlot"), QStringLiteral("libcurl"), QStringLiteral("simdjson")})
            QVERIFY2(versions.at(name).contains(QRegularExpression(QStringLiteral("^\\d+\\.\\d+"))), qPrintable(name + QLatin1Char(' ') + versions.at(name)));

        AboutDialog dialog({{QStringLiteral("Settings"), QStringLiteral("/somewhere/rootline.conf")}});
        QStringList shown;
        for (const QLabel* label : dialog.findChildren<QLabel*>())
            shown << label->text();
        for (const auto& [name, version] : versions) {
            QVERIFY2(shown.contains(name), qPrintable(name));
            QVERIFY2(shown.contains(version), qPrintable(version));
        }
        QVERIFY(shown.contains(QStringLiteral("/somewhere/rootline.conf")));
        dialog.show();
        keep(&dialog, QStringLiteral("about"));
        QVERIFY(AboutDialog::componentsText().contains(QStringLiteral("SQLite: ") + QString::fromLatin1(sqlite3_libversion())));
    }

    void startPageOpensACopyOfTheSample()
    {
        MainWindow window;
        window.setSampleIncident(QStringLiteral(ROOTLINE_SAMPLE_INCIDENT));
        window.show();
        QVERIFY(!window.isShowingWelcome()); // `rootline FILE` and the tests never see the start page
        window.showWelcome();
        QVERIFY(window.isShowingWelcome());
        QVERIFY(window.welcomePage()->sampleButton()->isVisible());
        QVERIFY(window.welcomePage()->recentList()->isHidden()); // nothing opened yet
        keep(&window, QStringLiteral("start-page"));

        QSignalSpy loaded(&window, &MainWindow::loaded);
        QTest::mouseClick(window.welcomePage()->sampleButton(), Qt::LeftButton);
        QVERIFY(loaded.wait(60000));
        QVERIFY(!window.isShowingWelcome());
        const QString copy = MainWindow::defaultCacheDirectory() + QStringLiteral("/sample-incident.rootline");
        QCOMPARE(window.session()->path(), copy);
        QVERIFY(QFileInfo(copy).isWritable());
        QCOMPARE(RecentInvestigations::list(), QStringList{copy});

        // Back on the start page, the sample is the one recent investigation.
        window.showWelcome();
        QCOMPARE(window.welcomePage()->recentList()->count(), 1);
        QCOMPARE(window.welcomePage()->recentList()->item(0)->data(Qt::UserRole).toString(), copy);
    }

    void noSampleNoOffer()
    {
        MainWindow window;
        window.setSampleIncident(QString());
        window.show();
        window.showWelcome();
        QVERIFY(window.welcomePage()->sampleButton()->isHidden());
        QVERIFY(!window.openSampleIncident());
    }

    void recentListForgetsFilesThatHaveGone()
    {
        const QString a = touch(QStringLiteral("a.rootline")), b = touch(QStringLiteral("b.rootline"));
        QVERIFY(!a.isEmpty() && !b.isEmpty());
        RecentInvestigations::add(a);
        RecentInvestigations::add(b);
        RecentInvestigations::add(a); // again: moves to the front, not listed twice
        QCOMPARE(RecentInvestigations::list(), (QStringList{a, b}));
        QVERIFY(QFile::remove(b));
        QCOMPARE(RecentInvestigations::list(), QStringList{a});

        for (int i = 0; i < RecentInvestigations::kMax + 3; ++i)
            RecentInvestigations::add(touch(QStringLiteral("n%1.rootline").arg(i)));
        const QStringList recent = RecentInvestigations::list();
        QCOMPARE(recent.size(), RecentInvestigations::kMax);
        QCOMPARE(recent.first(), QDir(g_home->path()).filePath(QStringLiteral("n%1.rootline").arg(RecentInvestigations::kMax + 2)));
    }
};

int main(int argc, char** argv)
{
    g_home = std::make_unique<QTemporaryDir>();
    if (!g_home->isValid())
        return 1;
    qputenv("XDG_CONFIG_HOME", (g_home->path() + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (g_home->path() + QStringLiteral("/data")).toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("rootline"));
    QApplication::setApplicationName(QStringLiteral("rootline"));
    QApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    TestAboutWelcome test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_about_welcome.moc"
