#!/usr/bin/env bash
# bench/scale.sh — the growth table: one collection at 1k, 10k, 100k and 1M records.
#
# For each size, starts the built mock with marketplace `accounts` generated to
# that count, and measures: start-up (exec to the first 200 of /__standin/ready),
# REST get by id (a record near the end), a REST page (size 20, in the middle)
# and a GraphQL page (accounts(first: 20) with 8 fields) under the same wrk load,
# then the time of POST /__standin/reset after WRITES data-API writes (JSON merge
# patches of distinct records, cycling when there are fewer; curl, one connection), and peak RSS
# (VmHWM of /proc/PID/status) over the whole run. The last columns give each
# p99 as a multiple of the smallest size's in the same run.
#
#   bench/scale.sh
#   SIZES="1000 1000000" DURATION=5s CONNS=32 bench/scale.sh
#
# Needs Linux (/proc) and wrk (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-1000 10000 100000 1000000}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
WRITES=${WRITES:-10000}
TOKEN="Authorization: Bearer standin-admin"
free_port() { # first port from $1 up that nothing listens on
  local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"
}

if ! command -v wrk >/dev/null; then
  echo "wrk not found; installing it with apt-get" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
go build -o "$work/mockserver" ./cmd/mockserver
printf '%s' '{"query":"query Accounts { accounts(first: 20) { totalCount edges { cursor node { ...AccountFields } } pageInfo { hasNextPage endCursor } } } fragment AccountFields on Account { id name externalId countryCode accessTypes defaultRole status createdOn }"}' >"$work/accounts.json"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'; }
drive() { # url [body file] -> "rps p99"
  local out
  if [ -n "${2:-}" ]; then
    out=$(BODY_FILE="$2" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s bench/post.lua "$1")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "$TOKEN" "$1")
  fi
  local bad; bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  [ -z "$bad" ] || echo "WARNING: $bad non-2xx answers from $1" >&2
  echo "$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out") $(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")"
}

printf '%s: wrk -t%s -c%s -d%s, %s cores, %s, reset after %s writes\n' "$(date -u +%FT%TZ)" "$THREADS" "$CONNS" "$DURATION" "$(nproc)" "$(go version | awk '{print $3}')" "$WRITES"
printf '| records | start-up s | peak RSS MiB | REST get r/s | p99 ms | REST page r/s | p99 ms | GraphQL page r/s | p99 ms | reset ms | p99 × smallest (get / page / GraphQL) |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
base=
for n in $SIZES; do
  port=$(free_port 29080)
  M="http://127.0.0.1:$port"
  echo "apis: {marketplace: {counts: {accounts: $n}, rateLimit: {limit: 1000000000, window: 15m}}}" >"$work/config.yaml"
  t0=$(now_ms)
  "$work/mockserver" --addr "127.0.0.1:$port" --config "$work/config.yaml" --log-level warn >"$work/mock.log" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$M/__standin/ready")" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "mock exited: $(tail -5 "$work/mock.log")" >&2; exit 1; }
    sleep 0.01
  done
  startup=$(( $(now_ms) - t0 ))
  total=$(curl -fs "$M/__standin/apis/marketplace/collections" | jq '.collections[] | select(.name=="accounts") | .count')
  companies="$M/api/account/v2/companies"
  deep=$(curl -fs -H "$TOKEN" "$companies?size=1&page=$((total - 3))" | jq -r '.content[0].id // .[0].id // empty')
  [ -n "$deep" ] || { echo "no record near the end of $total" >&2; exit 1; }
  read -r g_rps g_p99 <<<"$(drive "$companies/$deep")"
  read -r p_rps p_p99 <<<"$(drive "$companies?size=20&page=$((total / 40))")"
  read -r q_rps q_p99 <<<"$(drive "$M/api/graphql" "$work/accounts.json")"
  # writes: JSON merge patches of distinct records (cycling when fewer)
  records="/__standin/apis/marketplace/collections/accounts/records"
  curl -fs "$M$records?limit=$(( WRITES < total ? WRITES : total ))" | jq -r '.records[].id' >"$work/ids"
  printf '%s' '{"status":"SUSPENDED"}' >"$work/patch.json"
  awk -v n="$WRITES" -v base="$M$records" -v body="$work/patch.json" 'NR == FNR { ids[++k] = $0; next } END {
    for (i = 0; i < n; i++) {
      printf "url = \"%s/%s\"\nrequest = PATCH\nheader = \"Content-Type: application/json\"\ndata = \"@%s\"\noutput = /dev/null\nwrite-out = \"%%{http_code}\\n\"\n", base, ids[i % k + 1], body
      if (i < n - 1) print "next"
    } }' "$work/ids" "$work/ids" >"$work/writes.curl"
  ok=$(curl -s -K "$work/writes.curl" | grep -c '^200$' || true)
  [ "$ok" = "$WRITES" ] || echo "WARNING: $ok of $WRITES writes answered 200" >&2
  reset=$(curl -fs -o /dev/null -X POST -w '%{time_total}' "$M/__standin/reset" | awk '{printf "%.1f", $1 * 1000}')
  rss=$(( $(awk '/VmHWM/ {print $2}' "/proc/$pid/status") / 1024 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  [ -n "$base" ] || base="$g_p99 $p_p99 $q_p99"
  read -r b1 b2 b3 <<<"$base"
  awk -v n="$n" -v s="$startup" -v rss="$rss" -v gr="$g_rps" -v g9="$g_p99" -v pr="$p_rps" -v p9="$p_p99" -v qr="$q_rps" -v q9="$q_p99" -v rs="$reset" -v b1="$b1" -v b2="$b2" -v b3="$b3" 'BEGIN {
    printf "| %d | %.2f | %d | %d | %.2f | %d | %.2f | %d | %.2f | %.1f | %.2f / %.2f / %.2f |\n", n, s/1000, rss, gr, g9, pr, p9, qr, q9, rs, g9/b1, p9/b2, q9/b3 }'
done
