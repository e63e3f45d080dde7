#include "TraceViewState.h"

#include "TimeMapping.h"

#include <algorithm>
#include <cmath>

namespace rootline {

TraceViewState::TraceViewState(QObject* parent) : QObject(parent) {}

void TraceViewState::setLayout(std::shared_ptr<const TraceLayout> layout)
{
    m_layout = layout ? std::move(layout) : std::make_shared<const TraceLayout>();
    m_selected = -1;
    m_hovered = -1;
    m_collapsed.assign(size_t(m_layout->nodeCount()), 0);
    m_searchText.clear();
    m_matches.clear();
    m_matchFlag.assign(size_t(m_layout->nodeCount()), 0);
    m_currentMatch = -1;
    m_zoom = m_layout->empty() ? TimeWindow{Timestamp::fromNanos(0), Timestamp::fromNanos(1)} : m_layout->bounds();
    rebuildVisibility();
    emit layoutChanged();
    emit zoomChanged(m_zoom);
    emit structureChanged();
    emit searchChanged();
    emit selectionChanged(-1);
    emit changed();
}

void TraceViewState::rebuildVisibility()
{
    m_hidden = m_layout->hiddenNodes(m_collapsed);
    m_rows = m_layout->visibleRows(m_collapsed);
    m_rowOfNode.assign(size_t(m_layout->nodeCount()), -1);
    for (size_t r = 0; r < m_rows.size(); ++r)
        m_rowOfNode[size_t(m_rows[r])] = int32_t(r);
}

int TraceViewState::rowOf(int node) const { return node >= 0 && size_t(node) < m_rowOfNode.size() ? m_rowOfNode[size_t(node)] : -1; }

void TraceViewState::select(int node)
{
    if (!m_layout || node >= m_layout->nodeCount())
        node = -1;
    if (node == m_selected)
        return;
    m_selected = node;
    emit selectionChanged(node);
    emit changed();
}

void TraceViewState::hover(int node)
{
    if (!m_layout || node >= m_layout->nodeCount())
        node = -1;
    if (node == m_hovered)
        return;
    m_hovered = node;
    emit hoverChanged(node);
    emit changed();
}

void TraceViewState::setZoom(TimeWindow window)
{
    if (!hasTrace())
        return;
    window = TimeMapping::clampedTo(window, m_layout->bounds());
    if (!window.isValid() || window == m_zoom)
        return;
    m_zoom = window;
    emit zoomChanged(m_zoom);
    emit changed();
}

void TraceViewState::resetZoom()
{
    if (hasTrace())
        setZoom(m_layout->bounds());
}

void TraceViewState::zoomToNode(int node)
{
    if (!hasTrace() || node < 0 || node >= m_layout->nodeCount())
        return;
    const Duration len = Duration::nanos(std::max<int64_t>(endOf(node) - startOf(node), 1000));
    const Timestamp from = Timestamp::fromNanos(startOf(node));
    setZoom({from - len / 20, from + len + len / 20});
}

bool TraceViewState::wheelOnTime(double steps, Qt::KeyboardModifiers modifiers, double anchorX, double left, double right)
{
    if (!(modifiers & (Qt::ControlModifier | Qt::ShiftModifier)))
        return false;
    if (!hasTrace())
        return true;
    const TimeMapping map(m_zoom, left, right);
    if (modifiers & Qt::ControlModifier)
        setZoom(map.zoomed(std::pow(1.25, steps), anchorX, m_layout->bounds()));
    else
        setZoom(map.panned(-steps * map.width() / 10, m_layout->bounds()));
    return true;
}

bool TraceViewState::isZoomed() const { return hasTrace() && !(m_zoom == m_layout->bounds()); }

void TraceViewState::setCollapsed(int node, bool collapsed)
{
    if (!hasTrace() || node < 0 || node >= m_layout->nodeCount() || m_layout->childCount(node) == 0)
        return;
    if (bool(m_collapsed[size_t(node)]) == collapsed)
        return;
    m_collapsed[size_t(node)] = collapsed;
    rebuildVisibility();
    emit structureChanged();
    emit changed();
}

void TraceViewState::expandAll()
{
    if (std::find(m_collapsed.begin(), m_collapsed.end(), uint8_t(1)) == m_collapsed.end())
        return;
    std::fill(m_collapsed.begin(), m_collapsed.end(), uint8_t(0));
    rebuildVisibility();
    emit structureChanged();
    emit changed();
}

void TraceViewState::collapseDepth(int depth)
{
    if (!hasTrace() || depth < 0 || depth > m_layout->maxDepth())
        return;
    bool any = false;
    for (int32_t node : m_layout->nodesAtDepth(depth))
        if (m_layout->childCount(node) > 0 && !m_collapsed[size_t(node)]) {
            m_collapsed[size_t(node)] = 1;
            any = true;
        }
    if (!any)
        return;
    rebuildVisibility();
    emit structureChanged();
    emit changed();
}

void TraceViewState::reveal(int node)
{
    if (!hasTrace() || node < 0 || node >= m_layout->nodeCount() || !m_hidden[size_t(node)])
        return;
    for (int p = m_layout->parent(node); p >= 0; p = m_layout->parent(p)) // as deep as the trace: a loop, not recursion
        m_collapsed[size_t(p)] = 0;
    rebuildVisibility();
    emit structureChanged();
    emit changed();
}

void TraceViewState::setSearchResults(const QString& text, std::vector<int32_t> matches)
{
    m_searchText = text;
    m_matches = std::move(matches);
    m_matchFlag.assign(m_layout ? size_t(m_layout->nodeCount()) : 0, 0);
    for (int32_t n : m_matches)
        if (size_t(n) < m_matchFlag.size())
            m_matchFlag[size_t(n)] = 1;
    m_currentMatch = -1;
    emit searchChanged();
    emit changed();
}

bool TraceViewState::isMatch(int node) const { return size_t(node) < m_matchFlag.size() && m_matchFlag[size_t(node)]; }

void TraceViewState::goToMatch(int index)
{
    m_currentMatch = index;
    const int node = m_matches[size_t(index)];
    reveal(node);
    // Bring the match into the zoom window when it lies outside.
    const TimeWindow span{Timestamp::fromNanos(startOf(node)), Timestamp::fromNanos(std::max(endOf(node), startOf(node) + 1))};
    if (!m_zoom.overlaps(span)) {
        const Duration len = m_zoom.length();
        setZoom({span.from - len / 2, span.from - len / 2 + len});
    }
    select(node);
    emit searchChanged();
    emit changed();
}

void TraceViewState::nextMatch()
{
    if (m_matches.empty())
        return;
    goToMatch(m_currentMatch + 1 >= int(m_matches.size()) ? 0 : m_currentMatch + 1);
}

void TraceViewState::previousMatch()
{
    if (m_matches.empty())
        return;
    goToMatch(m_currentMatch <= 0 ? int(m_matches.size()) - 1 : m_currentMatch - 1);
}

void TraceViewState::setSkewCorrected(bool on)
{
    if (on == m_skewCorrected)
        return;
    m_skewCorrected = on;
    emit skewChanged(on);
    emit changed();
}

void TraceViewState::setShowCriticalPath(bool on)
{
    if (on == m_showCritical)
        return;
    m_showCritical = on;
    emit marksChanged();
    emit changed();
}

void TraceViewState::setCursorTime(std::optional<Timestamp> t)
{
    if (t == m_cursor)
        return;
    m_cursor = t;
    emit cursorChanged();
    emit changed();
}

} // namespace rootline
