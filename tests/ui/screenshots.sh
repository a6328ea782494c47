#!/usr/bin/env bash
# Screenshots of what users see, taken from the real app under Xvfb with a real tray (trayer):
# the tray menu, each settings page (the welcome's first step and Connect your tools included)
# and the request log with real requests in it. The welcome's later steps come from
# tst_firstrun (LLMGW_SCREENSHOT_DIR, LLMGW_SCREENSHOT_LANG). Saves PNGs to
# docs/screenshots/ (or the folder given as $1). Installs what it needs via scripts/setup.sh test
# and builds the app if needed. Not part of test.sh; run it after UI changes and look at them.
set -euo pipefail
source "$(dirname "$0")/../../scripts/common.sh"
"$ROOT/scripts/setup.sh" test
BUILD="${LLMGW_BUILD_DIR:-$ROOT/build-test}"
[ -x "$BUILD/app/llm-gateway" ] || build_project "$BUILD"
BIN="$BUILD/app/llm-gateway"
OUT="$(mkdir -p "${1:-$ROOT/docs/screenshots}" && cd "${1:-$ROOT/docs/screenshots}" && pwd)"

TMP="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# A display nobody uses.
n=90
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$n"
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
trayer --edge bottom --align right --widthtype request --height 30 --heighttype pixel \
  --SetDockType true --transparent false --tint 0xdddddd >"$TMP/trayer.log" 2>&1 &
pids+=($!)
sleep 1

# A fresh user: own HOME, config, data and runtime folders.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
export XDG_RUNTIME_DIR="$TMP/run" QT_QPA_PLATFORM=xcb QT_STYLE_OVERRIDE=Fusion
unset OLLAMA_HOST
export LLM_GATEWAY_CONFIG="$XDG_CONFIG_HOME/llm-gateway/config.json"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/llm-gateway" && mkdir -m 700 "$XDG_RUNTIME_DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$LLM_GATEWAY_CONFIG" <<JSON
{ "version": 1,
  "providers": [ {"name": "echo", "type": "echo", "options": {"delay_ms": 5}},
                 {"name": "groq", "type": "openai", "base_url": "http://127.0.0.1:9/v1"} ],
  "models": [ {"name": "llama-fast", "provider": "groq", "model": "llama-3.3-70b-versatile"},
              {"name": "echo-small", "provider": "echo", "model": "echo"} ] }
JSON

# Four weeks of usage, so the Usage window has something to show (the schema of
# gateway/usage/usagedb.cpp, version 2).
mkdir -p "$XDG_DATA_HOME/llm-gateway"
python3 - "$XDG_DATA_HOME/llm-gateway/usage.sqlite" <<'PY'
import sqlite3, sys, time, random
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE requests (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, client TEXT, dialect TEXT,
  model TEXT, provider TEXT, upstream_model TEXT, status INTEGER, input_tokens INTEGER,
  output_tokens INTEGER, cached_tokens INTEGER, cache_write_tokens INTEGER, duration_ms INTEGER,
  cost REAL, reasoning_tokens INTEGER, saved REAL);
