#!/usr/bin/env bash
# bench/github-rest.sh — start-up of GitHub's REST description served with no config.
#
# Packs @octokit/openapi with npm (once, into $CACHE), builds cmd/mockserver
# and, ROUNDS times, starts it under /usr/bin/time -v with --spec on
# generated/api.github.com.json (13 MB, OpenAPI 3.0, as shipped) and
# measures: the time from exec to the first 200 of /__standin/ready, the CPU
# the process had spent by then (user+system, /proc/PID/stat: other jobs on
# the machine slow the clock, not the work), peak RSS (VmHWM) after a list,
# a get and a create, and /usr/bin/time's own "Maximum resident set size"
# for the whole run. A round with the bundled APIs alone gives the
# baseline. Prints one line per round and the medians.
#
#   bench/github-rest.sh
#   ROUNDS=5 bench/github-rest.sh
#   SPEC=/path/to/api.github.com.json bench/github-rest.sh   # a local copy
#   PKG=@octokit/openapi@23.0.2                              # the package packed
#
# Needs Linux (/proc), /usr/bin/time, curl and (without SPEC) npm.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
PKG=${PKG:-@octokit/openapi@23.0.2}
. bench/startup-lib.sh

[ -n "${SPEC:-}" ] || SPEC=$(packed "$PKG" generated/api.github.com.json SPEC)
go build -o "$work/mockserver" ./cmd/mockserver
echo "document: $(wc -c <"$SPEC") bytes; cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"


round() { # label, extra mockserver args...
  local label=$1; shift
  local t0 ready cpu tpid hwm
  t0=$(now_ms)
  /usr/bin/time -v -o "$work/time.txt" "$work/mockserver" --addr "127.0.0.1:$PORT" --log-level error "$@" >"$work/mock.log" 2>&1 &
  tpid=$!
  until curl -fs -o /dev/null "$M/__standin/ready"; do
    kill -0 "$tpid" 2>/dev/null || { echo "the mock exited:" >&2; cat "$work/mock.log" >&2; exit 1; }
    sleep 0.01
  done
  ready=$(($(now_ms) - t0))
  pid=$(pgrep -P "$tpid" -x mockserver)
  cpu=$(cpu_ms "$pid")
  if [ "$label" = github ]; then
    curl -fs -o /dev/null -H 'Authorization: Bearer t' "$M/repos/o/r/issues"
    curl -fs -o /dev/null -H 'Authorization: Bearer t' "$M/gists"
    curl -s -o /dev/null -H 'Authorization: Bearer t' -H 'Content-Type: application/json' \
      --data '{"files":{"a.txt":{"content":"hello"}},"public":true}' "$M/gists"
  fi
  hwm=$(hwm_mib "$pid")
  kill "$pid"; wait "$tpid" 2>/dev/null || true; pid=
  printf '%-8s ready %5d ms  cpu %5d ms  peak RSS %4d MiB  time -v max RSS %4d MiB\n' "$label" "$ready" "$cpu" "$hwm" \
    "$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2 / 1024}' "$work/time.txt")"
}

round bundled
results=()
for _ in $(seq 1 "$ROUNDS"); do
  line=$(round github --spec "github=$SPEC"); echo "$line"; results+=("$line")
done
medians "$ROUNDS" "${results[@]}"
