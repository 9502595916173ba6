# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a .ts file is not what lupdate makes of the sources today: a new or changed
# tr() text, or a renamed class (its context), would otherwise ship untranslated while the
# .ts file itself still looks complete to tst_translations.
#   cmake -DLUPDATE=… -DOPTIONS=… -DTS_FILE=… -DSOURCE_DIR=… -DWORK_DIR=… -P translationscurrent.cmake
# OPTIONS: lupdate's, as translations/CMakeLists.txt passes them for this file.
file(GLOB_RECURSE sources ${SOURCE_DIR}/*.cpp ${SOURCE_DIR}/*.h ${SOURCE_DIR}/*.ui)
get_filename_component(name ${TS_FILE} NAME)
set(updated ${WORK_DIR}/${name})
file(MAKE_DIRECTORY ${WORK_DIR})
configure_file(${TS_FILE} ${updated} COPYONLY)
execute_process(COMMAND ${LUPDATE} ${OPTIONS} ${sources} -ts ${updated}
    RESULT_VARIABLE failed OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(failed)
    message(FATAL_ERROR "lupdate failed:\n${output}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${TS_FILE} ${updated}
    RESULT_VARIABLE differs)
if(differs)
    execute_process(COMMAND diff -u ${TS_FILE} ${updated})
    message(FATAL_ERROR "${name} is out of date with the sources (diff above). Run "
        "`cmake --build build --target update_translations`, translate what is new, and "
        "commit the .ts file.")
endif()
message(STATUS "${name} matches the sources")
