#include "TimelineMarks.h"

#include "investigation/InvestigationState.h"

#include <QObject>

namespace rootline {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

TimelineMarks timelineMarksOf(const InvestigationState& st)
{
    TimelineMarks marks;
    for (const auto& d : st.deploys)
        marks.deploys.push_back({d.time, qs(d.service) + QLatin1Char(' ') + (d.fromVersion.empty() ? QString() : qs(d.fromVersion) + QStringLiteral(" → "))
                                             + qs(d.toVersion)});
    if (st.slo && !st.slo->windows.empty()) {
        const Timestamp at = st.slo->evaluatedAt;
        std::vector<const SloBurnWindow*> shown;
        for (const auto& w : st.slo->windows)
            if (w.firing)
                shown.push_back(&w);
        if (shown.empty())
            shown.push_back(&st.slo->windows.front());
        for (const SloBurnWindow* w : shown) {
            const QString factor = QString::number(w->factor, 'g', 3) + QChar(0xd7);
            marks.burnWindows.push_back({{at - w->longWindow, at},
                                         QObject::tr("%1 burn over %2: %3%4").arg(factor, qs(w->longWindow.toString())).arg(w->longBurn, 0, 'f', 1).arg(QChar(0xd7)),
                                         w->firing});
            marks.burnWindows.push_back({{at - w->shortWindow, at},
                                         QObject::tr("%1 burn over %2: %3%4").arg(factor, qs(w->shortWindow.toString())).arg(w->shortBurn, 0, 'f', 1).arg(QChar(0xd7)),
                                         w->firing});
        }
    }
    if (st.alert && st.alert->activeSince != Timestamp() && st.alert->state == AlertState::Firing) {
        const Timestamp end = std::max(st.window.to, st.alert->activeSince + Duration::seconds(1));
        marks.firing.push_back({{st.alert->activeSince, end}, QObject::tr("%1 firing").arg(qs(st.alert->name)), true});
    }
    return marks;
}

} // namespace rootline
