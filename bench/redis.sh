#!/usr/bin/env bash
# bench/redis.sh — the mock with its state in Redis (--state) against the
# mock with its state in memory, and the write throughput of three replicas
# on one Redis.
#
#   bench/redis.sh                     # DURATION 10s, CONNS 64, THREADS 2
#   DURATION=5s bench/redis.sh
#   AOF=always bench/redis.sh          # Redis syncing its append-only file on
#                                      # every write (docs/scaling.md advises it)
#
# 1. Reads: bench/run.sh twice, in memory and with STATE=redis://… (one
#    replica), then each endpoint's mock/reference ratios side by side and
#    their difference (Redis minus memory).
# 2. Writes: one mock in memory, then three replicas on the Redis, driven by
#    bench/inserts.lua (data-API inserts of new accounts, one wrk per
#    replica, CONNS/3 connections each, all at once); acknowledged inserts/s
#    in all, and afterwards every replica must hold every acknowledged one.
#
# Starts its own redis-server on a free loopback port (installs Debian's
# redis-server with apt-get if missing, as .ci/redis does). Needs Linux and
# wrk (bench/run.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
AOF=${AOF:-no}
export DURATION CONNS THREADS

SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
if ! command -v redis-server >/dev/null; then
  echo "redis-server not found; installing it with apt-get" >&2
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq redis-server >/dev/null
fi
if ! command -v wrk >/dev/null; then
  echo "wrk not found; installing it with apt-get" >&2
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi

