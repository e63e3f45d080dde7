#include "SampleIncident.h"

#include <QDir>
#include <QFileInfo>

namespace rootline::gui {

QString findSampleIncident(const QString& applicationDir)
{
    const QDir bin(applicationDir);
    // ROOTLINE_INSTALL_DATADIR is relative to the prefix ("share"), and the binary sits in
    // <prefix>/bin; the build writes the sample to <build>/resources beside <build>/bin.
    const QString candidates[] = {
        bin.filePath(QStringLiteral("../" ROOTLINE_INSTALL_DATADIR "/rootline/sample-incident.rootline")),
        bin.filePath(QStringLiteral("../resources/sample-incident.rootline")),
    };
    for (const QString& c : candidates)
        if (QFileInfo(c).isFile())
            return QFileInfo(c).canonicalFilePath();
    return {};
}

} // namespace rootline::gui
