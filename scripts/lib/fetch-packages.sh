# Shared by the data recipes (scripts/fetch-kg-sources.sh, data/corpus/fetch.sh):
# fetch pinned npm and Debian packages into a cache and unpack each once.
# Source it, set CACHE (absolute, with npm/ and deb/ made), then call:
#   fetch_npm SPEC...      npm pack + untar into $CACHE/npm/NAME-VERSION/package
#   fetch_debs PACKAGE...  apt-get download + dpkg -x into $CACHE/deb/x/PACKAGE
#   write_sources SPEC...  $CACHE/SOURCES.txt: the npm specs and .deb files used

fetch_npm() {
  local spec name ver dest
  for spec in "$@"; do
    name=${spec%@*}; name=${name//\//-}; name=${name#@}; ver=${spec##*@}
    dest="$CACHE/npm/$name-$ver"
    [[ -d "$dest/package" ]] && continue
    echo "npm pack $spec" >&2
    (cd "$CACHE/npm" && npm pack --silent "$spec" >/dev/null)
    mkdir -p "$dest"
    tar xzf "$CACHE/npm/$name-$ver.tgz" -C "$dest"
    rm -f "$CACHE/npm/$name-$ver.tgz"   # the unpacked tree is the cache
  done
}

fetch_debs() {
  local pkg deb
  for pkg in "$@"; do
    [[ -d "$CACHE/deb/x/$pkg" ]] && continue
    echo "apt-get download $pkg" >&2
    (cd "$CACHE/deb" && apt-get download "$pkg" >/dev/null)
    deb=$(ls "$CACHE/deb/${pkg}"_*.deb | head -1)
    mkdir -p "$CACHE/deb/x/$pkg"
    dpkg -x "$deb" "$CACHE/deb/x/$pkg"
  done
}

write_sources() {
  local spec deb
  {
    for spec in "$@"; do echo "npm $spec"; done
    for deb in "$CACHE"/deb/*.deb; do [[ -e "$deb" ]] || continue; echo "deb $(basename "$deb")"; done
  } > "$CACHE/SOURCES.txt"
}
