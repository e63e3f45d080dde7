// libFuzzer target: the data-sources file (YAML) and Grafana provisioning files.

#include "sources/SourcesFile.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)rootline::parseSources(text, "fuzz.yaml");
    (void)rootline::parseGrafanaProvisioning(text, "fuzz-datasources.yaml");
    return 0;
}
