// SPDX-License-Identifier: GPL-3.0-or-later
#include "logspage.h"

#include "gui/common/backgroundtask.h"
#include "gui/common/runtimefacade.h"
#include "gui/logs/logdebugreader.h"
#include "gui/logs/logexport.h"
#include "gui/logs/logfiltermodel.h"
#include "gui/logs/logformat.h"
#include "gui/logs/logmodel.h"
#include "ui_logspage.h"

#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonObject>
#include <QSet>
#include <QSignalBlocker>

using namespace Qt::StringLiterals;

namespace {

constexpr int capacity = 5000;
/// Status codes offered in the filter besides the classes.
const QList<int> commonCodes = {200, 400, 401, 403, 404, 413, 429, 499, 500, 502, 503, 529};

} // namespace

LogsPage::LogsPage(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , ui(std::make_unique<Ui::LogsPage>())
    , m_model(new LogModel(runtime.clock(), capacity, this))
    , m_filter(new LogFilterModel(*m_model, this))
{
    ui->setupUi(this);
    setObjectName(u"logsPage"_s);
    ui->table->setObjectName(u"logsTable"_s);
    ui->table->setModel(m_filter);
    ui->table->sortByColumn(LogModel::Time, Qt::DescendingOrder);
    QHeaderView *header = ui->table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true); // the model; still resizable, unlike Stretch
    header->setSectionsMovable(true);
    ui->table->verticalHeader()->setDefaultSectionSize(ui->table->fontMetrics().height() + 6);
    ui->bodyView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // A long model name must not push the search box away.
    for (QComboBox *combo : {ui->accountCombo, ui->statusCombo, ui->modelCombo}) {
        combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        combo->setMinimumContentsLength(8);
    }
    ui->searchEdit->setMinimumWidth(ui->searchEdit->fontMetrics().averageCharWidth() * 18);
    ui->splitter->setStretchFactor(0, 3);
    ui->splitter->setStretchFactor(1, 2);
    retranslate();
    updateKeyNames();
    showDetails();

    connect(ui->searchEdit, &QLineEdit::textChanged, m_filter, &LogFilterModel::setText);
    connect(ui->searchEdit, &QLineEdit::textChanged, this, &LogsPage::updateStatusLine);
    for (QComboBox *combo : {ui->accountCombo, ui->statusCombo, ui->modelCombo})
        connect(combo, &QComboBox::activated, this, &LogsPage::applyFilters);
    connect(ui->exportButton, &QPushButton::clicked, this, &LogsPage::exportRows);
    connect(ui->debugButton, &QPushButton::clicked, this, [this] {
        ui->debugButton->setEnabled(false);
        m_runtime.setSetting(this, SettingKeys::debugLogging, true, [this](Status saved) {
            ui->debugButton->setEnabled(true);
            if (!saved) {
                setBodyNote(tr("Cannot turn on debug logging: %1. Try again in Settings.")
                                .arg(saved.error().message));
            }
        });
    });
    connect(ui->table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &LogsPage::showDetails);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &LogsPage::updateStatusLine);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &LogsPage::updateStatusLine);
    connect(&m_runtime, &RuntimeFacade::requestFinished, this, [this](const UsageRecord &record) {
        if (m_loading)
            return; // the load brings it
        m_model->prepend(record);
        fillFilters();
    });
    connect(&m_runtime, &RuntimeFacade::clientRefused, this, [this](const UsageRecord &record) {
        if (!m_loading)
            m_model->prepend(record);
    });
    connect(&m_runtime, &RuntimeFacade::accessKeysChanged, this, &LogsPage::updateKeyNames);
    connect(&m_runtime, &RuntimeFacade::accountsChanged, this, &LogsPage::fillFilters);
    connect(&m_runtime, &RuntimeFacade::settingsChanged, this, &LogsPage::showDetails);
}

LogsPage::~LogsPage() = default;

