# The sample incident as exported files (rootline-cli sample --files): generated, imported through
# the real importer, and compared with the generator's own cache; wire shapes; byte determinism.
rootline_test(tst_sample_files LIBS rootline_model nlohmann_json::nlohmann_json)
