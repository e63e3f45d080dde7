# The investigation pane (issue 5 item 4) and File → Import (issue 3 item 4), offscreen.
rootline_test(tst_investigation_pane LIBS rootline_ui)
rootline_test(tst_import_dialog LIBS rootline_ui)
# Settings → Data sources (issue 4 item 8).
rootline_test(tst_sources_dialog LIBS rootline_ui)
