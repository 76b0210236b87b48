#!/usr/bin/env bash
# Usage: watchdog.sh SECONDS COMMAND [ARGS...]
#
# Runs COMMAND with a time limit. Past it, prints every thread's stack of each process
# COMMAND started (with gdb, when it is installed), stops them all and exits 124. A test
# that hangs then fails CI within minutes and says where it hung, instead of using up
# CI's 90 minutes in silence (which happened once, in a test binary, with nothing to go on).
set -uo pipefail
limit=$1
shift

descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1"); do
    echo "$child"
    descendants "$child"
  done
}

fired="$(mktemp)"
"$@" &
pid=$!
(
  for ((i = 0; i < limit; i++)); do
    kill -0 "$pid" 2>/dev/null || exit 0
    sleep 1
  done
  echo fired >"$fired"
  echo "watchdog: '$*' is still running after ${limit}s; the stacks of its processes follow" >&2
  procs="$pid $(descendants "$pid")"
  for p in $procs; do
    [ -r "/proc/$p/cmdline" ] || continue
    echo "--- process $p: $(tr '\0' ' ' <"/proc/$p/cmdline")" >&2
    if command -v gdb >/dev/null; then
      gdb -p "$p" -batch -ex 'thread apply all bt' 2>&1 | grep -v '^\[New LWP' >&2
    fi
  done
  # Children first, so that cargo reports the test binary's death rather than its own.
  for p in $(echo "$procs" | tr ' ' '\n' | tac); do kill -KILL "$p" 2>/dev/null; done
) &
dog=$!
wait "$pid"
rc=$?
wait "$dog" 2>/dev/null
if [ -s "$fired" ]; then
  rc=124
fi
rm -f "$fired"
exit "$rc"
