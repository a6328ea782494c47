#!/usr/bin/env bash
# The performance benchmark (README "Performance"): one command; after the build, about a minute.
#
#   tests/bench/run.sh            build Release in build-bench/, measure, print the table
#   tests/bench/run.sh --smoke    a few seconds, tiny loads: proves the bench still works
#                                 (exit status 1 if any request failed)
#
# LLMGW_BENCH_BUILD_DIR=DIR uses an existing build directory as it is configured (scripts/test.sh
# passes its own) instead of configuring build-bench/.
#
# Everything runs on loopback against tests/bench/fakeupstream.cpp, a zero-delay OpenAI
# upstream. "direct" is the same request sent straight to the fake; "added" is gateway minus
# direct. Machines are noisy: read the ratios as much as the absolute times.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/../../scripts/common.sh"

SMOKE=0
[ "${1:-}" = --smoke ] && SMOKE=1

"$ROOT/scripts/setup.sh" bench

if [ -n "${LLMGW_BENCH_BUILD_DIR:-}" ]; then
  BUILD="$LLMGW_BENCH_BUILD_DIR"
  cmake --build "$BUILD" --target llm-gateway llmgw_fakeupstream llmgw_benchclient >/dev/null
else
  BUILD="$ROOT/build-bench"
  build_project "$BUILD" -DCMAKE_BUILD_TYPE=Release -DLLMGW_BUILD_TESTS=OFF -DLLMGW_BUILD_BENCH=ON \
    >/dev/null
fi
GW="$BUILD/app/llm-gateway"
FAKE="$BUILD/tests/bench/llmgw_fakeupstream"
CLIENT="$BUILD/tests/bench/llmgw_benchclient"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ $SMOKE = 1 ]; then
  DUR=1; WARM=1; CONNS=(4); CHUNKS=20; STREAMS=3; MANY=50; STARTUPS=1
else
  DUR=4; WARM=1; CONNS=(1 16 64); CHUNKS=500; STREAMS=4; MANY=500; STARTUPS=7
fi
FAILED=0

# key=value lookup in a result line.
kv() { sed -n "s/.*\\b$2=\\([^ ]*\\).*/\\1/p" <<<"$1"; }
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status"; }
free_port() { "$CLIENT" free-port; }

# The fake upstream.
"$FAKE" --port 0 >"$WORK/fake.out" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/fake.out" ] && break; sleep 0.05; done
FAKE_PORT="$(awk '{ print $2 }' "$WORK/fake.out")"

# The same fake over TLS (a CA and a certificate for 127.0.0.1 made here), for the TLS row.
ssl() { openssl "$@" >/dev/null 2>&1; }
ssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/ca.key" \
  -out "$WORK/ca.crt" -days 2 -subj "/CN=llmgw bench CA" -addext basicConstraints=critical,CA:TRUE
ssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$WORK/tls.key" \
  -out "$WORK/tls.csr" -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1\n' >"$WORK/tls.ext"
ssl x509 -req -in "$WORK/tls.csr" -CA "$WORK/ca.crt" -CAkey "$WORK/ca.key" -CAcreateserial \
  -out "$WORK/tls.crt" -days 2 -extfile "$WORK/tls.ext"
"$FAKE" --port 0 --tls "$WORK/tls.crt" "$WORK/tls.key" >"$WORK/fake-tls.out" &
PIDS+=($!)
for _ in $(seq 100); do [ -s "$WORK/fake-tls.out" ] && break; sleep 0.05; done
TLS_PORT="$(awk '{ print $2 }' "$WORK/fake-tls.out")"

cat >"$WORK/config.json" <<EOF
{ "version": 1,
  "providers": [ {"name": "openai", "type": "openai", "base_url": "http://127.0.0.1:$FAKE_PORT/v1"},
                 {"name": "secure", "type": "openai", "base_url": "https://127.0.0.1:$TLS_PORT/v1",
                  "options": {"requires_key": false, "tls": {"ca_file": "$WORK/ca.crt"}}} ],
  "models": [ {"name": "bench", "provider": "openai", "model": "c1"},
              {"name": "bench-tls", "provider": "secure", "model": "c1"} ],
  "server": { "max_requests_per_client": 4096 } }
EOF
export OPENAI_API_KEY=bench
unset OLLAMA_HOST LLM_GATEWAY_CONFIG

GW_PORT="$(free_port)"
start_serve() {
  "$GW" serve "127.0.0.1:$GW_PORT" --config "$WORK/config.json" 2>"$WORK/serve.log" &
  SERVE_PID=$!
  PIDS+=($SERVE_PID)
  "$CLIENT" wait-port --port "$GW_PORT" --timeout-ms 10000 ||
    { echo "bench: serve did not start:" >&2; cat "$WORK/serve.log" >&2; exit 1; }
}
start_serve
sleep 0.5
IDLE_RSS="$(rss_kb "$SERVE_PID")"

