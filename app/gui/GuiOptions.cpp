#include "GuiOptions.h"

#include "ManPage.h"

namespace rootline::gui {

const std::vector<GuiOption>& guiOptions()
{
    static const std::vector<GuiOption> table = {
        {opt::bundle, QStringLiteral("FILE"), QStringLiteral("Open this .rootline cache or bundle (the same as giving FILE)."), {}},
        {opt::sources, QStringLiteral("FILE"),
         QStringLiteral("The data sources file the query bars fetch from (default $XDG_CONFIG_HOME/rootline/sources.yaml)."), {}},
        {opt::window, QStringLiteral("FROM,TO"),
         QStringLiteral("Start with this focus window: FROM and TO as RFC 3339, Unix seconds or now-15m."), {}},
        {opt::trace, QStringLiteral("ID"), QStringLiteral("Start with this trace selected."), {}},
        {opt::step, QStringLiteral("NAME"),
         QStringLiteral("Start the guided walk at this step once the investigation has run: alert, sli, logs, traces, span, "
                        "trace-logs, reproduction or confirmation."),
         {}},
        {opt::screenshot, QStringLiteral("OUT.png"),
         QStringLiteral("Render the window once every pane has loaded, write it to OUT.png and exit. With no FILE, the "
                        "start page is rendered."),
         {}},
        {opt::size, QStringLiteral("WxH"), QStringLiteral("The window size for --screenshot."), QStringLiteral("1600x1000")},
        {opt::pane, QStringLiteral("NAME"),
         QStringLiteral("With --screenshot, write only this pane: metrics, logs, traces, investigation or live."), {}},
        {opt::manpage, {}, QStringLiteral("Print this manual page in roff (the build installs it as rootline(1)) and exit."), {}},
    };
    return table;
}

QString helpText(const GuiOption& option)
{
    return option.defaultValue.isEmpty() ? option.help : option.help + QStringLiteral(" Default: %1.").arg(option.defaultValue);
}

QString guiDescription()
{
    return QStringLiteral("Rootline: from alert to root cause, on your workstation");
}

std::string guiManPage(const std::string& version)
{
    man::Page page;
    page.name = "rootline";
    page.version = "Rootline " + version;
    page.summary = "observability correlation workbench: from alert to root cause";
    page.synopsis = {"rootline [OPTION]... [FILE]", "rootline --screenshot OUT.png [--size WxH] [--pane NAME] [FILE]"};
    page.description = {
        "Rootline walks an on-call engineer from a firing alert to the span and the log lines that explain it. It "
        "pulls what an investigation needs from Loki, Prometheus, Jaeger and AWS CloudWatch, or from exported "
        "telemetry files, into a local cache, and shows metrics, logs and traces of the incident on one time axis.",
        "FILE is a .rootline cache or bundle; double-clicking one in a file manager opens it here. With no FILE, "
        "Rootline shows its start page: the sample incident to try, the recent investigations, and the ways to "
        "begin (open a bundle, import files, fetch alerts from the data sources).",
        "With no display (DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM all unset) Rootline says so, renders "
        "offscreen and writes a screenshot (rootline-screenshot.png) instead of opening a window.",
    };
    man::Section options{"OPTIONS", {}, {}, {}};
    for (const GuiOption& o : guiOptions()) {
        options.options.push_back({"--" + o.name.toStdString(), o.valueName.toStdString(), helpText(o).toStdString()});
    }
    options.options.push_back({"--help", "", "Print the options and exit."});
    options.options.push_back({"--version", "", "Print the version and exit."});
    page.sections.push_back(std::move(options));
    page.sections.push_back({"FILES", {}, {}, {
        {"$XDG_CONFIG_HOME/rootline/sources.yaml", "", "The data sources (default ~/.config/rootline/sources.yaml); "
                                                      "the Data sources dialog (File menu) edits it."},
        {"$XDG_CONFIG_HOME/rootline/rootline.conf", "", "Settings: the recent investigations, each query bar's history."},
        {"$XDG_DATA_HOME/rootline/caches/", "", "Where a fetch with no cache open creates one (default "
                                                "~/.local/share/rootline/caches/), and the copy of the sample incident "
                                                "the start page opens."},
        {"/usr/share/rootline/sample-incident.rootline", "", "The sample incident; sample-incident-files/ beside it holds "
                                                             "the same incident as the files it would come from."},
    }});
    page.sections.push_back({"EXIT STATUS", {}, {"0 on success; 2 when the command line is wrong, FILE cannot be "
                                                  "opened, or the screenshot cannot be written."}, {}});
    page.sections.push_back({"SEE ALSO", {}, {"rootline-cli(1)"}, {}});
    return man::render(page);
}

} // namespace rootline::gui
