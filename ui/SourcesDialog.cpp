#include "SourcesDialog.h"

#include "ConnectorFactory.h"
#include "Format.h"
#include "SourceEditor.h"
#include "http/HttpClient.h"
#include "sources/SourcesFile.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rootline {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// How the source authenticates, in words, naming where a secret comes from but never its value.
QString authText(const Source& s)
{
    switch (s.auth.kind) {
    case AuthKind::None: return QObject::tr("none");
    case AuthKind::Basic:
        return QObject::tr("basic as %1, password %2").arg(qs(s.auth.username), s.auth.keyring ? QObject::tr("from keyring") : QStringLiteral("$") + qs(s.auth.passwordEnv));
    case AuthKind::Bearer:
        return QObject::tr("bearer token %1").arg(s.auth.keyring ? QObject::tr("from keyring") : QStringLiteral("$") + qs(s.auth.tokenEnv));
    case AuthKind::Aws:
        return QObject::tr("AWS %1").arg(s.auth.awsProfile.empty() ? QObject::tr("default chain") : QObject::tr("profile %1").arg(qs(s.auth.awsProfile)));
    }
    return {};
}

} // namespace

SourcesDialog::SourcesDialog(const QString& path, QWidget* parent)
    : QDialog(parent)
    , m_path(path)
    , m_view(new QTreeWidget(this))
    , m_status(new QLabel(this))
    , m_test(new QPushButton(tr("&Test connection"), this))
{
    setWindowTitle(tr("Data sources"));
    m_pool.setMaxThreadCount(2);
    m_view->setRootIsDecorated(false);
    m_view->setHeaderLabels({tr("Name"), tr("Type"), tr("URL"), tr("Authentication"), tr("Test")});
    m_view->setColumnWidth(0, 130);
    m_view->setColumnWidth(1, 90);
    m_view->setColumnWidth(2, 240);
    m_view->setColumnWidth(3, 200);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* add = new QPushButton(tr("&Add…"), this);
    auto* editButton = new QPushButton(tr("&Edit…"), this);
    auto* remove = new QPushButton(tr("&Remove"), this);
    auto* side = new QVBoxLayout;
    for (QPushButton* b : {add, editButton, remove, m_test})
        side->addWidget(b);
    side->addStretch(1);
    auto* top = new QHBoxLayout;
    top->addWidget(m_view, 1);
    top->addLayout(side);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Sources file: %1").arg(QDir::toNativeSeparators(path)), this));
    layout->addLayout(top, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(add, &QPushButton::clicked, this, [this] { edit(-1); });
    connect(editButton, &QPushButton::clicked, this, [this] { edit(currentIndex()); });
    connect(m_view, &QTreeWidget::itemDoubleClicked, this, [this] { edit(currentIndex()); });
    connect(remove, &QPushButton::clicked, this, [this] { removeSource(currentIndex()); });
    connect(m_test, &QPushButton::clicked, this, [this] { testSource(currentIndex()); });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (auto s = save(); !s)
            QMessageBox::critical(this, tr("Cannot save the sources"), qs(s.error().message()));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &SourcesDialog::reject);
    connect(this, &SourcesDialog::tested, this, [this](int index, bool ok, const QString& message) {
        if (QTreeWidgetItem* item = m_view->topLevelItem(index)) {
            item->setText(4, ok ? tr("ok") : tr("failed"));
            item->setForeground(4, ok ? QColor(0x2e, 0x7d, 0x32) : fmt::severityColor(int(Severity::Error)));
            item->setToolTip(4, message);
        }
        m_status->setText(message);
    });

    if (auto s = load(); !s)
        m_status->setText(tr("Cannot read the sources file: %1").arg(qs(s.error().message())));
    resize(860, 420);
}

SourcesDialog::~SourcesDialog()
{
    m_alive->store(false);
    m_pool.waitForDone();
}

Status SourcesDialog::load()
{
    m_sources.clear();
    if (QFileInfo::exists(m_path)) {
        auto loaded = loadSources(m_path.toStdString());
        if (!loaded) {
            refresh();
            return loaded.error();
        }
        m_sources = std::move(*loaded);
    }
    m_dirty = false;
    refresh();
    m_status->setText(tr("%n source(s).", nullptr, int(m_sources.size())));
    return {};
}

