#pragma once

// An independent AWS Signature V4 verifier for fake servers (wire-formats.md §5.2): it recomputes
// the signature from the request as received (canonical request → string to sign → HMAC chain)
// with Qt's SHA-256/HMAC, so a connector signed by libcurl is checked by code that shares nothing
// with libcurl.

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace rootline::test {

struct SignedRequest {
    QByteArray method;
    QByteArray path;  // as sent, with the raw query string (libcurl 7.88 signs the query unsorted)
    QList<QPair<QByteArray, QByteArray>> headers; // as received, names in any case
    QByteArray body;
};

struct SigV4Expectation {
    QByteArray accessKeyId;
    QByteArray secretAccessKey;
    QByteArray region;  // empty: accept what the credential scope says
    QByteArray service; // empty: accept what the credential scope says
    // Reject an X-Amz-Date further than this from `now` ("Signature expired"); nullopt: don't check.
    std::optional<qint64> maxSkewSeconds;
    QDateTime now = QDateTime::currentDateTimeUtc();
};

struct SigV4Result {
    bool ok = false;
    QString reason; // why it failed, in AWS's words where there are some
    QByteArray region, service, signedHeaders;
};

class SigV4Verifier {
public:
    static SigV4Result verify(const SignedRequest& request, const SigV4Expectation& expect);

    // Building blocks, exposed for tests.
    static QByteArray canonicalRequest(const SignedRequest& request, const QList<QByteArray>& signedHeaders);
    static QByteArray signingKey(const QByteArray& secret, const QByteArray& date, const QByteArray& region,
                                 const QByteArray& service);
};

} // namespace rootline::test
