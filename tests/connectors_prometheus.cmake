# HTTP layer, data sources, fetch planning and the Prometheus connector (issue 4).
rootline_test(tst_http_client LIBS rootline_connectors ZLIB::ZLIB)
rootline_test(tst_prometheus_parse LIBS rootline_model)
rootline_test(tst_prometheus_faults LIBS rootline_connectors)
rootline_test(tst_sources LIBS rootline_connectors)
rootline_test(tst_fetch_planner LIBS rootline_connectors)
rootline_test(tst_prometheus_live LIBS rootline_connectors LABELS real-prometheus)
target_link_libraries(tst_prometheus_live PRIVATE Qt6::Network) # support/PrometheusProcess.h
# The live test also drives `rootline-cli fetch` end to end.
add_dependencies(tst_prometheus_live rootline-cli)
target_compile_definitions(tst_prometheus_live PRIVATE ROOTLINE_CLI="$<TARGET_FILE:rootline-cli>")
