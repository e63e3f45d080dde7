# A log line stored once whichever files or fetches bring it (issue 12 item 3): the writer's identity,
# two imports, and an import followed by a fetch from the fake Loki.
rootline_test(tst_log_identity LIBS rootline_connectors rootline_test_lokijaeger)
