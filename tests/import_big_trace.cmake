# A trace larger than the importer holds at once, read with its spans in runs (issue 10).
rootline_test(tst_big_trace_import LIBS rootline_model)