QList<UsageRecord> LogsPage::withRefusals(QList<UsageRecord> records,
                                          const QList<UsageRecord> &refusals)
{
    // Both newest first: the refusals (kept in memory only) go in at their time.
    records.append(refusals);
    std::stable_sort(records.begin(), records.end(),
                     [](const UsageRecord &a, const UsageRecord &b) { return a.time > b.time; });
    return records;
}

void LogsPage::setBodyNote(const QString &note)
{
    ui->bodyView->setPlaceholderText(note);
    // Qt 6.4 repaints only the new text's lines: the old note would show through.
    ui->bodyView->viewport()->update();
}

void LogsPage::layOutColumns()
{
    if (m_columnsLaidOut)
        return;
    m_columnsLaidOut = true;
    // The widths (and order) the user left last time; fitted to the rows the first time.
    QHeaderView *header = ui->table->horizontalHeader();
    if (!header->restoreState(m_runtime.uiState().value(UiKeys::logsHeader).toByteArray()))
        ui->table->resizeColumnsToContents();
    auto save
        = [this, header] { m_runtime.uiState().setValue(UiKeys::logsHeader, header->saveState()); };
    connect(header, &QHeaderView::sectionResized, this, save);
    connect(header, &QHeaderView::sectionMoved, this, save);
}

QTableView *LogsPage::table() const
{
    return ui->table;
}

void LogsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Live requests keep the table current after the first load.
    if (!m_loadedOnce)
        reload();
}

void LogsPage::reload()
{
    const int generation = ++m_generation;
    m_loading = true;
    m_loadedOnce = true;
    m_runtime.loadRecent(this, capacity, [this, generation](Result<QList<UsageRecord>> records) {
        if (generation != m_generation)
            return;
        m_loading = false;
        if (!records) {
            m_note = {Note::LoadFailed, {}, 0, records.error().message};
            m_loadedOnce = false;
        } else {
            if (m_note.kind == Note::LoadFailed)
                m_note = {};
            m_model->setRecords(withRefusals(*records, m_runtime.recentRefusals()));
            layOutColumns();
        }
        fillFilters();
        updateStatusLine();
        Q_EMIT loaded();
    });
}

void LogsPage::updateKeyNames()
{
    QHash<QUuid, QString> names;
    for (const AccessKey &key : m_runtime.accessKeys())
        names.insert(key.id, key.name);
    m_model->setKeyNames(names);
}

void LogsPage::fillFilters()
{
    // Accounts: the configured ones plus any seen in the log (renamed or removed since).
    QList<std::pair<QString, QVariant>> accounts;
    QSet<QUuid> seen;
    for (const Account &a : m_runtime.accounts()) {
        accounts.append({a.name, a.id.toString()});
        seen.insert(a.id);
    }
    QSet<QString> models;
    bool unanswered = false;
    for (const UsageRecord &r : m_model->records()) {
        models.insert(r.model);
        if (r.accountId.isNull()) {
            unanswered = true;
        } else if (!seen.contains(r.accountId)) {
            seen.insert(r.accountId);
            accounts.append({r.accountName, r.accountId.toString()});
        }
    }
    const QVariant account = ui->accountCombo->currentData();
    ui->accountCombo->clear();
    ui->accountCombo->addItem(tr("All accounts"));
    for (const auto &[name, id] : accounts)
        ui->accountCombo->addItem(name, id);
    if (unanswered)
        ui->accountCombo->addItem(tr("No account"), QUuid().toString());
    ui->accountCombo->setCurrentIndex(std::max(0, ui->accountCombo->findData(account)));

    const QVariant model = ui->modelCombo->currentData();
    QStringList sorted(models.cbegin(), models.cend());
    sorted.removeAll(QString());
    sorted.sort();
    ui->modelCombo->clear();
    ui->modelCombo->addItem(tr("All models"));
    for (const QString &m : sorted)
        ui->modelCombo->addItem(m, m);
    ui->modelCombo->setCurrentIndex(std::max(0, ui->modelCombo->findData(model)));
}

