#!/usr/bin/env bash
# bench/conform.sh — wall time of whole conformance runs against the bundled mock.
#
# Builds cmd/mockserver and cmd/conform, starts the mock on PORT and times
# ROUNDS runs of each of: conform with no target (the bundled mock
# in-process, destructive checks included), conform --target (read-only
# checks; the destructive ones are skipped), conform --target
# --destructive (every check; the mock reset through its control API
# around each destructive check). Prints each run's wall time, the suite
# time Ginkgo reports and the specs, then the median wall time of each.
#
#   bench/conform.sh                 # ROUNDS=5 PORT=20250
#   ROUNDS=9 PORT=20251 bench/conform.sh
#   CPUS=0,1 bench/conform.sh        # pinned with taskset to those CPUs
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
PORT=${PORT:-20250}
bin=$(mktemp -d)
trap 'kill "$mock" 2>/dev/null || true; rm -rf "$bin"' EXIT
go build -o "$bin/" ./cmd/mockserver ./cmd/conform
pin=()
if [[ -n "${CPUS:-}" ]]; then pin=(taskset -c "$CPUS"); fi
"${pin[@]}" "$bin/mockserver" --addr "127.0.0.1:$PORT" >"$bin/mock.log" 2>&1 &
mock=$!
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$PORT/__standin/ready" >/dev/null && break
  sleep 0.1
done

declare -A walls
run() { # name, conform args...
  local name=$1; shift
  local start end out
  start=$(date +%s.%N)
  out=$("${pin[@]}" "$bin/conform" "$@" 2>&1) || { echo "$name: conform failed"; echo "$out" | tail -30; exit 1; }
  end=$(date +%s.%N)
  local wall suite specs
  wall=$(echo "$end - $start" | bc)
  suite=$(echo "$out" | sed -n 's/^Ran .* Specs in \([0-9.]*\) seconds$/\1/p')
  specs=$(echo "$out" | sed -n 's/^Conformance: \(.*\)$/\1/p')
  printf '%-28s wall %6.2f s  suite %6.2f s  %s\n' "$name" "$wall" "$suite" "$specs"
  walls[$name]+="$wall "
}
for i in $(seq "$ROUNDS"); do
  run "bundled (in-process)"
  run "--target"                  --target "http://127.0.0.1:$PORT"
  run "--target --destructive"    --target "http://127.0.0.1:$PORT" --destructive
done
echo
echo "median wall time of $ROUNDS runs:"
for name in "bundled (in-process)" "--target" "--target --destructive"; do
  # shellcheck disable=SC2086
  printf '  %-28s %.2f s\n' "$name" "$(printf '%s\n' ${walls[$name]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
done
