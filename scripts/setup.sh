#!/usr/bin/env bash
# Installs what building and testing llm-gateway needs on Debian bookworm. Idempotent:
# when every package is present it does nothing and returns in well under a second.
set -euo pipefail

want_build=(cmake ninja-build g++ pkg-config ccache clang-format
  qt6-base-dev libqt6sql6-sqlite qtkeychain-qt6-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev qt6-image-formats-plugins
  libqt6svg6 libgl-dev libssl-dev libsqlite3-dev libsimdjson-dev libgoogle-perftools-dev)
want_test=(nodejs npm gnome-keyring dbus dbus-x11 libsecret-1-0 xvfb trayer x11-apps
  imagemagick curl wrk dpkg-dev file appstream procps
  desktop-file-utils libxml2-utils man-db groff-base fonts-wqy-microhei clang libclang-rt-14-dev x11-utils
  tinyproxy-bin)

mode=${1:-build}
pkgs=("${want_build[@]}")
[ "$mode" = test ] && pkgs+=("${want_test[@]}")
# tests/bench/run.sh: wrk for the loads, valgrind (callgrind) for instructions per request, node
# for Portkey's gateway, which it runs side by side (tests/bench/package.json, installed below).
[ "$mode" = bench ] && pkgs+=(wrk curl openssl valgrind nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
  # node may come from NodeSource (nodejs bundles npm there): accept any working binaries.
  if [ "$p" = nodejs ] && command -v node >/dev/null; then continue; fi
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The bench's comparison gateway: Portkey's, from npm, pinned by tests/bench/package-lock.json.
if [ "$mode" = bench ]; then
  bench="$(cd "$(dirname "$0")/.." && pwd)/tests/bench"
  if [ ! -f "$bench/node_modules/.package-lock.json" ] ||
    [ "$bench/package-lock.json" -nt "$bench/node_modules/.package-lock.json" ]; then
    echo "setup: installing the bench's node packages (npm ci in tests/bench)" >&2
    (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error >&2)
  fi
fi
