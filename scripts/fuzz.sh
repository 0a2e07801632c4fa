#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz, each for SECONDS (default 600),
# built with clang 14 under ASan + UBSan in build-fuzz/ (only the fuzz
# targets and the layers they parse with: about 10 min on 2 cores).
#   scripts/fuzz.sh [SECONDS] [TARGET...]    targets: pickle torch_zip base64 tsv prompt metadata
# The growing corpus lives in .cache/fuzz/<target> (not committed); the
# committed seeds in tests/fuzz/corpus/<target> are read, never written.
# A crash is written to tests/fuzz/regressions/<target>/: fix it, then commit
# the file, and the test fuzz_replay_<target> replays it on every build.
# SHENBI_FUZZ_PARALLEL=N runs N targets at once (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
if ((${#TARGETS[@]} == 0)); then TARGETS=(pickle torch_zip base64 tsv prompt metadata); fi
PARALLEL=${SHENBI_FUZZ_PARALLEL:-1}
BUILD_DIR=${SHENBI_FUZZ_BUILD_DIR:-build-fuzz}

scripts/install-deps.sh clang-14 libclang-rt-14-dev
if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-14 -DSHENBI_BUILD_GUI=OFF -DSHENBI_FUZZ=ON
fi
cmake --build "$BUILD_DIR" -j "${SHENBI_JOBS:-$(nproc)}" --target $(printf 'fuzz_%s ' "${TARGETS[@]}")

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitize/lsan.supp:print_suppressions=0}
export OMP_NUM_THREADS=1

run_one() {
  local t=$1
  local work=.cache/fuzz/$t
  mkdir -p "$work" "tests/fuzz/regressions/$t"
  # -rss_limit_mb: an input that makes a parser allocate 2 GB is a finding.
  local rc=0
  "$BUILD_DIR/bin/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="tests/fuzz/regressions/$t/" \
    "$work" "tests/fuzz/corpus/$t" >".cache/fuzz/$t.log" 2>&1 || rc=$?
  local runs cov
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' ".cache/fuzz/$t.log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' ".cache/fuzz/$t.log" | tail -1 | grep -o '[0-9]*' || echo "?")
  if ((rc == 0)); then
    echo "fuzz $t: ${SECONDS_EACH} s, $runs inputs, coverage $cov edges, no crash"
  else
    echo "fuzz $t: FOUND A CRASH (exit $rc) after $runs inputs: see .cache/fuzz/$t.log and tests/fuzz/regressions/$t/"
  fi
  return $rc
}

status=0
pids=()
for t in "${TARGETS[@]}"; do
  run_one "$t" &
  pids+=($!)
  if ((${#pids[@]} >= PARALLEL)); then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
exit $status
