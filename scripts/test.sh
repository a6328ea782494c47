#!/usr/bin/env bash
# Installs what is missing, builds with tests (warnings are errors), and runs every test:
# the Qt Test suites through ctest, then the end-to-end tests with real client libraries.
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh" test
BUILD="${LLMGW_TEST_BUILD_DIR:-$ROOT/build-test}"
build_project "$BUILD" -DLLMGW_BUILD_TESTS=ON -DLLMGW_WERROR=ON

# The Qt Test suites run inside a private D-Bus session with gnome-keyring's Secret Service, so
# the keychain tests (tst_keychain, tst_settings) use a real keychain; its files live in a
# throwaway folder, never in the user's own keyring.
in_keyring_session() {
  local dir rc=0
  dir=$(mktemp -d)
  XDG_DATA_HOME="$dir" dbus-run-session -- sh -c \
    'echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"' \
    sh "$@" || rc=$?
  rm -rf "$dir"
  return $rc
}

echo "== ctest"
(cd "$BUILD" && QT_QPA_PLATFORM=offscreen in_keyring_session ctest --output-on-failure --timeout 300)

echo "== end-to-end (node)"
cd "$ROOT/tests/e2e"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
LLM_GATEWAY_BIN="$BUILD/app/llm-gateway" node --test --test-concurrency=1 ./*.test.mjs

# The Debian package from the same Release build: built, installed with apt-get, run, checked
# (desktop entry, AppStream metainfo, man page, systemd user unit) and removed again.
# LLMGW_SKIP_DEB=1 skips it.
if [ "${LLMGW_SKIP_DEB:-0}" != 1 ]; then
  echo "== Debian package"
  "$ROOT/installer/test-deb.sh" "$BUILD"
fi

# Everything again under AddressSanitizer + UndefinedBehaviorSanitizer (leaks included): a
# second build directory, the Qt Test suites, then the end-to-end suite against the sanitized
# binary, whose clean exit the tests check. LLMGW_SKIP_SANITIZERS=1 skips it for quick runs.
if [ "${LLMGW_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== sanitizers (ASan + UBSan)"
  ASAN_BUILD="${LLMGW_ASAN_BUILD_DIR:-$ROOT/build-asan}"
  build_project "$ASAN_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMGW_BUILD_TESTS=ON -DLLMGW_WERROR=ON -DLLMGW_SANITIZE=ON
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp"
  (cd "$ASAN_BUILD" && QT_QPA_PLATFORM=offscreen in_keyring_session ctest --output-on-failure --timeout 600)
  LLM_GATEWAY_BIN="$ASAN_BUILD/app/llm-gateway" node --test --test-concurrency=1 ./*.test.mjs
fi
