#pragma once

// The one state both trace views show (hotspot's filter-and-zoom stack): the laid-out trace, the
// selected and hovered node, the zoom window, the collapsed set, the search and its current match,
// clock-skew correction on or off, and the crosshair time. The waterfall, the flame graph, the
// minimap and the inspector read it and change it only through these setters, so they stay in
// step; each setter emits only when something changed. Widgets-free (Qt Core).

#include "TraceLayout.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

namespace rootline {

class TraceViewState final : public QObject {
    Q_OBJECT
public:
    explicit TraceViewState(QObject* parent = nullptr);

    // A new trace: everything else is reset (nothing collapsed, nothing selected, whole trace shown).
    void setLayout(std::shared_ptr<const TraceLayout> layout);
    const std::shared_ptr<const TraceLayout>& layoutPtr() const { return m_layout; }
    const TraceLayout* layout() const { return m_layout.get(); }
    bool hasTrace() const { return m_layout && !m_layout->empty(); }

    // Selection and hover: node indices into the layout, -1 for none.
    int selected() const { return m_selected; }
    void select(int node);
    int hovered() const { return m_hovered; }
    void hover(int node);

    // Zoom: the visible time window, kept within the trace's bounds.
    TimeWindow zoom() const { return m_zoom; }
    void setZoom(TimeWindow window);
    void resetZoom();
    // Zooms to the node's extent with a little margin either side (double-click in either view).
    void zoomToNode(int node);
    // The mouse wheel over a view's time axis: Ctrl zooms about `anchorX` of `map`, Shift pans;
    // returns false for a plain wheel (the view scrolls its rows).
    bool wheelOnTime(double steps, Qt::KeyboardModifiers modifiers, double anchorX, double left, double right);
    bool isZoomed() const;

    // Collapse: a collapsed node is shown, its descendants are not (in both views).
    bool isCollapsed(int node) const { return size_t(node) < m_collapsed.size() && m_collapsed[size_t(node)]; }
    void setCollapsed(int node, bool collapsed);
    void toggleCollapsed(int node) { setCollapsed(node, !isCollapsed(node)); }
    void expandAll();
    // Collapses every node at `depth` that has children.
    void collapseDepth(int depth);
    bool isHidden(int node) const { return size_t(node) < m_hidden.size() && m_hidden[size_t(node)]; }
    // The waterfall's rows: visible nodes in display order.
    const std::vector<int32_t>& rows() const { return m_rows; }
    int rowOf(int node) const; // -1 when hidden

    // Search: the matches (display order) come from traceSearch::find, run by whoever owns the
    // worker; next/previous select the match and expand what hides it.
    const QString& searchText() const { return m_searchText; }
    void setSearchResults(const QString& text, std::vector<int32_t> matches);
    const std::vector<int32_t>& matches() const { return m_matches; }
    bool isMatch(int node) const;
    int currentMatch() const { return m_currentMatch; } // index into matches(), -1 before the first
    void nextMatch();
    void previousMatch();

    // Clock-skew correction: which times the views draw.
    bool skewCorrected() const { return m_skewCorrected; }
    void setSkewCorrected(bool on);
    int64_t startOf(int node) const { return m_layout->startNanos(node, m_skewCorrected); }
    int64_t endOf(int node) const { return m_layout->endNanos(node, m_skewCorrected); }
    bool isCritical(int node) const { return m_layout->isCritical(node, m_skewCorrected); }
    bool showCriticalPath() const { return m_showCritical; }
    void setShowCriticalPath(bool on);

    // The shared crosshair time, drawn as a vertical line in every view.
    std::optional<Timestamp> cursorTime() const { return m_cursor; }
    void setCursorTime(std::optional<Timestamp> t);

    // Makes `node` visible: expands its collapsed ancestors.
    void reveal(int node);

signals:
    void layoutChanged();
    void selectionChanged(int node);
    void hoverChanged(int node);
    void zoomChanged(rootline::TimeWindow window);
    void structureChanged(); // collapsed set
    void searchChanged();
    void skewChanged(bool corrected);
    void marksChanged(); // critical-path display
    void cursorChanged();
    // After any of the above: what a view needs to repaint, as one signal.
    void changed();

private:
    void rebuildVisibility();
    void goToMatch(int index);

    std::shared_ptr<const TraceLayout> m_layout;
    int m_selected = -1;
    int m_hovered = -1;
    TimeWindow m_zoom{Timestamp::fromNanos(0), Timestamp::fromNanos(1)};
    std::vector<uint8_t> m_collapsed;
    std::vector<uint8_t> m_hidden;
    std::vector<int32_t> m_rows;
    std::vector<int32_t> m_rowOfNode;
    QString m_searchText;
    std::vector<int32_t> m_matches;
    std::vector<uint8_t> m_matchFlag;
    int m_currentMatch = -1;
    bool m_skewCorrected = true;
    bool m_showCritical = true;
    std::optional<Timestamp> m_cursor;
};

} // namespace rootline
