#include "MiniHttpServer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace rootline::test {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

const char* reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
    }
}

std::string hex(size_t n)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    do {
        out.insert(out.begin(), digits[n % 16]);
        n /= 16;
    } while (n);
    return out;
}

} // namespace

const std::string* FakeRequest::header(std::string_view lowerName) const
{
    for (const auto& [k, v] : headers)
        if (k == lowerName)
            return &v;
    return nullptr;
}

std::optional<std::string> FakeRequest::param(std::string_view name) const
{
    for (const auto& [k, v] : query)
        if (k == name)
            return v;
    return std::nullopt;
}

std::vector<std::string> FakeRequest::params(std::string_view name) const
{
    std::vector<std::string> out;
    for (const auto& [k, v] : query)
        if (k == name)
            out.push_back(v);
    return out;
}

FakeResponse FakeResponse::json(std::string body, int status)
{
    FakeResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

FakeResponse FakeResponse::text(std::string body, int status)
{
    FakeResponse r;
    r.status = status;
    r.contentType = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}

MiniHttpServer::MiniHttpServer(Handler handler) : m_handler(std::move(handler)) {}

MiniHttpServer::~MiniHttpServer()
{
    stop();
}

std::string MiniHttpServer::decode(std::string_view text, bool plusIsSpace)
{
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            auto val = [](char h) { return std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (std::tolower(h) - 'a' + 10); };
            if (std::isxdigit(static_cast<unsigned char>(text[i + 1])) && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
                out.push_back(char(val(text[i + 1]) * 16 + val(text[i + 2])));
                i += 2;
                continue;
            }
        }
        out.push_back(plusIsSpace && c == '+' ? ' ' : c);
    }
    return out;
}

bool MiniHttpServer::start()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0)
        return false;
    int one = 1;
    ::setsockopt(m_listenFd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listenFd, 64) != 0)
        return false;
    socklen_t len = sizeof addr;
    ::getsockname(m_listenFd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptThread = std::thread([this] { acceptLoop(); });
    return true;
}

void MiniHttpServer::stop()
{
    if (m_stopping.exchange(true))
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopCv.notify_all();
        for (int fd : m_openFds)
            ::shutdown(fd, SHUT_RDWR);
    }
    if (m_acceptThread.joinable())
        m_acceptThread.join();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(m_mutex);
        workers.swap(m_workers);
    }
    for (auto& t : workers)
        t.join();
}

std::string MiniHttpServer::baseUrl() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

std::vector<FakeRequest> MiniHttpServer::requests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

void MiniHttpServer::clearRequests()
{
    std::lock_guard lock(m_mutex);
    m_requests.clear();
}

void MiniHttpServer::acceptLoop()
{
    while (!m_stopping) {
        pollfd p{m_listenFd, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0)
            continue;
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            ::close(fd);
            break;
        }
        m_openFds.push_back(fd);
        m_workers.emplace_back([this, fd] { serve(fd); });
    }
}

bool MiniHttpServer::waitFor(std::chrono::milliseconds delay)
{
    std::unique_lock lock(m_mutex);
    return !m_stopCv.wait_for(lock, delay, [this] { return m_stopping.load(); });
}

bool MiniHttpServer::sendAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        pollfd p{fd, POLLOUT, 0};
        const int ready = ::poll(&p, 1, 100);
        if (m_stopping)
            return false;
        if (ready <= 0)
            continue;
        if (p.revents & (POLLERR | POLLHUP))
            return false;
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data.remove_prefix(size_t(n));
    }
    return true;
}

