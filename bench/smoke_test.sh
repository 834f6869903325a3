#!/usr/bin/env bash
# Smoke test of the benchmark load client (CTest "bench_smoke"): runs each
# subcommand of workbind-bench for about a second at tiny size against a
# fresh workbind and checks that it ran and moved data. Never checks speed.
#   bench/smoke_test.sh WORKBIND_BIN BENCH_CLIENT
set -euo pipefail
BIN=$1 CLIENT=$2
cd "$(dirname "$0")/.."
TMP=$(mktemp -d /tmp/workbind-bench-smoke.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"; }
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

"$CLIENT" fanout --label smoke --port "$PORT" --user alice --password alice-demo-pw \
  --clients 20 --publishers 2 --rates 20 --step-seconds 1 | tee "$TMP/fanout.out"
positive "$(value "$TMP/fanout.out" msgs_per_s)" || { echo "fanout delivered nothing"; exit 1; }

"$CLIENT" rest --port "$PORT" --agents 4 --items 3 --seconds 1 --notify-rate 20 \
  --notify-seconds 1 | tee "$TMP/rest.out"
positive "$(value "$TMP/rest.out" add_pull_ops_per_s)" || { echo "no Add/Pull"; exit 1; }
positive "$(value "$TMP/rest.out" matched)" || { echo "no notification matched"; exit 1; }

"$CLIENT" idle --port "$PORT" --server-pid "$PID" --user alice --password alice-demo-pw \
  --sessions 50 --sources 2 --settle-seconds 0.5 | tee "$TMP/idle.out"
grep -q '^RESULT idle sessions=50 ' "$TMP/idle.out"
echo "bench smoke: ok"
