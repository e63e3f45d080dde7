#include "Importer.h"

#include "ArchiveReader.h"
#include "ByteSource.h"
#include "Format.h"
#include "JsonSplitter.h"
#include "LineChunker.h"
#include "RecordSink.h"
#include "Sha256Stream.h"
#include "bundle/BundleFile.h"
#include "bundle/ContentHash.h"
#include "bundle/RecordCopier.h"
#include "cache/CacheReader.h"
#include "cache/Schema.h"
#include "core/Clock.h"
#include "core/Utf8.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace rootline {

namespace fs = std::filesystem;

namespace {

constexpr size_t kReadBlock = size_t(1) << 20;
constexpr size_t kHeadBytes = 4096;

// Refuses decompression bombs: too much output for the compressed input, or too much at all.
class BombGuard {
public:
    explicit BombGuard(const ImportOptions& o) : m_options(o) {}
    Status add(size_t produced, int64_t rawConsumed, const std::string& where)
    {
        m_out += int64_t(produced);
        if (m_out > m_options.maxUncompressedBytes)
            return Error{where, "more than " + std::to_string(m_options.maxUncompressedBytes >> 20) + " MiB after decompression; refusing it",
                         "a decompression bomb? import the parts separately if it is genuine"};
        if (m_out > m_options.ratioGraceBytes && rawConsumed > 0
            && double(m_out) > m_options.maxCompressionRatio * double(rawConsumed))
            return Error{where, "decompresses to more than " + std::to_string(int(m_options.maxCompressionRatio)) + "× its size; refusing it",
                         "a decompression bomb? decompress it yourself if it is genuine"};
        return {};
    }

private:
    const ImportOptions& m_options;
    int64_t m_out = 0;
};

// Bytes that are not UTF-8 would make a JSON parser refuse the whole document (and with it a
// Loki stream's thousands of lines) and a line pattern stop mid-line ("caf\xe9 au lait" read as
// "caf"). So each such byte becomes U+FFFD before parsing, and every line that held one is kept
// with a warning. Line numbers stay right; byte offsets after a replacement move by two a byte.
void repairUtf8Lines(std::string_view doc, const std::string& origin, int64_t firstLine, std::string& repaired, RecordSink& sink)
{
    constexpr int kListedPerDocument = 100;
    repaired.reserve(doc.size() + 64);
    int64_t line = firstLine, linesChanged = 0, bytesChanged = 0;
    for (size_t pos = 0; pos < doc.size(); ++line) {
        size_t end = doc.find('\n', pos);
        end = end == std::string_view::npos ? doc.size() : end + 1;
        const std::string_view text = doc.substr(pos, end - pos);
        if (const size_t n = appendRepairedUtf8(repaired, text)) {
            if (++linesChanged <= kListedPerDocument) {
                std::string shown;
                appendRepairedUtf8(shown, text.substr(0, 240));
                sink.warn(origin + ":" + std::to_string(line), std::to_string(n) + (n == 1 ? " byte" : " bytes")
                          + " not valid UTF-8, kept as U+FFFD", std::move(shown));
            }
            bytesChanged += int64_t(n);
        }
        pos = end;
    }
    if (linesChanged > kListedPerDocument)
        sink.warn(origin + ":" + std::to_string(firstLine), std::to_string(linesChanged - kListedPerDocument)
                  + " more lines held bytes that are not valid UTF-8 (" + std::to_string(bytesChanged)
                  + " bytes in all, kept as U+FFFD)", {});
}

struct Scanned {
    std::string hash; // SHA-256 of the decompressed bytes, hex
    std::string head; // the first few KiB, for detection
    int64_t bytes = 0;
};

// The start of `text` on one line, cut on a UTF-8 character boundary, control bytes as '?'.
std::string oneLine(std::string_view text, size_t max = 80)
{
    if (text.size() > max) {
        size_t cut = max;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
            --cut; // do not split a multi-byte character
        text = text.substr(0, cut);
    }
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return out;
}

// The importer's sink: gathers the parser's batches (which may be small when a document arrives
// element by element) into batches of batchSize for the unit, and lists the first rejections.
class UnitSink final : public RecordSink {
public:
    UnitSink(WriteUnit& unit, ImportFileResult& result, const ImportOptions& options)
        : m_unit(unit), m_result(result), m_options(options)
    {
    }

    Status batch(TelemetryBatch&& b) override
    {
        if (!m_failure.ok())
            return m_failure;
        if (m_pending.empty()) {
            m_pending = std::move(b);
        } else {
            auto append = [](auto& to, auto& from) {
                to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
            };
            append(m_pending.logs, b.logs);
            append(m_pending.spans, b.spans);
            append(m_pending.series, b.series);
            append(m_pending.alerts, b.alerts);
        }
        if (m_pending.recordCount() >= m_options.batchSize)
            return flush();
        return {};
    }

