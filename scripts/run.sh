#!/usr/bin/env bash
# Installs what is missing, builds, and starts llm-gateway.
#   ./scripts/run.sh               the tray app
#   ./scripts/run.sh serve [ADDR]  headless (any llm-gateway arguments are passed on)
set -euo pipefail
source "$(dirname "$0")/common.sh"
"$ROOT/scripts/setup.sh" build
build_project "$ROOT/build" -DLLMGW_BUILD_TESTS=OFF
exec "$ROOT/build/app/llm-gateway" "$@"