void LogsPage::applyFilters()
{
    const QVariant account = ui->accountCombo->currentData();
    m_filter->setAccount(account.isValid() ? std::optional(QUuid::fromString(account.toString()))
                                           : std::nullopt);
    const QString status = ui->statusCombo->currentData().toString();
    if (status == u"success"_s)
        m_filter->setStatus(LogFilterModel::StatusFilter::Success);
    else if (status == u"errors"_s)
        m_filter->setStatus(LogFilterModel::StatusFilter::Errors);
    else if (status.toInt() > 0)
        m_filter->setStatus(LogFilterModel::StatusFilter::Code, status.toInt());
    else
        m_filter->setStatus(LogFilterModel::StatusFilter::All);
    m_filter->setModelName(ui->modelCombo->currentData().toString());
    updateStatusLine();
}

void LogsPage::setStatusFilter(const QString &filter)
{
    ui->statusCombo->setCurrentIndex(std::max(0, ui->statusCombo->findData(filter)));
    applyFilters();
}

void LogsPage::setAccountFilter(const QString &accountName)
{
    ui->accountCombo->setCurrentIndex(std::max(0, ui->accountCombo->findText(accountName)));
    applyFilters();
}

void LogsPage::setSearchText(const QString &text)
{
    ui->searchEdit->setText(text);
}

void LogsPage::updateStatusLine()
{
    QString text = tr("%n request(s) shown", nullptr, m_filter->rowCount());
    if (m_filter->rowCount() != m_model->rowCount())
        text = tr("%1 of %2").arg(text).arg(m_model->rowCount());
    const QString note = noteText();
    if (!note.isEmpty())
        text = tr("%1 — %2").arg(text, note);
    ui->statusLabel->setText(text);
}

QString LogsPage::noteText() const
{
    // Rendered from data each time, so a language switch translates it too.
    switch (m_note.kind) {
    case Note::None:
        return {};
    case Note::LoadFailed:
        return tr("Cannot load the recent requests: %1. Switch pages to try again.")
            .arg(m_note.error);
    case Note::Exporting:
        return tr("Exporting…");
    case Note::Exported:
        return tr("Exported %n request(s) to %1.", nullptr, m_note.count)
            .arg(QDir::toNativeSeparators(m_note.path));
    case Note::ExportFailed:
        return tr("Export failed: %1. Choose another folder and export again.").arg(m_note.error);
    }
    return {};
}

QString LogsPage::statusText() const
{
    return ui->statusLabel->text();
}

QString LogsPage::detailText() const
{
    return ui->detailView->toPlainText();
}

QString LogsPage::bodyText() const
{
    return ui->bodyView->toPlainText();
}

void LogsPage::selectRow(int row)
{
    ui->table->selectRow(row);
    ui->table->setCurrentIndex(m_filter->index(row, 0));
}

void LogsPage::showDetails()
{
    ++m_detailGeneration;
    const QModelIndex current = ui->table->currentIndex();
    const bool debug = m_runtime.settings().debugLogging();
    ui->debugButton->setVisible(!debug);
    if (!current.isValid()) {
        ui->detailView->setPlainText(tr("Select a request to see its details."));
        ui->bodyView->clear();
        setBodyNote(debug ? QString() : tr("Turn on debug logging in Settings to see bodies."));
        return;
    }
    const UsageRecord &record = m_model->record(m_filter->mapToSource(current).row());
    ui->detailView->setHtml(LogFormat::detailsHtml(record, m_model->clientName(record)));
    if (!debug) {
        ui->bodyView->clear();
        setBodyNote(tr("Bodies are not logged. Turn on debug logging in "
                       "Settings to see the bodies of later requests."));
        return;
    }
    showBodies(record);
}

