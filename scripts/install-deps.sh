#!/usr/bin/env bash
# Installs the Debian 12 packages Shenbi builds and runs with; skips what is
# already installed so that a second run costs nothing. Extra package names
# given as arguments are installed too (scripts/sanitize.sh adds clang).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev libopenblas0-pthread libgloo-dev
  libopencv-dev nlohmann-json3-dev
  # libqt6opengl6-dev: Qt Charts' CMake package requires Qt6OpenGL (no Shenbi code uses OpenGL).
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
  libqt6sql6-sqlite qcoro-qt6-dev
  libgtest-dev libgmock-dev
  fonts-noto-cjk fonts-wqy-microhei
  # The packaging test: CPack's shlibdeps (file, dpkg-dev) and the desktop/AppStream validators.
  file dpkg-dev desktop-file-utils appstream
  # The evaluation test fetches nsfwjs (its InceptionV3) from the npm registry.
  curl ca-certificates
  # The test format_check (cmake/CheckFormat.cmake).
  clang-format
)
# The core alone (SHENBI_CORE_ONLY=1) needs neither Qt nor fonts.
if [[ "${SHENBI_CORE_ONLY:-0}" == 1 ]]; then
  PACKAGES=(build-essential cmake ninja-build ccache pkg-config libtorch-dev libopenblas0-pthread
            libgloo-dev libopencv-dev nlohmann-json3-dev libgtest-dev libgmock-dev curl ca-certificates clang-format)
fi
PACKAGES+=("$@")

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

SUDO=""
if [[ $(id -u) != 0 ]]; then SUDO=sudo; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
