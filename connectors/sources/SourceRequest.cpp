#include "SourceRequest.h"

namespace rootline {

http::HttpRequest sourceRequest(const Source& source, std::string method, const std::string& pathAndQuery)
{
    http::HttpRequest r;
    r.method = std::move(method);
    std::string base = source.url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    r.url = base + pathAndQuery;
    r.where = std::string(sourceTypeName(source.type)) + " " + source.name;
    switch (source.auth.kind) {
    case AuthKind::Basic:
        r.username = source.auth.username;
        r.password = source.secrets.password;
        break;
    case AuthKind::Bearer:
        r.bearerToken = source.secrets.token;
        break;
    case AuthKind::None:
    case AuthKind::Aws:
        break;
    }
    if (!source.auth.tenant.empty())
        r.headers.emplace_back("X-Scope-OrgID", source.auth.tenant);
    for (const auto& h : source.options.headers)
        r.headers.push_back(h);
    if (source.options.timeout)
        r.totalTimeout = *source.options.timeout;
    if (source.options.maxResponseBytes)
        r.maxResponseBytes = *source.options.maxResponseBytes;
    r.caFile = source.options.caFile;
    r.insecureSkipVerify = source.options.insecureSkipVerify;
    return r;
}

} // namespace rootline
