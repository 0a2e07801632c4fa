# cmake -DCLANG_FORMAT=<clang-format> -DSOURCE_DIR=<src> -P CheckFormat.cmake
#
# Fails, naming each file, when clang-format (the project's .clang-format)
# would change a C++ file under app/, core/, ui/ or tests/.
cmake_minimum_required(VERSION 3.22)
file(GLOB_RECURSE _files "${SOURCE_DIR}/app/*.cpp" "${SOURCE_DIR}/app/*.h" "${SOURCE_DIR}/core/*.cpp"
     "${SOURCE_DIR}/core/*.h" "${SOURCE_DIR}/ui/*.cpp" "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/tests/*.cpp"
     "${SOURCE_DIR}/tests/*.h")
set(_bad "")
foreach(_f IN LISTS _files)
  execute_process(COMMAND "${CLANG_FORMAT}" --dry-run -Werror "${_f}" RESULT_VARIABLE _rc OUTPUT_QUIET ERROR_QUIET)
  if(NOT _rc EQUAL 0)
    file(RELATIVE_PATH _rel "${SOURCE_DIR}" "${_f}")
    string(APPEND _bad "  ${_rel}\n")
  endif()
endforeach()
if(_bad)
  message(FATAL_ERROR "not formatted (run: clang-format -i FILE):\n${_bad}")
endif()
list(LENGTH _files _n)
message(STATUS "${_n} files formatted")
