#include "Keyring.h"

#ifdef ROOTLINE_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QEventLoop>
#endif

namespace rootline {

namespace {
constexpr const char* kService = "rootline";
}

#ifdef ROOTLINE_HAVE_KEYCHAIN

bool keyringAvailable()
{
    return true; // qtkeychain 0.13 has no availability probe; a job that fails says why
}

Result<std::string> readKeyringSecret(const std::string& sourceName)
{
    if (!QCoreApplication::instance())
        return Error{"keyring", "no Qt application to run the keyring job", "use password_env/token_env instead"};
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kService));
    job.setAutoDelete(false);
    job.setKey(QString::fromStdString(sourceName));
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    if (job.error() != QKeychain::NoError)
        return Error{"keyring", "no secret for '" + sourceName + "': " + job.errorString().toStdString(),
                     "store it with the data-sources dialog, or use password_env/token_env"};
    return job.textData().toStdString();
}

Status writeKeyringSecret(const std::string& sourceName, const std::string& secret)
{
    if (!QCoreApplication::instance())
        return Error{"keyring", "no Qt application to run the keyring job", {}};
    QKeychain::WritePasswordJob job(QString::fromLatin1(kService));
    job.setAutoDelete(false);
    job.setKey(QString::fromStdString(sourceName));
    job.setTextData(QString::fromStdString(secret));
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    if (job.error() != QKeychain::NoError)
        return Error{"keyring", "cannot store the secret for '" + sourceName + "': " + job.errorString().toStdString(), {}};
    return {};
}

#else

bool keyringAvailable()
{
    return false;
}

Result<std::string> readKeyringSecret(const std::string& sourceName)
{
    return Error{"keyring", "cannot read the secret for '" + sourceName + "': built without qtkeychain",
                 "use password_env/token_env, or rebuild with qtkeychain-qt6 installed"};
}

Status writeKeyringSecret(const std::string&, const std::string&)
{
    return Error{"keyring", "built without qtkeychain", "use password_env/token_env"};
}

#endif

} // namespace rootline
