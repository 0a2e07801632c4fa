#!/usr/bin/env bash
# The core, the CLI and their tests (the fuzz targets' replays included)
# built under AddressSanitizer + UndefinedBehaviorSanitizer (+ LeakSanitizer)
# with the project's compiler (GCC 12), in build-sanitize/; no GUI, the UI's
# Qt code is left to the normal build. About 30 min on 2 cores from nothing.
#   scripts/sanitize.sh            build, then run the unit and model tests
#   scripts/sanitize.sh build ...  build only (extra arguments go to cmake --build)
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${SHENBI_SANITIZE_BUILD_DIR:-build-sanitize}
JOBS=${SHENBI_JOBS:-$(nproc)}
SANITIZERS=${SHENBI_SANITIZE:-address,undefined}

build() {
  scripts/install-deps.sh
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DSHENBI_BUILD_GUI=OFF -DSHENBI_SANITIZE="$SANITIZERS"
  fi
  cmake --build "$BUILD_DIR" -j "$JOBS" "$@"
}

# What the runtimes report on: every UBSan finding with its stack, every
# leak except LibTorch's and OpenMP's process-lifetime allocations
# (tests/sanitize/lsan.supp says which and why).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:fast_unwind_on_malloc=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitize/lsan.supp:print_suppressions=0}

cmd=${1:-test}
shift || true
case "$cmd" in
  build) build "$@" ;;
  test)
    build
    cd "$BUILD_DIR"
    exec ctest --output-on-failure -j "$JOBS" -L "unit|model" -E "format_check|packaging" "$@"
    ;;
  *) echo "usage: scripts/sanitize.sh [test|build] [args...]" >&2; exit 2 ;;
esac
