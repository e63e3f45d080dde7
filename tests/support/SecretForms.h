#pragma once

// Secrets as they turn up in log lines — one line per form issue 13 names — and ordinary lines
// with nothing secret in them, for the scrubber's unit test (tst_secret_scrubber) and the
// end-to-end `export --redact` test (tst_export).

namespace rootline::test {

// Each form of issue 13 item 4: a line holding it, and the secret that must not survive.
struct SecretForm {
    const char* name;
    const char* line;
    const char* secret;
};

inline const SecretForm kSecretForms[] = {
    {"password=", "login failed for alice password=Hunt3r2-pw retry=1", "Hunt3r2-pw"},
    {"passwd=", "ldap bind passwd=PasswdVal-77", "PasswdVal-77"},
    {"pwd=", "connect pwd=PwdVal-9x", "PwdVal-9x"},
    {"secret=", "webhook secret=SecretVal-42", "SecretVal-42"},
    {"token=", "refresh token=TokVal-8891 expired", "TokVal-8891"},
    {"api_key=", "call api_key=ApiKey-5521", "ApiKey-5521"},
    {"apikey=", "call apikey=ApiKey2-9932", "ApiKey2-9932"},
    {"access_key=", "s3 access_key=AccKey-7712", "AccKey-7712"},
    {"client_secret=", "oauth client_secret=ClientSec-3345 grant=client_credentials", "ClientSec-3345"},
    {"auth=", "proxy auth=AuthVal-6671", "AuthVal-6671"},
    {"key: value", "config db_password: 'YamlPw-1010'", "YamlPw-1010"},
    {"quoted value", R"(settings password="Quoted Pw 2020")", "Quoted Pw 2020"},
    {"json field", R"({"user":"bob","password":"JsonPw-1234","ok":true})", "JsonPw-1234"},
    {"json in a json string", R"({"req":"{\"password\":\"EscPw-5678\"}"})", "EscPw-5678"},
    {"Authorization header", "request headers: Authorization: Token TokHdr-1122", "TokHdr-1122"},
    {"Proxy-Authorization header", "Proxy-Authorization: Basic cHJveHk6UHJveHlQdzE=", "cHJveHk6UHJveHlQdzE"},
    {"Cookie header", "Cookie: session=CookieSess-77; theme=dark", "CookieSess-77"},
    {"Set-Cookie header", "Set-Cookie: sid=SetCookieSid-88; Path=/; HttpOnly", "SetCookieSid-88"},
    {"X-Api-Key header", "X-Api-Key: XApiKey-9090", "XApiKey-9090"},
    {"headers as JSON", R"({"headers":{"Authorization":["Bearer JsonHdrTok-31"],"Accept":["*/*"]}})", "JsonHdrTok-31"},
    {"url userinfo", "connecting to postgres://app:UrlPw-4242@db.internal:5432/orders", "UrlPw-4242"},
    {"url query token", "GET https://api.example/v1/items?access_token=QueryTok-3131&page=2", "QueryTok-3131"},
    {"url query password", "GET /login?user=bob&password=QueryPw-3232", "QueryPw-3232"},
    {"basic credentials", "sent Basic YWxpY2U6QmFzaWNQdy0xMjM= upstream", "YWxpY2U6QmFzaWNQdy0xMjM"},
    {"bearer token", "retrying with bearer BearerTok-5566778", "BearerTok-5566778"},
    {"aws access key id", "assumed role with AKIA2E0A8F3B244C9986", "AKIA2E0A8F3B244C9986"},
    {"aws session key id", "temporary ASIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A"},
    {"aws secret key", "secret key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY loaded", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
    {"aws secret key (ini)", "aws_secret_access_key = Je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "Je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"},
    {"jwt", "id_token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl accepted",
     "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl"},
    {"sigv4", "AWS4-HMAC-SHA256 Credential=AKID/20261120/eu-west-1/logs/aws4_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
     "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"},
};

// Lines with nothing secret in them (and no e-mail or IP address, which the default redaction
// also masks): they must come out byte for byte.
inline const char* const kOrdinaryLines[] = {
    "GET /api/v1/orders/12345 200 in 12ms",
    R"(level=info msg="charge completed" order=ord-1234abcd amount=42.10 currency=EUR duration_ms=123)",
    "trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7 tokens=512 token_count=3 author=bob",
    "deployed commit 3f786850e387550fdab836ed7e6dc881de23001b to payment-service v1.4.2",
    "Basic authentication is disabled; use a bearer token",
    R"({"level":"warn","message":"retry 3/5","service":"checkout","latency_ms":1834.5})",
    "password reset requested for user 4711",
    "error: invalid token",
    "upstream connect error or disconnect/reset before headers. reset reason: connection timeout",
    "if token == nil { return errMissingToken }",
    "GC pause 12.3ms heap=512MiB goroutines=1042",
    "payment gateway timeout after 30000ms (attempt 3 of 3)",
};


} // namespace rootline::test
