#!/bin/sh
# Fetches and unpacks the emoji images and CLDR names (npm, about 80 MB) into
# data/cache/emoji-pairs (gitignored), once; prints that directory.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cache="$root/data/cache/emoji-pairs"
mkdir -p "$cache"
cd "$cache"
[ -f emoji-datasource-google-16.0.0.tgz ] || npm pack emoji-datasource-google@16.0.0 >&2
[ -f cldr-annotations-full-48.2.0.tgz ] || npm pack cldr-annotations-full@48.2.0 >&2
[ -d google/package ] || { mkdir -p google && tar xzf emoji-datasource-google-16.0.0.tgz -C google; }
[ -d cldr/package ] || { mkdir -p cldr && tar xzf cldr-annotations-full-48.2.0.tgz -C cldr; }
echo "$cache"
