// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingsform.h"

#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "gui/settings/settingschoices.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using Type = SettingDefinition::Type;

SettingsForm::SettingsForm(RuntimeFacade &runtime, const QList<Group> &groups, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_groups(groups)
{
    auto *layout = new QVBoxLayout(this);
    for (const Group &group : groups) {
        auto *box = new QGroupBox(this);
        auto *grid = new QGridLayout(box);
        grid->setColumnStretch(1, 1);
        grid->setVerticalSpacing(2);
        grid->setHorizontalSpacing(12);
        for (const QString &key : group.keys)
            addRow(box, grid, key);
        m_boxes << box;
        layout->addWidget(box);
    }
    layout->addStretch(1);
    connect(&m_runtime, &RuntimeFacade::settingsChanged, this, &SettingsForm::load);
    retranslate();
    load();
}

QWidget *SettingsForm::editor(const QString &key) const
{
    return m_rows.value(key).editor;
}

SettingsForm::RowState SettingsForm::state(const QString &key) const
{
    return m_rows.value(key).state;
}

QString SettingsForm::error(const QString &key) const
{
    return m_rows.value(key).errorText;
}

void SettingsForm::addToGroup(int group, QWidget *widget)
{
    auto *grid = static_cast<QGridLayout *>(m_boxes[group]->layout());
    widget->setParent(m_boxes[group]);
    grid->addWidget(widget, grid->rowCount(), 0, 1, 2);
}

void SettingsForm::addRow(QGroupBox *box, QGridLayout *grid, const QString &key)
{
    const SettingDefinition *d = Settings::definition(key);
    Q_ASSERT(d);
    Row row;
    row.key = key;
    row.status = new QLabel(box);
    row.status->setObjectName(u"status_"_s + key);
    row.description = new QLabel(box);
    row.description->setWordWrap(true);
    StatusPalette::paintText(row.description, StatusPalette::Role::Muted);
    row.error = new QLabel(box);
    row.error->setObjectName(u"error_"_s + key);
    row.error->setWordWrap(true);
    StatusPalette::paintText(row.error, StatusPalette::Role::Error);
    row.error->hide();

    const int r = grid->rowCount();
    auto *editorRow = new QHBoxLayout;
    editorRow->setSpacing(8);
    switch (d->type) {
    case Type::Bool: {
        auto *check = new QCheckBox(box);
        connect(check, &QCheckBox::clicked, this, [this, key] { commit(key); });
        row.editor = check;
        editorRow->addWidget(check);
        editorRow->addWidget(row.status);
        editorRow->addStretch(1);
        grid->addLayout(editorRow, r, 0, 1, 2);
        break;
    }
    case Type::Choice: {
        auto *combo = new QComboBox(box);
        connect(combo, &QComboBox::activated, this, [this, key] { commit(key); });
        row.editor = combo;
        editorRow->addWidget(combo);
        editorRow->addWidget(row.status);
        editorRow->addStretch(1);
        break;
    }
    case Type::Int:
    case Type::Address:
    case Type::OriginList: {
        auto *edit = new QLineEdit(box);
        if (d->type == Type::Int)
            edit->setMaximumWidth(110);
        else if (d->type == Type::Address)
            edit->setMaximumWidth(220);
        connect(edit, &QLineEdit::editingFinished, this, [this, key] { commit(key); });
        connect(edit, &QLineEdit::textEdited, this,
                [this, key] { setState(m_rows[key], RowState::Editing); });
        row.editor = edit;
        editorRow->addWidget(edit, d->type == Type::OriginList ? 1 : 0);
        if (d->type == Type::Int) {
            row.unit = new QLabel(box);
            editorRow->addWidget(row.unit);
        }
        editorRow->addWidget(row.status);
        if (d->type != Type::OriginList)
            editorRow->addStretch(1);
        break;
    }
    }
    row.editor->setObjectName(u"edit_"_s + key);
    if (d->type != Type::Bool) {
        row.label = new QLabel(box);
        row.label->setBuddy(row.editor);
        grid->addWidget(row.label, r, 0);
        grid->addLayout(editorRow, r, 1);
    }
    const int indent = d->type == Type::Bool ? 0 : 1;
    grid->addWidget(row.description, r + 1, indent, 1, 2 - indent);
    grid->addWidget(row.error, r + 2, indent, 1, 2 - indent);
    // Breathing room between settings.
    grid->setRowMinimumHeight(r + 2, 8);
    m_rows.insert(key, row);
}

QString SettingsForm::check(const Row &row, QVariant &value) const
{
    const SettingDefinition *d = Settings::definition(row.key);
    switch (d->type) {
    case Type::Bool:
        value = static_cast<QCheckBox *>(row.editor)->isChecked();
        break;
    case Type::Choice:
        value = static_cast<QComboBox *>(row.editor)->currentData().toString();
        break;
    case Type::Int: {
        bool ok = false;
        const qlonglong n = static_cast<QLineEdit *>(row.editor)->text().trimmed().toLongLong(&ok);
        if (!ok || n < d->min || n > d->max)
            return tr("Enter a whole number from %1 to %2. This value was not saved.")
                .arg(d->min)
                .arg(d->max);
        value = int(n);
        break;
    }
    case Type::Address: {
        auto parsed = Settings::parse(row.key, static_cast<QLineEdit *>(row.editor)->text());
        if (!parsed)
            return tr("Enter an IP address such as 127.0.0.1 (this computer only). This value "
                      "was not saved.");
        value = *parsed;
        break;
    }
    case Type::OriginList: {
        auto parsed = Settings::parse(row.key, static_cast<QLineEdit *>(row.editor)->text());
        if (!parsed)
            return parsed.error().message;
        value = *parsed;
        break;
    }
    }
    auto valid = Settings::validate(row.key, value);
    if (!valid)
        return valid.error().message;
    value = *valid;
    return {};
}

void SettingsForm::commit(const QString &key)
{
    Row &row = m_rows[key];
    QVariant value;
    const QString problem = check(row, value);
    if (!problem.isEmpty()) {
        setState(row, RowState::Invalid, problem);
        return;
    }
    if (value == m_runtime.settings().value(key)) {
        // Nothing changed (focus left an untouched field): keep what the row says.
        if (row.state == RowState::Editing || row.state == RowState::Invalid)
            setState(row, RowState::Idle);
        return;
    }
    setState(row, RowState::Saving);
    m_runtime.setSetting(this, key, value, [this, key, value](Status written) {
        Row &answered = m_rows[key];
        if (!written) {
            setState(answered, RowState::Failed, tr("Not saved: %1").arg(written.error().message));
            return;
        }
        setState(answered, RowState::Saved);
        Q_EMIT saved(key, value);
    });
}

void SettingsForm::setState(Row &row, RowState state, const QString &error)
{
    row.state = state;
    row.errorText = error;
    row.error->setText(error);
    row.error->setVisible(!error.isEmpty());
    const bool bad = state == RowState::Invalid || state == RowState::Failed;
    row.editor->setProperty("invalid", bad);
    const QColor red = StatusPalette(row.editor->palette()).color(StatusPalette::Role::Error);
    row.editor->setStyleSheet(bad && qobject_cast<QLineEdit *>(row.editor)
                                  ? u"QLineEdit { border: 1px solid %1; }"_s.arg(red.name())
                                  : QString());
    switch (state) {
    case RowState::Idle:
    case RowState::Editing:
        row.status->setText(state == RowState::Editing ? tr("Press Enter to save") : QString());
        StatusPalette::paintText(row.status, std::nullopt);
        break;
    case RowState::Saving:
        row.status->setText(tr("Saving…"));
        StatusPalette::paintText(row.status, std::nullopt);
        break;
    case RowState::Saved:
        row.status->setText(tr("✔ Saved"));
        StatusPalette::paintText(row.status, StatusPalette::Role::Good);
        break;
    case RowState::Invalid:
    case RowState::Failed:
        row.status->setText(tr("Not saved"));
        StatusPalette::paintText(row.status, StatusPalette::Role::Error);
        break;
    }
}

void SettingsForm::load()
{
    const Settings &settings = m_runtime.settings();
    for (Row &row : m_rows) {
        // A field the user is fixing keeps their text.
        if (row.state == RowState::Invalid || row.state == RowState::Editing)
            continue;
        const QVariant value = settings.value(row.key);
        if (auto *check = qobject_cast<QCheckBox *>(row.editor)) {
            check->setChecked(value.toBool());
        } else if (auto *combo = qobject_cast<QComboBox *>(row.editor)) {
            combo->setCurrentIndex(combo->findData(value.toString()));
        } else if (auto *edit = qobject_cast<QLineEdit *>(row.editor)) {
            edit->setText(Settings::format(value));
            edit->setCursorPosition(0);
        }
        if (row.unit)
            row.unit->setText(SettingsChoices::unit(row.key, value.toInt()));
        if (row.key == SettingKeys::strategy)
            row.description->setText(SettingsChoices::strategyExplanation(value.toString()));
    }
}

void SettingsForm::fillChoices(Row &row)
{
    auto *combo = qobject_cast<QComboBox *>(row.editor);
    if (!combo)
        return;
    const QString current = combo->currentData().toString();
    combo->clear();
    for (const QString &choice : Settings::definition(row.key)->choices) {
        QString name = choice;
        if (row.key == SettingKeys::strategy)
            name = SettingsChoices::strategyName(choice);
        else if (row.key == SettingKeys::language)
            name = SettingsChoices::languageName(choice);
        combo->addItem(name, choice);
        if (row.key == SettingKeys::strategy)
            combo->setItemData(combo->count() - 1, SettingsChoices::strategyExplanation(choice),
                               Qt::ToolTipRole);
    }
    combo->setCurrentIndex(combo->findData(
        current.isEmpty() ? m_runtime.settings().value(row.key).toString() : current));
}

void SettingsForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SettingsForm::retranslate()
{
    for (int i = 0; i < m_boxes.size(); ++i)
        m_boxes[i]->setTitle(tr(m_groups[i].title));
    for (Row &row : m_rows) {
        const QString label = SettingsChoices::label(row.key);
        if (auto *check = qobject_cast<QCheckBox *>(row.editor))
            check->setText(label);
        else
            row.label->setText(tr("%1:").arg(label));
        row.description->setText(SettingsChoices::description(row.key));
        fillChoices(row);
        // Messages are in the old language: say them again in the new one.
        if (row.state == RowState::Invalid) {
            QVariant ignored;
            setState(row, row.state, check(row, ignored));
        } else {
            setState(row, row.state, row.errorText);
        }
    }
    // One label column for every group, so the fields line up down the page.
    int width = 0;
    for (const Row &row : std::as_const(m_rows)) {
        if (row.label)
            width = qMax(width, row.label->sizeHint().width());
    }
    for (Row &row : m_rows) {
        if (row.label)
            row.label->setMinimumWidth(width);
    }
    load();
}
