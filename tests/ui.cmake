# The window (issue 2 item 6): the focus hub, the item models, the timeline's data maths, and an
# offscreen smoke test of the whole main window over a generated cache.
rootline_test(tst_focus LIBS rootline_ui)
rootline_test(tst_log_table_model LIBS rootline_ui)
rootline_test(tst_trace_list_model LIBS rootline_ui)
rootline_test(tst_timeline_data LIBS rootline_ui)
rootline_test(tst_gui_smoke LIBS rootline_ui)
rootline_test(tst_span_waterfall LIBS rootline_ui)
rootline_test(tst_damaged_banner LIBS rootline_ui)
rootline_test(tst_cache_session LIBS rootline_ui)
