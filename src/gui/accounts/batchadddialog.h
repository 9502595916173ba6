// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QDialog>

#include <memory>

class RuntimeFacade;

namespace Ui {
class BatchAddDialog;
}

/// Adds one account per pasted key, one after the other, each stored atomically by the
/// runtime. Shows progress, then what was added; keys that failed stay in the box with the
/// reason, so nothing is lost and a retry is one click.
class BatchAddDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BatchAddDialog)

public:
    explicit BatchAddDialog(RuntimeFacade &runtime, QWidget *parent = nullptr);
    ~BatchAddDialog() override;

    void selectPreset(const QString &presetId);
    /// The names the accounts would get now.
    QStringList plannedNames() const;
    bool isRunning() const { return m_running; }
    /// The OK button: starts adding.
    void start();

    void reject() override;

Q_SIGNALS:
    /// Every key became an account; the dialog closes.
    void added(int count);

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Job
    {
        QString name;
        QString key;
    };
    struct Failure
    {
        QString name;
        QString key;
        QString message;
    };

    void update();
    void next();
    void finish();
    void setInputsEnabled(bool enabled);
    void retranslate();

    std::unique_ptr<Ui::BatchAddDialog> ui;
    RuntimeFacade &m_runtime;
    QString m_presetId;
    bool m_running = false;
    bool m_stopRequested = false;
    bool m_prefixEdited = false;
    QList<Job> m_jobs;
    int m_done = 0;
    int m_added = 0;
    QList<Failure> m_failures;
};
