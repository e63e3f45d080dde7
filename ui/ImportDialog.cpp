#include "ImportDialog.h"

#include "Format.h"
#include "import/ImportJob.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace rootline {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString outcomeText(ImportFileResult::Outcome o)
{
    switch (o) {
    case ImportFileResult::Outcome::Imported: return QObject::tr("imported");
    case ImportFileResult::Outcome::Duplicate: return QObject::tr("already imported");
    case ImportFileResult::Outcome::Unrecognized: return QObject::tr("not recognised");
    case ImportFileResult::Outcome::Failed: return QObject::tr("failed");
    case ImportFileResult::Outcome::Cancelled: return QObject::tr("cancelled");
    }
    return {};
}

// "120 logs · 14 spans · 3 series (210 samples)": only the kinds that are there.
QString countsText(const WriteStats& s)
{
    QStringList parts;
    auto add = [&](int64_t n, const QString& what) {
        if (n > 0)
            parts << QStringLiteral("%1 %2").arg(fmt::count(n), what);
    };
    add(s.logs, QObject::tr("logs"));
    add(s.spans, QObject::tr("spans"));
    add(s.series, QObject::tr("series"));
    add(s.samples, QObject::tr("samples"));
    add(s.histograms, QObject::tr("histograms"));
    add(s.exemplars, QObject::tr("exemplars"));
    add(s.alerts, QObject::tr("alerts"));
    return parts.isEmpty() ? QObject::tr("nothing") : parts.join(QStringLiteral(" · "));
}

QString bytesText(int64_t bytes)
{
    if (bytes < 1024)
        return QObject::tr("%1 B").arg(bytes);
    if (bytes < (int64_t(1) << 20))
        return QObject::tr("%1 KiB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QObject::tr("%1 MiB").arg(double(bytes) / (1 << 20), 0, 'f', 1);
}

} // namespace

