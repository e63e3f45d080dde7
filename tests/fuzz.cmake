# Fuzz targets (issue 13 item 6). Each target's LLVMFuzzerTestOneInput is built twice: as a replay
# program that ctest runs, in every build, over the seed corpus (the tests' data, the shared
# fixtures) and every input a fuzzing run saved under tests/fuzz/corpus/<target>; and, with
# -DROOTLINE_FUZZ=ON and clang, as a libFuzzer program (tests/fuzz/README.md says how to run it).
set(ROOTLINE_FUZZ_SEEDS ${CMAKE_CURRENT_SOURCE_DIR}/data ${PROJECT_SOURCE_DIR}/../shared/fixtures)
function(rootline_fuzz_target name source)
    cmake_parse_arguments(F "" "" "LIBS" ${ARGN})
    add_executable(replay_${name} fuzz/${source} fuzz/ReplayMain.cpp)
    target_link_libraries(replay_${name} PRIVATE ${F_LIBS} rootline_build_flags)
    add_test(NAME fuzz_replay_${name}
             COMMAND replay_${name} ${ROOTLINE_FUZZ_SEEDS} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${name})
    set_tests_properties(fuzz_replay_${name} PROPERTIES TIMEOUT 300 ENVIRONMENT "TZ=UTC")
    if(ROOTLINE_FUZZ)
        add_executable(fuzz_${name} fuzz/${source})
        target_link_libraries(fuzz_${name} PRIVATE ${F_LIBS} rootline_build_flags)
        target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    endif()
endfunction()

rootline_fuzz_target(formats FuzzFormats.cpp LIBS rootline_model)
rootline_fuzz_target(import FuzzImport.cpp LIBS rootline_model)
rootline_fuzz_target(sources FuzzSources.cpp LIBS rootline_connectors)
