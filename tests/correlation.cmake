# Correlation and guided investigation (issue 5): trace ids in logs, SLO burn rates, clock skew,
# log templates, critical paths, the scenario suite of generated incidents, the investigation.
rootline_test(tst_trace_context LIBS rootline_model)
rootline_test(tst_slo_burn_rate LIBS rootline_model)
rootline_test(tst_slo_histograms LIBS rootline_model)
rootline_test(tst_correlation_basics LIBS rootline_model)
rootline_test(tst_rootcause_scenarios LIBS rootline_model)
# Issue 15: cause vs symptom without traces — the pieces, then the generated incidents.
rootline_test(tst_causal_order LIBS rootline_model)
rootline_test(tst_rootcause_traceless LIBS rootline_model)
rootline_test(tst_investigation LIBS rootline_model)
# Runs the real rootline-cli (sample incident and a scenario), so it depends on it.
if(TARGET rootline-cli)
    rootline_test(tst_investigate_cli LIBS rootline_model)
    target_compile_definitions(tst_investigate_cli PRIVATE ROOTLINE_CLI="$<TARGET_FILE:rootline-cli>")
    add_dependencies(tst_investigate_cli rootline-cli)
endif()
