# shellcheck shell=bash
# Sourced by bench/compare_rest and bench/allocators: runs of one workbind
# binary with the REST phases of workbind-bench against it, each on a fresh
# data folder with the bench settings and provisioning.
# Before sourcing: AGENTS, SECONDS_EACH, NOTIFY_RATE (0: no notify phase);
# the working directory is the source tree. Environment: BUILD_DIR (default
# build), BENCH_CLIENT. Sets TMP (removed on exit) and CLIENT.
CLIENT=${BENCH_CLIENT:-${BUILD_DIR:-build}/bench/workbind-bench}
TMP=$(mktemp -d /tmp/workbind-rest.XXXXXX)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
node bench/make_provisioning.mjs "$AGENTS" >"$TMP/provisioning.json"

# rest_run LABEL ROUND BIN [VAR=VALUE ...]: starts BIN with the environment
# assignments, runs the REST phases against it and prints the client's
# RESULT lines as "RESULT LABEL round=ROUND ...", then
# "RESULT LABEL round=ROUND server peak_rss_kib=N allocator=A" (VmHWM after
# the phases; A: the malloc libraries mapped into it, or glibc);
# stops BIN by its pid. The server's log stays in $TMP/LABEL-ROUND.log.
rest_run() {
  local label=$1 round=$2 bin=$3; shift 3
  local log="$TMP/$label-$round.log"
  : >"$log"  # exists before the loop below reads it
  env "$@" "$bin" --config bench/workbind-settings.json --listen 127.0.0.1:0 \
    --data-dir "$TMP/$label-$round-db" --provision "$TMP/provisioning.json" >"$log" 2>&1 &
  PID=$!
  local port='' deadline=$((SECONDS + 120))
  while [ -z "$port" ] && [ $SECONDS -lt $deadline ]; do
    port=$(sed -n 's/.*listening on .* (port \([0-9]*\)).*/\1/p' "$log" 2>/dev/null | head -1)
    kill -0 "$PID" 2>/dev/null || { cat "$log" >&2; exit 1; }
    [ -n "$port" ] || sleep 0.1
  done
  [ -n "$port" ] || { echo "$label did not listen within 120 s" >&2; cat "$log" >&2; exit 1; }
  "$CLIENT" rest --port "$port" --agents "$AGENTS" --items 20 --seconds "$SECONDS_EACH" \
    --notify-rate "$NOTIFY_RATE" --notify-seconds "$SECONDS_EACH" --server-pid "$PID" |
    grep '^RESULT' | sed "s/^RESULT /RESULT $label round=$round /"
  local rss allocator
  rss=$(awk '/^VmHWM:/ {print $2}' "/proc/$PID/status")
  allocator=$(grep -oE 'lib(mi|je|tc)malloc[^/ ]*\.so' "/proc/$PID/maps" | sort -u | paste -sd, - || true)
  echo "RESULT $label round=$round server peak_rss_kib=$rss allocator=${allocator:-glibc}"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
