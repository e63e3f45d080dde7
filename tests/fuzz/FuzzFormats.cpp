// libFuzzer target: every format's sniff and parse over one input, as the importer and the
// connectors hand them documents (a whole value; line formats get whole lines). Records are
// collected and dropped. A crash, a hang or a sanitizer report is a finding; a rejection is not.

#include "import/Format.h"
#include "import/RecordSink.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (const rootline::Format& format : rootline::formats()) {
        if (format.sniff)
            (void)format.sniff(input.substr(0, 4096));
        if (!format.parse)
            continue;
        rootline::CollectingSink sink;
        rootline::ParseContext ctx;
        ctx.origin = "fuzz";
        ctx.batchSize = 64;
        (void)format.parse(input, ctx, sink);
    }
    return 0;
}
