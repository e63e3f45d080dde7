# Foundation model and cache: time, ids, resources, the cache store and how it opens files.
rootline_test(tst_time LIBS rootline_model)
rootline_test(tst_ids LIBS rootline_model)
rootline_test(tst_resource LIBS rootline_model)
rootline_test(tst_cache_store LIBS rootline_model)
rootline_test(tst_cache_open LIBS rootline_model)
