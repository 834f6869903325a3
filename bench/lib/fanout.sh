# shellcheck shell=bash
# Sourced by bench/run and bench/compare_bayeux: the fan-out workload of
# workbind-bench and readers of its RESULT and STEP lines.

# The rates (published messages/s) each fan-out run steps through; it stops
# at the first step that is not sustained.
FAN_RATES=10,20,50,100,200,400,800,1600,3200,6400
# The 10,000-client mode: finer around 100 published messages/s (about
# 100,000 deliveries/s with 10,000 clients in 10 of 100 rooms each).
# shellcheck disable=SC2034  # used by bench/run
FAN_MANY_RATES=20,50,100,125,150,200,300,400,800

# fan_args CLIENTS STEP_SECONDS [RATES]: the workload's arguments (rooms,
# subscriptions, publishers, batches, message size, rates, step length).
fan_args() {
  echo --clients "$1" --rooms 100 --rooms-per-client 10 --publishers 10 \
    --batch 10 --message-bytes 50 --rates "${3:-$FAN_RATES}" --step-seconds "$2"
}

# fan_result FILE KEY: KEY of the last RESULT line of FILE ("" when none).
fan_result() { sed -n "s/^RESULT .* $2=\([^ ]*\).*/\1/p" "$1" 2>/dev/null | tail -1; }

# fan_step FILE RATE KEY: KEY of the STEP line of FILE at published RATE.
fan_step() { sed -n "s/^STEP .* rate=$2 .* $3=\([^ ]*\).*/\1/p" "$1" 2>/dev/null | tail -1; }

# fan_common_rate FILE_A FILE_B: the highest published rate that both runs
# sustained (0 when none): CPU per message and latency are compared there.
fan_common_rate() {
  local r
  r=$(comm -12 <(sed -n 's/^STEP .* rate=\([0-9]*\) .*sustained=yes.*/\1/p' "$1" 2>/dev/null | sort) \
               <(sed -n 's/^STEP .* rate=\([0-9]*\) .*sustained=yes.*/\1/p' "$2" 2>/dev/null | sort) |
      sort -n | tail -1)
  echo "${r:-0}"
}

# raise_nofile: raises this shell's soft limit of open files to the hard
# limit (servers and clients started from it inherit it) and sets NOFILE.
# Says so when it cannot.
raise_nofile() {
  local hard
  hard=$(ulimit -Hn)
  [ "$hard" = unlimited ] && hard=1048576
  ulimit -n "$hard" 2>/dev/null ||
    echo "bench: cannot raise ulimit -n to the hard limit $hard; it stays $(ulimit -n)"
  NOFILE=$(ulimit -n)
  [ "$NOFILE" = unlimited ] && NOFILE=1048576
  return 0
}

# nofile_room N WHAT: true when N connections (plus a margin) fit in the
# open-files limit on each side; says so when they do not.
nofile_room() {
  if [ $(($1 + 500)) -gt "$NOFILE" ]; then
    echo "bench: ulimit -n is $NOFILE (hard limit $(ulimit -Hn)): $2 need about $(($1 + 500)) open files on each side"
    return 1
  fi
}