    void reject(std::string location, std::string message, std::string snippet) override
    {
        ++m_result.rejected;
        if (m_result.errors.size() < m_options.maxRejectionsListed)
            m_result.errors.push_back({m_result.path, location, message});
        m_unit.reject(std::move(location), std::move(message), std::move(snippet));
    }

    void warn(std::string location, std::string message, std::string snippet) override
    {
        ++m_result.warnings;
        if (m_result.errors.size() < m_options.maxRejectionsListed)
            m_result.errors.push_back({m_result.path, location, "warning: " + message});
        m_unit.reject(std::move(location), std::move(message), std::move(snippet), ProblemLevel::Warning);
    }

    Status flush()
    {
        if (!m_failure.ok())
            return m_failure;
        if (m_pending.empty())
            return {};
        m_failure = m_unit.append(std::move(m_pending));
        m_pending = TelemetryBatch();
        return m_failure;
    }

    const Status& failure() const { return m_failure; }

private:
    WriteUnit& m_unit;
    ImportFileResult& m_result;
    const ImportOptions& m_options;
    TelemetryBatch m_pending;
    Status m_failure;
};

bool unsafeArchivePath(std::string name)
{
    std::replace(name.begin(), name.end(), '\\', '/');
    if (name.empty() || name[0] == '/' || (name.size() > 1 && name[1] == ':'))
        return true;
    size_t start = 0;
    while (start <= name.size()) {
        const size_t end = std::min(name.find('/', start), name.size());
        if (name.compare(start, end - start, "..") == 0 && end - start == 2)
            return true;
        start = end + 1;
    }
    return false;
}

} // namespace

struct Importer::Impl {
    CacheWriter& writer;
    const ImportOptions& options;
    const std::atomic_bool* cancelFlag;
    const std::function<void(const ImportProgress&)>& progressFn;
    std::chrono::milliseconds interval;

    ImportProgress progress;
    int64_t doneBase = 0; // raw bytes of passes already finished
    std::chrono::steady_clock::time_point lastReport{};

    bool cancelled() const { return cancelFlag && cancelFlag->load(std::memory_order_relaxed); }

    void report(const std::string& path, const char* phase, int64_t currentRaw, bool force = false)
    {
        if (!progressFn)
            return;
        const auto now = std::chrono::steady_clock::now();
        if (!force && now - lastReport < interval)
            return;
        lastReport = now;
        progress.path = path;
        progress.phase = phase;
        progress.bytesDone = std::min(doneBase + currentRaw, progress.bytesTotal);
        progressFn(progress);
    }

    Error cancelledError(const std::string& where) const { return Error{where, "cancelled", {}}; }

    // Pass 1: hash, head, bomb check.
    Result<Scanned> scan(ByteSource& source, const std::string& display, BombGuard& guard, int64_t rawBase = 0)
    {
        Scanned s;
        Sha256Stream sha;
        std::string buffer(kReadBlock, '\0');
        for (;;) {
            if (cancelled())
                return cancelledError(display);
            auto n = source.read(buffer.data(), buffer.size());
            if (!n)
                return n.error();
            if (*n == 0)
                break;
            sha.add(std::string_view(buffer.data(), *n));
            if (s.head.size() < kHeadBytes)
                s.head.append(buffer.data(), std::min(*n, kHeadBytes - s.head.size()));
            s.bytes += int64_t(*n);
            if (Status g = guard.add(*n, source.rawBytes(), display); !g)
                return g.error();
            report(display, "checking", source.rawBytes() - rawBase);
        }
        s.hash = sha.hex();
        return s;
    }

    // Decides what to do with a scanned input; returns the format to import with, or nullptr
    // after filling `result` (unrecognised or duplicate).
    const Format* decide(const Scanned& s, ImportFileResult& result)
    {
        const Format* format = nullptr;
        if (!options.formats) {
            format = options.format.empty() ? detectFormat(s.head) : formatByName(options.format);
        } else {
            int best = 0;
            for (const auto& f : *options.formats) {
                const int score = options.format.empty() ? (f.sniff ? f.sniff(s.head) : 0) : (f.name == options.format ? 100 : 0);
                if (score > best) {
                    best = score;
                    format = &f;
                }
            }
        }
        if (!format) {
            result.outcome = options.format.empty() ? ImportFileResult::Outcome::Unrecognized : ImportFileResult::Outcome::Failed;
            result.note = options.format.empty()
                ? (s.bytes == 0 ? std::string("empty file") : "no known format recognises this content (it starts with \"" + oneLine(s.head) + "\")")
                : "unknown format \"" + options.format + "\"";
            result.errors.push_back({result.path, {}, result.note});
            return nullptr;
        }
        result.format = format->name;
        auto seen = writer.hasContentHash(s.hash);
        if (!seen) {
            result.outcome = ImportFileResult::Outcome::Failed;
            result.note = seen.error().message();
            result.errors.push_back({result.path, {}, result.note});
            return nullptr;
        }
        if (*seen) {
            result.outcome = ImportFileResult::Outcome::Duplicate;
            result.note = "already imported (same content, sha256 " + s.hash.substr(0, 12) + "…); skipped";
            return nullptr;
        }
        return format;
    }

