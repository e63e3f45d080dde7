#include "WelcomePage.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace rootline {
namespace {

QLabel* heading(const QString& text, qreal scale, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * scale);
    f.setBold(true);
    label->setFont(f);
    return label;
}

QFrame* card(QWidget* parent)
{
    auto* frame = new QFrame(parent);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAutoFillBackground(true);
    frame->setBackgroundRole(QPalette::Base);
    return frame;
}

} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
    , m_sample(new QPushButton(tr("Open the sample incident"), this))
    , m_sampleText(new QLabel(this))
    , m_recent(new QListWidget(this))
    , m_noRecent(new QLabel(tr("Nothing opened yet. Caches and bundles you open are listed here."), this))
{
    auto* column = new QVBoxLayout;
    column->setSpacing(18);

    auto* title = new QHBoxLayout;
    auto* icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
    title->addWidget(icon);
    auto* names = new QVBoxLayout;
    names->addWidget(heading(tr("Rootline"), 2.2, this));
    names->addWidget(new QLabel(tr("From alert to root cause, on your workstation."), this));
    title->addLayout(names, 1);
    column->addLayout(title);

    // The sample incident first: it is the quickest way to see what Rootline is for.
    QFrame* sample = card(this);
    auto* sampleLayout = new QVBoxLayout(sample);
    sampleLayout->addWidget(heading(tr("Try the sample incident"), 1.25, sample));
    m_sampleText->setWordWrap(true);
    sampleLayout->addWidget(m_sampleText);
    m_sample->setDefault(true);
    m_sample->setAutoDefault(true);
    m_sample->setMinimumHeight(36);
    auto* sampleRow = new QHBoxLayout;
    sampleRow->addWidget(m_sample);
    sampleRow->addStretch(1);
    sampleLayout->addLayout(sampleRow);
    column->addWidget(sample);

    QFrame* begin = card(this);
    auto* beginLayout = new QVBoxLayout(begin);
    beginLayout->addWidget(heading(tr("Start an investigation"), 1.25, begin));
    auto* beginText = new QLabel(tr("Open a .rootline bundle a colleague exported, import telemetry files "
                                    "(OTLP, Jaeger, Prometheus, Loki, AWS CLI output), or fetch the firing alerts "
                                    "of your data sources and follow one."),
                                 begin);
    beginText->setWordWrap(true);
    beginLayout->addWidget(beginText);
    auto* buttons = new QHBoxLayout;
    auto* open = new QPushButton(tr("Open a cache or bundle…"), begin);
    auto* import = new QPushButton(tr("Import telemetry files…"), begin);
    auto* alerts = new QPushButton(tr("Fetch alerts from data sources"), begin);
    for (QPushButton* b : {open, import, alerts}) {
        b->setMinimumHeight(32);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    beginLayout->addLayout(buttons);
    column->addWidget(begin);

    QFrame* recent = card(this);
    auto* recentLayout = new QVBoxLayout(recent);
    recentLayout->addWidget(heading(tr("Recent investigations"), 1.25, recent));
    m_recent->setFrameShape(QFrame::NoFrame);
    m_recent->setMinimumHeight(120);
    m_recent->setMaximumHeight(240);
    recentLayout->addWidget(m_recent);
    m_noRecent->setForegroundRole(QPalette::PlaceholderText);
    recentLayout->addWidget(m_noRecent);
    column->addWidget(recent);
    column->addStretch(1);

    // A readable column in the middle of a wide window.
    auto* outer = new QHBoxLayout(this);
    outer->setContentsMargins(24, 32, 24, 32);
    outer->addStretch(1);
    auto* holder = new QWidget(this);
    holder->setLayout(column);
    holder->setMaximumWidth(860);
    holder->setMinimumWidth(520);
    outer->addWidget(holder, 4);
    outer->addStretch(1);

    connect(m_sample, &QPushButton::clicked, this, &WelcomePage::sampleRequested);
    connect(open, &QPushButton::clicked, this, &WelcomePage::openRequested);
    connect(import, &QPushButton::clicked, this, &WelcomePage::importRequested);
    connect(alerts, &QPushButton::clicked, this, &WelcomePage::fetchAlertsRequested);
    connect(m_recent, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { emit recentRequested(item->data(Qt::UserRole).toString()); });

    setSampleAvailable(true);
    setRecent({});
}

void WelcomePage::setSampleAvailable(bool available)
{
    m_sample->setVisible(available);
    m_sampleText->setText(available ? tr("Checkout failed 5 minutes ago. Follow the investigation from the burn-rate alert on "
                                         "checkout availability to the requests timing out on the payment gateway: a "
                                         "worked example that needs no server.")
                                    : tr("The sample incident is not installed here. `rootline-cli sample --out FILE` "
                                         "writes one."));
}

void WelcomePage::setRecent(const QStringList& paths)
{
    m_recent->clear();
    for (const QString& path : paths) {
        const QFileInfo info(path);
        auto* item = new QListWidgetItem(tr("%1    —    %2").arg(info.fileName(), QDir::toNativeSeparators(info.absolutePath())), m_recent);
        item->setData(Qt::UserRole, path);
        item->setToolTip(QDir::toNativeSeparators(path));
    }
    m_recent->setVisible(!paths.isEmpty());
    m_noRecent->setVisible(paths.isEmpty());
}

} // namespace rootline
