# The workbench window (issue 10 §2–§4): one time axis, the guided walk driving the panes, pins and
# the report, docks, themes and shortcuts — offscreen over the sample incident.
rootline_test(tst_workbench LIBS rootline_ui)
