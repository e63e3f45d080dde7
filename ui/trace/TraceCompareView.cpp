#include "TraceCompareView.h"

#include "Format.h"
#include "OperationDiffModel.h"

#include <QHeaderView>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace rootline {

DiffFlameGraph::DiffFlameGraph(QWidget* parent) : QWidget(parent)
{
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setMouseTracking(true);
    setMinimumHeight(120);
}

void DiffFlameGraph::setTree(DiffTree tree)
{
    m_tree = std::move(tree);
    update();
}

int DiffFlameGraph::rowHeight() const { return fontMetrics().height() + 4; }

QColor DiffFlameGraph::colourOf(const DiffNode& node)
{
    const double a = double(node.timeA.count()), b = double(node.timeB.count());
    const double base = std::max({a, b, 1.0});
    const double change = (b - a) / base; // −1 … +1
    if (std::abs(change) < 0.05)
        return QColor(0xcf, 0xcf, 0xcf);
    const double strength = std::min(1.0, std::abs(change));
    const QColor far = change > 0 ? QColor(0xd3, 0x2f, 0x2f) : QColor(0x19, 0x76, 0xd2);
    const QColor near(0xf0, 0xf0, 0xf0);
    auto mix = [&](int n, int f) { return int(n + (f - n) * (0.3 + 0.7 * strength)); };
    return QColor(mix(near.red(), far.red()), mix(near.green(), far.green()), mix(near.blue(), far.blue()));
}

void DiffFlameGraph::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const int rh = rowHeight();
    const double left = 4, w = std::max(10.0, width() - 8.0);
    if (m_tree.nodes.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("Choose two traces to compare"));
        return;
    }
    double mergedUntil = -1; // level of detail: slivers under a pixel per row are one grey mark
    int lastDepth = -1;
    for (const DiffNode& n : m_tree.nodes) {
        const double x0 = left + n.x0 * w, x1 = left + n.x1 * w;
        const double y = n.depth * rh;
        if (y > height())
            continue;
        if (n.depth != lastDepth) {
            lastDepth = n.depth;
            mergedUntil = -1;
        }
        if (x1 - x0 < 1) {
            if (x0 > mergedUntil) {
                p.fillRect(QRectF(x0, y + 1, 1, rh - 2), palette().color(QPalette::Mid));
                mergedUntil = x0 + 1;
            }
            continue;
        }
        const QRectF r(x0, y + 1, x1 - x0, rh - 2);
        p.fillRect(r, colourOf(n));
        const QString label = QString::fromStdString(n.service) + QStringLiteral(": ") + QString::fromStdString(n.name);
        if (r.width() > 30) {
            p.setPen(Qt::black);
            p.drawText(r.adjusted(3, 0, -3, 0), Qt::AlignVCenter | Qt::AlignLeft, fontMetrics().elidedText(label, Qt::ElideRight, int(r.width()) - 6));
        }
    }
}

void DiffFlameGraph::mouseMoveEvent(QMouseEvent* event)
{
    const int depth = int(event->position().y()) / rowHeight();
    const double x = (event->position().x() - 4) / std::max(10.0, width() - 8.0);
    for (const DiffNode& n : m_tree.nodes)
        if (n.depth == depth && x >= n.x0 && x < n.x1) {
            setToolTip(QString::fromStdString(n.service) + QStringLiteral(": ") + QString::fromStdString(n.name)
                       + tr("\nA: %1 in %2 spans\nB: %3 in %4 spans").arg(fmt::duration(n.timeA)).arg(n.countA).arg(fmt::duration(n.timeB)).arg(n.countB));
            return;
        }
    setToolTip({});
}

TraceCompareView::TraceCompareView(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_flame(new DiffFlameGraph(this)), m_table(new QTableView(this)), m_model(new OperationDiffModel(this))
{
    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->horizontalHeader()->setSectionResizeMode(OperationDiffModel::OperationColumn, QHeaderView::Stretch);
    m_title->setWordWrap(true);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_flame);
    split->addWidget(m_table);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(split, 1);
}

void TraceCompareView::setComparison(TraceComparison comparison, const QString& nameA, const QString& nameB)
{
    m_title->setText(tr("<b>A</b> %1 (%2) against <b>B</b> %3 (%4). Width: the longer of the two; "
                        "<span style='color:#d32f2f'>red</span>: longer in B, <span style='color:#1976d2'>blue</span>: shorter.")
                         .arg(nameA, fmt::duration(comparison.durationA), nameB, fmt::duration(comparison.durationB)));
    m_flame->setTree(std::move(comparison.tree));
    m_model->setOperations(std::move(comparison.operations));
}

} // namespace rootline