ImportDialog::ImportDialog(const QString& cachePath, QWidget* parent)
    : QDialog(parent)
    , m_cachePath(cachePath)
    , m_inputs(new QListWidget(this))
    , m_addFiles(new QPushButton(tr("Add &files…"), this))
    , m_addFolder(new QPushButton(tr("Add f&older…"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_start(new QPushButton(tr("&Import"), this))
    , m_cancel(new QPushButton(tr("&Cancel import"), this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_results(new QTreeWidget(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Close, this))
    , m_timer(new QTimer(this))
{
    setWindowTitle(tr("Import into %1").arg(QFileInfo(cachePath).fileName()));
    setAcceptDrops(true);
    m_pool.setMaxThreadCount(1);

    m_inputs->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_inputs->setToolTip(tr("Files, folders (recursive) and archives; drop them here. The format is detected from the content."));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QString());
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setText(tr("Add the files or folders to import, then press Import."));
    m_results->setRootIsDecorated(true);
    m_results->setTextElideMode(Qt::ElideMiddle); // the file name at the end is what tells files apart
    m_results->setHeaderLabels({tr("File"), tr("Format"), tr("Outcome"), tr("Stored"), tr("Rejected")});
    m_results->setColumnWidth(0, 260);
    m_results->setColumnWidth(1, 110);
    m_results->setColumnWidth(2, 110);
    m_results->setColumnWidth(3, 220);

    auto* side = new QVBoxLayout;
    side->addWidget(m_addFiles);
    side->addWidget(m_addFolder);
    side->addWidget(m_remove);
    side->addStretch(1);
    auto* top = new QHBoxLayout;
    top->addWidget(m_inputs, 1);
    top->addLayout(side);
    auto* run = new QHBoxLayout;
    run->addWidget(m_progress, 1);
    run->addWidget(m_start);
    run->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addLayout(run);
    layout->addWidget(m_status);
    layout->addWidget(m_results, 2);
    layout->addWidget(m_buttons);

    connect(m_addFiles, &QPushButton::clicked, this, [this] {
        addInputs(QFileDialog::getOpenFileNames(this, tr("Files to import")));
    });
    connect(m_addFolder, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder to import"));
        if (!dir.isEmpty())
            addInputs({dir});
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        qDeleteAll(m_inputs->selectedItems());
        updateButtons();
    });
    connect(m_inputs, &QListWidget::itemSelectionChanged, this, &ImportDialog::updateButtons);
    connect(m_start, &QPushButton::clicked, this, &ImportDialog::start);
    connect(m_cancel, &QPushButton::clicked, this, &ImportDialog::cancel);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ImportDialog::reject);
    connect(m_timer, &QTimer::timeout, this, &ImportDialog::pollProgress);
    m_timer->setInterval(100);
    resize(760, 560);
    updateButtons();
}

ImportDialog::~ImportDialog()
{
    if (m_job)
        m_job->cancel();
    m_pool.waitForDone(); // the worker holds the job and posts to this dialog
}

void ImportDialog::addInputs(const QStringList& paths)
{
    const QStringList existing = inputs();
    for (const QString& p : paths)
        if (!p.isEmpty() && !existing.contains(QDir::cleanPath(p)))
            m_inputs->addItem(QDir::toNativeSeparators(QDir::cleanPath(p)));
    updateButtons();
}

QStringList ImportDialog::inputs() const
{
    QStringList out;
    for (int i = 0; i < m_inputs->count(); ++i)
        out << QDir::fromNativeSeparators(m_inputs->item(i)->text());
    return out;
}

bool ImportDialog::start()
{
    if (m_job || m_inputs->count() == 0)
        return false;
    std::vector<std::string> paths;
    for (const QString& p : inputs())
        paths.push_back(p.toStdString());
    m_job = std::make_shared<ImportJob>(std::move(paths));
    m_summary.reset();
    m_error.clear();
    m_results->clear();
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    m_status->setText(tr("Checking the inputs…"));
    // The worker owns a copy of the job pointer; the result comes back queued to this dialog,
    // which waits for the worker in its destructor, so it is alive when the result is posted.
    m_pool.start([this, job = m_job, cache = m_cachePath.toStdString()] {
        std::optional<ImportSummary> summary;
        QString error;
        try {
            auto result = job->run(cache);
            if (result)
                summary = std::move(*result);
            else
                error = QString::fromStdString(result.error().message());
        } catch (const std::exception& e) {
            error = tr("the import failed: %1").arg(QString::fromUtf8(e.what()));
        }
        QMetaObject::invokeMethod(
            this, [this, summary = std::move(summary), error]() mutable { onDone(std::move(summary), error); }, Qt::QueuedConnection);
    });
    m_timer->start();
    updateButtons();
    return true;
}

void ImportDialog::cancel()
{
    if (!m_job)
        return;
    m_job->cancel();
    m_status->setText(tr("Cancelling — the file being read is rolled back…"));
    m_cancel->setEnabled(false);
}

void ImportDialog::pollProgress()
{
    if (!m_job)
        return;
    const ImportProgress p = m_job->progress();
    if (p.bytesTotal > 0) {
        m_progress->setValue(int(std::min<int64_t>(1000, p.bytesDone * 1000 / p.bytesTotal)));
        m_progress->setFormat(tr("%1 of %2").arg(bytesText(p.bytesDone), bytesText(p.bytesTotal)));
    }
    if (!p.path.empty() && !m_job->isCancelled())
        m_status->setText(tr("%1 %2 (%3 files done)")
                              .arg(QString::fromUtf8(p.phase).isEmpty() ? tr("reading") : QString::fromUtf8(p.phase), qs(p.path))
                              .arg(p.filesDone));
}

void ImportDialog::onDone(std::optional<ImportSummary> summary, QString error)
{
    m_timer->stop();
    pollProgress();
    m_job.reset();
    bool changed = false;
    if (summary) {
        changed = summary->totals.total() > 0;
        m_summary = std::move(*summary);
        showSummary(*m_summary);
    } else {
        m_error = error;
        m_status->setText(tr("Import failed: %1").arg(error));
    }
    updateButtons();
    emit finished(changed);
    if (changed)
        emit imported();
}

void ImportDialog::showSummary(const ImportSummary& s)
{
    if (!s.cancelled)
        m_progress->setValue(1000);
    int64_t rejected = 0;
    for (const auto& f : s.files) {
        rejected += f.rejected;
        auto* item = new QTreeWidgetItem(m_results);
        item->setText(0, qs(f.path));
        item->setToolTip(0, qs(f.path));
        item->setText(1, f.format.empty() ? tr("—") : qs(f.format));
        item->setText(2, outcomeText(f.outcome));
        item->setText(3, f.outcome == ImportFileResult::Outcome::Imported ? countsText(f.stats) : qs(f.note));
        item->setToolTip(3, qs(f.note));
        item->setText(4, fmt::count(f.rejected));
        if (f.outcome == ImportFileResult::Outcome::Failed || f.outcome == ImportFileResult::Outcome::Unrecognized)
            item->setForeground(2, fmt::severityColor(int(Severity::Error)));
        for (const auto& e : f.errors) {
            auto* child = new QTreeWidgetItem(item);
            child->setText(0, qs(e.location.empty() ? e.path : e.location));
            child->setText(3, qs(e.message));
            child->setToolTip(3, qs(e.message));
            child->setFirstColumnSpanned(false);
        }
        item->setExpanded(!f.errors.empty() && f.errors.size() <= 5);
    }
    QString text = s.cancelled ? tr("Cancelled. The file being read when you cancelled was rolled back; finished files stay imported.\n")
                               : QString();
    text += tr("Stored %1 from %2 files; %3 records rejected.").arg(countsText(s.totals)).arg(s.files.size()).arg(fmt::count(rejected));
    m_status->setText(text);
}

void ImportDialog::updateButtons()
{
    const bool running = m_job != nullptr;
    m_start->setEnabled(!running && m_inputs->count() > 0);
    m_cancel->setEnabled(running && !m_job->isCancelled());
    m_addFiles->setEnabled(!running);
    m_addFolder->setEnabled(!running);
    m_remove->setEnabled(!running && !m_inputs->selectedItems().isEmpty());
    m_inputs->setEnabled(!running);
}

void ImportDialog::dragEnterEvent(QDragEnterEvent* event)
{
    if (!m_job && event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void ImportDialog::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty()) {
        event->acceptProposedAction();
        addInputs(paths);
    }
}

void ImportDialog::reject()
{
    if (m_job) {
        cancel();
        return; // the summary shows what was rolled back; Close again to leave
    }
    QDialog::reject();
}

} // namespace rootline
