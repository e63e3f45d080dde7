# AWS: parsers (model/import/AwsJson), the SigV4 verifier and fake AWS server, the CloudWatch connector.
add_library(rootline_test_aws STATIC support/SigV4Verifier.cpp support/FakeAwsServer.cpp)
target_include_directories(rootline_test_aws PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(rootline_test_aws PUBLIC Qt6::Core Qt6::Network rootline_build_flags)

rootline_test(tst_aws_parse LIBS rootline_model)
rootline_test(tst_sigv4_verifier LIBS rootline_test_aws)
rootline_test(tst_cloudwatch_connector LIBS rootline_connectors rootline_test_aws)
