# Query bars and fetching from the GUI (issue 4 item 8): the bar's plain logic, and the main window
# fetching from a fake Loki offscreen (progress, cancel, completion from the source's labels).
rootline_test(tst_query_bar LIBS rootline_ui)
rootline_test(tst_gui_fetch LIBS rootline_ui rootline_test_lokijaeger)
# The metrics bar against a real Prometheus (Debian's package), as tst_prometheus_live starts it:
# completion, series, exemplars riding along, Fetch alerts and choosing an alert to investigate.
rootline_test(tst_gui_fetch_prometheus LIBS rootline_ui LABELS real-prometheus)
target_link_libraries(tst_gui_fetch_prometheus PRIVATE Qt6::Network)
# The three bars against the fake AWS server (CloudWatch Logs, GetMetricData, X-Ray by id), signed.
rootline_test(tst_gui_fetch_cloudwatch LIBS rootline_ui rootline_test_aws)
