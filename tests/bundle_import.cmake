# Importing an exported .rootline bundle back into a cache (issue 3 item 3 round trip).
rootline_test(tst_bundle_import LIBS rootline_model)