    // Pass 2: parse into one write unit.
    void importSource(ByteSource& source, const Format& format, const std::string& hash, ImportFileResult& result, int64_t rawBase = 0)
    {
        FetchRecord fetch;
        fetch.source = "file";
        fetch.kind = "import";
        fetch.query = result.path;
        fetch.fetchedAt = Clock::current().now();
        fetch.contentHash = hash;
        auto unit = writer.begin(fetch);
        UnitSink sink(*unit, result, options);

        ParseContext base;
        base.origin = result.path;
        base.cancelled = cancelFlag;
        base.strict = options.strict;
        base.batchSize = options.batchSize;

        auto parseDocument = [&](std::string_view doc, int64_t firstLine, int64_t firstByte, int64_t startByte, bool singleValue) -> Status {
            ParseContext ctx = base;
            ctx.firstLine = firstLine;
            ctx.firstByte = firstByte;
            ctx.singleValue = singleValue;
            std::string repaired;
            if (!isValidUtf8(doc)) {
                repairUtf8Lines(doc, base.origin, firstLine, repaired, sink);
                doc = repaired;
            }
            Status s = format.parse(doc, ctx, sink);
            if (s)
                return {};
            if (!sink.failure().ok())
                return sink.failure();
            if (cancelled())
                return cancelledError(result.path);
            if (options.strict)
                return s.error();
            // The parser refused this document (or element) as a whole: reject it, keep going.
            const std::string location = s.error().where.empty() || s.error().where == base.origin
                ? base.origin + "@" + std::to_string(startByte)
                : s.error().where;
            const size_t skip = size_t(std::max<int64_t>(0, startByte - firstByte));
            sink.reject(location, s.error().what, std::string(doc.substr(std::min(skip, doc.size()), 240)));
            return {};
        };

        Status status;
        std::string buffer(kReadBlock, '\0');
        if (format.lineOriented) {
            // Runs of whole lines (LineChunker decides where they end); `carry` holds the input not
            // yet handed over, from `pos`, whose first byte is line `carryLine`, byte `carryByte`.
            LineChunker chunker(options.lineChunkBytes, std::min(options.maxPieceBytes, 8 * options.lineChunkBytes),
                                format.startsRecord);
            std::string carry;
            size_t pos = 0;
            int64_t carryLine = 1, carryByte = 0;
            bool end = false;
            while (status.ok() && !end) {
                if (cancelled()) {
                    status = cancelledError(result.path);
                    break;
                }
                // Read straight into the carry: no second copy of every byte.
                const size_t had = carry.size();
                carry.resize(had + kReadBlock);
                auto n = source.read(carry.data() + had, kReadBlock);
                carry.resize(had + (n ? *n : 0));
                if (!n) {
                    status = n.error();
                    break;
                }
                end = *n == 0;
                report(result.path, "importing", source.rawBytes() - rawBase);
                while (status.ok()) {
                    const std::string_view rest(carry.data() + pos, carry.size() - pos);
                    if (rest.empty() || (!end && rest.size() < options.lineChunkBytes))
                        break;
                    const size_t cut = chunker.chunkEnd(rest, end);
                    if (cut == LineChunker::npos) {
                        if (rest.size() > options.maxPieceBytes)
                            status = Error{result.path + ":" + std::to_string(carryLine),
                                           "a line longer than " + std::to_string(options.maxPieceBytes >> 20) + " MiB", {}};
                        break;
                    }
                    const std::string_view doc = rest.substr(0, cut);
                    status = parseDocument(doc, carryLine, carryByte, carryByte, false);
                    carryLine += std::count(doc.begin(), doc.end(), '\n');
                    carryByte += int64_t(cut);
                    pos += cut;
                    chunker.consumed();
                }
                if (pos > 0) {
                    carry.erase(0, pos);
                    pos = 0;
                }
            }
        } else {
            JsonSplitterOptions so;
            so.splitPaths = format.splitPaths;
            so.maxPieceBytes = options.maxPieceBytes;
            so.elementSplitPaths = format.elementSplitPaths;
            so.elementSplitBytes = std::min(so.elementSplitBytes, options.maxPieceBytes);
            so.elementRunBytes = std::min(so.elementRunBytes, std::max<size_t>(so.elementSplitBytes / 8, 1));
            JsonSplitter splitter(so);
            auto onPiece = [&](const JsonPiece& piece) -> Status {
                if (piece.broken) {
                    const std::string location = result.path + ":" + std::to_string(piece.startLine);
                    const std::string message = std::string("malformed JSON: ") + piece.broken;
                    if (options.strict)
                        return Error{location, message, {}};
                    const size_t skip = size_t(piece.startByte - piece.firstByte);
                    sink.reject(location, message, std::string(piece.document.substr(std::min(skip, piece.document.size()), 240)));
                    return {};
                }
                return parseDocument(piece.document, piece.firstLine, piece.firstByte, piece.startByte, true);
            };
            for (;;) {
                if (cancelled()) {
                    status = cancelledError(result.path);
                    break;
                }
                auto n = source.read(buffer.data(), buffer.size());
                if (!n) {
                    status = n.error();
                    break;
                }
                if (*n == 0) {
                    status = splitter.finish(onPiece);
                    break;
                }
                status = splitter.feed(std::string_view(buffer.data(), *n), onPiece);
                if (!status) {
                    if (status.error().where.rfind('@', 0) == 0) // the splitter names only the offset
                        status = Error{result.path + status.error().where, status.error().what, status.error().hint};
                    break;
                }
                report(result.path, "importing", source.rawBytes() - rawBase);
            }
        }
        if (status.ok())
            status = sink.flush();
        if (!status.ok()) {
            unit->rollback();
            if (status.error().what == kAlreadyImported) {
                fail(result, status.error()); // a duplicate, committed by another import meanwhile
                result.stats = WriteStats();
                return;
            }
            const bool wasCancelled = cancelled();
            result.outcome = wasCancelled ? ImportFileResult::Outcome::Cancelled : ImportFileResult::Outcome::Failed;
            result.note = wasCancelled ? std::string("cancelled; nothing of this file was stored")
                                       : status.error().message() + " — nothing of this file was stored";
            result.errors.push_back({result.path, wasCancelled ? std::string() : status.error().where, status.error().what});
            result.stats = WriteStats();
            return;
        }
        std::string message = format.name;
        if (result.rejected)
            message += "; " + std::to_string(result.rejected) + " records rejected";
        auto stats = unit->commit(result.rejected == 0, message);
        if (!stats) {
            result.outcome = ImportFileResult::Outcome::Failed;
            result.note = stats.error().message();
            result.errors.push_back({result.path, {}, stats.error().message()});
            return;
        }
        result.stats = *stats;
        result.outcome = ImportFileResult::Outcome::Imported;
    }

