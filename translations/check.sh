#!/usr/bin/env bash
# Fails, listing them, when a shipped language lacks a translation of a string in the code
# (lupdate marks it "unfinished") or still carries one for a string the code no longer has
# ("vanished"). Runs lupdate on the sources into a temporary copy of the .ts files, so the
# committed files are never touched.
#   check.sh LUPDATE SOURCE_ROOT               the check (ctest: translations_complete)
#   check.sh --self-test LUPDATE SOURCE_ROOT   proves the check fails on a new tr() string and
#                                              on a string that left the code
set -euo pipefail

self_test=0
if [ "${1:-}" = --self-test ]; then self_test=1; shift; fi
lupdate=${1:?usage: check.sh [--self-test] LUPDATE SOURCE_ROOT}
root=$(cd "${2:?usage: check.sh [--self-test] LUPDATE SOURCE_ROOT}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
command -v xmllint >/dev/null || { echo "check.sh: xmllint missing (package libxml2-utils)" >&2; exit 2; }

# The languages translated in full; English carries only plural forms.
full_languages=(de zh_CN)
# Where the user-visible strings are (the same list as LLMGW_TR_DIRS in CMakeLists.txt and
# update.sh): the app, the UI, the desktop adapter.
source_dirs=(app ui desktop)

bad="//message[translation/@type='unfinished' or translation/@type='vanished' or translation/@type='obsolete']"

# list TS N: one line per problem message of TS (N of them): "file: kind: [context] "source"".
# All 3N lookups go to one xmllint shell, whose `cat` prints each node in full (a process per
# lookup made the self-test, whose last step has some 200 problems per file, take minutes on a
# loaded machine); awk takes the text out of the printed nodes.
list() {
  local ts=$1 n=$2 i
  for ((i = 1; i <= n; i++)); do
    printf 'cat (%s)[%d]/../name\ncat (%s)[%d]/source\n' "$bad" "$i" "$bad" "$i"
    printf 'cat (%s)[%d]/translation/@type\n' "$bad" "$i"
  done | xmllint --shell "$ts" | awk -v RS='/ > ' -v file="$(basename "$ts")" '
    NR > 1 {
      k = (NR - 2) % 3
      s = $0
      sub(/^ -------\n/, "", s); sub(/\n$/, "", s)
      if (k == 2) { # the attribute, printed as  type="..."
        sub(/^ type="/, "", s); sub(/"$/, "", s)
      } else { # <name>...</name>, <source>...</source> or <source/>
        if (s ~ /^<[a-z]+\/>$/) s = ""
        sub(/^<[a-z]+>/, "", s); sub(/<\/[a-z]+>$/, "", s)
        gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s)
        gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
      }
      v[k] = s
      if (k == 2) {
        kind = v[2] == "unfinished" ? "untranslated" : "no longer in the code"
        printf "%s: %s: [%s] \"%s\"\n", file, kind, v[0], v[1]
      }
    }'
}

# check SOURCE_ROOT TS_DIR: lupdate into copies, then list what is missing. Exit 1 if anything.
check() {
  local src=$1 tsdir=$2 work problems=0
  work=$(mktemp -d)
  local dirs=()
  for d in "${source_dirs[@]}"; do [ -d "$src/$d" ] && dirs+=("$src/$d"); done
  local full=()
  for l in "${full_languages[@]}"; do
    cp "$tsdir/llm-gateway_$l.ts" "$work/"
    full+=("$work/llm-gateway_$l.ts")
  done
  cp "$tsdir/llm-gateway_en.ts" "$work/"
  "$lupdate" -silent -locations none -extensions cpp,h "${dirs[@]}" -ts "${full[@]}" >/dev/null
  "$lupdate" -silent -locations none -extensions cpp,h -pluralonly "${dirs[@]}" \
    -ts "$work/llm-gateway_en.ts" >/dev/null
  for ts in "$work"/*.ts; do
    local n
    n=$(xmllint --xpath "count($bad)" "$ts")
    [ "$n" -gt 0 ] || continue
    list "$ts" "$n"
    problems=$((problems + n))
  done
  rm -rf "$work"
  if [ "$problems" -gt 0 ]; then
    echo "translations: $problems problem(s). Run translations/update.sh, translate in Qt Linguist" \
         "(or edit the .ts files), and see translations/README.md."
    return 1
  fi
  echo "translations: every string translated in ${full_languages[*]} (and English plurals)"
}

if [ "$self_test" = 0 ]; then
  check "$root" "$here"
  exit
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# 1. The sources as they are pass.
for d in "${source_dirs[@]}"; do cp -r "$root/$d" "$tmp/"; done
if ! check "$tmp" "$here" >"$tmp/out0"; then
  cat "$tmp/out0"; echo "self-test: the unchanged sources should pass"; fail=1
fi
# 2. A new tr() string with no translation fails, naming the string for each language.
cat >"$tmp/ui/zz_selftest.cpp" <<'CPP'
#include <QCoreApplication>
QString selfTestString() { return QCoreApplication::translate("SelfTest", "A string nobody translated"); }
CPP
if check "$tmp" "$here" >"$tmp/out1"; then
  echo "self-test: a new untranslated string passed the check"; fail=1
elif [ "$(grep -c 'untranslated: \[SelfTest\] "A string nobody translated"' "$tmp/out1")" -ne 2 ]; then
  cat "$tmp/out1"; echo "self-test: the new string is not named for de and zh_CN"; fail=1
fi
rm "$tmp/ui/zz_selftest.cpp"
# 3. A translated string that left the code fails too (here: every string in ui/).
find "$tmp/ui" -name '*.cpp' -delete
if check "$tmp" "$here" >"$tmp/out2"; then
  echo "self-test: strings gone from the code passed the check"; fail=1
elif ! grep -q 'no longer in the code' "$tmp/out2"; then
  cat "$tmp/out2"; echo "self-test: vanished strings are not named"; fail=1
fi
[ "$fail" = 0 ] && echo "self-test: the check fails on new and on vanished strings, as it should"
exit "$fail"
