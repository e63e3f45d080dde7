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
        // The fastest rule that fired (the one that pages), else the fastest rule.
        for (const auto& w : st.slo->windows)
            if (w.firing && shown.empty())
                shown.push_back(&w);
        if (shown.empty())
            shown.push_back(&st.slo->windows.front());
        for (const SloBurnWindow* w : shown) {
            // One label for the pair, on the long window: "14.4× burn: 42.6× over 1h, 250× over 5m".
            const QString label = QObject::tr("%1%2 burn: %3%2 over %4, %5%2 over %6")
                                      .arg(QString::number(w->factor, 'g', 3))
                                      .arg(QChar(0xd7))
                                      .arg(QString::number(w->longBurn, 'g', 3), qs(w->longWindow.toString()), QString::number(w->shortBurn, 'g', 3),
                                           qs(w->shortWindow.toString()));
            marks.burnWindows.push_back({{at - w->longWindow, at}, label, w->firing});
            marks.burnWindows.push_back({{at - w->shortWindow, at}, QString(), w->firing});
        }
    }
    if (st.alert && st.alert->activeSince != Timestamp() && st.alert->state == AlertState::Firing) {
        const Timestamp end = std::max(st.window.to, st.alert->activeSince + Duration::seconds(1));
        marks.firing.push_back({{st.alert->activeSince, end}, QObject::tr("%1 firing").arg(qs(st.alert->name)), true});
    }
    return marks;
}

} // namespace rootline
