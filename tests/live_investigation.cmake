# The live guided investigation (issue 11): the plan without servers, then the whole plan against
# a real Prometheus and Alertmanager (Debian) with fake Loki and Jaeger.
rootline_test(tst_live_plan LIBS rootline_connectors)
rootline_test(tst_live_investigation LIBS rootline_connectors rootline_test_lokijaeger LABELS real-prometheus)
target_link_libraries(tst_live_investigation PRIVATE Qt6::Network nlohmann_json::nlohmann_json) # support/PrometheusProcess.h
add_dependencies(tst_live_investigation rootline-cli)
target_compile_definitions(tst_live_investigation PRIVATE ROOTLINE_CLI="$<TARGET_FILE:rootline-cli>")
# The window's live-investigation panel, offscreen, against a fake Loki.
rootline_test(tst_live_panel GUI LIBS rootline_ui rootline_test_lokijaeger)
