#include "SourcesFile.h"

#include "Keyring.h"
#include "SourceUrl.h"
#include "bundle/SecretScrubber.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

namespace rootline {

namespace {

std::string at(const std::string& origin, const YAML::Node& node)
{
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0)
        return origin;
    return origin + ":" + std::to_string(mark.line + 1);
}

std::string text(const YAML::Node& node, const char* key)
{
    const YAML::Node v = node[key];
    if (!v || v.IsNull() || !v.IsScalar())
        return {};
    return v.Scalar();
}

std::optional<bool> boolean(const YAML::Node& node, const char* key)
{
    const YAML::Node v = node[key];
    if (!v || !v.IsScalar())
        return std::nullopt;
    bool b = false;
    if (YAML::convert<bool>::decode(v, b))
        return b;
    return std::nullopt;
}

Error fileError(const std::string& where, std::string what, std::string hint = {})
{
    return Error{where, std::move(what), std::move(hint)};
}

std::string lowered(std::string_view text)
{
    std::string out;
    for (char c : text)
        out.push_back(char(std::tolower(uint8_t(c))));
    return out;
}

// The keys each mapping of an entry understands. Keys match in any case (`URL:` is `url:`); a key
// not listed is an error, never silently ignored — a mistyped `tokn_env` would otherwise mean "no
// auth", and a `Password:` would slip past the refusal of plain-text secrets.
constexpr std::string_view kAuthKeys[] = {"type", "username", "password_env", "token_env", "keyring", "tenant", "profile", "region"};
constexpr std::string_view kAwsKeys[] = {"profile", "region"};
constexpr std::string_view kOptionKeys[] = {"timeout", "ca_file", "insecure_skip_verify", "max_response_bytes", "headers"};
// An entry also takes the auth and option keys at its top level.
constexpr std::string_view kEntryKeys[] = {"name", "kind", "url", "auth", "tenant", "aws", "options", "type", "username", "password_env",
                                           "token_env", "keyring", "profile", "region", "timeout", "ca_file", "insecure_skip_verify",
                                           "max_response_bytes", "headers"};

// What to write instead of a plain-text secret named `key`.
std::string secretHint(const std::string& key)
{
    if (key.find("pass") != std::string::npos || key == "pwd")
        return "use password_env: VARIABLE_NAME or keyring: true";
    if (key.find("aws") != std::string::npos || key.find("access_key") != std::string::npos)
        return "AWS keys come from the AWS profile (aws: {profile: NAME}) or the environment; for other secrets use token_env: "
               "VARIABLE_NAME or keyring: true";
    return "use token_env: VARIABLE_NAME or keyring: true";
}

// A copy of `map` with lower-case keys (the values are the same nodes, so their line numbers
// stay), or the error for a plain-text secret, an unknown key or a key given twice.
Result<YAML::Node> normalisedKeys(const YAML::Node& map, std::span<const std::string_view> known, const std::string& origin,
                                  const std::string& source)
{
    YAML::Node out(YAML::NodeType::Map);
    const std::string prefix = source.empty() ? std::string("source: ") : "source '" + source + "': ";
    for (const auto& kv : map) {
        const std::string where = at(origin, kv.first);
        if (!kv.first.IsScalar())
            return fileError(where, prefix + "keys must be plain words");
        const std::string& key = kv.first.Scalar();
        const std::string lower = lowered(key);
        if (std::find(known.begin(), known.end(), lower) == known.end()) {
            if (isSecretName(lower))
                return fileError(where, prefix + "plain-text secret '" + key + "' is not allowed in the sources file", secretHint(lower));
            return fileError(where, prefix + "unknown key '" + key + "'", "check its spelling; README.md lists the keys of a source");
        }
        if (out[lower])
            return fileError(where, prefix + "key '" + key + "' is given twice (keys match in any case)");
        out[lower] = kv.second;
    }
    return out;
}

// The entry with every key in lower case, its auth, aws and options mappings too (header names
// keep their case: they are sent as written).
Result<YAML::Node> normalisedEntry(const YAML::Node& entry, const std::string& origin)
{
    std::string name;
    for (const auto& kv : entry)
        if (kv.first.IsScalar() && lowered(kv.first.Scalar()) == "name" && kv.second.IsScalar())
            name = kv.second.Scalar();
    auto out = normalisedKeys(entry, kEntryKeys, origin, name);
    if (!out)
        return out;
    const std::pair<const char*, std::span<const std::string_view>> nested[] = {{"auth", kAuthKeys}, {"aws", kAwsKeys}, {"options", kOptionKeys}};
    for (const auto& [key, known] : nested) {
        YAML::Node value = (*out)[key];
        if (!value || !value.IsMap())
            continue;
        auto inner = normalisedKeys(value, known, origin, name);
        if (!inner)
            return inner;
        (*out)[key] = *inner;
    }
    return out;
}

Result<Duration> durationOf(const YAML::Node& node, const std::string& where)
{
    auto d = parseDuration(node.Scalar());
    if (!d)
        return fileError(where, "unreadable duration '" + node.Scalar() + "'", "e.g. 30s, 2m, 90");
    return *d;
}

Result<Source> parseEntry(const YAML::Node& original, const std::string& origin)
{
    const std::string where = at(origin, original);
    if (!original.IsMap())
        return fileError(where, "a source must be a mapping with name, kind and url");
    auto normalised = normalisedEntry(original, origin);
    if (!normalised)
        return normalised.error();
    const YAML::Node entry = *normalised;

    Source src;
    src.name = text(entry, "name");
    if (src.name.empty())
        return fileError(where, "source without a name");
    std::string kind = text(entry, "kind");
    if (kind.empty())
        kind = text(entry, "type");
    const auto type = sourceTypeFromName(lowered(kind)); // values, like keys, in any case
    if (!type)
        return fileError(where, "source '" + src.name + "': unknown kind '" + kind + "'", "kind is one of prometheus, loki, jaeger, cloudwatch, alertmanager");
    src.type = *type;
    src.url = text(entry, "url");
    while (!src.url.empty() && src.url.back() == '/')
        src.url.pop_back();
    if (src.url.empty() && src.type != SourceType::CloudWatch)
        return fileError(where, "source '" + src.name + "' has no url");
    if (!src.url.empty() && src.url.rfind("http://", 0) != 0 && src.url.rfind("https://", 0) != 0)
        return fileError(where, "source '" + src.name + "': url must start with http:// or https://");
    if (!src.url.empty())
        if (auto s = checkSourceUrl(src.url, at(origin, entry["url"]), src.name); !s)
            return s.error();

    // Auth: an `auth:` mapping, or the same keys at the entry's top level.
    YAML::Node auth = entry["auth"];
    if (auth && auth.IsScalar()) {
        YAML::Node m;
        m["type"] = auth.Scalar();
        auth = m;
    }
    const YAML::Node a = auth && auth.IsMap() ? auth : entry;
    std::string authType = lowered(text(a, "type"));
    src.auth.username = text(a, "username");
    src.auth.passwordEnv = text(a, "password_env");
    src.auth.tokenEnv = text(a, "token_env");
    src.auth.keyring = boolean(a, "keyring").value_or(false);
    if (authType.empty()) {
        if (!src.auth.username.empty())
            authType = "basic";
        else if (!src.auth.tokenEnv.empty())
            authType = "bearer";
        else if (src.type == SourceType::CloudWatch)
            authType = "aws";
        else
            authType = "none";
    }
    if (authType == "none") {
        src.auth.kind = AuthKind::None;
    } else if (authType == "basic") {
        src.auth.kind = AuthKind::Basic;
        if (src.auth.username.empty())
            return fileError(where, "source '" + src.name + "': basic auth needs a username");
        if (src.auth.passwordEnv.empty() && !src.auth.keyring)
            return fileError(where, "source '" + src.name + "': basic auth needs password_env or keyring: true");
    } else if (authType == "bearer") {
        src.auth.kind = AuthKind::Bearer;
        if (src.auth.tokenEnv.empty() && !src.auth.keyring)
            return fileError(where, "source '" + src.name + "': bearer auth needs token_env or keyring: true");
    } else if (authType == "aws" || authType == "sigv4") {
        src.auth.kind = AuthKind::Aws;
    } else {
        return fileError(where, "source '" + src.name + "': unknown auth type '" + authType + "'", "none, basic, bearer or aws");
    }
    src.auth.tenant = text(entry, "tenant");
    if (src.auth.tenant.empty())
        src.auth.tenant = text(a, "tenant");
    if (const YAML::Node aws = entry["aws"]; aws && aws.IsMap()) {
        src.auth.awsProfile = text(aws, "profile");
        src.auth.awsRegion = text(aws, "region");
    }
    if (src.auth.awsProfile.empty())
        src.auth.awsProfile = text(a, "profile");
    if (src.auth.awsRegion.empty())
        src.auth.awsRegion = text(entry, "region");
    if (src.auth.awsRegion.empty())
        src.auth.awsRegion = text(a, "region");
    if (src.type == SourceType::CloudWatch && src.auth.kind != AuthKind::Aws)
        return fileError(where, "source '" + src.name + "': cloudwatch sources authenticate with aws (profile/region)");

    const YAML::Node o = entry["options"] && entry["options"].IsMap() ? entry["options"] : entry;
    if (const YAML::Node t = o["timeout"]; t && t.IsScalar()) {
        auto d = durationOf(t, at(origin, t));
        if (!d)
            return d.error();
        src.options.timeout = *d;
    }
    src.options.caFile = text(o, "ca_file");
    src.options.insecureSkipVerify = boolean(o, "insecure_skip_verify").value_or(false);
    if (const YAML::Node m = o["max_response_bytes"]; m && m.IsScalar()) {
        int64_t bytes = 0;
        if (!YAML::convert<int64_t>::decode(m, bytes) || bytes <= 0)
            return fileError(at(origin, m), "max_response_bytes must be a positive number of bytes");
        src.options.maxResponseBytes = bytes;
    }
    if (const YAML::Node h = o["headers"]; h && h.IsMap())
        for (const auto& kv : h) {
            const std::string name = kv.first.as<std::string>();
            if (isSecretName(name))
                return fileError(at(origin, kv.first),
                                 "source '" + src.name + "': header '" + name + "' carries a secret and is not allowed in the sources file",
                                 "use auth with token_env or keyring: true");
            src.options.headers.emplace_back(name, kv.second.as<std::string>());
        }
    return src;
}

Result<YAML::Node> load(const std::string& yamlText, const std::string& origin)
{
    try {
        YAML::Node doc = YAML::Load(yamlText);
        // Looking a key up in a scalar or a list throws (yaml-cpp's BadSubscript): found by
        // fuzzing, a file holding just "a" ended the program (tests/fuzz/corpus/sources).
        if (doc.IsScalar() || doc.IsSequence())
            return fileError(origin, "the file is not a YAML mapping", "it starts with a key such as 'sources:'");
        return doc;
    } catch (const YAML::Exception& e) {
        return fileError(origin + ":" + std::to_string(e.mark.line + 1), "not valid YAML: " + e.msg);
    }
}

std::string envName(const std::string& sourceName, const char* suffix)
{
    std::string out = "ROOTLINE_";
    for (char c : sourceName)
        out.push_back(std::isalnum(uint8_t(c)) ? char(std::toupper(uint8_t(c))) : '_');
    return out + "_" + suffix;
}

// Grafana interpolates "$VAR" / "${VAR}" in provisioning files: such a value names an env variable.
std::string grafanaEnvRef(const std::string& value)
{
    if (value.size() > 1 && value[0] == '$') {
        std::string v = value.substr(1);
        if (v.size() > 2 && v.front() == '{' && v.back() == '}')
            v = v.substr(1, v.size() - 2);
        return v;
    }
    return {};
}

} // namespace

