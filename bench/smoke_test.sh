#!/usr/bin/env bash
# Smoke test of the benchmark load client (CTest "bench_smoke"): runs each
# subcommand of workbind-bench (fanout and idle over long-polling and over
# WebSocket) for about a second at tiny size against a fresh workbind, and the version-route phase against the reference nginx
# (bench/nginx), and checks that each ran, moved data and reported the
# server's CPU time and context switches per request. Never checks speed.
# nginx comes from scripts/install-deps --bench (`make test` runs it).
#   bench/smoke_test.sh WORKBIND_BIN BENCH_CLIENT
set -euo pipefail
BIN=$1 CLIENT=$2
cd "$(dirname "$0")/.."
TMP=$(mktemp -d /tmp/workbind-bench-smoke.XXXXXX)
PID=
source bench/nginx/nginx.sh
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; nginx_stop; rm -rf "$TMP"; }
trap cleanup EXIT
node bench/make_provisioning.mjs 4 >"$TMP/provisioning.json"
"$BIN" --config bench/workbind-settings.json --listen 127.0.0.1:0 --data-dir "$TMP/db" \
  --provision "$TMP/provisioning.json" >"$TMP/server.log" 2>&1 &
PID=$!
# Waits for the "listening" line (bounded at 120 s, for a loaded machine), or
# fails at once when the server exits first. The log may not exist yet when
# the first reads run: the shell opens it in the background job.
PORT=
deadline=$((SECONDS + 120))
while [ -z "$PORT" ] && [ $SECONDS -lt $deadline ]; do
  PORT=$(sed -n 's/.*listening on .* (port \([0-9]*\)).*/\1/p' "$TMP/server.log" 2>/dev/null)
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$TMP/server.log"; echo "bench smoke: workbind exited"; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { cat "$TMP/server.log"; echo "bench smoke: workbind did not listen"; exit 1; }
value() { sed -n "s/^RESULT .* $2=\([^ ]*\).*/\1/p" "$1"; }
positive() { awk -v v="$1" 'BEGIN { exit !(v > 0) }'; }
# numeric FILE KEY...: each KEY of the RESULT lines of FILE is a number.
numeric() {
  local file=$1 key v; shift
  for key in "$@"; do
    v=$(value "$file" "$key")
    [[ "$v" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "RESULT field $key is '$v', not a number"; exit 1; }
  done
}

"$CLIENT" fanout --label smoke --port "$PORT" --user alice --password alice-demo-pw \
  --clients 20 --publishers 2 --rates 20 --step-seconds 1 | tee "$TMP/fanout.out"
positive "$(value "$TMP/fanout.out" msgs_per_s)" || { echo "fanout delivered nothing"; exit 1; }

# The same over WebSocket: each client logs in over REST, upgrades with its
# session cookie and handshakes, subscribes, connects and publishes on the
# socket; events arrive in frames.
"$CLIENT" fanout --label smoke-ws --transport websocket --port "$PORT" --user alice \
  --password alice-demo-pw --clients 10 --publishers 2 --rates 20 --step-seconds 1 \
  --server-pid "$PID" | tee "$TMP/fanout-ws.out"
grep -q '^RESULT fanout-smoke-ws .* transport=websocket ' "$TMP/fanout-ws.out" ||
  { echo "no WebSocket fanout RESULT"; exit 1; }
positive "$(value "$TMP/fanout-ws.out" msgs_per_s)" || { echo "WebSocket fanout delivered nothing"; exit 1; }
numeric "$TMP/fanout-ws.out" server_cpu_us_per_msg server_rss_kib server_hwm_kib

"$CLIENT" rest --port "$PORT" --agents 4 --items 3 --seconds 1 --notify-rate 20 \
  --notify-seconds 1 --server-pid "$PID" | tee "$TMP/rest.out"
positive "$(value "$TMP/rest.out" add_pull_ops_per_s)" || { echo "no Add/Pull"; exit 1; }
positive "$(value "$TMP/rest.out" content_ops_per_s)" || { echo "no GetWorkbinContent"; exit 1; }
positive "$(value "$TMP/rest.out" ceiling_ops_per_s)" || { echo "no version request"; exit 1; }
positive "$(value "$TMP/rest.out" matched)" || { echo "no notification matched"; exit 1; }
numeric "$TMP/rest.out" ops_per_s skipped
for phase in add_pull content version notify; do
  numeric "$TMP/rest.out" "${phase}_cpu_us_per_req" "${phase}_ctxsw_per_req"
done
# The server did work in the Add/Pull phase, and it was seen.
positive "$(value "$TMP/rest.out" add_pull_cpu_us_per_req)" || { echo "no server CPU seen"; exit 1; }
positive "$(value "$TMP/rest.out" add_pull_ctxsw_per_req)" || { echo "no context switch seen"; exit 1; }

# The reference server: nginx started, driven and stopped as bench/run does.
nginx_start "$TMP/nginx"
NGINX_MASTER=$NGINX_PID
"$CLIENT" rest --only-version --label nginx --port "$NGINX_PORT" --agents 4 --seconds 1 \
  --server-pid "$NGINX_PID" | tee "$TMP/nginx.out"
positive "$(value "$TMP/nginx.out" nginx_ops_per_s)" || { echo "nginx answered nothing"; exit 1; }
numeric "$TMP/nginx.out" nginx_cpu_us_per_req nginx_ctxsw_per_req nginx_failed
positive "$(value "$TMP/nginx.out" nginx_cpu_us_per_req)" || { echo "no nginx CPU seen"; exit 1; }
[ -s "$TMP/nginx/logs/access.log" ] || { echo "nginx logged no request"; exit 1; }
nginx_stop
! kill -0 "$NGINX_MASTER" 2>/dev/null || { echo "nginx still runs"; exit 1; }

"$CLIENT" idle --port "$PORT" --server-pid "$PID" --user alice --password alice-demo-pw \
  --sessions 50 --sources 2 --settle-seconds 0.5 | tee "$TMP/idle.out"
grep -q '^RESULT idle sessions=50 ' "$TMP/idle.out"
"$CLIENT" idle --transport websocket --port "$PORT" --server-pid "$PID" --user alice \
  --password alice-demo-pw --sessions 20 --sources 2 --settle-seconds 0.5 | tee "$TMP/idle-ws.out"
grep -q '^RESULT idle sessions=20 .* transport=websocket' "$TMP/idle-ws.out" ||
  { echo "no idle WebSocket RESULT"; exit 1; }
echo "bench smoke: ok"
