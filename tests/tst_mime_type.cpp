// The file type the package installs (resources/desktop/rootline-mime.xml, as
// /usr/share/mime/packages/rootline.xml): a Rootline cache or bundle is application/x-rootline by
// its content — the SQLite header and PRAGMA application_id "Root" at byte 68 — whatever its name,
// and any other SQLite file stays a plain SQLite database. The XML is compiled with Debian's
// update-mime-database into a scratch data folder, and Qt's QMimeDatabase reads it from there as
// a desktop would.

#include <QDir>
#include <QFile>
#include <QMimeDatabase>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

class TestMimeType : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString copyOfSample(const QString& name, std::optional<QByteArray> applicationId = std::nullopt)
    {
        const QString path = QDir(m_dir.path()).filePath(QStringLiteral("files/") + name);
        QFile::remove(path);
        if (!QFile::copy(QStringLiteral(ROOTLINE_SAMPLE_INCIDENT), path))
            return {};
        if (applicationId) {
            QFile f(path);
            if (!f.open(QIODevice::ReadWrite) || !f.seek(68) || f.write(*applicationId) != 4)
                return {};
        }
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QDir root(m_dir.path());
        QVERIFY(root.mkpath(QStringLiteral("share/mime/packages")));
        QVERIFY(root.mkpath(QStringLiteral("home")));
        QVERIFY(root.mkpath(QStringLiteral("files")));
        QVERIFY(QFile::copy(QStringLiteral(ROOTLINE_MIME_XML), root.filePath(QStringLiteral("share/mime/packages/rootline.xml"))));
        // One database holding the system's types and ours, as /usr/share/mime does once the package
        // is installed. (Two databases would not do: Qt 6.4 lets the last one whose magic matches
        // win, whatever the priorities, so the plain SQLite rule of a second one would hide ours.)
        QVERIFY(QFile::copy(QStringLiteral("/usr/share/mime/packages/freedesktop.org.xml"),
                            root.filePath(QStringLiteral("share/mime/packages/freedesktop.org.xml"))));
        QProcess update;
        update.start(QStringLiteral("update-mime-database"), {root.filePath(QStringLiteral("share/mime"))});
        QVERIFY2(update.waitForFinished(60000), "update-mime-database (package shared-mime-info) did not run");
        QVERIFY2(update.exitStatus() == QProcess::NormalExit && update.exitCode() == 0, update.readAllStandardError().constData());
        // Before the first QMimeDatabase: that database alone.
        qputenv("XDG_DATA_HOME", root.filePath(QStringLiteral("home")).toUtf8());
        qputenv("XDG_DATA_DIRS", root.filePath(QStringLiteral("share")).toUtf8());
    }

    void byContent_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("rootline");
        QTest::addColumn<QString>("expected");
        QTest::newRow("named .rootline") << "incident.rootline" << true << "application/x-rootline";
        QTest::newRow("saved as .db") << "bundle.db" << true << "application/x-rootline";
        QTest::newRow("no extension") << "attachment" << true << "application/x-rootline";
        QTest::newRow("another SQLite file") << "other.db" << false << "application/vnd.sqlite3";
        QTest::newRow("another SQLite file, no extension") << "other" << false << "application/vnd.sqlite3";
    }
    void byContent()
    {
        QFETCH(QString, name);
        QFETCH(bool, rootline);
        QFETCH(QString, expected);
        // Another application's SQLite file: the same bytes with application_id 0 ("PRAGMA application_id" unset).
        const QString path = rootline ? copyOfSample(name) : copyOfSample(name, QByteArray(4, '\0'));
        QVERIFY(!path.isEmpty());
        const QMimeDatabase db;
        QCOMPARE(db.mimeTypeForFile(path, QMimeDatabase::MatchContent).name(), expected);
        // By name and content together, as a file manager asks (".db" alone says little, so it is left out).
        if (!name.endsWith(QStringLiteral(".db")))
            QCOMPARE(db.mimeTypeForFile(path).name(), expected);
    }

    void describesItself()
    {
        const QMimeType type = QMimeDatabase().mimeTypeForName(QStringLiteral("application/x-rootline"));
        QVERIFY(type.isValid());
        QCOMPARE(type.comment(), QStringLiteral("Rootline investigation"));
        QVERIFY(type.inherits(QStringLiteral("application/vnd.sqlite3")));
        QCOMPARE(type.globPatterns(), QStringList{QStringLiteral("*.rootline")});
        QCOMPARE(type.iconName(), QStringLiteral("rootline"));
    }
};

QTEST_GUILESS_MAIN(TestMimeType)
#include "tst_mime_type.moc"
