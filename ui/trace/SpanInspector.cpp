#include "SpanInspector.h"

#include "Format.h"
#include "ServiceColours.h"
#include "TraceLayout.h"
#include "TraceViewState.h"

#include <QUrl>

namespace rootline {

namespace {
QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString row(const QString& key, const QString& value)
{
    return QStringLiteral("<tr><td style='color:gray;padding-right:8px'>") + key + QStringLiteral("</td><td>") + value + QStringLiteral("</td></tr>");
}

QString attributesTable(const Attributes& attributes)
{
    if (attributes.empty())
        return QStringLiteral("<p style='color:gray'>none</p>");
    QString html = QStringLiteral("<table cellspacing=0>");
    for (const auto& a : attributes)
        html += row(esc(a.key), esc(attributeToText(a.value)));
    return html + QStringLiteral("</table>");
}

QString swatch(const std::string& service)
{
    return QStringLiteral("<span style='color:%1'>■</span> ").arg(serviceColours::of(service).name());
}
} // namespace

SpanInspector::SpanInspector(TraceViewState* state, QWidget* parent) : QTextBrowser(parent), m_state(state)
{
    setOpenLinks(false);
    setFrameShape(QFrame::NoFrame);
    connect(m_state, &TraceViewState::layoutChanged, this, [this] {
        m_traceLogs.reset();
        m_spanLogs.reset();
        refresh();
    });
    connect(m_state, &TraceViewState::selectionChanged, this, [this] {
        m_spanLogs.reset();
        refresh();
    });
    connect(m_state, &TraceViewState::skewChanged, this, &SpanInspector::refresh);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (!m_state->hasTrace() || m_state->layout()->spanCount() == 0)
            return;
        const TraceId trace = m_state->layout()->spans().front().traceId;
        if (url.toString() == QStringLiteral("logs:trace"))
            emit showLogsOfTrace(trace);
        else if (url.toString() == QStringLiteral("logs:span") && m_state->selected() >= 0)
            emit showLogsOfSpan(trace, m_state->layout()->spanIdOf(m_state->selected()));
        else if (url.toString() == QStringLiteral("span:parent") && m_state->selected() >= 0)
            m_state->select(m_state->layout()->parent(m_state->selected()));
    });
    refresh();
}

void SpanInspector::setLogCounts(std::optional<qint64> traceLogs, std::optional<qint64> spanLogs, bool capped)
{
    m_traceLogs = traceLogs;
    m_spanLogs = spanLogs;
    m_capped = capped;
    refresh();
}

void SpanInspector::refresh()
{
    if (!m_state->hasTrace()) {
        setHtml(QStringLiteral("<p style='color:gray'>") + tr("No trace selected.") + QStringLiteral("</p>"));
        return;
    }
    const int node = m_state->selected();
    setHtml(node >= 0 ? spanHtml(node) : traceSummaryHtml());
}

QString SpanInspector::traceSummaryHtml() const
{
    const TraceLayout& L = *m_state->layout();
    QString html = QStringLiteral("<h3>") + tr("Trace") + QStringLiteral("</h3><table cellspacing=0>");
    html += row(tr("spans"), fmt::count(L.spanCount()));
    html += row(tr("duration"), fmt::duration(L.bounds().length()));
    html += row(tr("depth"), QString::number(L.maxDepth() + 1));
    if (L.errorCount())
        html += row(tr("errors"), QStringLiteral("<span style='color:#d32f2f'>%1</span>").arg(L.errorCount()));
    if (L.orphanCount())
        html += row(tr("orphans"), tr("%1 spans under %2 missing parents").arg(L.orphanCount()).arg(L.placeholderCount()));
    if (m_traceLogs)
        html += row(tr("logs"), *m_traceLogs > 0 ? QStringLiteral("%1 — <a href='logs:trace'>%2</a>").arg(fmt::count(*m_traceLogs), tr("show the trace's logs"))
                                                 : tr("none carry this trace's id"));
    html += QStringLiteral("</table>");
    if (!L.skew().empty()) {
        html += QStringLiteral("<h4>") + tr("Clock corrections") + QStringLiteral(" (%1)</h4><table cellspacing=0>")
                    .arg(m_state->skewCorrected() ? tr("applied") : tr("not applied"));
        for (const auto& [service, offset] : L.skew().offsets)
            html += row(swatch(service) + esc(service), tr("%1 ahead of %2").arg(fmt::duration(offset), esc(L.skew().reference)));
        html += QStringLiteral("</table>");
    }
    html += QStringLiteral("<h4>") + tr("Self time by service") + QStringLiteral("</h4><table cellspacing=0>");
    // Shares of the trace's summed self time (parallel work makes that more than its duration).
    Duration total;
    for (const auto& st : L.serviceSelfTimes())
        total = total + st.self;
    for (const auto& st : L.serviceSelfTimes()) {
        const double pct = total.count() > 0 ? 100.0 * double(st.self.count()) / double(total.count()) : 0;
        html += row(swatch(st.service) + esc(st.service),
                    QStringLiteral("%1 <span style='color:gray'>(%2%, %3 spans)</span>").arg(fmt::duration(st.self)).arg(pct, 0, 'f', 1).arg(st.spans));
    }
    return html + QStringLiteral("</table>");
}

