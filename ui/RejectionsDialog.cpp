#include "RejectionsDialog.h"

#include "CacheSession.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPalette>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace rootline {

namespace {

QString levelText(ProblemLevel level)
{
    switch (level) {
    case ProblemLevel::Error: return RejectionsModel::tr("error");
    case ProblemLevel::Warning: return RejectionsModel::tr("warning");
    case ProblemLevel::Info: return RejectionsModel::tr("info");
    }
    return {};
}

// A cell shows the first line; the tooltip holds the whole text.
QString firstLine(const QString& text)
{
    const qsizetype end = text.indexOf(QLatin1Char('\n'));
    return end < 0 ? text : text.left(end) + QStringLiteral(" …");
}

} // namespace

Result<std::vector<RejectionRow>> readRejections(CacheReader& reader)
{
    auto rejections = reader.rejections(0);
    if (!rejections)
        return rejections.error();
    auto fetches = reader.fetches();
    if (!fetches)
        return fetches.error();
    std::map<int64_t, QString> inputOf; // as `rootline-cli stats` names them
    for (const auto& f : *fetches)
        inputOf[f.rowId] = QString::fromStdString(f.query.empty() ? f.source : f.query);
    std::vector<RejectionRow> rows;
    rows.reserve(rejections->size());
    for (const auto& r : *rejections) {
        const auto input = inputOf.find(r.fetchRowId);
        rows.push_back({r.level, input == inputOf.end() ? QString() : input->second, QString::fromStdString(r.location),
                        QString::fromStdString(r.message), QString::fromStdString(r.snippet)});
    }
    return rows;
}

void RejectionsModel::setRows(std::vector<RejectionRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

int RejectionsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RejectionsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RejectionsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RejectionRow& r = m_rows[size_t(index.row())];
    const QString* text = nullptr;
    switch (index.column()) {
    case Input: text = &r.input; break;
    case Location: text = &r.location; break;
    case Reason: text = &r.reason; break;
    case Snippet: text = &r.snippet; break;
    default: break;
    }
    switch (role) {
    case Qt::DisplayRole:
        return text ? firstLine(*text) : levelText(r.level);
    case Qt::ToolTipRole:
        return text && !text->isEmpty() ? QVariant(*text) : QVariant();
    case Qt::UserRole: // the level as a number, for sorting or filtering by it
        return index.column() == Level ? QVariant(int(r.level)) : QVariant();
    default:
        return {};
    }
}

QVariant RejectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Level: return tr("Level");
    case Input: return tr("File or fetch");
    case Location: return tr("Location");
    case Reason: return tr("Reason");
    case Snippet: return tr("Snippet");
    default: return {};
    }
}

RejectionsDialog::RejectionsDialog(CacheSession* session, QWidget* parent)
    : QDialog(parent), m_session(session), m_model(new RejectionsModel(this)), m_view(new QTableView(this)),
      m_status(new QLabel(this))
{
    setWindowTitle(tr("Rejected records"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* refresh = buttons->addButton(tr("&Refresh"), QDialogButtonBox::ActionRole);
    connect(refresh, &QPushButton::clicked, this, &RejectionsDialog::reload);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);
    resize(900, 420);
    reload();
}

QString RejectionsDialog::statusText() const
{
    return m_status->text();
}

void RejectionsDialog::reload()
{
    if (!m_session || !m_session->isOpen()) {
        m_model->setRows({});
        m_status->setText(tr("No cache open."));
        emit loaded(false);
        return;
    }
    m_status->setText(tr("Reading…"));
    m_session->run<std::vector<RejectionRow>>(
        this, [](CacheReader& reader, const std::atomic_bool&) { return readRejections(reader); },
        [this](Result<std::vector<RejectionRow>> rows) {
            if (!rows) {
                m_status->setText(tr("Cannot read the rejections: %1").arg(QString::fromStdString(rows.error().message())));
                emit loaded(false);
                return;
            }
            int counts[3] = {0, 0, 0};
            for (const auto& r : *rows)
                ++counts[std::clamp(int(r.level), 0, 2)];
            m_model->setRows(std::move(*rows));
            m_view->resizeColumnsToContents();
            if (m_model->rowCount() == 0)
                m_status->setText(tr("Every import and fetch into this cache was read whole: nothing was rejected."));
            else
                m_status->setText(tr("%1 rejected (errors), %2 kept with a warning, %3 notes — as rootline-cli stats lists them.")
                                      .arg(counts[int(ProblemLevel::Error)])
                                      .arg(counts[int(ProblemLevel::Warning)])
                                      .arg(counts[int(ProblemLevel::Info)]));
            emit loaded(true);
        });
}

} // namespace rootline
