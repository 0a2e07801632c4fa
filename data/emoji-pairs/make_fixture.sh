#!/bin/sh
# Rebuilds tests/data/train/emoji/{train,val}.tsv from the npm registry.
# Archives go to data/cache/emoji-pairs (gitignored); about 80 MB download.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/data/cache/emoji-pairs"
out="${1:-$root/tests/data/train/emoji}"
mkdir -p "$cache"
cd "$cache"
[ -f emoji-datasource-google-16.0.0.tgz ] || npm pack emoji-datasource-google@16.0.0
[ -f cldr-annotations-full-48.2.0.tgz ] || npm pack cldr-annotations-full@48.2.0
[ -d google/package ] || { mkdir -p google && tar xzf emoji-datasource-google-16.0.0.tgz -C google; }
[ -d cldr/package ] || { mkdir -p cldr && tar xzf cldr-annotations-full-48.2.0.tgz -C cldr; }
python3 "$root/data/emoji-pairs/make_fixture.py" "$cache" "$out"