std::string defaultSourcesPath()
{
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    std::string base;
    if (xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"))
        base = std::string(home) + "/.config";
    else
        base = ".";
    return base + "/rootline/sources.yaml";
}

Result<std::vector<Source>> parseSources(const std::string& yamlText, const std::string& origin)
{
    auto doc = load(yamlText, origin);
    if (!doc)
        return doc.error();
    const YAML::Node list = (*doc)["sources"];
    if (!list)
        return fileError(origin, "no 'sources:' list", "the file starts with 'sources:' followed by entries {name, kind, url}");
    if (list.IsNull())
        return std::vector<Source>{};
    if (!list.IsSequence())
        return fileError(at(origin, list), "'sources' must be a list");
    std::vector<Source> out;
    std::set<std::string> names;
    try {
        for (const auto& entry : list) {
            auto src = parseEntry(entry, origin);
            if (!src)
                return src.error();
            if (!names.insert(src->name).second)
                return fileError(at(origin, entry), "duplicate source name '" + src->name + "'");
            out.push_back(std::move(*src));
        }
    } catch (const YAML::Exception& e) {
        return fileError(origin + ":" + std::to_string(e.mark.line + 1), e.msg);
    }
    return out;
}

Result<std::vector<Source>> loadSources(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return fileError(path, "cannot read the sources file", "create it (see `rootline-cli fetch --help`) or pass --sources FILE");
    std::stringstream buffer;
    buffer << in.rdbuf();
    return parseSources(buffer.str(), path);
}

Result<std::vector<Source>> parseGrafanaProvisioning(const std::string& yamlText, const std::string& origin,
                                                     std::vector<std::string>* skipped)
{
    auto doc = load(yamlText, origin);
    if (!doc)
        return doc.error();
    const YAML::Node list = (*doc)["datasources"];
    if (!list || !list.IsSequence())
        return fileError(origin, "no 'datasources:' list", "expected Grafana provisioning YAML (apiVersion: 1, datasources: [...])");
    std::vector<Source> out;
    std::set<std::string> names;
    try {
        for (const auto& ds : list) {
            const std::string name = text(ds, "name");
            const std::string type = text(ds, "type");
            const auto st = sourceTypeFromName(type);
            if (!st) {
                if (skipped)
                    skipped->push_back(name + " (type " + type + ")");
                continue;
            }
            Source src;
            src.name = name;
            src.type = *st;
            src.url = text(ds, "url");
            while (!src.url.empty() && src.url.back() == '/')
                src.url.pop_back();
            if (src.name.empty() || (src.url.empty() && src.type != SourceType::CloudWatch)) {
                if (skipped)
                    skipped->push_back((name.empty() ? std::string("(unnamed)") : name) + " (no name or url)");
                continue;
            }
            if (!names.insert(src.name).second)
                return fileError(at(origin, ds), "duplicate data source name '" + src.name + "'");
            if (!src.url.empty())
                if (auto checked = checkSourceUrl(src.url, at(origin, ds["url"]), src.name); !checked)
                    return checked.error();
            const YAML::Node json = ds["jsonData"];
            const YAML::Node secure = ds["secureJsonData"];
            if (boolean(ds, "basicAuth").value_or(false)) {
                src.auth.kind = AuthKind::Basic;
                src.auth.username = text(ds, "basicAuthUser");
                const std::string ref = secure ? grafanaEnvRef(text(secure, "basicAuthPassword")) : std::string();
                src.auth.passwordEnv = ref.empty() ? envName(src.name, "PASSWORD") : ref;
            }
            if (json && json.IsMap()) {
                for (int i = 1; i <= 16; ++i) {
                    const std::string key = "httpHeaderName" + std::to_string(i);
                    const std::string header = text(json, key.c_str());
                    if (header.empty())
                        continue;
                    const std::string valueKey = "httpHeaderValue" + std::to_string(i);
                    const std::string value = secure ? text(secure, valueKey.c_str()) : std::string();
                    const std::string lower = lowered(header);
                    if (lower == "x-scope-orgid") {
                        src.auth.tenant = value;
                    } else if (lower == "authorization") {
                        src.auth.kind = AuthKind::Bearer;
                        const std::string ref = grafanaEnvRef(value);
                        src.auth.tokenEnv = ref.empty() ? envName(src.name, "TOKEN") : ref;
                    } else if (skipped) {
                        skipped->push_back(src.name + ": header " + header + " (add it under options.headers if it is not secret)");
                    }
                }
                if (boolean(json, "tlsSkipVerify").value_or(false))
                    src.options.insecureSkipVerify = true;
                if (const YAML::Node t = json["timeout"]; t && t.IsScalar())
                    if (auto d = parseDuration(t.Scalar()))
                        src.options.timeout = *d;
                if (src.type == SourceType::CloudWatch) {
                    src.auth.kind = AuthKind::Aws;
                    src.auth.awsRegion = text(json, "defaultRegion");
                    src.auth.awsProfile = text(json, "profile");
                    if (src.auth.awsProfile.empty())
                        src.auth.awsProfile = text(json, "database"); // older Grafana kept the profile here
                    const std::string endpoint = text(json, "endpoint");
                    if (!endpoint.empty())
                        src.url = endpoint;
                }
            } else if (src.type == SourceType::CloudWatch) {
                src.auth.kind = AuthKind::Aws;
            }
            out.push_back(std::move(src));
        }
    } catch (const YAML::Exception& e) {
        return fileError(origin + ":" + std::to_string(e.mark.line + 1), e.msg);
    }
    return out;
}

std::string formatSources(const std::vector<Source>& sources)
{
    YAML::Emitter y;
    y << YAML::BeginMap << YAML::Key << "sources" << YAML::Value << YAML::BeginSeq;
    for (const Source& s : sources) {
        y << YAML::BeginMap;
        y << YAML::Key << "name" << YAML::Value << s.name;
        y << YAML::Key << "kind" << YAML::Value << sourceTypeName(s.type);
        if (!s.url.empty())
            y << YAML::Key << "url" << YAML::Value << s.url;
        if (s.auth.kind != AuthKind::None) {
            y << YAML::Key << "auth" << YAML::Value << YAML::BeginMap;
            switch (s.auth.kind) {
            case AuthKind::Basic:
                y << YAML::Key << "type" << YAML::Value << "basic" << YAML::Key << "username" << YAML::Value << s.auth.username;
                if (!s.auth.passwordEnv.empty())
                    y << YAML::Key << "password_env" << YAML::Value << s.auth.passwordEnv;
                break;
            case AuthKind::Bearer:
                y << YAML::Key << "type" << YAML::Value << "bearer";
                if (!s.auth.tokenEnv.empty())
                    y << YAML::Key << "token_env" << YAML::Value << s.auth.tokenEnv;
                break;
            case AuthKind::Aws: y << YAML::Key << "type" << YAML::Value << "aws"; break;
            case AuthKind::None: break;
            }
            if (s.auth.keyring)
                y << YAML::Key << "keyring" << YAML::Value << true;
            y << YAML::EndMap;
        }
        if (!s.auth.tenant.empty())
            y << YAML::Key << "tenant" << YAML::Value << s.auth.tenant;
        if (!s.auth.awsProfile.empty() || !s.auth.awsRegion.empty()) {
            y << YAML::Key << "aws" << YAML::Value << YAML::BeginMap;
            if (!s.auth.awsProfile.empty())
                y << YAML::Key << "profile" << YAML::Value << s.auth.awsProfile;
            if (!s.auth.awsRegion.empty())
                y << YAML::Key << "region" << YAML::Value << s.auth.awsRegion;
            y << YAML::EndMap;
        }
        const SourceOptions& o = s.options;
        if (o.timeout || !o.caFile.empty() || o.insecureSkipVerify || o.maxResponseBytes || !o.headers.empty()) {
            y << YAML::Key << "options" << YAML::Value << YAML::BeginMap;
            if (o.timeout)
                y << YAML::Key << "timeout" << YAML::Value << o.timeout->toString();
            if (!o.caFile.empty())
                y << YAML::Key << "ca_file" << YAML::Value << o.caFile;
            if (o.insecureSkipVerify)
                y << YAML::Key << "insecure_skip_verify" << YAML::Value << true;
            if (o.maxResponseBytes)
                y << YAML::Key << "max_response_bytes" << YAML::Value << *o.maxResponseBytes;
            if (!o.headers.empty()) {
                y << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
                for (const auto& [k, v] : o.headers)
                    y << YAML::Key << k << YAML::Value << v;
                y << YAML::EndMap;
            }
            y << YAML::EndMap;
        }
        y << YAML::EndMap;
    }
    y << YAML::EndSeq << YAML::EndMap;
    return std::string(y.c_str()) + "\n";
}

const Source* findSource(const std::vector<Source>& sources, std::string_view name)
{
    for (const auto& s : sources)
        if (s.name == name)
            return &s;
    return nullptr;
}

Status resolveSecrets(Source& source)
{
    const std::string where = "source " + source.name;
    auto fromEnv = [&](const std::string& var, std::string& into) -> Status {
        const char* v = std::getenv(var.c_str());
        if (!v || !*v)
            return Error{where, "environment variable " + var + " is not set", "export " + var + " before running, or use keyring: true"};
        into = v;
        return {};
    };
    switch (source.auth.kind) {
    case AuthKind::Basic:
        if (!source.auth.passwordEnv.empty())
            return fromEnv(source.auth.passwordEnv, source.secrets.password);
        if (source.auth.keyring) {
            auto s = readKeyringSecret(source.name);
            if (!s)
                return s.error().within(where);
            source.secrets.password = *s;
        }
        return {};
    case AuthKind::Bearer:
        if (!source.auth.tokenEnv.empty())
            return fromEnv(source.auth.tokenEnv, source.secrets.token);
        if (source.auth.keyring) {
            auto s = readKeyringSecret(source.name);
            if (!s)
                return s.error().within(where);
            source.secrets.token = *s;
        }
        return {};
    case AuthKind::None:
    case AuthKind::Aws:
        return {};
    }
    return {};
}

} // namespace rootline
