#!/usr/bin/env bash
# bench/run.sh — the mock against a reference plain net/http server, same load.
#
# Builds cmd/mockserver and bench/refserver, starts the mock (with a config that
# lifts the clients-v0 rate limit), saves the mock's answer to each benchmarked
# request, starts the reference serving those same bytes, then drives both with
# wrk and prints req/s, p50, p99 and peak RSS (VmHWM) and the ratio mock/ref.
#
#   bench/run.sh                       # defaults below
#   DURATION=30s CONNS=100 THREADS=2 bench/run.sh
#   WRITES=1 bench/run.sh              # and a second table: a write between reads
#   ROUNDS=3 DURATION=4s bench/run.sh  # medians of 3 alternating mock/ref runs
#   WARMUP=2s                          # unmeasured load on each endpoint first (0: none)
#   PPROF=DIR bench/run.sh             # and CPU + allocation profiles of the mock
#   STATE=redis://HOST:PORT/0 bench/run.sh  # the mock with --state (shared state in
#                                      # Redis); bench/redis.sh compares both modes
#
# WRITES=1 runs every endpoint again with bench/writes.lua: each wrk thread
# alternates a data-API PATCH (a marketplace subscription, which no benchmarked
# read shows) with the read, so the store's version moves before every read
# and no kept answer is served. The reference answers the PATCH with the
# mock's own answer to it; r/s counts reads and writes.
#
# "cpu us" is the CPU time (user+system, /proc/PID/stat) the server spent per
# request during the run, and "cpu x" the reference's over the mock's: like
# "r/s x" (1.00 = as cheap as the reference), but hardly moved by other jobs
# on the machine, which slow both servers' clocks, not their work.
#
# ROUNDS=N drives mock and reference alternately N times per endpoint and
# prints the median of each figure: on a machine shared with other jobs, a
# burst of load then hits both sides instead of one.
#
# PPROF=DIR runs bench/profmock (the same server with net/http/pprof on a
# second loopback port) and writes DIR/<endpoint>.cpu and .allocs, taken
# while wrk drives the mock (allocations: the delta over the run).
#
# Needs Linux (/proc) and wrk (installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-1}
free_port() { # first port from $1 up that nothing listens on
  local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"
}
# a random start, so that two runs at once (other jobs) do not pick the same port
MOCK_PORT=${MOCK_PORT:-$(free_port $((28080 + RANDOM % 4000)))}
REF_PORT=${REF_PORT:-$(free_port $((MOCK_PORT + 1)))}
LOG_LEVEL=${LOG_LEVEL:-warn}
TOKEN="Authorization: Bearer standin-admin"

if ! command -v wrk >/dev/null; then
  echo "wrk not found; installing it with apt-get" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT

if [ -n "${PPROF:-}" ]; then
  mkdir -p "$PPROF"
  PPROF_PORT=${PPROF_PORT:-$(free_port $((REF_PORT + 1)))}
  go build -o "$work/mockserver" ./bench/profmock
  mock_extra=(--pprof "127.0.0.1:$PPROF_PORT")
else
  go build -o "$work/mockserver" ./cmd/mockserver
  mock_extra=(--log-level "$LOG_LEVEL")
fi
go build -o "$work/refserver" ./bench/refserver
if [ -n "${STATE:-}" ]; then # unset: the state in the mock's memory, as always
  mock_extra+=(--state "$STATE")
  echo "mock state: $STATE"
fi

cat >"$work/config.yaml" <<YAML
apis: {clients-v0: {rateLimit: {limit: 100000000, window: 15m}}}
YAML
printf '%s' '{"query":"{ admin { allClients(first: 10) { edges { node { name code group } } totalCount } } }"}' >"$work/allclients.json"
printf '%s' '{"query":"query Accounts { accounts(first: 20) { totalCount edges { cursor node { ...AccountFields } } pageInfo { hasNextPage endCursor } } } fragment AccountFields on Account { id name externalId countryCode accessTypes defaultRole status createdOn }"}' >"$work/accounts.json"

