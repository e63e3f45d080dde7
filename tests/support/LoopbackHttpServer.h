#pragma once

// A scriptable HTTP/1.1 server on 127.0.0.1 for connector tests (header-only: include it, nothing
// to link). It runs on its own threads, so the code under test may block on it. The handler gets
// each parsed request and a connection it can misbehave on: answer slowly, drop mid-body, stream
// forever, never answer. Keep-alive and `Expect: 100-continue` are handled.
//
//   rootline::test::LoopbackHttpServer server([](const auto& req, auto& conn) {
//       if (req.path == "/api/v1/query")
//           conn.write(LoopbackHttpServer::response(200, R"({"status":"success",...})"));
//       else
//           conn.write(LoopbackHttpServer::response(404, "404 page not found", {}, "text/plain"));
//   });
//   server.url(); // "http://127.0.0.1:<port>"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace rootline::test {

struct HttpServerRequest {
    std::string method, target, path, query, version;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // Case-insensitive header lookup; "" when absent.
    std::string header(std::string_view name) const
    {
        for (const auto& [k, v] : headers)
            if (equalsNoCase(k, name))
                return v;
        return {};
    }
    // A parameter from the query string, or from a form body (application/x-www-form-urlencoded).
    std::string param(std::string_view name) const
    {
        for (const auto& [k, v] : params())
            if (k == name)
                return v;
        return {};
    }
    std::vector<std::pair<std::string, std::string>> params() const
    {
        auto out = decodeForm(query);
        if (header("Content-Type").find("application/x-www-form-urlencoded") != std::string::npos) {
            auto more = decodeForm(body);
            out.insert(out.end(), more.begin(), more.end());
        }
        return out;
    }

    static bool equalsNoCase(std::string_view a, std::string_view b)
    {
        if (a.size() != b.size())
            return false;
        for (size_t i = 0; i < a.size(); ++i)
            if (std::tolower(uint8_t(a[i])) != std::tolower(uint8_t(b[i])))
                return false;
        return true;
    }
    static std::string percentDecode(std::string_view s)
    {
        std::string out;
        for (size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '+') {
                out.push_back(' ');
            } else if (s[i] == '%' && i + 2 < s.size()) {
                out.push_back(char(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
                i += 2;
            } else {
                out.push_back(s[i]);
            }
        }
        return out;
    }
    static std::vector<std::pair<std::string, std::string>> decodeForm(std::string_view s)
    {
        std::vector<std::pair<std::string, std::string>> out;
        while (!s.empty()) {
            const size_t amp = s.find('&');
            std::string_view pair = s.substr(0, amp);
            const size_t eq = pair.find('=');
            if (!pair.empty())
                out.emplace_back(percentDecode(pair.substr(0, eq)), eq == std::string_view::npos ? std::string() : percentDecode(pair.substr(eq + 1)));
            if (amp == std::string_view::npos)
                break;
            s.remove_prefix(amp + 1);
        }
        return out;
    }
};

class HttpServerConnection {
public:
    HttpServerConnection(int fd, const std::atomic_bool& stopping) : m_fd(fd), m_stopping(stopping) {}

    // Sends bytes; false once the peer is gone or the server stops.
    bool write(std::string_view data)
    {
        while (!data.empty() && m_fd >= 0) {
            const ssize_t n = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0)
                return false;
            data.remove_prefix(size_t(n));
        }
        return m_fd >= 0;
    }
    // Closes the connection now (e.g. mid-body). The server stops reading from it.
    void close()
    {
        if (m_fd >= 0) {
            ::shutdown(m_fd, SHUT_RDWR);
            ::close(m_fd);
            m_fd = -1;
        }
    }
    bool isOpen() const { return m_fd >= 0; }
    // Sleeps, waking early when the server stops or the peer hangs up; false in those cases.
    bool sleepFor(std::chrono::milliseconds duration)
    {
        const auto until = std::chrono::steady_clock::now() + duration;
        while (std::chrono::steady_clock::now() < until) {
            if (m_stopping || m_fd < 0)
                return false;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 20) > 0) {
                char c;
                if (::recv(m_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0)
                    return false; // the client hung up (cancelled or timed out)
            }
        }
        return true;
    }
    int fd() const { return m_fd; }

private:
    int m_fd;
    const std::atomic_bool& m_stopping;
};

class LoopbackHttpServer {
public:
    using Handler = std::function<void(const HttpServerRequest&, HttpServerConnection&)>;

