#!/usr/bin/env bash
# Installs what is missing, builds with tests (warnings are errors), and runs every test:
# the Qt Test suites through ctest, then the end-to-end tests with real client libraries.
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh" test
BUILD="${LLMGW_TEST_BUILD_DIR:-$ROOT/build-test}"
build_project "$BUILD" -DLLMGW_BUILD_TESTS=ON -DLLMGW_WERROR=ON

echo "== ctest"
(cd "$BUILD" && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 300)

echo "== end-to-end (node)"
cd "$ROOT/tests/e2e"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
LLM_GATEWAY_BIN="$BUILD/app/llm-gateway" node --test --test-concurrency=1 ./*.test.mjs
