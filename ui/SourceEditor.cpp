#include "SourceEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>

namespace rootline {

SourceEditor::SourceEditor(const Source& source, QWidget* parent)
    : QDialog(parent)
    , m_original(source)
    , m_name(new QLineEdit(QString::fromStdString(source.name), this))
    , m_type(new QComboBox(this))
    , m_url(new QLineEdit(QString::fromStdString(source.url), this))
    , m_auth(new QComboBox(this))
    , m_username(new QLineEdit(QString::fromStdString(source.auth.username), this))
    , m_secretEnv(new QLineEdit(this))
    , m_keyring(new QCheckBox(tr("Read the password or token from the system keyring"), this))
    , m_tenant(new QLineEdit(QString::fromStdString(source.auth.tenant), this))
    , m_awsProfile(new QLineEdit(QString::fromStdString(source.auth.awsProfile), this))
    , m_awsRegion(new QLineEdit(QString::fromStdString(source.auth.awsRegion), this))
{
    setWindowTitle(source.name.empty() ? tr("Add data source") : tr("Edit %1").arg(QString::fromStdString(source.name)));
    for (SourceType t : {SourceType::Prometheus, SourceType::Loki, SourceType::Jaeger, SourceType::CloudWatch})
        m_type->addItem(QString::fromUtf8(sourceTypeName(t)), int(t));
    m_type->setCurrentIndex(m_type->findData(int(source.type)));
    m_auth->addItem(tr("none"), int(AuthKind::None));
    m_auth->addItem(tr("basic"), int(AuthKind::Basic));
    m_auth->addItem(tr("bearer token"), int(AuthKind::Bearer));
    m_auth->addItem(tr("AWS (profile / environment)"), int(AuthKind::Aws));
    m_auth->setCurrentIndex(m_auth->findData(int(source.auth.kind)));
    m_secretEnv->setText(QString::fromStdString(source.auth.kind == AuthKind::Bearer ? source.auth.tokenEnv : source.auth.passwordEnv));
    m_secretEnv->setPlaceholderText(tr("name of the environment variable, e.g. PROM_PASSWORD"));
    m_keyring->setChecked(source.auth.keyring);
    m_url->setPlaceholderText(tr("https://prometheus.example:9090"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Type"), m_type);
    form->addRow(tr("URL"), m_url);
    form->addRow(tr("Authentication"), m_auth);
    form->addRow(tr("Username"), m_username);
    form->addRow(tr("Secret from variable"), m_secretEnv);
    form->addRow(QString(), m_keyring);
    form->addRow(tr("Tenant (Loki)"), m_tenant);
    form->addRow(tr("AWS profile"), m_awsProfile);
    form->addRow(tr("AWS region"), m_awsRegion);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &SourceEditor::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SourceEditor::reject);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &SourceEditor::updateFields);
    connect(m_keyring, &QCheckBox::toggled, this, &SourceEditor::updateFields);
    connect(m_type, &QComboBox::currentIndexChanged, this, &SourceEditor::updateFields);
    updateFields();
    resize(520, sizeHint().height());
}

Source SourceEditor::source() const
{
    Source s = m_original;
    s.secrets = {};
    s.name = m_name->text().trimmed().toStdString();
    s.type = SourceType(m_type->currentData().toInt());
    std::string url = m_url->text().trimmed().toStdString();
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    s.url = url;
    s.auth = {};
    s.auth.kind = AuthKind(m_auth->currentData().toInt());
    s.auth.tenant = m_tenant->text().trimmed().toStdString();
    const std::string env = m_secretEnv->text().trimmed().toStdString();
    switch (s.auth.kind) {
    case AuthKind::None: break;
    case AuthKind::Basic:
        s.auth.username = m_username->text().trimmed().toStdString();
        s.auth.keyring = m_keyring->isChecked();
        if (!s.auth.keyring)
            s.auth.passwordEnv = env;
        break;
    case AuthKind::Bearer:
        s.auth.keyring = m_keyring->isChecked();
        if (!s.auth.keyring)
            s.auth.tokenEnv = env;
        break;
    case AuthKind::Aws:
        s.auth.awsProfile = m_awsProfile->text().trimmed().toStdString();
        s.auth.awsRegion = m_awsRegion->text().trimmed().toStdString();
        break;
    }
    return s;
}

QString SourceEditor::problem() const
{
    const Source s = source();
    if (s.name.empty())
        return tr("Give the source a name.");
    if (s.url.empty() && s.type != SourceType::CloudWatch)
        return tr("Give the source's base URL.");
    if (!s.url.empty() && !(s.url.starts_with("http://") || s.url.starts_with("https://")))
        return tr("The URL must start with http:// or https://.");
    if ((s.auth.kind == AuthKind::Basic || s.auth.kind == AuthKind::Bearer) && !s.auth.keyring
        && (s.auth.kind == AuthKind::Basic ? s.auth.passwordEnv : s.auth.tokenEnv).empty())
        return tr("Name the environment variable that holds the secret, or use the keyring.");
    if (s.auth.kind == AuthKind::Basic && s.auth.username.empty())
        return tr("Basic authentication needs a username.");
    return {};
}

void SourceEditor::accept()
{
    if (const QString p = problem(); !p.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), p);
        return;
    }
    QDialog::accept();
}

void SourceEditor::updateFields()
{
    const auto kind = AuthKind(m_auth->currentData().toInt());
    const bool secret = kind == AuthKind::Basic || kind == AuthKind::Bearer;
    m_username->setEnabled(kind == AuthKind::Basic);
    m_keyring->setEnabled(secret);
    m_secretEnv->setEnabled(secret && !m_keyring->isChecked());
    m_awsProfile->setEnabled(kind == AuthKind::Aws);
    m_awsRegion->setEnabled(kind == AuthKind::Aws);
    m_tenant->setEnabled(SourceType(m_type->currentData().toInt()) == SourceType::Loki);
}

} // namespace rootline
