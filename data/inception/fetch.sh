#!/bin/sh
# Fetches nsfwjs@4.4.0 (MIT, 25 MB) from the npm registry into the cache, once,
# checks its sha1 and unpacks it. Shenbi reads the InceptionV3 straight from
# the unpacked package (core/eval/nsfwjs_weights.h). Prints the model folder
# (dist/models/inception_v3) on stdout; everything else goes to stderr.
#
#   sh data/inception/fetch.sh               # download + unpack (npm or curl; no node needed)
#   sh data/inception/fetch.sh --bin         # also write the flat inception_v3_mixed5.bin (needs node)
#   sh data/inception/fetch.sh --reference   # --bin, and install tfjs 4.22.0 into the cache,
#        regenerate tests/data/inception/reference_mixed5.json and run
#        port_check.mjs (~2 min of CPU, 335 MB of node_modules)
#
# Cache: ${SHENBI_CACHE:-$HOME/.cache/shenbi}/npm (never inside the repo).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache="${SHENBI_CACHE:-$HOME/.cache/shenbi}/npm"
tgz="$cache/nsfwjs-4.4.0.tgz"
pkg="$cache/nsfwjs-4.4.0/package"
out="$cache/inception"
sha1=706017d11e44de0803b73a568819f800a50ae470
url=https://registry.npmjs.org/nsfwjs/-/nsfwjs-4.4.0.tgz

mkdir -p "$cache"
if [ ! -f "$tgz" ]; then
  # Download to a temporary name, so an interrupted fetch never looks complete.
  # Exit 77 when the registry cannot be reached (the tests that need the
  # weights are then reported as skipped, not passed).
  if command -v npm >/dev/null 2>&1; then
    rm -rf "$cache/pack.part" && mkdir -p "$cache/pack.part"
    (cd "$cache/pack.part" && npm pack --silent nsfwjs@4.4.0 >&2) ||
      { rm -rf "$cache/pack.part"; echo "fetch.sh: npm pack nsfwjs@4.4.0 failed: is the npm registry reachable?" >&2; exit 77; }
    mv "$cache/pack.part/nsfwjs-4.4.0.tgz" "$tgz" && rm -rf "$cache/pack.part"
  else
    curl -fsSL --retry 3 -o "$tgz.part" "$url" ||
      { rm -f "$tgz.part"; echo "fetch.sh: cannot download $url (see curl's message above)" >&2; exit 77; }
    mv "$tgz.part" "$tgz"
  fi
fi
got=$(sha1sum "$tgz" | cut -d' ' -f1)
[ "$got" = "$sha1" ] || { echo "fetch.sh: $tgz sha1 $got, expected $sha1 (delete it to fetch again)" >&2; exit 1; }
if [ ! -f "$pkg/dist/models/inception_v3/model.min.js" ]; then
  rm -rf "$cache/nsfwjs-4.4.0" "$cache/nsfwjs-4.4.0.part"
  mkdir -p "$cache/nsfwjs-4.4.0.part"
  tar xzf "$tgz" -C "$cache/nsfwjs-4.4.0.part"
  mv "$cache/nsfwjs-4.4.0.part" "$cache/nsfwjs-4.4.0"
fi

if [ "${1:-}" = "--bin" ] || [ "${1:-}" = "--reference" ]; then
  node "$here/convert.mjs" --pkg "$pkg" --out "$out" --until mixed5 \
    --topology "$here/topology_mixed5.txt" >&2
fi
if [ "${1:-}" = "--reference" ]; then
  env="$cache/tfjs-env"
  mkdir -p "$env"
  [ -f "$env/package.json" ] || echo '{"name":"shenbi-inception-reference","private":true}' > "$env/package.json"
  if [ ! -f "$env/node_modules/@tensorflow/tfjs/package.json" ] || [ ! -f "$env/node_modules/nsfwjs/package.json" ]; then
    (cd "$env" && npm install --silent --no-audit --no-fund --ignore-scripts --save-exact \
      @tensorflow/tfjs@4.22.0 nsfwjs@4.4.0 buffer@6.0.3 >&2)
  fi
  node "$here/reference.mjs" --env "$env" --bin "$out/inception_v3_mixed5.bin" \
    --out "$root/tests/data/inception/reference_mixed5.json" >&2
  node "$here/port_check.mjs" --env "$env" --bin "$out/inception_v3_mixed5.bin" \
    --ref "$root/tests/data/inception/reference_mixed5.json" >&2
fi
echo "$pkg/dist/models/inception_v3"
