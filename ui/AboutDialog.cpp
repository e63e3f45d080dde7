#include "AboutDialog.h"

#include "cache/Schema.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <curl/curl.h>
#include <sqlite3.h>
// Only for their version macros: neither library reports its version at run time. The QCustomPlot
// header is the one the plot links against (qcustomplot.h uses `signals`, so no QT_NO_KEYWORDS).
#include <qcustomplot.h>
#include <simdjson.h>

namespace rootline {
namespace {

#define ROOTLINE_STRINGIFY_(x) #x
#define ROOTLINE_STRINGIFY(x) ROOTLINE_STRINGIFY_(x)

QLabel* header(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(QStringLiteral("<b>%1</b>").arg(text), parent);
    label->setContentsMargins(0, 10, 0, 2);
    return label;
}

QLabel* selectable(const QString& text, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

std::vector<AboutDialog::Component> AboutDialog::components()
{
    const QString version = QCoreApplication::applicationVersion();
    return {
        {QStringLiteral("Rootline"), version.isEmpty() ? tr("unknown") : version},
        {QStringLiteral("Qt"), QString::fromLatin1(qVersion())},
        {QStringLiteral("QCustomPlot"), QStringLiteral(QCUSTOMPLOT_VERSION_STR)},
        {QStringLiteral("SQLite"), QString::fromLatin1(sqlite3_libversion())},
        {QStringLiteral("libcurl"), QString::fromLatin1(curl_version_info(CURLVERSION_NOW)->version)},
        {QStringLiteral("simdjson"), QStringLiteral(ROOTLINE_STRINGIFY(SIMDJSON_VERSION))},
        {tr("Cache schema"), QString::number(cache::kSchemaVersion)},
    };
}

QString AboutDialog::componentsText()
{
    QStringList lines;
    for (const Component& c : components())
        lines << c.name + QStringLiteral(": ") + c.version;
    return lines.join(QLatin1Char('\n'));
}

AboutDialog::AboutDialog(std::vector<Place> places, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Rootline"));
    auto* layout = new QVBoxLayout(this);

    auto* top = new QHBoxLayout;
    auto* icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);
    top->addWidget(icon);
    auto* intro = new QLabel(tr("<h2>Rootline %1</h2><p>From alert to root cause, on your workstation: metrics, logs "
                                "and traces of an incident in one local cache, on one time axis.</p>"
                                "<p>Drag on the timeline to select a window; click an exemplar or a trace id to open "
                                "the trace.</p><p>Released under the MIT licence.</p>")
                                 .arg(QCoreApplication::applicationVersion().toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    intro->setMinimumWidth(380);
    top->addWidget(intro, 1);
    layout->addLayout(top);

    auto* grid = new QGridLayout;
    grid->setHorizontalSpacing(16);
    int row = 0;
    grid->addWidget(header(tr("Built with"), this), row++, 0, 1, 2);
    for (const Component& c : components()) {
        grid->addWidget(new QLabel(c.name, this), row, 0);
        grid->addWidget(selectable(c.version, this), row++, 1);
    }
    if (!places.empty()) {
        grid->addWidget(header(tr("Files"), this), row++, 0, 1, 2);
        for (const Place& p : places) {
            grid->addWidget(new QLabel(p.what, this), row, 0);
            grid->addWidget(selectable(QDir::toNativeSeparators(p.path), this), row++, 1);
        }
    }
    grid->setColumnStretch(1, 1);
    layout->addLayout(grid);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("Copy versions"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copy the versions above, for a bug report"));
    connect(copy, &QPushButton::clicked, this, [] { QApplication::clipboard()->setText(componentsText()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace rootline
