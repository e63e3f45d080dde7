# Importers: OTLP/JSON, Jaeger JSON, the import engine (containers, streaming, transactions).
rootline_test(tst_import_otlp LIBS rootline_model)
rootline_test(tst_import_jaeger LIBS rootline_model)
rootline_test(tst_importer LIBS rootline_model PkgConfig::LIBARCHIVE ZLIB::ZLIB PkgConfig::ZSTD)
rootline_test(tst_import_bundle_compressed LIBS rootline_model ZLIB::ZLIB PkgConfig::ZSTD)
