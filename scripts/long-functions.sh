#!/usr/bin/env bash
# Prints every function in gateway/ whose body is longer than LIMIT lines (default 80), longest
# first: "lines  file:line  scope::name". The body is counted from the line after the opening
# brace to the line before the closing one; lambdas are counted inside their function.
# Needs Universal Ctags and python3. Exit status 1 when any function is over the limit.
set -euo pipefail
cd "$(dirname "$0")/.."
limit="${1:-80}"
find gateway -name '*.cpp' -o -name '*.h' | sort |
    xargs ctags --languages=C++ --kinds-C++=f --fields=+ne --output-format=json -f - |
    python3 -c '
import json, sys
limit = int(sys.argv[1])
files = {}
over = []
for line in sys.stdin:
    t = json.loads(line)
    if t.get("_type") != "tag" or "end" not in t or t.get("scopeKind") == "function":
        continue
    if t["name"].startswith("__anon"):
        continue
    path = t["path"]
    if path not in files:
        files[path] = open(path, encoding="utf-8").read().split("\n")
    lines = files[path]
    start = t["line"] - 1
    brace = start
    while brace < t["end"] - 1 and "{" not in lines[brace]:
        brace += 1
    body = t["end"] - 1 - brace - 1
    if body > limit:
        scope = t.get("scope", "").replace("gw::", "")
        name = (scope + "::" if scope else "") + t["name"]
        over.append((body, "%s:%d" % (path, t["line"]), name))
over.sort(reverse=True)
for body, where, name in over:
    print("%4d  %s  %s" % (body, where, name))
print("%d function(s) over %d lines" % (len(over), limit), file=sys.stderr)
sys.exit(1 if over else 0)
' "$limit"