Status SourcesDialog::save()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path); // all or nothing: a half-written sources file would lose every source
    const std::string text = formatSources(m_sources);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit())
        return Error{m_path.toStdString(), "cannot write the sources file: " + file.errorString().toStdString(),
                     "check that the directory exists and is writable"};
    m_dirty = false;
    m_status->setText(tr("Saved %n source(s) to %1.", nullptr, int(m_sources.size())).arg(QDir::toNativeSeparators(m_path)));
    return {};
}

Status SourcesDialog::setSource(int index, const Source& source)
{
    for (int i = 0; i < int(m_sources.size()); ++i)
        if (i != index && m_sources[size_t(i)].name == source.name)
            return Error{"data sources", "a source named \"" + source.name + "\" already exists", "choose another name"};
    Source clean = source;
    clean.secrets = {}; // secrets are resolved only for a test, never kept
    if (index < 0 || index >= int(m_sources.size()))
        m_sources.push_back(std::move(clean));
    else
        m_sources[size_t(index)] = std::move(clean);
    m_dirty = true;
    refresh();
    return {};
}

void SourcesDialog::removeSource(int index)
{
    if (index < 0 || index >= int(m_sources.size()))
        return;
    m_sources.erase(m_sources.begin() + index);
    m_dirty = true;
    refresh();
}

void SourcesDialog::testSource(int index)
{
    if (index < 0 || index >= int(m_sources.size()))
        return;
    Source source = m_sources[size_t(index)];
    m_status->setText(tr("Testing %1…").arg(qs(source.name)));
    if (QTreeWidgetItem* item = m_view->topLevelItem(index))
        item->setText(4, tr("testing…"));
    m_pool.start([this, alive = m_alive, index, source]() mutable {
        bool ok = false;
        QString message;
        if (auto secrets = resolveSecrets(source); !secrets) {
            message = qs(secrets.error().message());
        } else if (auto connector = makeConnector(source); !connector) {
            message = qs(connector.error().message());
        } else if (auto info = (*connector)->testConnection(); !info) {
            message = qs(info.error().message());
        } else {
            ok = info->reachable;
            message = tr("%1: %2 %3 (%4)")
                          .arg(qs(source.name), ok ? tr("reachable") : tr("not reachable"), qs(info->version), fmt::duration(info->latency));
            if (!info->detail.empty())
                message += QStringLiteral(" — ") + qs(info->detail);
        }
        // Errors name the place (URL without credentials, variable names); a secret never reaches here.
        if (alive->load())
            QMetaObject::invokeMethod(this, [this, index, ok, message] { emit tested(index, ok, message); }, Qt::QueuedConnection);
    });
}

QString SourcesDialog::statusText() const { return m_status->text(); }

void SourcesDialog::refresh()
{
    const int current = currentIndex();
    m_view->clear();
    for (const auto& s : m_sources) {
        auto* item = new QTreeWidgetItem(m_view);
        item->setText(0, qs(s.name));
        item->setText(1, QString::fromUtf8(sourceTypeName(s.type)));
        item->setText(2, qs(http::HttpClient::redactUrl(s.url))); // a user:password@ in a URL is not shown
        item->setText(3, authText(s));
        item->setToolTip(0, qs(s.redacted()));
    }
    if (m_view->topLevelItemCount() > 0)
        m_view->setCurrentItem(m_view->topLevelItem(std::clamp(current, 0, m_view->topLevelItemCount() - 1)));
    m_test->setEnabled(!m_sources.empty());
}

int SourcesDialog::currentIndex() const
{
    QTreeWidgetItem* item = m_view->currentItem();
    return item ? m_view->indexOfTopLevelItem(item) : -1;
}

void SourcesDialog::edit(int index)
{
    const bool adding = index < 0 || index >= int(m_sources.size());
    SourceEditor editor(adding ? Source{} : m_sources[size_t(index)], this);
    while (editor.exec() == QDialog::Accepted) {
        auto s = setSource(adding ? -1 : index, editor.source());
        if (s)
            return;
        QMessageBox::warning(this, editor.windowTitle(), qs(s.error().message()));
    }
}

} // namespace rootline
