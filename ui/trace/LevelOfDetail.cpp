#include "LevelOfDetail.h"

#include <algorithm>

namespace rootline {

void MarkMerger::add(double x0, double x1, int32_t node)
{
    if (x1 < x0)
        x1 = x0;
    if (x1 - x0 >= m_min) {
        finish();
        m_out.push_back({x0, x1, node, 1});
        return;
    }
    // Narrow: joins the pending mark when it starts within a pixel of its end.
    if (m_hasPending && x0 <= m_pending.x1 + m_min) {
        m_pending.x1 = std::max(m_pending.x1, x1);
        ++m_pending.count;
        return;
    }
    finish();
    m_pending = {x0, x1, node, 1};
    m_hasPending = true;
}

void MarkMerger::finish()
{
    if (!m_hasPending)
        return;
    // At least `minWidth` wide, so that a lone sub-pixel span stays visible.
    m_pending.x1 = std::max(m_pending.x1, m_pending.x0 + m_min);
    m_out.push_back(m_pending);
    m_hasPending = false;
}

} // namespace rootline
