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

# The benchmark is not a test, but its script must keep working: tiny loads (Portkey beside the
# gateway) and one short callgrind run.
echo "== bench smoke"
LLMGW_BENCH_BUILD_DIR="$BUILD" "$ROOT/tests/bench/run.sh" --smoke

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
  (cd "$ASAN_BUILD" && QT_QPA_PLATFORM=offscreen in_keyring_session ctest --output-on-failure --timeout 600)
  LLM_GATEWAY_BIN="$ASAN_BUILD/app/llm-gateway" node --test --test-concurrency=1 ./*.test.mjs
fi

# Every decoder under libFuzzer for a few seconds each (ASan + UBSan + leaks), from the seed
# corpus in tests/fuzz/corpus: a third build directory with clang, holding only the gateway
# library and the fuzz targets. New inputs go to a scratch directory, so the repository's
# corpus stays as it is. LLMGW_FUZZ_SECONDS sets the time per target; LLMGW_SKIP_FUZZ=1 skips.
if [ "${LLMGW_SKIP_FUZZ:-0}" != 1 ]; then
  secs="${LLMGW_FUZZ_SECONDS:-4}"
  echo "== fuzz (libFuzzer, ${secs} s per target)"
  FUZZ_BUILD="${LLMGW_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
  # CXX only counts when the directory is first configured.
  CXX=clang++ build_project "$FUZZ_BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLLMGW_FUZZ=ON \
    -DLLMGW_BUILD_TESTS=OFF
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  scratch="$(mktemp -d)"
  trap 'rm -rf "$scratch"' EXIT
  while read -r target; do
    [ -n "$target" ] || continue
    mkdir -p "$scratch/$target"
    if ! (cd "$scratch" && "$FUZZ_BUILD/tests/fuzz/fuzz_$target" -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/" \
        "$scratch/$target" "$ROOT/tests/fuzz/corpus/$target" >"$scratch/$target.log" 2>&1); then
      tail -n 60 "$scratch/$target.log"
      echo "fuzz: $target failed; the input that did it was saved in $FUZZ_BUILD (crash-*, leak-*...)" >&2
      exit 1
    fi
    echo "fuzz_$target: $(grep -o 'number_of_executed_units: [0-9]*' "$scratch/$target.log" | grep -o '[0-9]*$') inputs, clean"
  done <"$ROOT/tests/fuzz/targets.txt"
fi
