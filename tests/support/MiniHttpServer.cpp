#include "MiniHttpServer.h"

#include "LoopbackHttpServer.h"

#include <algorithm>
#include <cctype>

namespace rootline::test {

namespace {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

FakeRequest toFakeRequest(const HttpServerRequest& in)
{
    FakeRequest r;
    r.method = in.method;
    r.target = in.target;
    r.path = MiniHttpServer::decode(in.path, false);
    for (const auto& [k, v] : in.headers)
        r.headers.emplace_back(lower(k), v);
    r.query = HttpServerRequest::decodeForm(in.query);
    r.body = in.body;
    return r;
}

// Writes `response` as its misbehaviour says; the connection is closed when the answer cannot end well.
void answer(const FakeResponse& response, HttpServerConnection& conn)
{
    std::vector<std::pair<std::string, std::string>> headers = response.headers;
    headers.emplace(headers.begin(), "Content-Type", response.contentType);
    switch (response.misbehaviour) {
    case Misbehaviour::None:
        conn.write(LoopbackHttpServer::response(response.status, response.body, response.headers, response.contentType));
        return;
    case Misbehaviour::SlowHeaders:
        if (conn.sleepFor(response.delay))
            conn.write(LoopbackHttpServer::response(response.status, response.body, response.headers, response.contentType));
        conn.close();
        return;
    case Misbehaviour::SlowBody: {
        headers.emplace_back("Content-Length", std::to_string(response.body.size()));
        if (!conn.write(LoopbackHttpServer::head(response.status, headers)))
            return;
        std::string_view rest = response.body;
        while (!rest.empty()) {
            const size_t n = std::min<size_t>(rest.size(), 16);
            if (!conn.write(rest.substr(0, n)) || !conn.sleepFor(response.delay))
                break;
            rest.remove_prefix(n);
        }
        conn.close();
        return;
    }
    case Misbehaviour::DropMidBody:
        headers.emplace_back("Content-Length", std::to_string(response.body.size()));
        conn.write(LoopbackHttpServer::head(response.status, headers) + response.body.substr(0, response.body.size() / 2));
        conn.close();
        return;
    case Misbehaviour::Endless: {
        headers.emplace_back("Transfer-Encoding", "chunked");
        if (!conn.write(LoopbackHttpServer::head(response.status, headers)))
            return;
        if (!response.body.empty() && !conn.write(LoopbackHttpServer::chunk(response.body)))
            return;
        std::string repeated;
        while (repeated.size() < 32 * 1024)
            repeated += response.endlessChunk;
        const std::string piece = LoopbackHttpServer::chunk(repeated);
        // Until the client gives up (size cap, timeout: it hangs up) or the server stops.
        while (conn.sleepFor(std::chrono::milliseconds(1)) && conn.write(piece)) {
        }
        conn.close();
        return;
    }
    }
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
    auto val = [](char h) { return std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : std::tolower(h) - 'a' + 10; };
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1]))
            && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out.push_back(char(val(text[i + 1]) * 16 + val(text[i + 2])));
            i += 2;
            continue;
        }
        out.push_back(plusIsSpace && c == '+' ? ' ' : c);
    }
    return out;
}

bool MiniHttpServer::start()
{
    m_server = std::make_unique<LoopbackHttpServer>([this](const HttpServerRequest& in, HttpServerConnection& conn) {
        FakeRequest request = toFakeRequest(in);
        {
            std::lock_guard lock(m_mutex);
            m_requests.push_back(request);
        }
        answer(m_handler(request), conn);
    });
    return m_server->port() != 0;
}

void MiniHttpServer::stop()
{
    if (m_server)
        m_server->stop();
}

uint16_t MiniHttpServer::port() const
{
    return m_server ? m_server->port() : 0;
}

std::string MiniHttpServer::baseUrl() const
{
    return m_server ? m_server->url() : std::string();
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

int MiniHttpServer::connectionsHandled() const
{
    return m_server ? m_server->connectionCount() : 0;
}

} // namespace rootline::test