    explicit LoopbackHttpServer(Handler handler) : m_handler(std::move(handler))
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_listen, 64);
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_acceptThread = std::thread([this] { acceptLoop(); });
    }
    ~LoopbackHttpServer() { stop(); }
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

    void stop()
    {
        if (m_stopping.exchange(true))
            return;
        m_acceptThread.join();
        std::vector<std::thread> threads;
        {
            std::lock_guard lock(m_mutex);
            threads.swap(m_threads);
        }
        for (auto& t : threads)
            t.join();
        ::close(m_listen);
    }

    uint16_t port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int requestCount() const { return m_count.load(); }
    int connectionCount() const { return m_connections.load(); }
    std::vector<HttpServerRequest> requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

    static std::string statusText(int status)
    {
        switch (status) {
        case 200: return "OK";
        case 204: return "No Content";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 414: return "URI Too Long";
        case 422: return "Unprocessable Entity";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        default: return "Status";
        }
    }
    // A complete response with Content-Length.
    static std::string response(int status, std::string_view body, std::vector<std::pair<std::string, std::string>> headers = {},
                                std::string contentType = "application/json")
    {
        std::string out = "HTTP/1.1 " + std::to_string(status) + " " + statusText(status) + "\r\n";
        if (!contentType.empty())
            out += "Content-Type: " + contentType + "\r\n";
        for (const auto& [k, v] : headers)
            out += k + ": " + v + "\r\n";
        out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
        out += body;
        return out;
    }
    // Only the head; the body is written by the handler (set Content-Length or Transfer-Encoding yourself).
    static std::string head(int status, std::vector<std::pair<std::string, std::string>> headers)
    {
        std::string out = "HTTP/1.1 " + std::to_string(status) + " " + statusText(status) + "\r\n";
        for (const auto& [k, v] : headers)
            out += k + ": " + v + "\r\n";
        return out + "\r\n";
    }
    static std::string chunk(std::string_view data)
    {
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", data.size());
        return std::string(size) + std::string(data) + "\r\n";
    }

private:
    void acceptLoop()
    {
        while (!m_stopping) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0)
                continue;
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                continue;
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            ++m_connections;
            std::lock_guard lock(m_mutex);
            m_threads.emplace_back([this, fd] { serve(fd); });
        }
    }

    // Reads until `buffer` holds `n` bytes, the peer closes, or the server stops.
    bool fill(int fd, std::string& buffer, size_t n)
    {
        char chunk[65536];
        while (buffer.size() < n) {
            if (m_stopping)
                return false;
            pollfd p{fd, POLLIN, 0};
            const int r = ::poll(&p, 1, 20);
            if (r <= 0)
                continue;
            const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
            if (got <= 0)
                return false;
            buffer.append(chunk, size_t(got));
        }
        return true;
    }

    void serve(int fd)
    {
        HttpServerConnection conn(fd, m_stopping);
        std::string buffer;
        while (conn.isOpen() && !m_stopping) {
            size_t headEnd;
            while ((headEnd = buffer.find("\r\n\r\n")) == std::string::npos)
                if (!fill(fd, buffer, buffer.size() + 1)) {
                    conn.close();
                    return;
                }
            HttpServerRequest req;
            std::string_view headText(buffer.data(), headEnd);
            size_t lineEnd = headText.find("\r\n");
            std::string_view requestLine = headText.substr(0, lineEnd);
            const size_t sp1 = requestLine.find(' ');
            const size_t sp2 = requestLine.rfind(' ');
            req.method = std::string(requestLine.substr(0, sp1));
            req.target = std::string(requestLine.substr(sp1 + 1, sp2 - sp1 - 1));
            req.version = std::string(requestLine.substr(sp2 + 1));
            const size_t q = req.target.find('?');
            req.path = req.target.substr(0, q);
            req.query = q == std::string::npos ? std::string() : req.target.substr(q + 1);
            while (lineEnd != std::string_view::npos && lineEnd < headText.size()) {
                const size_t next = headText.find("\r\n", lineEnd + 2);
                std::string_view line = headText.substr(lineEnd + 2, next == std::string_view::npos ? std::string_view::npos : next - lineEnd - 2);
                const size_t colon = line.find(':');
                if (colon != std::string_view::npos) {
                    std::string_view value = line.substr(colon + 1);
                    while (!value.empty() && value.front() == ' ')
                        value.remove_prefix(1);
                    req.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
                }
                lineEnd = next;
            }
            buffer.erase(0, headEnd + 4);
            const std::string lengthText = req.header("Content-Length");
            const size_t length = lengthText.empty() ? 0 : size_t(std::stoull(lengthText));
            if (HttpServerRequest::equalsNoCase(req.header("Expect"), "100-continue"))
                conn.write("HTTP/1.1 100 Continue\r\n\r\n");
            if (!fill(fd, buffer, length)) {
                conn.close();
                return;
            }
            req.body = buffer.substr(0, length);
            buffer.erase(0, length);
            {
                std::lock_guard lock(m_mutex);
                m_requests.push_back(req);
            }
            ++m_count;
            m_handler(req, conn);
            if (HttpServerRequest::equalsNoCase(req.header("Connection"), "close"))
                conn.close();
        }
        conn.close();
    }

    Handler m_handler;
    int m_listen = -1;
    uint16_t m_port = 0;
    std::atomic_bool m_stopping{false};
    std::atomic_int m_count{0};
    std::atomic_int m_connections{0};
    std::thread m_acceptThread;
    mutable std::mutex m_mutex;
    std::vector<std::thread> m_threads;
    std::vector<HttpServerRequest> m_requests;
};

} // namespace rootline::test
