#!/bin/sh
# The bench/README.md precision table: artist-base (random weights), 4
# candidates, 2 threads, one bench generate run per column, one after the
# other, plus the same on an AVX2-only CPU imitated (LibTorch, oneDNN and
# OpenBLAS capped to their AVX2 kernels). Prints one Markdown table.
# Usage: bench/precision-table.sh [STEPS]   (from the repository root, after a build)
set -eu
B=${B:-build/bin}
STEPS=${1:-48}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
run() {  # name, env..., precision
    name=$1; shift
    env "$@" "$B/shenbi-cli" bench generate --preset artist-base --random-weights --candidates 4 --threads 2 \
        --steps "$STEPS" --baseline-steps 0 --precision "$PRECISION" >"$out/$name" 2>&1 || echo "refused" >>"$out/$name"
}
AVX2="ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 OPENBLAS_CORETYPE=Haswell"
PRECISION=fp32 run fp32 SHENBI_=
PRECISION=bf16 run bf16 SHENBI_=
PRECISION=int8 run int8 SHENBI_=
PRECISION=w8a8 run w8a8 SHENBI_=
PRECISION=fp32 run avx2-fp32 $AVX2
PRECISION=int8 run avx2-int8 $AVX2
cols="fp32 bf16 int8 w8a8 avx2-fp32 avx2-int8"
printf '| measure | fp32 | bf16 | int8 | w8a8 | fp32, AVX2 only | int8, AVX2 only |\n|---|---|---|---|---|---|---|\n'
for row in "CPU:" "decoding steps:" "VQGAN decode in" "ms per token step" "prefill" "GPT weights read" \
           "measured read bandwidth" "bandwidth floor" "distance to floor" "before VQGAN decode" \
           "VQGAN decode of" "direct convolutions only" "direct over Winograd" "3x3 convolution throughput" \
           "decode compute floor" "distance to that floor" \
           "whole request" "peak RSS"; do
    line="| $row |"
    for c in $cols; do
        v=$(grep -m1 -F "$row" "$out/$c" | sed -e 's/.*| \([^|]*\) |$/\1/' -e 's/.* cores: //' \
            -e 's/^VQGAN decode in //' -e 's/^decoding steps: //' -e 's/, VNNI.*//')
        grep -q "^refused" "$out/$c" && v="refused"
        line="$line ${v:--} |"
    done
    echo "$line"
done
