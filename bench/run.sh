#!/usr/bin/env bash
# npm run bench — see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# Priority: on a shared machine other work steals the two cores. Linux
# schedules sessions ("autogroups") fairly against each other, so a nice value
# alone does nothing against other sessions: the bench runs in a session of
# its own whose autogroup gets BENCH_NICE (default -10; 0 turns this off).
# Servers and generator inherit it, so both servers get the same treatment.
nice_level="${BENCH_NICE:--10}"
if [ "${BENCH_SESSION:-}" != 1 ] && [ "$nice_level" != 0 ] && command -v setsid >/dev/null; then
  BENCH_SESSION=1 setsid bash "$0" "$@" &
  inner=$!
  # The new session is not the terminal's foreground group: pass Ctrl-C on to it.
  trap 'kill -INT -- "-$inner" 2>/dev/null || true' INT TERM
  status=0
  wait "$inner" || status=$?
  # A trapped signal interrupts `wait`; wait again for the real exit status.
  while kill -0 "$inner" 2>/dev/null; do
    status=0
    wait "$inner" || status=$?
  done
  exit "$status"
fi
if [ "${BENCH_SESSION:-}" = 1 ]; then
  if echo "$nice_level" 2>/dev/null >/proc/self/autogroup; then
    export BENCH_NICE_APPLIED="autogroup $nice_level"
  fi
fi

# 10 000 sockets need more file descriptors than the default 1024. Raising the
# hard limit needs CAP_SYS_RESOURCE; without it, take the hard limit we have.
if ! ulimit -n 200000 2>/dev/null; then
  ulimit -n "$(ulimit -Hn)"
  echo "[bench] cannot raise the open-file limit to 200000; using the hard limit $(ulimit -n)" >&2
fi

exec npx tsx bench/run.ts "$@"