wait_up() { # url pid: up, and answered by that process (not another's on the port)
  for _ in $(seq 1 200); do
    kill -0 "$2" 2>/dev/null || { echo "server for $1 exited: port taken?" >&2; exit 1; }
    curl -fs -o /dev/null "$1" && return 0; sleep 0.05
  done
  echo "server at $1 did not start" >&2; exit 1
}
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; } # KiB

"$work/mockserver" --addr "127.0.0.1:$MOCK_PORT" --config "$work/config.yaml" "${mock_extra[@]}" >"$work/mock.log" 2>&1 &
mock_pid=$!; pids+=("$mock_pid")
wait_up "http://127.0.0.1:$MOCK_PORT/__standin/health" "$mock_pid"

M="http://127.0.0.1:$MOCK_PORT"
# name | method | path | body file
endpoints=(
  "rest-get|GET|/v2/clients/aa7cf840-9ca9-46a3-9778-9015d6580d50|"
  "rest-list|GET|/v0/clients|"
  "gql-allClients|POST|/graphql|$work/allclients.json"
  "gql-accounts|POST|/api/graphql|$work/accounts.json"
)
routes=()
for e in "${endpoints[@]}"; do
  IFS='|' read -r name method path body <<<"$e"
  if [ "$method" = POST ]; then
    curl -fs -H "$TOKEN" -H 'Content-Type: application/json' --data-binary "@$body" "$M$path" >"$work/$name.out"
  else
    curl -fs -H "$TOKEN" "$M$path" >"$work/$name.out"
  fi
  grep -q '"errors"' "$work/$name.out" && { echo "$name answered with errors: $(head -c 300 "$work/$name.out")" >&2; exit 1; }
  routes+=(-route "$path=$work/$name.out")
done
WRITE_PATH=/__standin/apis/marketplace/collections/subscriptions/records/a1c3e5f7-0b2d-4f6a-8c1e-3a5c7e9b1d30
if [ -n "${WRITES:-}" ]; then
  curl -fs -X PATCH -H 'Content-Type: application/merge-patch+json' --data-binary '{"editionName":"Business Premium"}' "$M$WRITE_PATH" >"$work/write.out"
  routes+=(-route "$WRITE_PATH=$work/write.out")
fi

"$work/refserver" -addr "127.0.0.1:$REF_PORT" "${routes[@]}" >"$work/ref.log" 2>&1 &
ref_pid=$!; pids+=("$ref_pid")
wait_up "http://127.0.0.1:$REF_PORT/__ref/health" "$ref_pid"

# wrk prints latency percentiles in us/ms/s; normalise to ms.
to_ms() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime+stime, clock ticks
drive() { # base name method path body -> "rps p50 p99 non2xx cpu-us/req"
  local out prof=() pid=$ref_pid t0
  [ "$1" = "$M" ] && pid=$mock_pid
  kill -0 "$pid" 2>/dev/null || { echo "server $pid exited during the run" >&2; exit 1; }
  t0=$(cpu_ticks "$pid")
  if [ -n "${PPROF:-}" ] && [ "$1" = "$M" ] && [ -z "${writing:-}" ]; then
    local secs=${DURATION%s}; secs=$((secs > 2 ? secs - 1 : 1))
    curl -fs -o "$PPROF/$2.cpu" "http://127.0.0.1:$PPROF_PORT/debug/pprof/profile?seconds=$secs" & prof+=($!)
    curl -fs -o "$PPROF/$2.allocs" "http://127.0.0.1:$PPROF_PORT/debug/pprof/allocs?seconds=$secs" & prof+=($!)
  fi
  if [ -n "${writing:-}" ]; then
    out=$(READ_METHOD="$3" READ_PATH="$4" READ_BODY_FILE="$5" WRITE_PATH="$WRITE_PATH" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s bench/writes.lua "$1")
  elif [ "$3" = POST ]; then
    out=$(BODY_FILE="$5" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s bench/post.lua "$1$4")
  else
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -H "$TOKEN" "$1$4")
  fi
  local rps p50 p99 bad n us
  us=$(( ($(cpu_ticks "$pid") - t0) * 1000000 / $(getconf CLK_TCK) ))
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
  bad=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); bad=${bad:-0}
  [ ${#prof[@]} -eq 0 ] || wait "${prof[@]}"
  echo "$rps $p50 $p99 $bad $(awk -v us="$us" -v n="$n" 'BEGIN { printf "%.2f", us / n }')"
}

medians() { # "rps p50 p99 bad cpu" lines -> median of each but bad
  printf '%s\n' "$@" | awk '{ r[NR]=$1; a[NR]=$2; b[NR]=$3; c[NR]=$5 } END {
    printf "%s %s %s %s\n", med(r, NR), med(a, NR), med(b, NR), med(c, NR) }
    function med(x, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j-1]+0 > x[j]+0; j--) { t = x[j]; x[j] = x[j-1]; x[j-1] = t }
      return n % 2 ? x[(n+1)/2] : (x[n/2] + x[n/2+1]) / 2 }'
}

