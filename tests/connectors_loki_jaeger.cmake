# Loki and Jaeger: the Loki API parser, and both connectors against faithful fake servers.
rootline_test(tst_loki_parse LIBS rootline_model)

# Fake servers (loopback, own threads) shared by the Loki and Jaeger connector tests.
add_library(rootline_test_lokijaeger STATIC support/MiniHttpServer.cpp support/FakeLokiServer.cpp support/FakeJaegerServer.cpp)
target_include_directories(rootline_test_lokijaeger PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(rootline_test_lokijaeger PUBLIC Threads::Threads rootline_build_flags PRIVATE nlohmann_json::nlohmann_json)

rootline_test(tst_loki_connector LIBS rootline_connectors rootline_test_lokijaeger)
rootline_test(tst_jaeger_connector LIBS rootline_connectors rootline_test_lokijaeger)

# `rootline-cli fetch` against both fake servers (runs the real CLI binary).
rootline_test(tst_cli_fetch_loki_jaeger LIBS rootline_model rootline_test_lokijaeger)
add_dependencies(tst_cli_fetch_loki_jaeger rootline-cli)
target_compile_definitions(tst_cli_fetch_loki_jaeger PRIVATE ROOTLINE_CLI="$<TARGET_FILE:rootline-cli>")

# Each fetched Loki window checked against a count_over_time count, and repaired (issue 12, item 2).
rootline_test(tst_loki_completeness LIBS rootline_connectors rootline_test_lokijaeger)
