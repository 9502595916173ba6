// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <memory>

class RuntimeFacade;
class LogFilterModel;
class LogModel;
class QFileDialog;
class QTableView;
struct UsageRecord;
namespace Ui {
class LogsPage;
}

/// Recent requests, newest first, live: a filterable table and a detail pane with every
/// field of the selected request and, when debug logging is on, its bodies.
class LogsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsPage)

public:
    explicit LogsPage(RuntimeFacade &runtime, QWidget *parent = nullptr);
    ~LogsPage() override;

    /// Loads the recent requests again from storage.
    void reload();
    /// Opens the save dialog for exporting the rows shown (non-modal, deleted on close).
    QFileDialog *exportRows();
    /// Writes the rows shown to the file, off the GUI thread; exported() tells the result.
    void exportTo(const QString &path);

    // For tests and screenshots.
    bool isLoading() const { return m_loading; }
    LogModel *model() const { return m_model; }
    LogFilterModel *filter() const { return m_filter; }
    QTableView *table() const;
    /// The status line's text (row count, export result).
    QString statusText() const;
    /// The detail pane's texts: fields and bodies.
    QString detailText() const;
    QString bodyText() const;
    /// Selects the view row (0: the newest shown).
    void selectRow(int row);
    /// Filters as the combo boxes do: "all"/"success"/"errors"/a code.
    void setStatusFilter(const QString &filter);
    void setAccountFilter(const QString &accountName);
    void setSearchText(const QString &text);

Q_SIGNALS:
    void loaded();
    /// An export finished; `error` empty on success.
    void exported(const QString &path, const QString &error);
    /// The bodies of the selected request were looked up.
    void bodiesShown();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void retranslate();
    void fillFilters();
    void applyFilters();
    void updateKeyNames();
    void updateStatusLine();
    QString noteText() const;
    void showDetails();
    void showBodies(const UsageRecord &record);
    /// Restores the columns the user left, or fits them to the first rows loaded.
    void layOutColumns();
    /// What the bodies pane says while it shows no bodies.
    void setBodyNote(const QString &note);
    static QList<UsageRecord> withRefusals(QList<UsageRecord> records,
                                           const QList<UsageRecord> &refusals);

    RuntimeFacade &m_runtime;
    std::unique_ptr<Ui::LogsPage> ui;
    LogModel *m_model;
    LogFilterModel *m_filter;
    bool m_columnsLaidOut = false;
    bool m_loading = false;
    bool m_loadedOnce = false;
    int m_generation = 0;
    int m_detailGeneration = 0;
    /// The last load error or export outcome, kept as data so it follows the language.
    struct Note
    {
        enum Kind { None, LoadFailed, Exporting, Exported, ExportFailed } kind = None;
        QString path;
        int count = 0;
        QString error;
    };
    Note m_note;
};
