#include "SigV4Verifier.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QRegularExpression>

namespace rootline::test {
namespace {

QByteArray sha256Hex(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray hmac(const QByteArray& key, const QByteArray& data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Sha256);
}

// Header values are trimmed and inner runs of spaces collapsed (SigV4 "Trimall").
QByteArray trimAll(const QByteArray& v)
{
    return v.simplified();
}

std::optional<QByteArray> headerValue(const SignedRequest& r, const QByteArray& lowerName)
{
    std::optional<QByteArray> found;
    for (const auto& [name, value] : r.headers) {
        if (name.toLower() == lowerName) {
            // Repeated headers are joined with commas.
            found = found ? *found + ',' + trimAll(value) : trimAll(value);
        }
    }
    return found;
}

} // namespace

QByteArray SigV4Verifier::canonicalRequest(const SignedRequest& request, const QList<QByteArray>& signedHeaders)
{
    QByteArray path = request.path;
    QByteArray query;
    if (const int q = path.indexOf('?'); q >= 0) {
        query = path.mid(q + 1);
        path = path.left(q);
    }
    if (path.isEmpty())
        path = "/";
    QByteArray c = request.method + '\n' + path + '\n' + query + '\n';
    for (const auto& name : signedHeaders)
        c += name + ':' + headerValue(request, name).value_or(QByteArray()) + '\n';
    c += '\n';
    QList<QByteArray> names = signedHeaders;
    c += names.join(';') + '\n';
    c += sha256Hex(request.body);
    return c;
}

QByteArray SigV4Verifier::signingKey(const QByteArray& secret, const QByteArray& date, const QByteArray& region,
                                     const QByteArray& service)
{
    const QByteArray kDate = hmac("AWS4" + secret, date);
    const QByteArray kRegion = hmac(kDate, region);
    const QByteArray kService = hmac(kRegion, service);
    return hmac(kService, "aws4_request");
}

SigV4Result SigV4Verifier::verify(const SignedRequest& request, const SigV4Expectation& expect)
{
    SigV4Result result;
    const auto auth = headerValue(request, "authorization");
    if (!auth) {
        result.reason = QStringLiteral("Missing Authentication Token");
        return result;
    }
    static const QRegularExpression re(QStringLiteral(
        R"(^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([a-z0-9;\-]+), ?Signature=([0-9a-f]{64})$)"));
    const auto m = re.match(QString::fromLatin1(*auth));
    if (!m.hasMatch()) {
        result.reason = QStringLiteral("Authorization header is not a SigV4 header: ") + QString::fromLatin1(auth->left(80));
        return result;
    }
    const QByteArray akid = m.captured(1).toLatin1();
    const QByteArray date = m.captured(2).toLatin1();
    result.region = m.captured(3).toLatin1();
    result.service = m.captured(4).toLatin1();
    result.signedHeaders = m.captured(5).toLatin1();
    const QByteArray signature = m.captured(6).toLatin1();

    if (akid != expect.accessKeyId) {
        result.reason = QStringLiteral("The security token included in the request is invalid (unknown access key %1)").arg(QString::fromLatin1(akid));
        return result;
    }
    if (!expect.region.isEmpty() && result.region != expect.region) {
        result.reason = QStringLiteral("Credential should be scoped to a valid region, not '%1'").arg(QString::fromLatin1(result.region));
        return result;
    }
    if (!expect.service.isEmpty() && result.service != expect.service) {
        result.reason = QStringLiteral("Credential should be scoped to correct service: '%1', not '%2'")
                            .arg(QString::fromLatin1(expect.service), QString::fromLatin1(result.service));
        return result;
    }
    const auto amzDate = headerValue(request, "x-amz-date");
    if (!amzDate || amzDate->size() != 16 || !amzDate->startsWith(date)) {
        result.reason = QStringLiteral("X-Amz-Date missing or not matching the credential date");
        return result;
    }
    const QList<QByteArray> signedHeaders = result.signedHeaders.split(';');
    if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
        result.reason = QStringLiteral("host and x-amz-date must be signed");
        return result;
    }
    for (const auto& name : signedHeaders) {
        if (!headerValue(request, name)) {
            result.reason = QStringLiteral("signed header %1 is not in the request").arg(QString::fromLatin1(name));
            return result;
        }
    }
    if (expect.maxSkewSeconds) {
        const QDateTime when = QDateTime::fromString(QString::fromLatin1(*amzDate), QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
        QDateTime utc = when;
        utc.setTimeSpec(Qt::UTC);
        if (!when.isValid() || std::abs(utc.secsTo(expect.now)) > *expect.maxSkewSeconds) {
            result.reason = QStringLiteral("Signature expired: %1 is now earlier than the allowed skew").arg(QString::fromLatin1(*amzDate));
            return result;
        }
    }
    const QByteArray canonical = canonicalRequest(request, signedHeaders);
    const QByteArray scope = date + '/' + result.region + '/' + result.service + "/aws4_request";
    const QByteArray stringToSign = "AWS4-HMAC-SHA256\n" + *amzDate + '\n' + scope + '\n' + sha256Hex(canonical);
    const QByteArray expected = hmac(signingKey(expect.secretAccessKey, date, result.region, result.service), stringToSign).toHex();
    if (expected != signature) {
        result.reason = QStringLiteral("The request signature we calculated does not match the signature you provided");
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace rootline::test
