// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appcontext.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QStringList>

#include <optional>

/// What the process was asked to do, read from its arguments before any Qt application
/// object exists (the GUI needs QApplication, the rest QCoreApplication).
struct StartOptions
{
    Q_DECLARE_TR_FUNCTIONS(StartOptions)

public:
    enum class Mode { Gui, Headless, Command, Help, Version };

    Mode mode = Mode::Gui;
    AppOptions app;
    std::optional<QHostAddress> listenAddress; ///< --listen HOST:PORT
    std::optional<quint16> listenPort;
    QStringList command; ///< for Mode::Command: "accounts", "add", then its arguments

    /// Global options (--data-dir, --secrets-file, --listen) may stand anywhere; the
    /// first other word starts a command.
    static Result<StartOptions> parse(const QStringList &arguments);
    static Result<std::pair<QHostAddress, quint16>> parseListen(const QString &text);
    static QString usage();
};
