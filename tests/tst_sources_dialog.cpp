// Settings → Data sources (issue 4 item 8), offscreen: the list comes from the sources file, edits
// save back as YAML with only *_env / keyring references, a secret's value appears nowhere in the
// dialog, and Test connection reports an unreachable source as failed (on a worker).

#include "SourcesDialog.h"
#include "sources/SourcesFile.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace rootline;

namespace {
constexpr const char* kSecret = "s3cr3t-value-never-shown";

// Every text the dialog shows: items, tooltips and the status line.
QString allText(const SourcesDialog& dialog)
{
    QStringList out{dialog.statusText()};
    QTreeWidget* view = dialog.view();
    for (int i = 0; i < view->topLevelItemCount(); ++i)
        for (int c = 0; c < view->columnCount(); ++c)
            out << view->topLevelItem(i)->text(c) << view->topLevelItem(i)->toolTip(c);
    return out.join(QLatin1Char('\n'));
}
} // namespace

class TestSourcesDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { qputenv("ROOTLINE_TEST_PROM_PASSWORD", kSecret); }

    void listsEditsAndSaves()
    {
        const QString path = m_dir.filePath(QStringLiteral("sources.yaml"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("sources:\n"
                    "  - name: prod-prom\n"
                    "    kind: prometheus\n"
                    "    url: http://127.0.0.1:1\n"
                    "    auth: {type: basic, username: alice, password_env: ROOTLINE_TEST_PROM_PASSWORD}\n"
                    "  - name: logs\n"
                    "    kind: loki\n"
                    "    url: http://127.0.0.1:1\n");
        }
        SourcesDialog dialog(path);
        QCOMPARE(int(dialog.sources().size()), 2);
        QCOMPARE(dialog.view()->topLevelItemCount(), 2);
        QCOMPARE(dialog.view()->topLevelItem(0)->text(0), QStringLiteral("prod-prom"));
        QCOMPARE(dialog.view()->topLevelItem(1)->text(1), QStringLiteral("loki"));
        QVERIFY(dialog.view()->topLevelItem(0)->text(3).contains(QStringLiteral("ROOTLINE_TEST_PROM_PASSWORD")));

        // Add one, reject a duplicate name, remove one, save, and read the file back.
        Source jaeger;
        jaeger.name = "traces";
        jaeger.type = SourceType::Jaeger;
        jaeger.url = "http://127.0.0.1:1";
        QVERIFY(dialog.setSource(-1, jaeger));
        QVERIFY(dialog.isDirty());
        QVERIFY(!dialog.setSource(-1, jaeger));
        dialog.removeSource(1);
        QVERIFY(dialog.save());
        QVERIFY(!dialog.isDirty());
        auto reloaded = loadSources(path.toStdString());
        QVERIFY2(reloaded, reloaded ? "" : reloaded.error().message().c_str());
        QCOMPARE(int(reloaded->size()), 2);
        QCOMPARE((*reloaded)[0].auth.passwordEnv, std::string("ROOTLINE_TEST_PROM_PASSWORD"));
        QCOMPARE((*reloaded)[1].name, std::string("traces"));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QVERIFY(!saved.readAll().contains(kSecret));
    }

    void testConnectionReportsFailureWithoutSecrets()
    {
        const QString path = m_dir.filePath(QStringLiteral("test.yaml"));
        SourcesDialog dialog(path); // no file yet: an empty list
        QCOMPARE(int(dialog.sources().size()), 0);
        Source prom;
        prom.name = "dead-prom";
        prom.type = SourceType::Prometheus;
        prom.url = "http://127.0.0.1:1"; // nothing listens on port 1
        prom.auth.kind = AuthKind::Basic;
        prom.auth.username = "alice";
        prom.auth.passwordEnv = "ROOTLINE_TEST_PROM_PASSWORD";
        QVERIFY(dialog.setSource(-1, prom));
        QSignalSpy tested(&dialog, &SourcesDialog::tested);
        dialog.testSource(0);
        QVERIFY(tested.wait(60000));
        QCOMPARE(tested.first().at(0).toInt(), 0);
        QCOMPARE(tested.first().at(1).toBool(), false);
        QVERIFY(!tested.first().at(2).toString().isEmpty());
        QCOMPARE(dialog.view()->topLevelItem(0)->text(4), QStringLiteral("failed"));
        QVERIFY(!allText(dialog).contains(QLatin1String(kSecret)));
        QVERIFY(!tested.first().at(2).toString().contains(QLatin1String(kSecret)));
        if (const QString dir = qEnvironmentVariable("ROOTLINE_TEST_SHOTS"); !dir.isEmpty())
            QVERIFY(dialog.grab().save(dir + QStringLiteral("/sources-dialog.png")));
    }
};

QTEST_MAIN(TestSourcesDialog)
#include "tst_sources_dialog.moc"
