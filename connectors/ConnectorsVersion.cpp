// Keeps the library non-empty while its connectors are being written.
namespace rootline::connectors {
const char* libraryName() { return "rootline_connectors"; }
} // namespace rootline::connectors
