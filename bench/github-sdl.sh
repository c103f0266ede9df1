#!/usr/bin/env bash
# bench/github-sdl.sh — start-up of GitHub's GraphQL schema served with no config.
#
# Packs @octokit/graphql-schema with npm (once, into $CACHE), removes the field
# it defines twice (bench/sdlfix; graphql-js refuses the schema as shipped too),
# builds cmd/mockserver and, ROUNDS times, starts it with --spec on the schema
# and measures: the time from exec to the first 200 of /__standin/ready, the CPU
# the process spent by then (user+system, /proc/PID/stat, so other jobs on the
# machine do not inflate it), and peak RSS (VmHWM) after a few queries
# (viewer, repository, search, a mutation, GraphiQL's introspection, each
# required to answer without errors). A round with the bundled APIs alone gives
# the baseline. Prints one line per round and the medians.
#
#   bench/github-sdl.sh
#   ROUNDS=5 bench/github-sdl.sh
#   SDL=/path/to/schema.graphql bench/github-sdl.sh   # a local copy, as shipped
#   PKG=@octokit/graphql-schema@15.26.1               # the package packed
#
# Needs Linux (/proc), curl, jq and (without SDL) npm.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
PKG=${PKG:-@octokit/graphql-schema@15.26.1}
. bench/startup-lib.sh

[ -n "${SDL:-}" ] || SDL=$(packed "$PKG" schema.graphql SDL)
go run ./bench/sdlfix "$SDL" "$work/github.graphql"
go build -o "$work/mockserver" ./cmd/mockserver
echo "schema: $(wc -c <"$work/github.graphql") bytes; cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg)"

gql() { # query [variables]: the answer, which must have no errors
  local out
  out=$(jq -n --arg q "$1" --argjson v "${2:-{\}}" '{query: $q, variables: $v}' | curl -fs -H 'Content-Type: application/json' --data-binary @- "$M/github/graphql")
  if jq -e 'has("errors")' >/dev/null <<<"$out"; then echo "errors: $(head -c 400 <<<"$out")" >&2; exit 1; fi
  printf '%s' "$out"
}
introspection=$(go run ./bench/introquery)

round() { # label, extra mockserver args...
  local label=$1; shift
  local t0 ready cpu
  t0=$(now_ms)
  "$work/mockserver" --addr "127.0.0.1:$PORT" --log-level warn "$@" >"$work/mock.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "$M/__standin/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "the mock exited:" >&2; cat "$work/mock.log" >&2; exit 1; }
    sleep 0.01
  done
  ready=$(($(now_ms) - t0)); cpu=$(cpu_ms "$pid")
  if [ "$label" = github ]; then
    local v owner name id
    v=$(gql '{ viewer { login repositories(first: 1) { nodes { id name } } } }')
    owner=$(jq -r .data.viewer.login <<<"$v"); name=$(jq -r .data.viewer.repositories.nodes[0].name <<<"$v"); id=$(jq -r .data.viewer.repositories.nodes[0].id <<<"$v")
    gql 'query($o: String!, $n: String!) { repository(owner: $o, name: $n) { id issues(first: 20) { nodes { title author { login } } } } }' "$(jq -n --arg o "$owner" --arg n "$name" '{o: $o, n: $n}')" >/dev/null
    gql '{ search(query: "a", type: REPOSITORY, first: 20) { repositoryCount edges { node { ... on Repository { name } } } } }' >/dev/null
    gql 'mutation($r: ID!) { createIssue(input: {repositoryId: $r, title: "t"}) { issue { id } } }' "$(jq -n --arg r "$id" '{r: $r}')" >/dev/null
    gql "$introspection" >/dev/null
  fi
  printf '%-8s ready %5d ms  cpu %5d ms  peak RSS %4d MiB\n' "$label" "$ready" "$cpu" "$(hwm_mib "$pid")"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

round bundled
results=()
for _ in $(seq 1 "$ROUNDS"); do
  line=$(round github --spec "github=$work/github.graphql"); echo "$line"; results+=("$line")
done
medians "$ROUNDS" "${results[@]}"
