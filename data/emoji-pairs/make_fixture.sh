#!/bin/sh
# Rebuilds tests/data/train/emoji/{train,val}.tsv from the npm registry
# (archives cached by fetch.sh under data/cache/emoji-pairs).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out="${1:-$root/tests/data/train/emoji}"
cache=$(sh "$here/fetch.sh")
python3 "$here/make_fixture.py" "$cache" "$out"
