#!/usr/bin/env bash
# Usage: with_test_postgres.sh COMMAND [ARGS...]
#
# Starts a private PostgreSQL 15 server for tests, runs COMMAND with
# WORKBIND_TEST_PG_DSN naming that server, stops the server and exits with
# COMMAND's status. The server lives in a fresh temporary folder (initdb as
# user postgres when run as root), listens on 127.0.0.1 on a free port and on
# its own unix-socket folder, and is stopped by its own pid. Nothing else on
# the machine is touched: no system cluster, no service manager.
#
# WB_PG_DURABLE=1 keeps PostgreSQL's durable defaults (fsync, synchronous
# commit) for benchmarks; tests run without them.
#
# When PostgreSQL is not installed or does not start, this fails (exit 1)
# with the reason: PostgreSQL tests are never skipped.
set -uo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

fail() {
  echo "with_test_postgres: FAILED: $*" >&2
  exit 1
}

[ $# -ge 1 ] || fail "no command given"
for tool in initdb pg_ctl postgres; do
  [ -x "$PG_BIN/$tool" ] || fail "$PG_BIN/$tool not found; install postgresql-15 (scripts/install-deps)"
done

# As root, the server runs as user postgres (initdb refuses root).
as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || fail "user postgres does not exist"
  as_server_user=(runuser -u postgres --)
fi

root=$(mktemp -d "${TMPDIR:-/tmp}/wb-pg.XXXXXX") || fail "cannot create a temporary folder"
mkdir -p "$root/sock"
if [ ${#as_server_user[@]} -gt 0 ]; then chown -R postgres: "$root"; fi
chmod 700 "$root"
pid=""

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -INT "$pid" 2>/dev/null  # fast shutdown
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  fi
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

"${as_server_user[@]}" "$PG_BIN/initdb" -D "$root/data" -U postgres --auth=trust \
  -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 ||
  { cat "$root/initdb.log" >&2; fail "initdb failed"; }

cat >>"$root/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$root/sock'
max_connections = 300
shared_buffers = 32MB
log_min_messages = warning
CONF
# The database is thrown away after the run: durability is not under test,
# unless WB_PG_DURABLE=1 (benchmarks compare durable commits).
if [ "${WB_PG_DURABLE:-0}" != 1 ]; then
  printf 'fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n' >>"$root/data/postgresql.conf"
fi

started=""
for attempt in 1 2 3; do
  port=$(free_port)
  if "${as_server_user[@]}" "$PG_BIN/pg_ctl" -D "$root/data" -l "$root/server.log" \
      -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
    started=yes
    break
  fi
  echo "with_test_postgres: start on port $port failed (attempt $attempt)" >&2
done
[ -n "$started" ] || { cat "$root/server.log" >&2 2>/dev/null; fail "PostgreSQL did not start"; }
pid=$(head -1 "$root/data/postmaster.pid") || fail "no postmaster.pid"
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || fail "PostgreSQL is not running"

export WORKBIND_TEST_PG_DSN="host=$root/sock port=$port user=postgres dbname=postgres"
export WORKBIND_TEST_PG_BIN="$PG_BIN"
echo "with_test_postgres: PostgreSQL pid $pid on 127.0.0.1:$port, socket folder $root/sock"

"$@"
rc=$?
if [ $rc -ne 0 ] && [ -f "$root/server.log" ]; then
  echo "with_test_postgres: server log (last 30 lines):" >&2
  tail -30 "$root/server.log" >&2
fi
exit $rc
