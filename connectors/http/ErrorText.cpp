#include "ErrorText.h"

#include "bundle/SecretScrubber.h"

#include <QByteArray>

#include <algorithm>
#include <cctype>

namespace rootline::http {
namespace {

bool isProtocolHeader(std::string_view name)
{
    static const char* names[] = {"accept", "accept-encoding", "content-type", "content-encoding", "user-agent", "expect",
                                  "x-amz-target", "x-amz-date", "x-amz-content-sha256"};
    std::string lower;
    for (char c : name)
        lower.push_back(char(std::tolower(uint8_t(c))));
    return std::find(std::begin(names), std::end(names), lower) != std::end(names);
}

std::string oneLine(std::string_view text, size_t max)
{
    std::string out;
    for (char c : text.substr(0, max)) {
        const bool space = c == '\n' || c == '\r' || c == '\t';
        if (space && !out.empty() && out.back() == ' ')
            continue;
        out.push_back(space ? ' ' : c);
    }
    if (text.size() > max)
        out += "…";
    while (!out.empty() && out.front() == ' ')
        out.erase(out.begin());
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

} // namespace

std::vector<std::string> requestSecrets(const HttpRequest& request)
{
    std::vector<std::string> out;
    if (!request.password.empty()) {
        out.push_back(request.password);
        out.push_back(QByteArray::fromStdString(request.username + ":" + request.password).toBase64().toStdString());
    }
    if (!request.bearerToken.empty())
        out.push_back(request.bearerToken);
    if (request.sigv4) {
        out.push_back(request.sigv4->secretAccessKey);
        out.push_back(request.sigv4->sessionToken);
    }
    for (const auto& [name, value] : request.headers)
        if (!isProtocolHeader(name))
            out.push_back(value);
    out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& s) { return s.empty(); }), out.end());
    return out;
}

std::string scrubbedFor(const HttpRequest& request, std::string text)
{
    return scrubSecrets(std::move(text), requestSecrets(request));
}

std::string errorSnippet(const HttpRequest& request, std::string_view body, size_t max)
{
    // Scrub a wide margin beyond what is shown (masks shorten the text, pulling later bytes into
    // view), not the whole body: an error page can be megabytes.
    const size_t margin = std::min(body.size(), max + (64 << 10));
    const std::string clean = scrubbedFor(request, std::string(body.substr(0, margin)));
    std::string out = oneLine(clean, max);
    if (body.size() > margin && clean.size() <= max)
        out += "…";
    return out;
}

} // namespace rootline::http
