#pragma once

// Constants and small helpers shared by the request simulator's source files (not a public API).

#include "LogLines.h"
#include "MetricsRecorder.h"

#include <cstdio>
#include <string>

namespace rootline::sample::detail {

// Head sampling keeps this share of traces; tail sampling keeps half of the failing ones besides.
inline constexpr double kHeadSampling = 0.091;
inline constexpr double kTailSamplingErrors = 0.5;

inline constexpr const char* kProducts[] = {"OLJCESPC7Z", "66VCHSJNUP", "1YMWWN1N4O", "L9ECAV7KIM", "2ZYFJ3GM2N", "0PUK6V6EV0",
                                     "LS4PSXUNUM", "9SIQT8TOJO", "6E92ZMYYFZ", "HQTGWGPNH4", "QX7DUJ3B1Z", "K3M9VRT0PA"};
inline constexpr const char* kFirstNames[] = {"jane", "omar", "li", "sofia", "arjun", "emma", "kwame", "yuki", "lucas", "amara", "noah", "ines"};
inline constexpr const char* kLastNames[] = {"doe", "haddad", "wei", "rossi", "patel", "schmidt", "mensah", "tanaka", "silva", "okafor"};
inline constexpr const char* kUserAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "ShopApp/4.2.1 (Android 14; Pixel 8)"};
inline constexpr const char* kGatewayUrl = "https://api.paygate.example/v1/charges";
inline constexpr const char* kGatewayHost = "api.paygate.example";

inline constexpr int kOk = 0, kInvalidArgument = 3, kNotFound = 5, kFailedPrecondition = 9, kInternal = 13, kUnavailable = 14;

inline constexpr int kInfo = 9, kDebug = 5, kWarn = 13, kError = 17;

inline StatusClass classOfGrpc(int code)
{
    if (code == kOk)
        return k2xx;
    if (code == kInvalidArgument || code == kNotFound || code == kFailedPrecondition)
        return k4xx;
    return k5xx;
}

inline StatusClass classOfHttp(int status) { return status >= 500 ? k5xx : status >= 400 ? k4xx : k2xx; }

inline int httpFromGrpc(int code)
{
    switch (code) {
    case kOk: return 200;
    case kInvalidArgument: return 400;
    case kNotFound: return 404;
    case kFailedPrecondition: return 402;
    case kUnavailable: return 502;
    default: return 500;
    }
}

inline const char* grpcName(int code)
{
    switch (code) {
    case kOk: return "OK";
    case kInvalidArgument: return "InvalidArgument";
    case kNotFound: return "NotFound";
    case kFailedPrecondition: return "FailedPrecondition";
    case kUnavailable: return "Unavailable";
    case kInternal: return "Internal";
    default: return "Unknown";
    }
}

inline std::string hex32(uint64_t v)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", unsigned(v & 0xffffffffu));
    return buf;
}

inline std::string money(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

inline LogField field(std::string key, std::string value) { return {std::move(key), std::move(value), false}; }
inline LogField number(std::string key, std::string value) { return {std::move(key), std::move(value), true}; }


} // namespace rootline::sample::detail
