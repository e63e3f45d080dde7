#pragma once

// The fake backends' view of the shared LoopbackHttpServer (127.0.0.1, its own threads, so a
// blocking client in the test thread can talk to it): a handler maps a decoded request to a response
// value, misbehaviour included — a slow answer, a connection dropped mid-body, an endless body — and
// every request is recorded for the test to check. FakeLokiServer and FakeJaegerServer build on it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rootline::test {

struct FakeRequest {
    std::string method;
    std::string target; // as sent: "/loki/api/v1/query_range?query=..."
    std::string path;   // percent-decoded path without the query
    std::vector<std::pair<std::string, std::string>> query;   // decoded, in order, repeats kept
    std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
    std::string body;

    const std::string* header(std::string_view lowerName) const;
    std::optional<std::string> param(std::string_view name) const; // the first value
    std::vector<std::string> params(std::string_view name) const;
};

enum class Misbehaviour {
    None,
    SlowHeaders, // wait `delay` before answering at all
    SlowBody,    // headers at once, then the body in small pieces `delay` apart
    DropMidBody, // announce the full Content-Length, send half, close the connection
    Endless,     // chunked body that never ends: `body` first, then `endlessChunk` forever
};

// What a fake backend can be told to do to a request instead of answering it properly.
enum class ServerFault {
    None,
    Slow,            // no answer for the fault delay
    DropMidBody,     // half the body, then the connection closes
    TooManyRequests, // 429 with Retry-After: 1
    ServerError,     // 500 with the backend's error body
    MalformedJson,   // 200 with a body that is not valid JSON
    Huge,            // 200 with a valid body of the configured size
    Endless,         // 200 chunked body that never ends
};

struct FakeResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    Misbehaviour misbehaviour = Misbehaviour::None;
    std::chrono::milliseconds delay{0};
    std::string endlessChunk;

    static FakeResponse json(std::string body, int status = 200);
    static FakeResponse text(std::string body, int status);
};

class LoopbackHttpServer;

class MiniHttpServer {
public:
    using Handler = std::function<FakeResponse(const FakeRequest&)>;

    explicit MiniHttpServer(Handler handler);
    ~MiniHttpServer();
    MiniHttpServer(const MiniHttpServer&) = delete;
    MiniHttpServer& operator=(const MiniHttpServer&) = delete;

    bool start(); // binds 127.0.0.1 on a free port
    void stop();  // ends slow and endless answers too, joins every thread
    uint16_t port() const;
    std::string baseUrl() const; // "http://127.0.0.1:<port>"

    std::vector<FakeRequest> requests() const;
    void clearRequests();
    int connectionsHandled() const;

    // Percent-decoding as a server does it ('+' is a space in query strings).
    static std::string decode(std::string_view text, bool plusIsSpace);

private:
    Handler m_handler;
    std::unique_ptr<LoopbackHttpServer> m_server;
    mutable std::mutex m_mutex;
    std::vector<FakeRequest> m_requests;
};

} // namespace rootline::test
