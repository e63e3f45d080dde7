#include <QTest>
class TestImporter : public QObject { Q_OBJECT };
QTEST_GUILESS_MAIN(TestImporter)
#include "tst_importer.moc"
