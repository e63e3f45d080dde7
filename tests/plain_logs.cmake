# Plain log files (issue 3): JSON lines, logfmt and pattern-read text lines (model/import/PlainLogs).
rootline_test(tst_plain_logs LIBS rootline_model)
