#!/usr/bin/env bash
# Builds the .deb from a Release build directory, installs it on this machine with apt-get,
# checks what it installed and that the installed binary serves, then removes it. The machine
# is left as it was, also when a step fails halfway (the package is removed on exit).
#   installer/test-deb.sh BUILD_DIR      (called by scripts/test.sh)
set -euo pipefail
BUILD=$(cd "${1:?usage: test-deb.sh BUILD_DIR}" && pwd)
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
APP_ID=io.github.llm_gateway.LlmGateway

installed() { dpkg-query -W -f='${Status}' llm-gateway 2>/dev/null | grep -q 'install ok installed'; }
if installed; then
  echo "test-deb: llm-gateway is already installed on this machine; not touching it" \
       "(remove it with: apt-get remove llm-gateway)" >&2
  exit 1
fi

work=$(mktemp -d)
server=""
cleanup() {
  local rc=$?
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server" 2>/dev/null || true; fi
  if installed; then $SUDO apt-get remove -y -qq llm-gateway >/dev/null 2>&1 || true; fi
  rm -rf "$work"
  [ $rc -ne 0 ] && echo "test-deb: FAILED" >&2
  exit $rc
}
trap cleanup EXIT
fail() { echo "test-deb: $*" >&2; exit 1; }
ok() { echo "test-deb: ok - $*"; }

