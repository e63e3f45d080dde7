# Importers: OTLP/JSON, Jaeger JSON, the import engine (containers, streaming, transactions).
rootline_test(tst_import_otlp LIBS rootline_model)
rootline_test(tst_import_jaeger LIBS rootline_model)
rootline_test(tst_importer LIBS rootline_model PkgConfig::LIBARCHIVE ZLIB::ZLIB PkgConfig::ZSTD)
rootline_test(tst_import_bundle_compressed LIBS rootline_model ZLIB::ZLIB PkgConfig::ZSTD)
# Issue 13 item 1: nesting deeper than the JSON limit is refused everywhere, 10× the limit per site.
rootline_test(tst_deep_nesting LIBS rootline_model)
# Issue 12 items 1 and 5: OTLP metric stream identity (resource + scope + name + attributes) and
# delta temporality, through the cache into SLIs.
rootline_test(tst_otlp_streams LIBS rootline_model)
# ... and what the timeline draws from them: one p95 line per service (links the UI library for
# PlotSpec/TimelineData, which hold the timeline's maths; no widget is created).
rootline_test(tst_otlp_stream_timeline LIBS rootline_ui)