QString SpanInspector::spanHtml(int node) const
{
    const TraceLayout& L = *m_state->layout();
    const Span* s = L.span(node);
    if (!s) {
        return QStringLiteral("<h3>") + tr("Missing parent") + QStringLiteral("</h3><p>")
               + tr("Span <tt>%1</tt> is named as the parent of %2 spans but is not in the cache. They are shown under this placeholder, not re-rooted.")
                     .arg(QString::fromStdString(L.spanIdOf(node).toHex()))
                     .arg(L.childCount(node))
               + QStringLiteral("</p>");
    }
    const bool adjusted = m_state->skewCorrected();
    QString html = QStringLiteral("<h3>") + swatch(L.serviceOf(node)) + esc(L.serviceOf(node)) + QStringLiteral(": ") + esc(s->name) + QStringLiteral("</h3>");
    html += QStringLiteral("<table cellspacing=0>");
    html += row(tr("duration"), fmt::duration(s->duration));
    html += row(tr("self time"), fmt::duration(L.selfTime(node)));
    if (L.isCritical(node, adjusted))
        html += row(tr("critical path"), tr("<b>on it</b>, %1 of its own").arg(fmt::duration(L.criticalSelfTime(node, adjusted))));
    html += row(tr("starts"), tr("+%1 · %2").arg(fmt::duration(Duration::nanos(L.startNanos(node, adjusted) - L.bounds().from.nanos())), fmt::dateTime(s->start)));
    if (L.has(node, TraceLayout::SkewAdjusted))
        html += row(tr("clock"), tr("%1's clock runs %2 ahead; %3").arg(esc(L.serviceOf(node)), fmt::duration(L.skewOffset(node)),
                                                                          adjusted ? tr("corrected here") : tr("shown uncorrected")));
    html += row(tr("kind"), QString::fromLatin1(spanKindName(s->kind)));
    if (s->isError())
        html += row(tr("status"), QStringLiteral("<span style='color:#d32f2f'><b>ERROR</b> %1</span>").arg(esc(s->statusMessage)));
    else if (s->status == StatusCode::Ok)
        html += row(tr("status"), tr("OK"));
    html += row(tr("span id"), QStringLiteral("<tt>%1</tt>").arg(QString::fromStdString(s->spanId.toHex())));
    if (s->parentSpanId)
        html += row(tr("parent"), QStringLiteral("<a href='span:parent'><tt>%1</tt></a>%2").arg(QString::fromStdString(s->parentSpanId->toHex()),
                                                                                               L.has(node, TraceLayout::Orphan) ? tr(" (missing)") : QString()));
    if (L.childCount(node))
        html += row(tr("children"), tr("%1 (%2 below)").arg(L.childCount(node)).arg(L.descendantCount(node)));
    QString logs;
    if (m_spanLogs)
        logs += tr("%1%2 of this span").arg(m_capped ? QStringLiteral("≥") : QString(), fmt::count(*m_spanLogs));
    if (m_traceLogs)
        logs += (logs.isEmpty() ? QString() : QStringLiteral(" · ")) + tr("%1 of the trace").arg(fmt::count(*m_traceLogs));
    if (!logs.isEmpty())
        html += row(tr("logs"), logs + QStringLiteral(" — <a href='logs:trace'>%1</a>").arg(tr("show them")));
    html += QStringLiteral("</table>");
    html += QStringLiteral("<h4>") + tr("Attributes") + QStringLiteral("</h4>") + attributesTable(s->attributes);
    if (!s->events.empty()) {
        html += QStringLiteral("<h4>") + tr("Events (%1)").arg(s->events.size()) + QStringLiteral("</h4>");
        for (const auto& e : s->events)
            html += QStringLiteral("<p><b>+%1</b> %2</p>").arg(fmt::duration(e.time - s->start), esc(e.name)) + attributesTable(e.attributes);
    }
    if (!s->links.empty()) {
        html += QStringLiteral("<h4>") + tr("Links (%1)").arg(s->links.size()) + QStringLiteral("</h4><table cellspacing=0>");
        for (const auto& l : s->links)
            html += row(esc(l.relation.empty() ? std::string("link") : l.relation),
                        QStringLiteral("<tt>%1 / %2</tt>").arg(QString::fromStdString(l.traceId.toHex()), QString::fromStdString(l.spanId.toHex())));
        html += QStringLiteral("</table>");
    }
    if (s->resource) {
        html += QStringLiteral("<h4>") + tr("Resource") + QStringLiteral("</h4>") + attributesTable(s->resource->raw);
    }
    return html;
}

} // namespace rootline
