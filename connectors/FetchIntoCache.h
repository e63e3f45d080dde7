#pragma once

// The one fetch-into-cache path (issue 11 item 5): secrets → connector → provenance → writer →
// runFetch, for a cache file named by its path. `rootline-cli fetch`, the window's query bars
// (ui/FetchController) and the live investigation's plan runner (live/LiveRunner.h) all call it;
// none of them builds that chain itself.
//
// Contract:
//  * Call it off the UI thread: it opens its own writer (taking its turn behind another writer of
//    the same cache) and its own short-lived reader for the provenance, and returns once what it
//    fetched is committed and the writer's queue is drained (the panes may reload right away).
//  * The source's secrets are resolved here, from a copy: the caller's Source is never changed.
//  * A source that cannot fetch the request's kind is an Error naming the source, with a hint.
//  * A missing cache file is created (the writer opens first, then the provenance is read, so a
//    fetch that waited its turn sees what the other writer just stored).

#include "FetchService.h"
#include "cache/CacheWriter.h"
#include "sources/Source.h"

#include <atomic>
#include <string>

namespace rootline {

namespace http { class HttpClient; }

struct FetchIntoCacheOptions {
    WriterOptions writer;                // the CLI passes cliWriterOptions() (says when it waits)
    http::HttpClient* client = nullptr;  // null: http::HttpClient::shared()
};

// Ok when `source` can fetch `kind`; else an Error ("a loki source cannot fetch series").
Status sourceCanFetch(const Source& source, FetchKind kind);

Result<FetchReport> fetchIntoCache(const Source& source, const FetchRequest& request, const std::string& cachePath,
                                   const std::atomic_bool* cancelled = nullptr, const ProgressCallback& progress = {},
                                   const FetchIntoCacheOptions& options = {});

} // namespace rootline
