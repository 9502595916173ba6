// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class Clock;
struct StartOptions;

/// Builds and runs the desktop application.
namespace GuiApplication {

int run(int argc, char *argv[], const StartOptions &options, const Clock &clock);

} // namespace GuiApplication
