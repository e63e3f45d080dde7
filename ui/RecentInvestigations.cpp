#include "RecentInvestigations.h"

#include <QFileInfo>
#include <QSettings>

namespace rootline {
namespace {
const QString kKey = QStringLiteral("recentCaches");
} // namespace

QStringList RecentInvestigations::list()
{
    QStringList out;
    for (const QString& path : QSettings().value(kKey).toStringList())
        if (QFileInfo(path).isFile())
            out << path;
    return out;
}

void RecentInvestigations::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QSettings settings;
    QStringList recent = settings.value(kKey).toStringList();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    settings.setValue(kKey, recent.mid(0, kMax));
}

void RecentInvestigations::clear() { QSettings().remove(kKey); }

} // namespace rootline