free_port() { # first port from $1 up that nothing listens on
  local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"
}
work=$(mktemp -d)
pids=()
cleanup() { # the mocks' pids are in a file: start_mock runs in a subshell
  for p in "${pids[@]}" $(cat "$work/mock.pids" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT

REDIS_PORT=$(free_port 26379)
aof=(--appendonly no)
[ "$AOF" = no ] || aof=(--appendonly yes --appendfsync "$AOF")
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --dir "$work" "${aof[@]}" >"$work/redis.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p "$REDIS_PORT" ping >/dev/null || { echo "redis-server did not start:" >&2; cat "$work/redis.log" >&2; exit 1; }
STATE_URL="redis://127.0.0.1:$REDIS_PORT/0"
echo "redis-server $(redis-server --version | awk '{print $3}') on 127.0.0.1:$REDIS_PORT, appendfsync ${AOF}"

echo "== reads, state in memory: bench/run.sh"
bench/run.sh | tee "$work/memory.txt"
echo "== reads, state in Redis: STATE=$STATE_URL bench/run.sh"
STATE="$STATE_URL" bench/run.sh | tee "$work/redis.txt"

echo "== mock/reference ratios, memory vs Redis (difference: Redis minus memory)"
# run.sh's rows: name bytes | mock r/s p50 p99 | ref r/s p50 p99 | r/s x p50 x p99 x
rows() { awk -F'|' 'NF == 4 && $1 !~ /endpoint/ { split($1, a, " "); split($4, r, " "); print a[1], r[1], r[2], r[3] }' "$1"; }
printf '%-15s | %9s %9s %7s | %9s %9s %7s\n' endpoint "r/s x mem" "r/s x red" diff "p50 x mem" "p50 x red" diff
join <(rows "$work/memory.txt" | sort) <(rows "$work/redis.txt" | sort) | awk '{
  d = $5 - $2; dl = $6 - $3
  printf "%-15s | %9.2f %9.2f %+7.2f | %9.2f %9.2f %+7.2f%s\n", $1, $2, $5, d, $3, $6, dl, (d < -0.05 || d > 0.05) ? "   r/s ratio differs by more than 0.05" : ""
}'

go build -o "$work/mockserver" ./cmd/mockserver
start_mock() { # first port, mockserver flags... -> prints the base URL
  local port; port=$(free_port "$1")
  shift
  "$work/mockserver" --addr "127.0.0.1:$port" --log-level warn "$@" >>"$work/mocks.log" 2>&1 &
  echo $! >>"$work/mock.pids"
  for _ in $(seq 1 400); do curl -fs -o /dev/null "http://127.0.0.1:$port/__standin/ready" && { echo "http://127.0.0.1:$port"; return; }; sleep 0.05; done
  echo "mockserver on $port did not get ready:" >&2; cat "$work/mocks.log" >&2; exit 1
}
insert_load() { # base... -> "acknowledged/s non2xx" summed over one wrk per base, run at once
  local i=0 outs=()
  for b in "$@"; do
    REPLICA=$i wrk -t1 -c$((CONNS / $#)) -d"$DURATION" -s bench/inserts.lua "$b" >"$work/wrk.$i" 2>&1 &
    outs+=("$work/wrk.$i"); i=$((i + 1))
  done
  wait # for the wrk runs (this runs in a subshell: they are its only children)
  cat "${outs[@]}" | awk '/^Requests\/sec/ { rps += $2 } /^  [0-9]+ requests in/ { n += $1 } /^status / { bad += $3 } END { printf "%.0f %d %d\n", rps, bad, n }'
  cat "${outs[@]}" | awk '/^status / { n[$2] += $3 } END { for (s in n) printf "  not 201: status %s %d times\n", s, n[s] }' >&2
}
accounts() { curl -fs "$1/__standin/apis/marketplace/collections" | grep -o '"name":"accounts"[^}]*"count":[0-9]*' | grep -o '[0-9]*$'; }

# CPU per request: the same load on one mock in memory and one with
# --state; CPU time (utime+stime from /proc, of the mock, and of the mock
# plus redis-server) divided by the requests answered. Other jobs on the
# machine move r/s a lot; they move CPU per request much less.
echo "== CPU per request (µs), state in memory vs in Redis"
cat >"$work/config.yaml" <<YAML
apis: {clients-v0: {rateLimit: {limit: 100000000, window: 15m}}}
YAML
printf '%s' '{"query":"{ admin { allClients(first: 10) { edges { node { name code group } } totalCount } } }"}' >"$work/allclients.json"
printf '%s' '{"query":"query Accounts { accounts(first: 20) { totalCount edges { cursor node { ...AccountFields } } pageInfo { hasNextPage endCursor } } } fragment AccountFields on Account { id name externalId countryCode accessTypes defaultRole status createdOn }"}' >"$work/accounts.json"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
pid_of() { tail -n 1 "$work/mock.pids"; }
cpu_mem=$(start_mock 29180 --config "$work/config.yaml"); cpu_mem_pid=$(pid_of)
cpu_red=$(start_mock 29280 --config "$work/config.yaml" --state "$STATE_URL"); cpu_red_pid=$(pid_of)
redis_pid=${pids[0]}
tick_us=$((1000000 / $(getconf CLK_TCK)))
cpu_run() { # base pid path [body] -> "requests mock_ticks redis_ticks"
  local m0 r0 out
  m0=$(cpu_ticks "$2"); r0=$(cpu_ticks "$redis_pid")
  if [ -n "${4:-}" ]; then
    out=$(BODY_FILE="$4" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -s bench/post.lua "$1$3")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" -H "Authorization: Bearer standin-admin" "$1$3")
  fi
  echo "$(awk '/ requests in / { print $1 }' <<<"$out") $(($(cpu_ticks "$2") - m0)) $(($(cpu_ticks "$redis_pid") - r0))"
}
printf '%-15s | %10s | %10s %14s | %9s %9s\n' endpoint "memory" "redis mock" "mock+redis-srv" "ratio" "ratio all"
for e in "rest-get|/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50|" "rest-list|/v0/clients|" \
  "gql-allClients|/graphql|$work/allclients.json" "gql-accounts|/api/graphql|$work/accounts.json"; do
  IFS='|' read -r name path body <<<"$e"
  read -r mn mt _ <<<"$(cpu_run "$cpu_mem" "$cpu_mem_pid" "$path" "$body")"
  read -r rn rt rr <<<"$(cpu_run "$cpu_red" "$cpu_red_pid" "$path" "$body")"
  awk -v n="$name" -v mn="$mn" -v mt="$mt" -v rn="$rn" -v rt="$rt" -v rr="$rr" -v u="$tick_us" 'BEGIN {
    m = mt * u / mn; r = rt * u / rn; a = (rt + rr) * u / rn
    printf "%-15s | %10.1f | %10.1f %14.1f | %9.2f %9.2f\n", n, m, r, a, m / r, m / a }'
done
echo "(ratio: memory/Redis CPU per request, the r/s ratio a CPU-bound mock would show; ratio all counts redis-server's CPU too)"
kill "$cpu_mem_pid" "$cpu_red_pid"

echo "== writes: data-API inserts (bench/inserts.lua)"
mem=$(start_mock 29180)
read -r mrps mbad mn <<<"$(insert_load "$mem")"
echo "one mock, state in memory: $mrps inserts/s ($mn requests, $mbad not 201)"
kill "$(tail -n 1 "$work/mock.pids")"

bases=()
for p in 29280 29380 29480; do bases+=("$(start_mock "$p" --state "$STATE_URL")"); done
read -r rrps rbad rn <<<"$(insert_load "${bases[@]}")"
echo "three replicas on one Redis, one wrk each: $rrps acknowledged inserts/s in all ($rn requests, $rbad not 201)"
want=$((53 + rn - rbad)) # generated accounts + every acknowledged insert
for b in "${bases[@]}"; do
  for _ in $(seq 1 100); do [ "$(accounts "$b")" -ge "$want" ] && break; sleep 0.1; done
  have=$(accounts "$b")
  echo "$b holds $have accounts (at least $want: 53 generated and the acknowledged inserts)"
  [ "$have" -ge "$want" ] || { echo "$b lacks acknowledged writes" >&2; exit 1; }
done
