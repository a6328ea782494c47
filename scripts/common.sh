# Shared by run.sh and test.sh: install what is missing, then configure and build.
# Usage: build_project BUILD_DIR [cmake args...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Worktrees and clean clones share ccache entries when paths are relative to the root.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"

build_project() {
  local dir="$1"; shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  else
    cmake "$dir" "$@" >/dev/null
  fi
  cmake --build "$dir"
}
