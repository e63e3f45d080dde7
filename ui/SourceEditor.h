#pragma once

// Edits one data source's settings (Settings → Data sources → Add / Edit). There is no field for
// a secret: a password or token is named by an environment variable or kept in the system keyring
// (sources/SourcesFile.h), so nothing secret is typed, shown or written to the sources file here.

#include "sources/Source.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace rootline {

class SourceEditor final : public QDialog {
    Q_OBJECT
public:
    explicit SourceEditor(const Source& source, QWidget* parent = nullptr);

    // The edited source (its resolved secrets are left empty).
    Source source() const;
    // Why the current values cannot be saved; empty when they can.
    QString problem() const;

    void accept() override;

private:
    void updateFields();

    Source m_original;
    QLineEdit* m_name;
    QComboBox* m_type;
    QLineEdit* m_url;
    QComboBox* m_auth;
    QLineEdit* m_username;
    QLineEdit* m_secretEnv;
    QCheckBox* m_keyring;
    QLineEdit* m_tenant;
    QLineEdit* m_awsProfile;
    QLineEdit* m_awsRegion;
};

} // namespace rootline
