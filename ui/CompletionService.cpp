#include "CompletionService.h"

#include "ConnectorFactory.h"
#include "sources/SourcesFile.h"

namespace rootline {
namespace {
constexpr qint64 kFreshMs = 5 * 60 * 1000;
constexpr qint64 kFailureMs = 15 * 1000;
} // namespace

CompletionService::CompletionService(QObject* parent)
    : QObject(parent) {
    m_pool.setMaxThreadCount(2);
}

CompletionService::~CompletionService() {
    ++m_generation;
    m_pool.waitForDone(); // workers post to this object
}

void CompletionService::setSources(const std::vector<Source>& sources) {
    m_sources = sources;
    m_cache.clear();
    m_pending.clear();
    ++m_generation; // answers for the old sources are dropped
}

QString CompletionService::keyOf(const CompletionRequest& r) {
    return QString::number(int(r.what)) + QLatin1Char('|') + QString::fromStdString(r.label) +
           QLatin1Char('|') + QString::fromStdString(r.matcher);
}

std::optional<QStringList> CompletionService::lookup(const QString& sourceName,
                                                     const CompletionRequest& request) {
    const QString key = keyOf(request);
    const QString cacheKey = sourceName + QChar(0x1f) + key;
    std::optional<QStringList> cached;
    if (auto it = m_cache.constFind(cacheKey); it != m_cache.constEnd()) {
        cached = it->values;
        const qint64 maxAge = it->failed ? kFailureMs : kFreshMs;
        if (it->age.elapsed() < maxAge)
            return cached;
    }
    if (m_pending.contains(cacheKey))
        return cached;
    const Source* found = findSource(m_sources, sourceName.toStdString());
    if (!found)
        return cached;
    m_pending.insert(cacheKey);
    ++m_sent;
    CompletionRequest req = request;
    if (!req.window && m_window)
        req.window = m_window();
    m_pool.start([this, source = *found, req, generation = m_generation, cacheKey, sourceName,
                  key]() mutable {
        std::optional<QStringList> values;
        QString error;
        try {
            if (auto s = resolveSecrets(source); !s) {
                error = QString::fromStdString(s.error().message());
            } else if (auto connector = makeConnector(source); !connector) {
                error = QString::fromStdString(connector.error().message());
            } else if (auto list = (*connector)->complete(req); !list) {
                error = QString::fromStdString(list.error().message());
            } else {
                QStringList out;
                out.reserve(qsizetype(list->size()));
                for (const auto& v : *list)
                    out << QString::fromStdString(v);
                values = std::move(out);
            }
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        QMetaObject::invokeMethod(
            this,
            [=, this, values = std::move(values)]() mutable {
                deliver(generation, cacheKey, sourceName, key, std::move(values), error);
            },
            Qt::QueuedConnection);
    });
    return cached;
}

void CompletionService::deliver(quint64 generation, const QString& cacheKey, const QString& source,
                                const QString& key, std::optional<QStringList> values,
                                const QString& error) {
    if (generation != m_generation)
        return;
    m_pending.remove(cacheKey);
    Entry& e = m_cache[cacheKey];
    e.age.start();
    e.failed = !values.has_value();
    if (values)
        e.values = std::move(*values);
    if (!error.isEmpty())
        emit failed(source, error);
    emit ready(source, key);
}

} // namespace rootline
