# Compile settings shared by every Shenbi target (qBittorrent's *_common_cfg idea).
add_library(shenbi_common_cfg INTERFACE)
target_compile_features(shenbi_common_cfg INTERFACE cxx_std_20)
target_compile_definitions(shenbi_common_cfg INTERFACE
  # LibTorch's IValue has a member called `slots`; Qt's keyword macros would rewrite it.
  QT_NO_KEYWORDS
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_CONTEXTLESS_CONNECT
  SHENBI_VERSION="${PROJECT_VERSION}")
if(MSVC)
  target_compile_options(shenbi_common_cfg INTERFACE /utf-8 /W4)
else()
  target_compile_options(shenbi_common_cfg INTERFACE -Wall -Wextra -Wno-unused-parameter)
endif()

# Sanitizers (scripts/sanitize.sh): on every target, so that the core's
# libraries, the tests and the CLI are all instrumented. UBSan findings abort
# (no recovery), so a test that triggers one fails.
if(SHENBI_SANITIZE)
  target_compile_options(shenbi_common_cfg INTERFACE
    -fsanitize=${SHENBI_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(shenbi_common_cfg INTERFACE -fsanitize=${SHENBI_SANITIZE})
endif()
# libFuzzer (scripts/fuzz.sh) is part of clang: tests/fuzz/CMakeLists.txt
# builds the fuzz_<name> targets from their own instrumented copy of the
# layers the parsers live in.
if(SHENBI_FUZZ AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SHENBI_FUZZ needs clang (CMAKE_CXX_COMPILER=clang++-14): libFuzzer is part of clang")
endif()

# Adds a GoogleTest executable for one area and registers it with ctest.
#   shenbi_add_test(NAME test_x LABELS unit SOURCES a.cpp LIBS shenbi_core [ENV K=V])
function(shenbi_add_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "LABELS;SOURCES;LIBS;ENV" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main shenbi_common_cfg)
  target_compile_definitions(${T_NAME} PRIVATE
    SHENBI_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    SHENBI_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  if(SHENBI_USE_PCH)
    target_precompile_headers(${T_NAME} REUSE_FROM shenbi_util)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 600)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "OMP_NUM_THREADS=2;${T_ENV}")
endfunction()