    Result<std::unique_ptr<ByteSource>> openSingle(const std::string& path, const std::string& display)
    {
        auto file = openFileSource(path);
        if (!file)
            return file.error();
        return decompressing(std::move(*file), display);
    }

    void fail(ImportFileResult& result, const Error& error)
    {
        if (error.what == kAlreadyImported) {
            // Another import of the same content committed first (another process, at the same
            // time): what this one read was rolled back, and the file is there once.
            result.outcome = ImportFileResult::Outcome::Duplicate;
            result.note = "already imported (same content, committed by another import meanwhile); skipped";
            result.errors.clear();
            result.rejected = 0;
            result.warnings = 0;
            return;
        }
        result.outcome = cancelled() ? ImportFileResult::Outcome::Cancelled : ImportFileResult::Outcome::Failed;
        result.note = error.message();
        result.errors.push_back({result.path, error.where == result.path ? std::string() : error.where, error.what});
    }

    void importSingle(const std::string& path, int64_t size, ImportSummary& summary)
    {
        ImportFileResult result;
        result.path = path;
        BombGuard guard(options);
        auto source = openSingle(path, path);
        Result<Scanned> scanned = source ? scan(**source, path, guard) : Result<Scanned>(source.error());
        doneBase += size;
        if (!scanned) {
            fail(result, scanned.error());
            doneBase += size;
            summary.files.push_back(std::move(result));
            return;
        }
        const Format* format = decide(*scanned, result);
        if (format) {
            auto again = openSingle(path, path);
            if (!again) {
                fail(result, again.error());
            } else {
                importSource(**again, *format, scanned->hash, result);
            }
        }
        doneBase += size;
        summary.files.push_back(std::move(result));
    }

