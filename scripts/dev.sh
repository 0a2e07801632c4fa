#!/usr/bin/env bash
# The README's two commands:
#   scripts/dev.sh run    install what is missing, build, launch the GUI
#   scripts/dev.sh test   install what is missing, build, run every test
# Also: build (no launch), cli ARGS... (build, then run shenbi-cli).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${SHENBI_BUILD_DIR:-build}
JOBS=${SHENBI_JOBS:-$(nproc)}

build() {
  scripts/install-deps.sh
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${SHENBI_CMAKE_ARGS:-}
  fi
  cmake --build "$BUILD_DIR" -j "$JOBS" "$@"
}

cmd=${1:-run}
shift || true
case "$cmd" in
  run)
    build --target shenbi shenbi-cli   # the tests are built by `test`
    exec "$BUILD_DIR/bin/shenbi" "$@"
    ;;
  test)
    build
    export QT_QPA_PLATFORM=offscreen
    cd "$BUILD_DIR"
    exec ctest --output-on-failure -j "$JOBS" "$@"
    ;;
  build)
    build
    ;;
  cli)
    build --target shenbi-cli
    exec "$BUILD_DIR/bin/shenbi-cli" "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run|test|build|cli [args]" >&2
    exit 2
    ;;
esac
