#!/usr/bin/env bash
# Fetches the pinned npm and Debian packages that data/kg/build_kg.py turns
# into Shenbi's bundled Chinese knowledge graph, into a gitignored cache
# (data/cache/kg by default). Archives are never committed: this script is
# the recipe. Re-running it skips what is already unpacked.
#   scripts/fetch-kg-sources.sh [CACHE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${1:-data/cache/kg}
mkdir -p "$CACHE/npm" "$CACHE/deb"
CACHE=$(cd "$CACHE" && pwd)
. scripts/lib/fetch-packages.sh

# Pinned versions: the triple counts in data/README.md were made with these.
NPM_PACKAGES=(
  cldr-annotations-full@48.2.0
  cldr-annotations-derived-full@48.2.0
  cldr-localenames-full@48.2.0
  emojibase-data@17.0.0
  emoji-datasource@16.0.0
)
DEB_PACKAGES=(unicode-cldr-core rime-data-emoji)
# OpenCC (t2s) converts Rime's and emojibase's traditional script; installed
# from Debian when missing (the builder can also use the unpacked packages).
OPENCC_DEBS=(opencc libopencc1.1 libopencc-data libmarisa0)

need_debs=("${DEB_PACKAGES[@]}")
if ! command -v opencc >/dev/null 2>&1; then need_debs+=("${OPENCC_DEBS[@]}"); fi
fetch_npm "${NPM_PACKAGES[@]}"
fetch_debs "${need_debs[@]}"
# Record what was used, so a rebuilt graph names its inputs.
write_sources "${NPM_PACKAGES[@]}"
echo "sources in $CACHE"
