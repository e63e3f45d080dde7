# The live guided investigation (issue 11): the plan without servers, then the whole plan against
# a real Prometheus and Alertmanager (Debian) with fake Loki and Jaeger.
rootline_test(tst_live_plan LIBS rootline_connectors)
