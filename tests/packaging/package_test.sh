#!/bin/sh
# The Debian package as a user gets it: built with CPack, unpacked with
# dpkg -x into a temporary root outside the source tree (so only the installed
# layout can be found), and run from there.
#   package_test.sh BUILD_DIR
set -eu
build=$(cd "$1" && pwd)
work=$(mktemp -d /tmp/shenbi-package-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"
step() { echo "== $*"; }

step "cpack"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >cpack.log 2>&1 || { cat cpack.log; exit 1; }
deb=$(ls pkg/*.deb)
ls -l "$deb"

step "Depends (dpkg-shlibdeps + plugins)"
depends=$(dpkg-deb -f "$deb" Depends)
echo "$depends"
for lib in libqt6widgets6 libqt6sql6 libtorch libopencv-core libqt6sql6-sqlite libopenblas0-pthread; do
  echo "$depends" | grep -q "$lib" || { echo "Depends lacks $lib"; exit 1; }
done

step "contents"
dpkg -x "$deb" root
for f in usr/bin/shenbi usr/bin/shenbi-cli usr/share/shenbi/models/default/model.json \
         usr/share/shenbi/knowledge/triples.tsv usr/share/applications/io.github.shenbi.Shenbi.desktop \
         usr/share/metainfo/io.github.shenbi.Shenbi.metainfo.xml usr/share/icons/hicolor/scalable/apps/shenbi.svg \
         usr/share/icons/hicolor/48x48/apps/shenbi.png usr/share/icons/hicolor/256x256/apps/shenbi.png \
         usr/share/doc/shenbi/copyright usr/share/doc/shenbi/changelog.gz; do
  [ -e "root/$f" ] || { echo "missing in the package: /$f"; exit 1; }
done
desktop-file-validate root/usr/share/applications/io.github.shenbi.Shenbi.desktop
appstreamcli validate --no-net root/usr/share/metainfo/io.github.shenbi.Shenbi.metainfo.xml

# No environment that could point back at the source tree; a private home.
clean_env() {
  env -u SHENBI_MODEL_DIR -u SHENBI_KNOWLEDGE_DIR HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" \
      XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache" "$@"
}
mkdir -p "$work/home"

step "shenbi-cli --version"
clean_env root/usr/bin/shenbi-cli --version

step "generate with the bundled model, found through the installed layout"
clean_env root/usr/bin/shenbi-cli generate --prompt 熊猫 --candidates 1 --seed 1 --threads 2 --out "$work/out" 2>&1 | tee gen.log
grep -q "using the bundled model $work/root/usr/share/shenbi/models/default" gen.log
grep -q "entity: 熊猫" gen.log
ls "$work"/out/candidate_0_seed*.png

step "link with the installed knowledge graph"
clean_env root/usr/bin/shenbi-cli link 熊猫 2>&1 | tee link.log
grep -q "using the bundled knowledge graph $work/root/usr/share/shenbi/knowledge" link.log
grep -q "熊猫 --别名--> 大熊猫" link.log

step "the studio, offscreen, for 8 s"
set +e
clean_env QT_QPA_PLATFORM=offscreen timeout 8 root/usr/bin/shenbi >gui.log 2>&1
rc=$?
set -e
cat gui.log
[ "$rc" = 124 ] || { echo "the studio exited with $rc before 8 s"; exit 1; }
echo "package test passed"
