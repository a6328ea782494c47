#!/usr/bin/env bash
# The first run on a real desktop: Xvfb with a real system tray (trayer), a fresh HOME.
#  1. The real app, started with no config, shows its tray icon (no stand-in status window) and
#     opens the settings window on the welcome by itself.
#  2. Started again with a provider configured, it does not.
#  3. tst_firstrun walks the welcome to a streamed answer on this display (xcb, tray present).
# Usage: firstrun-xvfb.sh BUILD_DIR. Exits 77 (skipped) without Xvfb or trayer.
set -euo pipefail
BUILD="$(cd "${1:?build dir}" && pwd)"
BIN="$BUILD/app/llm-gateway"
for tool in Xvfb trayer xwininfo curl; do
  command -v "$tool" >/dev/null || { echo "firstrun-xvfb: no $tool, skipped"; exit 77; }
done

TMP="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "firstrun-xvfb: FAIL: $*" >&2; cat "$TMP"/app*.log >&2 2>/dev/null || true; exit 1; }

n=110
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$TMP/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$n"
for _ in $(seq 50); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
trayer --edge bottom --align right --widthtype request --height 30 --heighttype pixel \
  --SetDockType true --transparent false >"$TMP/trayer.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do xwininfo -root -tree | grep -q '"panel"' && break; sleep 0.1; done

export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
export XDG_RUNTIME_DIR="$TMP/run" QT_QPA_PLATFORM=xcb
unset OLLAMA_HOST LLM_GATEWAY_TOKEN LLM_GATEWAY_CONFIG QT_STYLE_OVERRIDE
mkdir -p "$HOME" && mkdir -m 700 "$XDG_RUNTIME_DIR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

has_window() { xwininfo -root -tree | grep -qE "0x[0-9a-f]+ \"$1\": \\("; }
# The stand-in window (no tray) is titled "llm-gateway" and wide; the tray icon has that title
# too but sits inside trayer's panel, icon-sized.
status_window() {
  xwininfo -root -tree | grep -E '0x[0-9a-f]+ "llm-gateway": \(' |
    grep -qE ' (1[0-9]{2}|[2-9][0-9]{2}|[0-9]{4})x[0-9]+\+'
}
tray_icon() { xwininfo -root -tree | grep -A8 '"panel"' | grep -q '"llm-gateway"'; }
wait_up() {
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/version" >/dev/null && return 0; sleep 0.1; done
  fail "the gateway did not answer on $PORT"
}

# 1. A fresh HOME: no config file at all.
"$BIN" --listen "127.0.0.1:$PORT" >"$TMP/app1.log" 2>&1 &
app=$!
pids+=($app)
wait_up
for _ in $(seq 100); do has_window "llm-gateway Settings" && break; sleep 0.1; done
has_window "llm-gateway Settings" || fail "the settings window did not open on a first run"
for _ in $(seq 100); do tray_icon && break; sleep 0.1; done
tray_icon || fail "no llm-gateway icon in the tray"
status_window && fail "the stand-in status window is shown: no tray icon"
grep -q "cannot" "$TMP/app1.log" && fail "the app reported a problem"
kill "$app"
wait "$app" || true
echo "firstrun-xvfb: a fresh HOME opens on the welcome, with a tray icon"

# 2. A provider configured (and the welcome never dismissed): not offered.
rm -rf "$XDG_CONFIG_HOME"
mkdir -p "$XDG_CONFIG_HOME/llm-gateway"
cat >"$XDG_CONFIG_HOME/llm-gateway/config.json" <<JSON
{ "version": 1, "providers": [ {"name": "groq", "type": "openai", "base_url": "http://127.0.0.1:9/v1"} ] }
JSON
"$BIN" --listen "127.0.0.1:$PORT" >"$TMP/app2.log" 2>&1 &
app=$!
pids+=($app)
wait_up
# A later request to show the log is handled after the config's answer reached the window.
"$BIN" --listen "127.0.0.1:$PORT" --show log >>"$TMP/app2.log" 2>&1
for _ in $(seq 100); do has_window "Request Log — llm-gateway" && break; sleep 0.1; done
has_window "Request Log — llm-gateway" || fail "the log window did not open"
has_window "llm-gateway Settings" && fail "the welcome opened although a provider exists"
kill "$app"
wait "$app" || true
echo "firstrun-xvfb: with a provider the welcome stays closed"

# 3. The walk, on this display with a tray.
"$BUILD/tests/ui/tst_firstrun" || fail "tst_firstrun on Xvfb"
echo "firstrun-xvfb: ok"
