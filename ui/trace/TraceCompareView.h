#pragma once

// Two traces side by side in one picture (issue 10, "Comparison"): a differential flame graph of
// the merged call paths (width: the larger of the two times; red when B took longer, blue when
// shorter, the stronger the larger the change) above the per-operation table, largest change first.

#include "TraceComparison.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace rootline {

class OperationDiffModel;

class DiffFlameGraph final : public QWidget {
    Q_OBJECT
public:
    explicit DiffFlameGraph(QWidget* parent = nullptr);
    void setTree(DiffTree tree);
    const DiffTree& tree() const { return m_tree; }
    // The colour of a node: red for longer in B, blue for shorter, grey for about the same.
    static QColor colourOf(const DiffNode& node);
    QSize sizeHint() const override { return {800, 260}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    int rowHeight() const;
    DiffTree m_tree;
};

class TraceCompareView final : public QWidget {
    Q_OBJECT
public:
    explicit TraceCompareView(QWidget* parent = nullptr);
    void setComparison(TraceComparison comparison, const QString& nameA, const QString& nameB);
    OperationDiffModel* model() const { return m_model; }
    DiffFlameGraph* flameGraph() const { return m_flame; }

private:
    QLabel* m_title;
    DiffFlameGraph* m_flame;
    QTableView* m_table;
    OperationDiffModel* m_model;
};

} // namespace rootline