# --- Non-streaming latency and throughput (wrk).
SMALL='"messages":[{"role":"user","content":"Say hello."}],"stream":false'
BODY_DIRECT="{\"model\":\"c1\",$SMALL}"
BODY_GW="{\"model\":\"bench\",$SMALL}"
wrk_run() { # conns url body → result line
  local c=$1 url=$2 body=$3 d=${4:-$DUR} t=2
  [ "$c" -lt 2 ] && t=1
  WRK_BODY="$body" wrk -t"$t" -c"$c" -d"${d}s" --timeout 5s -s "$HERE/post.lua" "$url" |
    grep '^wrk_result' || echo "wrk_result p50=0 p99=0 rps=0 requests=0 errors=1"
}
declare -A R
for c in "${CONNS[@]}"; do
  wrk_run "$c" "http://127.0.0.1:$GW_PORT/api/chat" "$BODY_GW" "$WARM" >/dev/null # warm-up
  R[direct,$c]="$(wrk_run "$c" "http://127.0.0.1:$FAKE_PORT/v1/chat/completions" "$BODY_DIRECT")"
  R[ollama,$c]="$(wrk_run "$c" "http://127.0.0.1:$GW_PORT/api/chat" "$BODY_GW")"
  R[openai,$c]="$(wrk_run "$c" "http://127.0.0.1:$GW_PORT/v1/chat/completions" "$BODY_GW")"
done

# --- TLS to the upstream: the same request to the HTTPS fake (the gateway verifies it against
# the bench CA); connections are kept, so handshakes are counted against requests.
BODY_TLS="{\"model\":\"bench-tls\",$SMALL}"
for c in "${CONNS[@]}"; do
  wrk_run "$c" "http://127.0.0.1:$GW_PORT/api/chat" "$BODY_TLS" "$WARM" >/dev/null # warm-up
  R[tls,$c]="$(wrk_run "$c" "http://127.0.0.1:$GW_PORT/api/chat" "$BODY_TLS")"
done
TLS_STATS="$(curl -sk "https://127.0.0.1:$TLS_PORT/stats")"
TLS_REQUESTS="$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$TLS_STATS")"
TLS_CONNECTIONS="$(sed -n 's/.*"connections":\([0-9]*\).*/\1/p' <<<"$TLS_STATS")"

# --- Streaming: time to first chunk and per-chunk latency, paced one chunk per millisecond.
SMODEL="c${CHUNKS}i1000"
stream_run() { # port path model
  "$CLIENT" stream --port "$1" --path "$2" --expect "$CHUNKS" --repeat "$STREAMS" --warmup 1 \
    --body "{\"model\":\"$3\",\"messages\":[{\"role\":\"user\",\"content\":\"Count.\"}],\"stream\":true}" || true
}
S_DIRECT="$(stream_run "$FAKE_PORT" /v1/chat/completions "$SMODEL")"
S_OPENAI="$(stream_run "$GW_PORT" /v1/chat/completions "openai/$SMODEL")"
S_OLLAMA="$(stream_run "$GW_PORT" /api/chat "openai/$SMODEL")"

# --- Concurrency: MANY streams at once through one provider host. The fake holds each stream
# after its first chunk until all MANY are open at once (b<N>), then sends 20 chunks 50 ms apart.
curl -s -X POST "http://127.0.0.1:$FAKE_PORT/reset" >/dev/null
BEFORE_RSS="$(rss_kb "$SERVE_PID")"
echo 5 >"/proc/$SERVE_PID/clear_refs" 2>/dev/null || true # resets VmHWM to the current RSS
M="$("$CLIENT" stream --port "$GW_PORT" --path /v1/chat/completions --conns "$MANY" --expect 20 \
  --body "{\"model\":\"openai/c20i50000b$MANY\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi.\"}],\"stream\":true}")" || true
PEAK_RSS="$(hwm_kb "$SERVE_PID")"
FAKE_PEAK="$(curl -s "http://127.0.0.1:$FAKE_PORT/stats" | sed -n 's/.*"peak_streams":\([0-9]*\).*/\1/p')"

kill -TERM "$SERVE_PID" || true
wait "$SERVE_PID" 2>/dev/null || true

# --- Start-up: launch → port accepting, median of STARTUPS runs.
SPORT="$(free_port)"
STARTUP="$("$CLIENT" startup --port "$SPORT" --runs "$STARTUPS" -- \
  "$GW" serve "127.0.0.1:$SPORT" --config "$WORK/config.json")" || FAILED=1