    void importArchive(const std::string& path, int64_t size, ImportSummary& summary)
    {
        struct Entry {
            std::string name;
            ImportFileResult result;
            Scanned scanned;
            const Format* format = nullptr;
            bool processed = false;
        };
        std::vector<Entry> entries;
        ImportFileResult archiveResult;
        archiveResult.path = path;

        // Pass 1: every member hashed and sniffed; an unsafe path or a bomb refuses the archive.
        {
            auto reader = ArchiveReader::open(path);
            if (!reader) {
                fail(archiveResult, reader.error());
                doneBase += 2 * size;
                summary.files.push_back(std::move(archiveResult));
                return;
            }
            BombGuard guard(options);
            for (;;) {
                auto next = (*reader)->next();
                if (!next) {
                    fail(archiveResult, next.error());
                    break;
                }
                if (!*next)
                    break;
                const ArchiveMember& member = **next;
                if (unsafeArchivePath(member.name)) {
                    fail(archiveResult, Error{path, "the archive holds an entry \"" + member.name + "\" that points outside it; refusing the archive",
                                              "someone may be trying a path-traversal attack; extract it yourself if you trust it"});
                    break;
                }
                if (!member.regularFile)
                    continue;
                Entry entry;
                entry.name = member.name;
                entry.result.path = path + "!/" + member.name;
                auto source = decompressing((*reader)->memberSource(), entry.result.path);
                Result<Scanned> scanned = source ? scan(**source, entry.result.path, guard) : Result<Scanned>(source.error());
                if (!scanned) {
                    Error e = scanned.error();
                    fail(archiveResult, Error{e.where, e.what + " (in the archive; refusing it)", e.hint});
                    break;
                }
                entry.scanned = std::move(*scanned);
                entries.push_back(std::move(entry));
            }
        }
        doneBase += size;
        if (!archiveResult.errors.empty()) {
            doneBase += size;
            summary.files.push_back(std::move(archiveResult));
            return;
        }
        if (entries.empty()) {
            archiveResult.outcome = ImportFileResult::Outcome::Unrecognized;
            archiveResult.note = "the archive holds no files";
            archiveResult.errors.push_back({path, {}, archiveResult.note});
            doneBase += size;
            summary.files.push_back(std::move(archiveResult));
            return;
        }
        bool anyToImport = false;
        std::vector<std::string> chosen; // hashes of members about to be imported: one copy only
        for (auto& e : entries) {
            e.format = decide(e.scanned, e.result);
            if (e.format && std::find(chosen.begin(), chosen.end(), e.scanned.hash) != chosen.end()) {
                e.format = nullptr;
                e.result.outcome = ImportFileResult::Outcome::Duplicate;
                e.result.note = "the same content as an earlier member of this archive; skipped";
            } else if (e.format) {
                chosen.push_back(e.scanned.hash);
            }
            anyToImport = anyToImport || e.format;
        }

        // Pass 2: the members to import, each in its own unit.
        if (anyToImport) {
            auto reader = ArchiveReader::open(path);
            size_t index = 0;
            if (!reader) {
                for (auto& e : entries)
                    if (e.format)
                        fail(e.result, reader.error());
            } else {
                for (;;) {
                    if (cancelled())
                        break;
                    auto next = (*reader)->next();
                    if (!next || !*next)
                        break;
                    if (!(*next)->regularFile || unsafeArchivePath((*next)->name))
                        continue;
                    if (index >= entries.size())
                        break;
                    Entry& e = entries[index++];
                    if (!e.format)
                        continue;
                    e.processed = true;
                    auto source = decompressing((*reader)->memberSource(), e.result.path);
                    if (!source) {
                        fail(e.result, source.error());
                        continue;
                    }
                    importSource(**source, *e.format, e.scanned.hash, e.result);
                    if (e.result.outcome == ImportFileResult::Outcome::Cancelled)
                        break;
                }
            }
            for (auto& e : entries)
                if (e.format && !e.processed) {
                    e.result.outcome = cancelled() ? ImportFileResult::Outcome::Cancelled : ImportFileResult::Outcome::Failed;
                    e.result.note = cancelled() ? "cancelled before this member" : "the archive changed between reads";
                    e.result.errors.push_back({e.result.path, {}, e.result.note});
                }
        }
        doneBase += size;
        for (auto& e : entries)
            summary.files.push_back(std::move(e.result));
    }

    bool isArchive(const std::string& path)
    {
        auto file = openFileSource(path);
        if (!file)
            return false;
        std::string head(1024, '\0');
        auto n = readFully(**file, head.data(), head.size());
        if (!n)
            return false;
        head.resize(*n);
        if (head.rfind("PK\x03\x04", 0) == 0 || head.rfind("PK\x05\x06", 0) == 0)
            return true;
        auto tarMagic = [](const std::string& h) { return h.size() >= 262 && h.compare(257, 5, "ustar") == 0; };
        if (tarMagic(head))
            return true;
        const Compression c = compressionOf(head);
        if (c == Compression::Bzip2 || c == Compression::Xz)
            return true; // libarchive reads these; a single compressed file is then refused by it with a hint
        if (c == Compression::None)
            return false;
        auto again = openSingle(path, path);
        if (!again)
            return false;
        std::string inner(1024, '\0');
        auto m = readFully(**again, inner.data(), inner.size());
        if (!m)
            return false;
        inner.resize(*m);
        return tarMagic(inner);
    }

