#!/usr/bin/env bash
# conform --spec against real open-source API servers, each with its own
# contract, beside Specmatic and Dredd on the same targets
# (docs/conformance.md, "Against real servers"). Everything is installed
# from the registries: the servers and the testers from npm (package.json
# here, pinned) and the Go module proxy; only loopback is used.
#
#   bash bench/realservers/run.sh            # every target
#   TARGETS=todo bash bench/realservers/run.sh
#
# Targets:
#   todo  go-swagger's auto-configure example (github.com/go-swagger/go-swagger
#         v0.31.0, examples/auto-configure): a to-do list REST API, Swagger 2.0,
#         an apiKey scheme "key" in the x-todolist-token header.
#   jgs   json-graphql-server 2.4.0 (npm; graphql-js 14, express-graphql 0.9):
#         an open GraphQL server over bench/realservers/db.json; its contract
#         is the SDL the package itself generates from the data.
#
# Ports: PORT_BASE (default 20110) and the next two. Results (reports, logs,
# wall times) go to OUT (default a new folder under /tmp); the last lines
# printed are one summary line per tool and target.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
export NO_UPDATE_NOTIFIER=1
base="${PORT_BASE:-20110}"
out="${OUT:-$(mktemp -d /tmp/realservers.XXXXXX)}"
mkdir -p "$out"
targets="${TARGETS:-todo jgs}"
bin="$here/node_modules/.bin"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if [ ! -f "$here/node_modules/.installed" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.installed" ]; then
  echo "-- npm ci (bench/realservers)"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$here/node_modules/.installed"
fi
command -v java >/dev/null || { echo "-- apt-get install openjdk-17-jre-headless (Specmatic)"; apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

echo "-- build conform"
(cd "$root" && go build -o "$out/conform" ./cmd/conform)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }
summary=()

# conform_run NAME SPEC URL [flags...]: conform --spec, its JSON report and wall time.
conform_run() {
  local name=$1 spec=$2 url=$3; shift 3
  local t0 rc=0; t0=$(now)
  "$out/conform" --spec "$spec" --target "$url" --json "$out/$name.conform.json" "$@" >"$out/$name.conform.txt" 2>&1 || rc=$?
  local wall; wall=$(elapsed "$t0")
  local line; line=$(grep -E '^Conformance:' "$out/$name.conform.txt" || tail -1 "$out/$name.conform.txt")
  summary+=("$name conform: $line (exit $rc, ${wall}s)")
}

# specmatic_run NAME SPEC URL: Specmatic's contract tests, wall time.
specmatic_run() {
  local name=$1 spec=$2 url=$3
  local t0 rc=0; t0=$(now)
  (cd "$out" && "$bin/specmatic" test "$spec" --testBaseURL "$url" >"$out/$name.specmatic.txt" 2>&1) || rc=$?
  local wall; wall=$(elapsed "$t0")
  local line; line=$(grep -E 'Tests run:' "$out/$name.specmatic.txt" | tail -1 || true)
  summary+=("$name specmatic: ${line:-$(grep -m1 -iE 'error|exception' "$out/$name.specmatic.txt" || tail -1 "$out/$name.specmatic.txt")} (exit $rc, ${wall}s)")
}

# dredd_run NAME SPEC URL [flags...]: Dredd, wall time.
dredd_run() {
  local name=$1 spec=$2 url=$3; shift 3
  local t0 rc=0; t0=$(now)
  "$bin/dredd" "$spec" "$url" --color=false "$@" >"$out/$name.dredd.txt" 2>&1 || rc=$?
  local wall; wall=$(elapsed "$t0")
  local line; line=$(grep -E '^complete: ' "$out/$name.dredd.txt" | tail -1 || true)
  summary+=("$name dredd: ${line:-$(grep -m1 -E 'error:' "$out/$name.dredd.txt" || tail -1 "$out/$name.dredd.txt")} (exit $rc, ${wall}s)")
}

for target in $targets; do
  case $target in
  todo)
    port=$base
    echo "-- todo: go install github.com/go-swagger/go-swagger/examples/auto-configure/cmd/a-to-do-list-application-server@v0.31.0"
    GOBIN="$out/bin" go install github.com/go-swagger/go-swagger/examples/auto-configure/cmd/a-to-do-list-application-server@v0.31.0
    moddir=$(cd "$root" && GOFLAGS=-mod=mod go mod download -json github.com/go-swagger/go-swagger@v0.31.0 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
    cp "$moddir/examples/auto-configure/swagger.yml" "$out/todo.swagger.yml"
    chmod u+w "$out/todo.swagger.yml"
    "$bin/swagger2openapi" --yaml --outfile "$out/todo.openapi.yaml" "$out/todo.swagger.yml" >/dev/null
    restart() {
      [ -n "${todo_pid:-}" ] && kill "$todo_pid" 2>/dev/null && wait "$todo_pid" 2>/dev/null || true
      "$out/bin/a-to-do-list-application-server" --host 127.0.0.1 --port "$port" >>"$out/todo.server.log" 2>&1 &
      todo_pid=$!; pids+=("$todo_pid"); wait_port "$port"
    }
    url="http://127.0.0.1:$port"
    # conform: the Swagger 2.0 document when conform takes it, else its
    # OpenAPI 3 conversion; the apiKey by its scheme name when conform has
    # --credential, else as --token.
    if "$out/conform" --help 2>&1 | grep -q -- '--credential'; then cred=(--credential "key=example token"); else cred=(--token "example token"); fi
    spec="$out/todo.swagger.yml"
    probe=0; "$out/conform" --spec "$spec" --target http://127.0.0.1:1 "${cred[@]}" --timeout 1s >/dev/null 2>&1 || probe=$?
    if [ "$probe" = 2 ]; then spec="$out/todo.openapi.yaml"; echo "-- todo: conform refuses Swagger 2.0: checking its OpenAPI 3 conversion"; fi
    restart; conform_run todo "$spec" "$url" "${cred[@]}" --destructive
    restart; key="example token" specmatic_run todo "$out/todo.openapi.yaml" "$url"
    restart; dredd_run todo "$out/todo.swagger.yml" "$url" --header "x-todolist-token: example token"
    ;;
  jgs)
    port=$((base + 1))
    (cd "$here" && node -e "require('reify'); const m = require('json-graphql-server'); process.stdout.write(m.getPlainSchema(require('./db.json')).typeDefs)") >"$out/jgs.schema.graphql"
    (cd "$here" && node node_modules/json-graphql-server/bin/json-graphql-server.js db.json --host 127.0.0.1 --port "$port" >"$out/jgs.server.log" 2>&1) &
    pids+=($!); wait_port "$port"
    url="http://127.0.0.1:$port"
    conform_run jgs "$out/jgs.schema.graphql" "$url" --graphql-path /
    specmatic_run jgs "$out/jgs.schema.graphql" "$url"
    dredd_run jgs "$out/jgs.schema.graphql" "$url"
    ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
  esac
done

echo "-- results in $out"
printf '%s\n' "${summary[@]}"
