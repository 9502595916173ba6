# SPDX-License-Identifier: GPL-3.0-or-later
# Shared compile settings: every Switchboard target links switchboard_settings.
add_library(switchboard_settings INTERFACE)
target_compile_features(switchboard_settings INTERFACE cxx_std_20)
target_compile_definitions(switchboard_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
    SWITCHBOARD_VERSION="${PROJECT_VERSION}")
if(MSVC)
    target_compile_options(switchboard_settings INTERFACE /W4 /permissive- /utf-8)
else()
    target_compile_options(switchboard_settings INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
        -Wcast-align -Woverloaded-virtual)
endif()
