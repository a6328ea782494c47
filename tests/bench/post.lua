-- wrk script: POST the JSON body in $WRK_BODY (with the extra headers in $WRK_HEADERS, one
-- "Name: value" a line), then print one machine-readable summary line (latencies in
-- microseconds) for tests/bench/run.sh.
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench"
for line in string.gmatch(os.getenv("WRK_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk_result p50=%.1f p99=%.1f rps=%.1f requests=%d errors=%d\n",
    latency:percentile(50), latency:percentile(99),
    summary.requests / (summary.duration / 1e6), summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout))
end
