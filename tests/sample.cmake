# The sample incident generator, content hashing, and bundle export.
rootline_test(tst_sample_incident LIBS rootline_model)
rootline_test(tst_export LIBS rootline_model)
# One case drives the real command line (export, then stats on the bundle).
target_compile_definitions(tst_export PRIVATE ROOTLINE_CLI="$<TARGET_FILE:rootline-cli>")
add_dependencies(tst_export rootline-cli)