    // What the first bytes say about a file: a Rootline cache (an exported bundle), another
    // application's SQLite database, or neither (left to archive and format detection). A gzip or
    // zstd file is looked into (".rootline.gz", ".rootline.zst"): `compressed` tells which it was.
    enum class SqliteKind { None, Rootline, Foreign };
    static SqliteKind sqliteKindOf(ByteSource& source)
    {
        unsigned char head[72] = {};
        auto n = readFully(source, reinterpret_cast<char*>(head), sizeof head);
        if (!n || *n < 16 || std::memcmp(head, "SQLite format 3\0", 16) != 0)
            return SqliteKind::None;
        if (*n < sizeof head)
            return SqliteKind::Rootline; // too short to tell: CacheReader refuses it with the reason
        const uint32_t appId = (uint32_t(head[68]) << 24) | (uint32_t(head[69]) << 16) | (uint32_t(head[70]) << 8) | uint32_t(head[71]);
        return appId == uint32_t(cache::kApplicationId) ? SqliteKind::Rootline : SqliteKind::Foreign;
    }
    SqliteKind sqliteKind(const std::string& path, bool& compressed)
    {
        compressed = false;
        auto file = openFileSource(path);
        if (!file)
            return SqliteKind::None;
        std::string magic(6, '\0');
        auto n = readFully(**file, magic.data(), magic.size());
        if (!n)
            return SqliteKind::None;
        magic.resize(*n);
        const Compression c = compressionOf(magic);
        if (c != Compression::Gzip && c != Compression::Zstd) {
            file = openFileSource(path);
            return file ? sqliteKindOf(**file) : SqliteKind::None;
        }
        auto inner = openSingle(path, path);
        const SqliteKind kind = inner ? sqliteKindOf(**inner) : SqliteKind::None;
        compressed = kind != SqliteKind::None;
        return kind;
    }

    // A compressed bundle is decompressed to a temporary file (SQLite needs a file to open), under
    // the same decompression bomb guards as any other input; the file is removed afterwards.
    struct TemporaryCache {
        std::string path;
        ~TemporaryCache()
        {
            if (!path.empty())
                bundle::removeCacheFiles(path);
        }
    };
    Status decompressToTemporary(const std::string& path, TemporaryCache& temp)
    {
        auto source = openSingle(path, path);
        if (!source)
            return source.error();
        std::error_code ec;
        const fs::path dir = fs::temp_directory_path(ec);
        std::string name = (ec ? fs::path("/tmp") : dir).string() + "/rootline-import-XXXXXX.rootline";
        const int fd = ::mkstemps(name.data(), int(std::strlen(".rootline")));
        if (fd < 0)
            return Error{path, std::string("cannot create a temporary file to decompress the bundle into: ") + std::strerror(errno),
                         "check that the temporary directory (TMPDIR) exists and is writable"};
        temp.path = name;
        FILE* out = ::fdopen(fd, "wb");
        if (!out) {
            ::close(fd);
            return Error{path, std::string("cannot write a temporary file: ") + std::strerror(errno), {}};
        }
        BombGuard guard(options);
        std::string buffer(kReadBlock, '\0');
        Status status;
        for (;;) {
            if (cancelled()) {
                status = cancelledError(path);
                break;
            }
            auto n = (*source)->read(buffer.data(), buffer.size());
            if (!n) {
                status = n.error();
                break;
            }
            if (*n == 0)
                break;
            if (Status g = guard.add(*n, (*source)->rawBytes(), path); !g) {
                status = g;
                break;
            }
            if (std::fwrite(buffer.data(), 1, *n, out) != *n) {
                status = Error{path, "cannot write the decompressed bundle to " + name + ": " + std::strerror(errno),
                               "free space in the temporary directory (TMPDIR), or decompress it yourself"};
                break;
            }
            report(path, "checking", (*source)->rawBytes());
        }
        if (std::fclose(out) != 0 && status.ok())
            status = Error{path, "cannot write the decompressed bundle to " + name + ": " + std::strerror(errno),
                           "free space in the temporary directory (TMPDIR), or decompress it yourself"};
        return status;
    }

    // Errors about the temporary copy name the input the user gave instead.
    static Error renamed(Error e, const std::string& from, const std::string& to)
    {
        for (std::string* text : {&e.where, &e.what})
            for (size_t at = text->find(from); !from.empty() && at != std::string::npos; at = text->find(from, at + to.size()))
                text->replace(at, from.size(), to);
        return e;
    }

    void importCompressedBundle(const std::string& path, int64_t size, ImportSummary& summary)
    {
        report(path, "checking", 0, true);
        TemporaryCache temp;
        if (Status s = decompressToTemporary(path, temp); !s) {
            ImportFileResult result;
            result.path = path;
            result.format = "rootline-bundle";
            fail(result, s.error());
            doneBase += 2 * size;
            summary.files.push_back(std::move(result));
            return;
        }
        importBundle(temp.path, path, size, summary);
    }

