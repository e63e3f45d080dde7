# Foundation model and cache: time, ids, resources, the cache store and how it opens files.
rootline_test(tst_time LIBS rootline_model)
rootline_test(tst_ids LIBS rootline_model)
rootline_test(tst_resource LIBS rootline_model)
rootline_test(tst_cache_store LIBS rootline_model)
rootline_test(tst_cache_open LIBS rootline_model)
# Issue 13 item 5: caches on a read-only mount open immutable (a real read-only bind mount in the
# test's own mount namespace, driven through rootline-cli).
rootline_test(tst_readonly_place LIBS rootline_model)
add_dependencies(tst_readonly_place rootline-cli)
target_compile_definitions(tst_readonly_place PRIVATE ROOTLINE_CLI="$<TARGET_FILE:rootline-cli>")
# Issue 13 item 3: rootline-cli imports into one cache at once, and a CLI import waiting its turn.
rootline_test(tst_concurrent_writers LIBS rootline_model)
add_dependencies(tst_concurrent_writers rootline-cli)
target_compile_definitions(tst_concurrent_writers PRIVATE ROOTLINE_CLI="$<TARGET_FILE:rootline-cli>")
# Issue 13 item 2: a cache quick_check finds damaged is read, never written.
rootline_test(tst_damaged_cache LIBS rootline_model)