void LogsPage::showBodies(const UsageRecord &record)
{
    ui->bodyView->clear();
    setBodyNote(tr("Looking up the bodies in the debug log…"));
    const int generation = m_detailGeneration;
    const QString dataDir = m_runtime.dataDir();
    const QDateTime time = record.time;
    const QString account = record.accountName;
    using Found = Result<std::optional<QJsonObject>>;
    BackgroundTask::run<Found>(
        this, [dataDir, time, account] { return LogDebugReader::find(dataDir, time, account); },
        [this, generation](const Found &found) {
            if (generation != m_detailGeneration)
                return;
            if (!found) {
                setBodyNote(
                    tr("Cannot read the debug log: %1. Check the logs folder's permissions.")
                        .arg(found.error().message));
            } else if (!found->has_value()) {
                setBodyNote(
                    tr("This request is not in the debug log: it came before debug logging was "
                       "on, or the log has rotated since."));
            } else {
                const QJsonObject request = (*found)->value(u"request"_s).toObject();
                const QJsonObject response = (*found)->value(u"response"_s).toObject();
                ui->bodyView->setPlainText(
                    tr("Request: %1 %2\n%3\n\nResponse: %4\n%5")
                        .arg(request.value(u"method"_s).toString(),
                             request.value(u"path"_s).toString(),
                             LogDebugReader::prettyBody(request.value(u"body"_s).toString()))
                        .arg(response.value(u"status"_s).toInt())
                        .arg(LogDebugReader::prettyBody(response.value(u"body"_s).toString())));
            }
            Q_EMIT bodiesShown();
        });
}

QFileDialog *LogsPage::exportRows()
{
    auto *dialog = new QFileDialog(this, tr("Export requests"));
    dialog->setObjectName(u"exportDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setNameFilters({tr("CSV files (*.csv)"), tr("JSON lines (*.jsonl)")});
    dialog->setDefaultSuffix(u"csv"_s);
    dialog->selectFile(u"switchboard-requests.csv"_s);
    connect(dialog, &QFileDialog::filterSelected, dialog, [dialog](const QString &filter) {
        dialog->setDefaultSuffix(filter.contains(u"jsonl"_s) ? u"jsonl"_s : u"csv"_s);
    });
    connect(dialog, &QFileDialog::fileSelected, this, &LogsPage::exportTo);
    dialog->open();
    return dialog;
}

void LogsPage::exportTo(const QString &path)
{
    const QList<UsageRecord> records = m_filter->filteredRecords();
    QHash<QUuid, QString> names;
    for (const AccessKey &key : m_runtime.accessKeys())
        names.insert(key.id, key.name);
    m_note = {Note::Exporting, path, int(records.size()), {}};
    updateStatusLine();
    BackgroundTask::run<Status>(
        this, [path, records, names] { return LogExport::write(path, records, names); },
        [this, path, count = int(records.size())](const Status &written) {
            const QString error = written ? QString() : written.error().message;
            m_note = {written ? Note::Exported : Note::ExportFailed, path, count, error};
            updateStatusLine();
            Q_EMIT exported(path, error);
        });
}

void LogsPage::retranslate()
{
    // Refilled with the same data: the filter stays as it is, so it must not fire.
    const QSignalBlocker blocker(ui->statusCombo);
    const QVariant status = ui->statusCombo->currentData();
    ui->statusCombo->clear();
    ui->statusCombo->addItem(tr("All statuses"), u"all"_s);
    ui->statusCombo->addItem(tr("Successful"), u"success"_s);
    ui->statusCombo->addItem(tr("Errors"), u"errors"_s);
    for (int code : commonCodes)
        ui->statusCombo->addItem(QString::number(code), QString::number(code));
    ui->statusCombo->setCurrentIndex(std::max(0, ui->statusCombo->findData(status)));
    fillFilters();
    m_model->retranslate();
    updateStatusLine();
}

void LogsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        ui->retranslateUi(this);
        retranslate();
        showDetails();
    }
    QWidget::changeEvent(event);
}
