# nginx as the reference HTTP server of the benchmarks (sourced by bench/run
# and bench/smoke_test.sh from the repository root). scripts/install-deps
# --bench installs it (Debian package nginx-light).
#
# nginx_start DIR: writes DIR/nginx.conf from bench/nginx/nginx.conf.in on a
# free 127.0.0.1 port and starts nginx in the foreground as a background
# job of the caller; returns once it answers the version route, and sets
# NGINX_PID (the master; its workers are its children) and NGINX_PORT.
# Run as root, its workers run as the default unprivileged user (they read
# no file: the reply is in the configuration, the logs are opened by the
# master). Fails when nginx is missing or does not come up in 60 s.
# nginx_stop: stops it by its pid and waits for it (and its workers) to end.

nginx_start() {
  local dir=$1 bin attempt deadline
  bin=$(command -v nginx || echo /usr/sbin/nginx)
  if [ ! -x "$bin" ]; then
    echo "nginx is missing: scripts/install-deps --bench installs it" >&2
    return 1
  fi
  mkdir -p "$dir/logs" "$dir/temp"
  dir=$(cd "$dir" && pwd)
  for attempt in 1 2 3 4 5; do
    # A port free now; another process may take it before nginx binds it,
    # then nginx exits and the next attempt takes another.
    NGINX_PORT=$(node -e 'const s = require("net").createServer();
      s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$NGINX_PORT|g" bench/nginx/nginx.conf.in >"$dir/nginx.conf"
    rm -f "$dir/nginx.pid"
    "$bin" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/logs/error.log" >>"$dir/logs/stderr.log" 2>&1 &
    NGINX_PID=$!
    deadline=$((SECONDS + 60))
    while [ $SECONDS -lt $deadline ] && kill -0 "$NGINX_PID" 2>/dev/null; do
      # The pid file is written once the port is bound.
      if [ "$(cat "$dir/nginx.pid" 2>/dev/null)" = "$NGINX_PID" ] &&
         curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:$NGINX_PORT/api/v2/diagnostics/version"; then
        return 0
      fi
      sleep 0.1
    done
    kill "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    if [ $SECONDS -ge $deadline ]; then break; fi
  done
  cat "$dir/logs/error.log" "$dir/logs/stderr.log" >&2 2>/dev/null || true
  echo "nginx did not start" >&2
  NGINX_PID=
  return 1
}

nginx_stop() {
  [ -n "${NGINX_PID:-}" ] || return 0
  kill "$NGINX_PID" 2>/dev/null || true  # SIGTERM: the master stops its workers first
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=
}