echo "test-deb: building the package in $BUILD"
rm -f "$BUILD"/llm-gateway_*.deb
(cd "$BUILD" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$BUILD"/llm-gateway_*.deb)
ok "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KB)"

# The control data: shlibs found the Qt libraries, the run-time ones are declared.
dpkg-deb -f "$deb" Depends >"$work/depends"
for dep in libqt6core6 libqt6network6 libqt6widgets6 libqt6svg6 libqt6sql6-sqlite libsecret-1-0 libsimdjson14 libc6; do
  grep -q "$dep" "$work/depends" || fail "Depends lacks $dep: $(cat "$work/depends")"
done
[ "$(dpkg-deb -f "$deb" Section)" = net ] || fail "section is not net"
[ "$(dpkg-deb -f "$deb" Maintainer)" = "llm-gateway maintainers <maintainers@llm-gateway.dev>" ] \
  || fail "maintainer is not the project's contact: $(dpkg-deb -f "$deb" Maintainer)"
ok "Depends: $(cat "$work/depends")"

# Only what the user needs: no tests, no static libraries, no headers.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/files"
for f in /usr/bin/llm-gateway /usr/lib/llm-gateway/llm-gateway-tray.so \
         /usr/share/applications/$APP_ID.desktop \
         /usr/share/metainfo/$APP_ID.metainfo.xml /usr/share/man/man1/llm-gateway.1.gz \
         /usr/lib/systemd/user/llm-gateway.service /usr/share/doc/llm-gateway/copyright \
         /usr/share/icons/hicolor/scalable/apps/llm-gateway.svg \
         /usr/share/icons/hicolor/16x16/apps/llm-gateway.png \
         /usr/share/icons/hicolor/256x256/apps/llm-gateway.png; do
  grep -qx "$f" "$work/files" || fail "the package lacks $f"
done
if grep -E '/tst_|\.a$|/include/|/tests?/|bench' "$work/files"; then fail "the package carries test or build files"; fi
ok "$(grep -vc '/$' "$work/files") files, none of them tests"

echo "test-deb: installing"
# No recommends: the check needs none, and they would stay behind after the removal.
$SUDO apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install failed"; }
installed || fail "not installed after apt-get install"
[ -x /usr/bin/llm-gateway ] || fail "/usr/bin/llm-gateway missing"
/usr/bin/llm-gateway --version | grep -q '^llm-gateway ' || fail "--version: $(/usr/bin/llm-gateway --version)"
ok "installed, $(/usr/bin/llm-gateway --version)"

# The tray app is a module the binary loads from ../lib/llm-gateway (app/CMakeLists.txt): it
# must load there and run (offscreen, no display needed) until stopped.
(cd "$work" && exec env -i PATH=/usr/bin:/bin HOME="$work/home" QT_QPA_PLATFORM=offscreen \
   /usr/bin/llm-gateway --listen 127.0.0.1:0 >"$work/tray.log" 2>&1) &
tray=$!
sleep 2
kill -0 "$tray" 2>/dev/null || { cat "$work/tray.log"; fail "the tray app exited at once"; }
grep -q llm-gateway-tray.so "/proc/$tray/maps" || fail "the tray app runs without its module"
kill -TERM "$tray"
wait "$tray" || true
ok "the tray app loads /usr/lib/llm-gateway/llm-gateway-tray.so and runs"

# The installed binary serves: a free port chosen by the system, read back from its banner.
mkdir -p "$work/home"
(cd "$work" && exec env -i PATH=/usr/bin:/bin HOME="$work/home" \
   /usr/bin/llm-gateway serve --listen 127.0.0.1:0 2>"$work/serve.log") &
server=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.log")
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log"; fail "llm-gateway serve exited"; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; fail "llm-gateway serve did not start"; }
version=$(curl -fsS --max-time 10 "http://127.0.0.1:$port/api/version") || fail "GET /api/version failed"
echo "$version" | grep -q '"version"' || fail "/api/version answered: $version"
answer=$(curl -fsS --max-time 10 "http://127.0.0.1:$port/api/chat" \
  -d '{"model":"echo","stream":false,"messages":[{"role":"user","content":"installed and working"}]}') \
  || fail "POST /api/chat failed"
echo "$answer" | grep -q '"content":"installed and working"' || fail "/api/chat answered: $answer"
kill -TERM "$server"
wait "$server" || fail "serve did not exit cleanly on SIGTERM ($?)"
server=""
ok "serve on 127.0.0.1:$port answered /api/version ($version) and chatted with echo"

# The installed desktop files are valid.
if man -w llm-gateway >/dev/null 2>&1; then
  ok "man page: $(man -w llm-gateway)"
elif [ -f /usr/share/man/man1/llm-gateway.1.gz ]; then
  ok "man page installed (man-db not set up to find it)"
else
  grep -rqs 'path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/ \
    && ok "man page in the package; this machine's dpkg excludes /usr/share/man" \
    || fail "man page not installed"
fi
zcat /usr/share/man/man1/llm-gateway.1.gz 2>/dev/null | groff -man -ww -z -Tutf8 2>"$work/groff.log" || true
[ ! -s "$work/groff.log" ] || { cat "$work/groff.log"; fail "groff warns about the man page"; }
desktop-file-validate "/usr/share/applications/$APP_ID.desktop" || fail "desktop-file-validate"
ok "desktop-file-validate /usr/share/applications/$APP_ID.desktop"
appstreamcli validate --no-net "/usr/share/metainfo/$APP_ID.metainfo.xml" >"$work/as.log" 2>&1 \
  || { cat "$work/as.log"; fail "appstreamcli validate"; }
ok "appstreamcli validate --no-net /usr/share/metainfo/$APP_ID.metainfo.xml"
# systemd-analyze verify needs a runtime directory for its (offline) user manager.
mkdir -m 700 "$work/xdg"
if ! command -v systemd-analyze >/dev/null; then
  echo "test-deb: skip - systemd-analyze is not installed (package systemd); unit not verified"
elif XDG_RUNTIME_DIR="$work/xdg" systemd-analyze verify --user /usr/lib/systemd/user/llm-gateway.service \
     >"$work/sd.log" 2>&1; then
  ok "systemd-analyze verify --user llm-gateway.service"
elif grep -q 'Failed to initialize manager\|Failed to lookup RuntimeDirectory' "$work/sd.log"; then
  echo "test-deb: skip - systemd-analyze cannot start an offline user manager here: $(head -1 "$work/sd.log")"
else
  cat "$work/sd.log"; fail "systemd-analyze verify"
fi

echo "test-deb: removing"
$SUDO apt-get remove -y -qq llm-gateway >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get remove failed"; }
[ ! -e /usr/bin/llm-gateway ] || fail "/usr/bin/llm-gateway is still there after removal"
[ ! -e "/usr/share/applications/$APP_ID.desktop" ] || fail "the desktop entry is still there"
installed && fail "still installed after removal"
ok "removed: /usr/bin/llm-gateway is gone"
echo "test-deb: every check passed"
