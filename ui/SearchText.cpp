#include "SearchText.h"

#include <QRegularExpression>

namespace rootline {

std::string ftsQueryFromUserText(const QString& text)
{
    const QStringList words = text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    QString query;
    for (int i = 0; i < words.size(); ++i) {
        QString w = words[i];
        w.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        if (!query.isEmpty())
            query += QLatin1Char(' ');
        query += QLatin1Char('"') + w + QLatin1Char('"');
        if (i == words.size() - 1)
            query += QLatin1Char('*');
    }
    return query.toStdString();
}

} // namespace rootline
