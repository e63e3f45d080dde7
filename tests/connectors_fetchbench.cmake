# The Loki connector's concurrent pagination (windows fetched ahead) against the fake Loki.
rootline_test(tst_loki_windows LIBS rootline_connectors rootline_test_lokijaeger)