# --- Tray app idle (offscreen platform; no display needed).
TPORT="$(free_port)"
QT_QPA_PLATFORM=offscreen "$GW" --listen "127.0.0.1:$TPORT" --config "$WORK/config.json" \
  2>"$WORK/tray.log" &
TRAY_PID=$!
PIDS+=($TRAY_PID)
TRAY_RSS=0
if "$CLIENT" wait-port --port "$TPORT" --timeout-ms 10000; then
  sleep 1
  TRAY_RSS="$(rss_kb "$TRAY_PID")"
else
  echo "bench: the tray app did not listen" >&2; FAILED=1
fi
kill -TERM "$TRAY_PID" 2>/dev/null || true
wait "$TRAY_PID" 2>/dev/null || true

# --- The table.
ms() { calc "($1) / 1000" "${2:-3}"; }
echo
echo "llm-gateway benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)$([ $SMOKE = 1 ] && echo ' (SMOKE: tiny loads, figures meaningless)')"
echo
echo "Non-streaming chat, small body (wrk, ${DUR} s per row; added = gateway − direct)"
printf '%-6s %-26s %9s %9s %9s %10s %10s %8s\n' conns path "p50 ms" "p99 ms" "req/s" "added p50" "added p99" "thru"
for c in "${CONNS[@]}"; do
  d="${R[direct,$c]}"
  printf '%-6s %-26s %9s %9s %9s\n' "$c" "direct (fake)" "$(ms "$(kv "$d" p50)")" "$(ms "$(kv "$d" p99)")" "$(kv "$d" rps | cut -d. -f1)"
  for k in ollama openai; do
    g="${R[$k,$c]}"
    name=$([ $k = ollama ] && echo "gateway /api/chat" || echo "gateway /v1/chat/compl.")
    [ "$(kv "$g" errors)" != 0 ] && { name="$name ERR$(kv "$g" errors)"; FAILED=1; }
    printf '%-6s %-26s %9s %9s %9s %10s %10s %7s%%\n' "$c" "$name" "$(ms "$(kv "$g" p50)")" "$(ms "$(kv "$g" p99)")" \
      "$(kv "$g" rps | cut -d. -f1)" "$(ms "$(kv "$g" p50) - $(kv "$d" p50)")" "$(ms "$(kv "$g" p99) - $(kv "$d" p99)")" \
      "$(calc "100 * $(kv "$g" rps) / ($(kv "$d" rps) + 0.001)" 0)"
  done
done
echo
echo "TLS to the upstream (/api/chat; added = TLS − plain upstream, same load)"
printf '%-6s %-26s %9s %9s %9s %10s %10s\n' conns path "p50 ms" "p99 ms" "req/s" "added p50" "added p99"
for c in "${CONNS[@]}"; do
  g="${R[tls,$c]}"; p="${R[ollama,$c]}"
  name="gateway, upstream TLS"
  [ "$(kv "$g" errors)" != 0 ] && { name="$name ERR$(kv "$g" errors)"; FAILED=1; }
  printf '%-6s %-26s %9s %9s %9s %10s %10s\n' "$c" "$name" "$(ms "$(kv "$g" p50)")" "$(ms "$(kv "$g" p99)")" \
    "$(kv "$g" rps | cut -d. -f1)" "$(ms "$(kv "$g" p50) - $(kv "$p" p50)")" "$(ms "$(kv "$g" p99) - $(kv "$p" p99)")"
done
echo "  upstream TLS connections: ${TLS_CONNECTIONS:-?} for ${TLS_REQUESTS:-?} requests (kept alive and reused)"
[ -n "${TLS_REQUESTS:-}" ] && [ "${TLS_REQUESTS:-0}" -gt 0 ] || FAILED=1
echo
echo "Streaming: $CHUNKS chunks 1 ms apart, $STREAMS streams after 1 warm-up (ms; added = gateway − direct)"
printf '%-26s %10s %10s %10s %10s %8s\n' path "TTFT p50" "TTFT p99" "chunk p50" "chunk p99" errors
for k in DIRECT OPENAI OLLAMA; do
  v="S_$k"; line="${!v}"
  [ "$(kv "$line" ok)" = "$STREAMS" ] || FAILED=1
  name=$(case $k in DIRECT) echo "direct (fake)";; OPENAI) echo "gateway /v1/chat/compl.";; OLLAMA) echo "gateway /api/chat";; esac)
  printf '%-26s %10s %10s %10s %10s %8s\n' "$name" "$(ms "$(kv "$line" ttft_p50)")" "$(ms "$(kv "$line" ttft_p99)")" \
    "$(ms "$(kv "$line" chunk_p50)")" "$(ms "$(kv "$line" chunk_p99)")" "$(kv "$line" errors)"
