#include "AwsCredentials.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>

namespace rootline::aws {
namespace {

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

std::string home()
{
    return env("HOME");
}

std::string trim(std::string s)
{
    const auto notSpace = [](char c) { return c != ' ' && c != '\t' && c != '\r' && c != '\n'; };
    while (!s.empty() && !notSpace(s.back()))
        s.pop_back();
    size_t i = 0;
    while (i < s.size() && !notSpace(s[i]))
        ++i;
    return s.substr(i);
}

using Ini = std::map<std::string, std::map<std::string, std::string>>;

// Minimal INI as the AWS files use it: [section], key = value, # or ; comments.
bool readIni(const std::string& path, Ini& out)
{
    std::ifstream in(path);
    if (!in)
        return false;
    std::string line, section;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#' || line[0] == ';')
            continue;
        if (line.front() == '[' && line.back() == ']') {
            section = trim(line.substr(1, line.size() - 2));
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos || section.empty())
            continue;
        out[section][trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return true;
}

std::string credentialsFile()
{
    const std::string e = env("AWS_SHARED_CREDENTIALS_FILE");
    return e.empty() ? home() + "/.aws/credentials" : e;
}

std::string configFile()
{
    const std::string e = env("AWS_CONFIG_FILE");
    return e.empty() ? home() + "/.aws/config" : e;
}

std::string defaultProfile()
{
    std::string p = env("AWS_PROFILE");
    if (p.empty())
        p = env("AWS_DEFAULT_PROFILE");
    return p.empty() ? std::string("default") : p;
}

const std::map<std::string, std::string>* configSection(const Ini& config, const std::string& profile)
{
    auto it = config.find(profile == "default" ? profile : "profile " + profile);
    if (it == config.end())
        it = config.find(profile); // some hand-written files omit the prefix
    return it == config.end() ? nullptr : &it->second;
}

// `credential_process`: run the command, read {"Version":1,"AccessKeyId","SecretAccessKey","SessionToken"}.
Result<Credentials> fromProcess(const std::string& profile, const std::string& command)
{
    const std::string where = "aws profile " + profile + " credential_process";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return Error{where, "cannot run the command", "check credential_process in " + configFile()};
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0 && out.size() < (1 << 20))
        out.append(buf, n);
    const int status = ::pclose(pipe);
    if (status != 0)
        return Error{where, "the command failed (exit status " + std::to_string(status) + ")", "run it by hand to see why"};
    const nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("Version", 0) != 1 || !j.contains("AccessKeyId") || !j.contains("SecretAccessKey"))
        return Error{where, "the command did not print {\"Version\":1,\"AccessKeyId\":…,\"SecretAccessKey\":…}", {}};
    Credentials c;
    c.accessKeyId = j.value("AccessKeyId", "");
    c.secretAccessKey = j.value("SecretAccessKey", "");
    c.sessionToken = j.value("SessionToken", "");
    c.origin = where;
    return c;
}

Result<Credentials> fromProfile(const std::string& profile)
{
    Ini creds, config;
    const std::string credPath = credentialsFile();
    const std::string confPath = configFile();
    readIni(credPath, creds);
    readIni(confPath, config);
    auto take = [&](const std::map<std::string, std::string>& keys, const std::string& path) -> std::optional<Credentials> {
        auto id = keys.find("aws_access_key_id");
        auto secret = keys.find("aws_secret_access_key");
        if (id == keys.end() || secret == keys.end() || id->second.empty() || secret->second.empty())
            return std::nullopt;
        Credentials c;
        c.accessKeyId = id->second;
        c.secretAccessKey = secret->second;
        if (auto t = keys.find("aws_session_token"); t != keys.end())
            c.sessionToken = t->second;
        c.origin = "profile " + profile + " in " + path;
        return c;
    };
    if (auto it = creds.find(profile); it != creds.end()) {
        if (auto c = take(it->second, credPath))
            return *c;
        if (auto p = it->second.find("credential_process"); p != it->second.end())
            return fromProcess(profile, p->second);
    }
    if (const auto* section = configSection(config, profile)) {
        if (auto c = take(*section, confPath))
            return *c;
        if (auto p = section->find("credential_process"); p != section->end() && !section->count("role_arn"))
            return fromProcess(profile, p->second);
        for (const char* indirect : {"role_arn", "sso_session", "sso_start_url", "web_identity_token_file"}) {
            if (section->count(indirect))
                return Error{"aws profile " + profile, std::string("the profile uses `") + indirect + "`, which Rootline cannot follow",
                             "export temporary keys first, e.g. `eval $(aws configure export-credentials --profile " + profile
                                 + " --format env)`"};
        }
    }
    return Error{"aws profile " + profile, "no access key for this profile in " + credPath + " or " + confPath,
                 "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or add the profile with `aws configure --profile " + profile + "`"};
}

} // namespace

Result<Credentials> resolveCredentials(const std::string& profile)
{
    if (!profile.empty())
        return fromProfile(profile);
    const std::string id = env("AWS_ACCESS_KEY_ID");
    const std::string secret = env("AWS_SECRET_ACCESS_KEY");
    if (!id.empty() && !secret.empty()) {
        Credentials c;
        c.accessKeyId = id;
        c.secretAccessKey = secret;
        c.sessionToken = env("AWS_SESSION_TOKEN");
        if (c.sessionToken.empty())
            c.sessionToken = env("AWS_SECURITY_TOKEN"); // legacy name botocore still reads
        c.origin = "environment";
        return c;
    }
    return fromProfile(defaultProfile());
}

Result<std::string> resolveRegion(const std::string& configured, const std::string& profile)
{
    if (!configured.empty())
        return configured;
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"})
        if (std::string r = env(name); !r.empty())
            return r;
    Ini config;
    readIni(configFile(), config);
    const std::string p = profile.empty() ? defaultProfile() : profile;
    if (const auto* section = configSection(config, p)) {
        if (auto it = section->find("region"); it != section->end() && !it->second.empty())
            return it->second;
    }
    return Error{"aws", "no region configured", "set the source's region, AWS_REGION, or `region` in " + configFile()};
}

} // namespace rootline::aws