table() {
  printf '%-15s %6s | %10s %8s %8s %7s | %10s %8s %8s %7s | %6s %6s %6s %6s\n' endpoint bytes "mock r/s" "p50 ms" "p99 ms" "cpu us" "ref r/s" "p50 ms" "p99 ms" "cpu us" "r/s x" "p50 x" "p99 x" "cpu x"
  for e in "${endpoints[@]}"; do
    IFS='|' read -r name method path body <<<"$e"
    local mocks=() refs=() mbad=0
    for _ in $(seq 1 "$ROUNDS"); do
      mocks+=("$(drive "$M" "$name" "$method" "$path" "$body")")
      refs+=("$(drive "http://127.0.0.1:$REF_PORT" "$name" "$method" "$path" "$body")")
      mbad=$((mbad + $(awk '{print $4}' <<<"${mocks[-1]}")))
    done
    read -r mr m50 m99 mcpu <<<"$(medians "${mocks[@]}")"
    read -r rr r50 r99 rcpu <<<"$(medians "${refs[@]}")"
    [ "$mbad" = 0 ] || echo "WARNING: mock answered $mbad non-2xx on $name" >&2
    awk -v n="$name" -v b="$(wc -c <"$work/$name.out")" -v mr="$mr" -v m50="$m50" -v m99="$m99" -v mc="$mcpu" -v rr="$rr" -v r50="$r50" -v r99="$r99" -v rc="$rcpu" 'BEGIN {
      printf "%-15s %6d | %10.0f %8.2f %8.2f %7.1f | %10.0f %8.2f %8.2f %7.1f | %6.2f %6.2f %6.2f %6.2f\n", n, b, mr, m50, m99, mc, rr, r50, r99, rc, mr/rr, m50/r50, m99/r99, rc/mc }'
  done
}

# Warm-up, not measured: every endpoint on both servers for WARMUP (the
# mock's first seconds otherwise pay its heap's growth and the journal's
# first fill, and whichever endpoint is measured first looks slower).
WARMUP=${WARMUP:-2s}
if [ "$WARMUP" != 0 ]; then
  for e in "${endpoints[@]}"; do
    IFS='|' read -r name method path body <<<"$e"
    for base in "$M" "http://127.0.0.1:$REF_PORT"; do
      if [ "$method" = POST ]; then
        BODY_FILE="$body" wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s bench/post.lua "$base$path" >/dev/null
      else
        wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -H "$TOKEN" "$base$path" >/dev/null
      fi
    done
  done
fi

printf '%s: wrk -t%s -c%s -d%s, %s round(s), %s cores, %s, load average %s\n' "$(date -u +%FT%TZ)" "$THREADS" "$CONNS" "$DURATION" "$ROUNDS" "$(nproc)" "$(go version | awk '{print $3}')" "$(cut -d' ' -f1-3 /proc/loadavg)"
writing= table
if [ -n "${WRITES:-}" ]; then
  echo "with a write between every two requests (bench/writes.lua; r/s counts reads and writes):"
  writing=1 table
fi
printf 'peak RSS (VmHWM): mock %d MiB, reference %d MiB\n' $(( $(hwm "$mock_pid") / 1024 )) $(( $(hwm "$ref_pid") / 1024 ))
