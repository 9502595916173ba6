// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QWidget>

class RuntimeFacade;
class QGridLayout;
class QGroupBox;
class QLabel;

/// Groups of settings, each row an editor with the setting's explanation below it. A
/// change is checked at once: an invalid value stays in its field with the reason under
/// it and is not saved; a valid one is saved through the RuntimeFacade, and the row says
/// "Saving…", then "Saved" (or why it was not).
class SettingsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsForm)

public:
    struct Group
    {
        const char *title; ///< QT_TRANSLATE_NOOP("SettingsForm", …)
        QStringList keys;
    };
    enum class RowState { Idle, Editing, Saving, Saved, Invalid, Failed };

    SettingsForm(RuntimeFacade &runtime, const QList<Group> &groups, QWidget *parent = nullptr);

    /// The editor of a setting: QLineEdit, QCheckBox or QComboBox ("edit_<key>").
    QWidget *editor(const QString &key) const;
    RowState state(const QString &key) const;
    /// What the row says under the editor when invalid or failed.
    QString error(const QString &key) const;
    /// Adds a widget at the end of a group (notes, live state).
    void addToGroup(int group, QWidget *widget);

Q_SIGNALS:
    void saved(const QString &key, const QVariant &value);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Row
    {
        QString key;
        QLabel *label = nullptr;
        QWidget *editor = nullptr;
        QLabel *unit = nullptr;
        QLabel *status = nullptr;
        QLabel *description = nullptr;
        QLabel *error = nullptr;
        RowState state = RowState::Idle;
        QString errorText;
    };

    void addRow(QGroupBox *box, QGridLayout *grid, const QString &key);
    void commit(const QString &key);
    void setState(Row &row, RowState state, const QString &error = {});
    /// Checks the editor's text; a message in the user's terms when it is wrong.
    QString check(const Row &row, QVariant &value) const;
    void load();
    void retranslate();
    void fillChoices(Row &row);

    RuntimeFacade &m_runtime;
    QList<Group> m_groups;
    QList<QGroupBox *> m_boxes;
    QHash<QString, Row> m_rows;
};
