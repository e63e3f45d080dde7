# The trace view (issue 10 §1): time↔pixel tables, the layout over flat arrays (collapse, orphans,
# critical path, level of detail, search, colours, a 100,000-deep chain) and the two views over one
# state, offscreen.
rootline_test(tst_trace_time_mapping LIBS rootline_ui)
rootline_test(tst_trace_layout LIBS rootline_ui)
rootline_test(tst_trace_view LIBS rootline_ui)
rootline_test(tst_trace_comparison LIBS rootline_ui)