done
for k in OPENAI OLLAMA; do
  v="S_$k"; line="${!v}"
  printf '%-26s %10s %10s %10s %10s\n' "added $([ $k = OPENAI ] && echo /v1 || echo /api/chat)" \
    "$(ms "$(kv "$line" ttft_p50) - $(kv "$S_DIRECT" ttft_p50)")" "$(ms "$(kv "$line" ttft_p99) - $(kv "$S_DIRECT" ttft_p99)")" \
    "$(ms "$(kv "$line" chunk_p50) - $(kv "$S_DIRECT" chunk_p50)")" "$(ms "$(kv "$line" chunk_p99) - $(kv "$S_DIRECT" chunk_p99)")"
done
echo
PER_STREAM="$(calc "($PEAK_RSS - $BEFORE_RSS) / $MANY" 1)"
[ "$(kv "$M" ok)" = "$MANY" ] && [ "${FAKE_PEAK:-0}" = "$MANY" ] || FAILED=1
echo "Concurrency: $MANY streams at once through one provider host (/v1, 20 chunks each)"
echo "  peak open at the fake: ${FAKE_PEAK:-?} of $MANY; ok $(kv "$M" ok), errors $(kv "$M" errors), $(kv "$M" seconds) s"
echo
echo "Memory (RSS)"
echo "  serve idle:                 $(calc "$IDLE_RSS / 1024" 1) MB"
echo "  serve peak, $MANY streams:   $(calc "$PEAK_RSS / 1024" 1) MB  (+$(calc "($PEAK_RSS - $BEFORE_RSS) / 1024" 1) MB over $(calc "$BEFORE_RSS / 1024" 1) MB before: $PER_STREAM KB per stream)"
echo "  tray app idle (offscreen):  $(calc "$TRAY_RSS / 1024" 1) MB"
echo
echo "Start-up (serve: launch → port accepting): median $(kv "$STARTUP" startup_ms_median) ms (runs: $(kv "$STARTUP" runs))"

if [ $SMOKE = 1 ]; then
  [ $FAILED = 0 ] && echo "bench smoke: every request answered" && exit 0
  echo "bench smoke: some requests failed (see above)" >&2
  exit 1
fi

# --- Targets (2-core machine).
c16="${CONNS[1]:-${CONNS[0]}}"; c64="${CONNS[2]:-${CONNS[0]}}"
verdict() { if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi; }
echo
echo "Targets"
for k in ollama openai; do
  g="${R[$k,$c16]}"; d="${R[direct,$c16]}"
  a50="$(ms "$(kv "$g" p50) - $(kv "$d" p50)")"; a99="$(ms "$(kv "$g" p99) - $(kv "$d" p99)")"
  echo "  $(verdict "$a50 <= 0.3") added p50 ≤ 0.3 ms at $c16 conns ($k): $a50 ms"
  echo "  $(verdict "$a99 <= 2") added p99 ≤ 2 ms at $c16 conns ($k): $a99 ms"
  thr="$(calc "100 * $(kv "${R[$k,$c64]}" rps) / ($(kv "${R[direct,$c64]}" rps) + 0.001)" 0)"
  echo "  $(verdict "$thr >= 50") throughput ≥ 50 % of direct at $c64 conns ($k): $thr %"
done
for k in OPENAI OLLAMA; do
  v="S_$k"; a="$(ms "$(kv "${!v}" chunk_p99) - $(kv "$S_DIRECT" chunk_p99)")"
  echo "  $(verdict "$a <= 1") added per-chunk p99 ≤ 1 ms ($k): $a ms"
done
echo "  $(verdict "${FAKE_PEAK:-0} == $MANY && $(kv "$M" errors) == 0 && $(kv "$M" ok) == $MANY") $MANY streams all in flight, zero errors"
echo "  $(verdict "$IDLE_RSS <= 25600") serve idle RSS ≤ 25 MB: $(calc "$IDLE_RSS / 1024" 1) MB"
echo "  $(verdict "$TRAY_RSS > 0 && $TRAY_RSS <= 61440") tray idle RSS ≤ 60 MB: $(calc "$TRAY_RSS / 1024" 1) MB"
echo "  $(verdict "$PER_STREAM <= 100") ≤ 100 KB per open stream: $PER_STREAM KB"
echo "  $(verdict "$(kv "$STARTUP" startup_ms_median) <= 150") start-up ≤ 150 ms: $(kv "$STARTUP" startup_ms_median) ms"

if [ $FAILED = 1 ]; then
  echo "bench: some requests failed (see above)" >&2
  exit 1
fi