    // A Rootline cache (what `export` writes): its records are copied into one unit, deduplicated by
    // the bundle's content hash, so importing the same bundle twice adds nothing. `file` is what
    // SQLite opens, `display` the input's name in results (they differ for a compressed bundle).
    void importBundle(const std::string& file, const std::string& display, int64_t size, ImportSummary& summary)
    {
        ImportFileResult result;
        result.path = display;
        result.format = "rootline-bundle";
        doneBase += size;
        report(display, "checking", 0, true);
        auto reader = CacheReader::open(file);
        // A bundle from an older Rootline (an older schema) is read from a migrated copy: the
        // received file is never written. Its content hash does not change: the migrations keep
        // what an export wrote (one unit's records).
        TemporaryCache upgraded;
        if (!reader && reader.error().what.find("uses an older schema") != std::string::npos) {
            Status s = decompressToTemporary(file, upgraded);
            if (s) {
                auto migrating = CacheWriter::open(upgraded.path);
                if (!migrating)
                    s = migrating.error();
            }
            reader = s ? CacheReader::open(upgraded.path) : Result<std::unique_ptr<CacheReader>>(s.error());
            if (!reader)
                reader = renamed(reader.error(), upgraded.path, display);
        }
        if (!reader) {
            fail(result, renamed(reader.error(), file, display));
            doneBase += size;
            summary.files.push_back(std::move(result));
            return;
        }
        auto hash = contentHash(**reader);
        if (!hash) {
            fail(result, renamed(hash.error(), file, display));
        } else if (Status s = checkManifestHash(**reader, *hash, display); !s) {
            fail(result, s.error());
        } else if (auto seen = writer.hasContentHash(*hash); !seen) {
            fail(result, seen.error());
        } else if (*seen) {
            result.outcome = ImportFileResult::Outcome::Duplicate;
            result.note = "already imported (same content, sha256 " + hash->substr(0, 12) + "…); skipped";
        } else {
            copyBundle(**reader, *hash, result);
        }
        doneBase += size;
        summary.files.push_back(std::move(result));
    }

    // An exported bundle names the hash of its content in its manifest. Content that no longer
    // matches was changed after export (edited with sqlite3, damaged on the way): refused, unless
    // the user vouches for it with --trust. A cache that was never exported has no such entry.
    Status checkManifestHash(CacheReader& reader, const std::string& hash, const std::string& display)
    {
        auto manifest = reader.manifest();
        if (!manifest)
            return Error{display, "cannot read the bundle's manifest: " + manifest.error().what, {}};
        for (const auto& [key, value] : *manifest) {
            if (key != "content_hash" || value == hash)
                continue;
            if (options.trust)
                return {};
            return Error{display, "the bundle's content does not match its manifest (sha256 " + value.substr(0, 12) + "… exported, "
                             + hash.substr(0, 12) + "… now): it was changed after export",
                         "import it with --trust if you know why it changed"};
        }
        return {};
    }

    void copyBundle(CacheReader& reader, const std::string& hash, ImportFileResult& result)
    {
        FetchRecord fetch;
        fetch.source = "file";
        fetch.kind = "import";
        fetch.query = result.path;
        fetch.fetchedAt = Clock::current().now();
        fetch.contentHash = hash;
        auto unit = writer.begin(fetch);
        UnitSink sink(*unit, result, options);
        report(result.path, "importing", 0, true);
        auto copied = copyRecords(reader, sink, CopyFilter{}, nullptr, cancelFlag, result.path);
        Status status = copied ? sink.flush() : Status(copied.error());
        if (!status.ok()) {
            unit->rollback();
            fail(result, status.error());
            if (result.outcome == ImportFileResult::Outcome::Cancelled)
                result.note = "cancelled; nothing of this file was stored";
            return;
        }
        auto stats = unit->commit(true, "rootline-bundle" + provenanceNote(reader));
        if (!stats) {
            fail(result, stats.error());
            return;
        }
        result.stats = *stats;
        result.outcome = ImportFileResult::Outcome::Imported;
    }

    // The bundle's own provenance (where its data was fetched from), carried over in the unit's
    // message since one unit has one fetch record. Bounded, so a bundle of many imports stays short.
    static std::string provenanceNote(CacheReader& reader)
    {
        auto fetches = reader.fetches();
        if (!fetches || fetches->empty())
            return {};
        std::string note = "; bundle provenance:";
        size_t listed = 0;
        for (const FetchRecord& f : *fetches) {
            if (listed == 10 || note.size() > 1000) {
                note += " … (" + std::to_string(fetches->size() - listed) + " more)";
                break;
            }
            note += (listed++ ? "; " : " ") + f.kind + " " + f.source + (f.query.empty() ? std::string() : " " + oneLine(f.query, 200));
        }
        return note;
    }