void MiniHttpServer::serve(int fd)
{
    ++m_connections;
    std::string buffer;
    char chunk[16384];
    auto readMore = [&]() -> bool {
        while (!m_stopping) {
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, 100);
            if (ready < 0)
                return false;
            if (ready == 0)
                continue;
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            buffer.append(chunk, size_t(n));
            return true;
        }
        return false;
    };

    FakeRequest request;
    size_t headerEnd = std::string::npos;
    while ((headerEnd = buffer.find("\r\n\r\n")) == std::string::npos)
        if (!readMore())
            goto done;
    {
        std::string_view head(buffer.data(), headerEnd);
        size_t lineEnd = head.find("\r\n");
        std::string_view requestLine = head.substr(0, lineEnd);
        const size_t sp1 = requestLine.find(' ');
        const size_t sp2 = requestLine.rfind(' ');
        request.method = std::string(requestLine.substr(0, sp1));
        request.target = std::string(requestLine.substr(sp1 + 1, sp2 - sp1 - 1));
        while (lineEnd != std::string_view::npos && lineEnd < head.size()) {
            const size_t next = head.find("\r\n", lineEnd + 2);
            std::string_view line = head.substr(lineEnd + 2, next == std::string_view::npos ? head.npos : next - lineEnd - 2);
            const size_t colon = line.find(':');
            if (colon != std::string_view::npos)
                request.headers.emplace_back(lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
            lineEnd = next;
        }
        const size_t q = request.target.find('?');
        request.path = decode(std::string_view(request.target).substr(0, q), false);
        if (q != std::string::npos) {
            std::string_view qs = std::string_view(request.target).substr(q + 1);
            while (!qs.empty()) {
                const size_t amp = qs.find('&');
                std::string_view pair = qs.substr(0, amp);
                const size_t eq = pair.find('=');
                request.query.emplace_back(decode(pair.substr(0, eq), true),
                                           eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1), true));
                if (amp == std::string_view::npos)
                    break;
                qs.remove_prefix(amp + 1);
            }
        }
        size_t contentLength = 0;
        if (const std::string* cl = request.header("content-length"))
            contentLength = size_t(std::stoull(*cl));
        if (const std::string* expect = request.header("expect"); expect && lower(*expect) == "100-continue")
            sendAll(fd, "HTTP/1.1 100 Continue\r\n\r\n");
        buffer.erase(0, headerEnd + 4);
        while (buffer.size() < contentLength)
            if (!readMore())
                goto done;
        request.body = buffer.substr(0, contentLength);
    }
    {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(request);
    }
    {
        FakeResponse response = m_handler(request);
        std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " + reason(response.status) + "\r\n";
        head += "Content-Type: " + response.contentType + "\r\n";
        for (const auto& [k, v] : response.headers)
            head += k + ": " + v + "\r\n";
        head += "Connection: close\r\n";
        switch (response.misbehaviour) {
        case Misbehaviour::None:
            sendAll(fd, head + "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n" + response.body);
            break;
        case Misbehaviour::SlowHeaders:
            if (waitFor(response.delay))
                sendAll(fd, head + "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n" + response.body);
            break;
        case Misbehaviour::SlowBody: {
            if (!sendAll(fd, head + "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n"))
                break;
            std::string_view rest = response.body;
            while (!rest.empty()) {
                const size_t n = std::min<size_t>(rest.size(), 16);
                if (!sendAll(fd, rest.substr(0, n)) || !waitFor(response.delay))
                    break;
                rest.remove_prefix(n);
            }
            break;
        }
        case Misbehaviour::DropMidBody:
            sendAll(fd, head + "Content-Length: " + std::to_string(response.body.size()) + "\r\n\r\n"
                            + response.body.substr(0, response.body.size() / 2));
            break;
        case Misbehaviour::Endless: {
            if (!sendAll(fd, head + "Transfer-Encoding: chunked\r\n\r\n"))
                break;
            if (!response.body.empty() && !sendAll(fd, hex(response.body.size()) + "\r\n" + response.body + "\r\n"))
                break;
            const std::string piece = hex(response.endlessChunk.size()) + "\r\n" + response.endlessChunk + "\r\n";
            while (!m_stopping && sendAll(fd, piece)) {
            }
            break;
        }
        }
    }
done:
    ::shutdown(fd, SHUT_WR);
    // Let the client read what was sent before the socket goes away (a reset could discard it).
    for (int i = 0; i < 20 && !m_stopping; ++i) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 50) > 0 && ::recv(fd, chunk, sizeof chunk, 0) <= 0)
            break;
    }
    std::lock_guard lock(m_mutex);
    m_openFds.erase(std::remove(m_openFds.begin(), m_openFds.end(), fd), m_openFds.end());
    ::close(fd);
}

} // namespace rootline::test
