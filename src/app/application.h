// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/// The composition root: reads the arguments, builds the right Qt application object
/// (QApplication for the window, QCoreApplication otherwise) and runs it.
namespace Application {

int run(int argc, char *argv[]);

} // namespace Application