    void importPath(const std::string& path, int64_t size, ImportSummary& summary)
    {
        if (options.format.empty() || options.format == "rootline-bundle") {
            bool compressed = false;
            const SqliteKind kind = sqliteKind(path, compressed);
            if (kind == SqliteKind::Rootline) {
                if (compressed)
                    importCompressedBundle(path, size, summary);
                else
                    importBundle(path, path, size, summary);
                ++progress.filesDone;
                report(path, "importing", 0, true);
                return;
            }
            if (kind == SqliteKind::Foreign) {
                ImportFileResult result;
                result.path = path;
                result.outcome = ImportFileResult::Outcome::Unrecognized;
                result.note = "an SQLite database that is not a Rootline cache (another application's); not imported";
                result.errors.push_back({path, {}, result.note});
                doneBase += 2 * size;
                summary.files.push_back(std::move(result));
                ++progress.filesDone;
                report(path, "importing", 0, true);
                return;
            }
        }
        if (isArchive(path))
            importArchive(path, size, summary);
        else
            importSingle(path, size, summary);
        ++progress.filesDone;
        report(path, "importing", 0, true);
    }
};

Importer::Importer(CacheWriter& writer, ImportOptions options) : m_writer(writer), m_options(std::move(options)) {}

void Importer::setProgressCallback(std::function<void(const ImportProgress&)> callback, std::chrono::milliseconds interval)
{
    m_progress = std::move(callback);
    m_interval = interval;
}

namespace {

// An exported folder usually carries notes beside the telemetry (the sample's README.md, a
// colleague's write-up) and hidden files (.DS_Store, editor swap files). Inside a folder they are
// passed over; a file the user names explicitly is still reported when no format claims it.
bool isFolderNoise(const fs::path& path)
{
    const std::string name = path.filename().string();
    return name.starts_with('.') || path.extension() == ".md";
}

} // namespace

ImportSummary Importer::run(const std::vector<std::string>& inputs)
{
    Impl impl{m_writer, m_options, m_cancelled, m_progress, m_interval, {}, 0, {}};
    ImportSummary summary;

    // Expand directories (recursively, in a stable order) and size everything for progress.
    struct Input {
        std::string path;
        int64_t size = 0;
        std::string error;
    };
    std::vector<Input> files;
    for (const auto& input : inputs) {
        std::error_code ec;
        const fs::file_status st = fs::status(input, ec);
        if (ec || !fs::exists(st)) {
            files.push_back({input, 0, "no such file or directory"});
        } else if (fs::is_directory(st)) {
            std::vector<std::string> found;
            for (auto it = fs::recursive_directory_iterator(input, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
                if (it->is_regular_file(ec) && !isFolderNoise(it->path()))
                    found.push_back(it->path().string());
            std::sort(found.begin(), found.end());
            for (auto& f : found)
                files.push_back({f, int64_t(fs::file_size(f, ec)), {}});
        } else {
            files.push_back({input, int64_t(fs::file_size(input, ec)), {}});
        }
    }
    for (const auto& f : files)
        impl.progress.bytesTotal += 2 * f.size;

    for (const auto& f : files) {
        if (impl.cancelled()) {
            summary.cancelled = true;
            break;
        }
        if (!f.error.empty()) {
            ImportFileResult r;
            r.path = f.path;
            r.outcome = ImportFileResult::Outcome::Failed;
            r.note = f.error;
            r.errors.push_back({f.path, {}, f.error});
            summary.files.push_back(std::move(r));
            continue;
        }
        impl.importPath(f.path, f.size, summary);
    }
    if (impl.cancelled())
        summary.cancelled = true;
    for (const auto& r : summary.files)
        if (r.outcome == ImportFileResult::Outcome::Imported)
            summary.totals += r.stats;
    return summary;
}

bool ImportSummary::anyFailed() const
{
    return cancelled || std::any_of(files.begin(), files.end(), [](const ImportFileResult& r) {
               return r.outcome == ImportFileResult::Outcome::Failed || r.outcome == ImportFileResult::Outcome::Cancelled;
           });
}

bool ImportSummary::anyRejectedOrUnrecognized() const
{
    return std::any_of(files.begin(), files.end(), [](const ImportFileResult& r) {
        return r.rejected > 0 || r.outcome == ImportFileResult::Outcome::Unrecognized;
    });
}

int ImportSummary::exitCode() const
{
    if (anyFailed())
        return 2;
    return anyRejectedOrUnrecognized() ? 1 : 0;
}

const char* outcomeName(ImportFileResult::Outcome outcome)
{
    switch (outcome) {
    case ImportFileResult::Outcome::Imported:
        return "imported";
    case ImportFileResult::Outcome::Duplicate:
        return "duplicate";
    case ImportFileResult::Outcome::Unrecognized:
        return "unrecognized";
    case ImportFileResult::Outcome::Failed:
        return "failed";
    case ImportFileResult::Outcome::Cancelled:
        return "cancelled";
    }
    return "";
}

} // namespace rootline