CREATE INDEX requests_ts ON requests (ts);
CREATE INDEX requests_provider_ts ON requests (provider, ts);
PRAGMA user_version = 2;""")
random.seed(16)
now = int(time.time() * 1000)
models = [("claude-sonnet", "anthropic", "claude-sonnet-4-5", 3.0, 15.0, 0.3, "anthropic"),
          ("gpt-5", "openai", "gpt-5", 1.25, 10.0, 0.125, "openai"),
          ("gemini-flash", "gemini", "gemini-2.5-flash", 0.3, 2.5, 0.03, "ollama")]
for day in range(27, -1, -1):
    for name, prov, up, pin, pout, pc, dialect in models:
        for _ in range(random.randint(0, 6 if prov == "anthropic" else 3)):
            i, o = random.randint(4000, 60000), random.randint(200, 4000)
            c = int(i * random.uniform(0.3, 0.9))
            cost = ((i - c) * pin + c * pc + o * pout) / 1e6
            db.execute("INSERT INTO requests (ts, client, dialect, model, provider, upstream_model,"
                       " status, input_tokens, output_tokens, cached_tokens, duration_ms, cost,"
                       " saved) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                       (now - day * 86400000 - random.randint(0, 3600000), "127.0.0.1", dialect,
                        name, prov, up, 200, i, o, c, random.randint(400, 9000), cost,
                        c * (pin - pc) / 1e6))
db.commit()
PY
chmod 600 "$XDG_DATA_HOME/llm-gateway/usage.sqlite"

"$BIN" --listen "127.0.0.1:$PORT" >"$TMP/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/version" >/dev/null && break; sleep 0.1; done

# A few real requests: both APIs, streamed and not, and some that fail.
chat() { curl -s "http://127.0.0.1:$PORT/api/chat" -d "$1" >/dev/null || true; }
chat '{"model":"echo","messages":[{"role":"user","content":"Hello from the screenshot script"}]}'
# Clients the Connect page and the log name from their User-Agent.
curl -s "http://127.0.0.1:$PORT/api/chat" -A "Continue/1.2.3" \
  -d '{"model":"echo","stream":false,"messages":[{"role":"user","content":"from Continue"}]}' >/dev/null || true
curl -s "http://127.0.0.1:$PORT/v1/messages" -A "claude-cli/2.0.14 (external, cli)" \
  -d '{"model":"echo","max_tokens":50,"messages":[{"role":"user","content":"from Claude Code"}]}' >/dev/null || true
chat '{"model":"echo-small","stream":false,"messages":[{"role":"user","content":"What is the capital of France?"}]}'
chat '{"model":"echo","stream":false,"messages":[{"role":"user","content":"/fail 503 the upstream is overloaded"}]}'
chat '{"model":"llama-fast","stream":false,"messages":[{"role":"user","content":"hi"}]}'
chat '{"model":"gpt-5","messages":[{"role":"user","content":"hi"}]}'
curl -s "http://127.0.0.1:$PORT/v1/chat/completions" -H 'Authorization: Bearer sk-proj-NOTAREALKEY1234567890' \
  -d '{"model":"echo","stream":true,"messages":[{"role":"user","content":"Stream me a few words please"}]}' >/dev/null
curl -s "http://127.0.0.1:$PORT/api/tags" >/dev/null
for i in 1 2 3; do chat "{\"model\":\"echo\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"request $i\"}]}"; done
sleep 1

# The id of the largest window whose whole title matches the regex $1 (the tray icon's own
# window is tiny).
window_id() {
  xwininfo -root -tree | grep -E "0x[0-9a-f]+ \"($1)\": \(" |
    awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+/) { split($i, g, /[x+]/);
           if (g[1] * g[2] > best) { best = g[1] * g[2]; id = $1 } } } END { print id }'
}
shoot_window() { # title-part file
  local id=""
  for _ in $(seq 30); do id=$(window_id "$1"); [ -n "$id" ] && break; sleep 0.2; done
  [ -n "$id" ] || { echo "screenshots: no window '$1'" >&2; cat "$TMP/app.log" >&2; exit 1; }
  sleep 0.8
  import -window "$id" "$OUT/$2"
  echo "screenshots: $OUT/$2"
}
show() { "$BIN" --listen "127.0.0.1:$PORT" --show "$1" >>"$TMP/app.log" 2>&1; }

show log
# Window titles in English, German and Chinese (LANGUAGE=de or zh_CN shoots the translations).
shoot_window "(Request Log|Anfrageprotokoll|请求日志).*" log-window.png
for page in providers models server connect welcome; do
  show "settings:$page"
  shoot_window ".*(Settings|Einstellungen|设置)" "settings-$page.png"
done
show usage
shoot_window "(Usage|Nutzung|用量) — llm-gateway" usage-window.png
show tray-menu
sleep 1
# The tray sits at the bottom right; the menu opens above it.
import -window root -crop 400x270+880+530 +repage "$OUT/tray-menu.png"
echo "screenshots: $OUT/tray-menu.png"
for f in "$OUT"/*.png; do
  size=$(stat -c %s "$f")
  [ "$size" -lt 204800 ] || echo "screenshots: $f is $size bytes (keep it under 200 KB)" >&2
done
