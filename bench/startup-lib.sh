# bench/startup-lib.sh — what bench/github-rest.sh and bench/github-sdl.sh
# share: a free port, a work folder removed on exit (and the mock stopped),
# a file of a pinned npm package (packed once into $CACHE), the process's
# CPU and peak RSS from /proc, and the medians of the rounds.
# Sourced, not run; the sourcing script has set -euo pipefail and sits in
# the repository's root (cd done).

CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/standin-bench}
free_port() { # first port from $1 up that nothing listens on
  local p=$1; while (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"
}
PORT=${PORT:-$(free_port $((29000 + RANDOM % 1000)))}
M="http://127.0.0.1:$PORT"

work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

packed() { # package, path in it, variable a user sets instead: prints the extracted file's path
  local dir="$CACHE/$(echo "$1" | tr -d '@' | tr '/' '-')"
  mkdir -p "$dir"
  if ! ls "$dir"/*.tgz >/dev/null 2>&1; then
    npm pack "$1" --pack-destination "$dir" >/dev/null || { echo "npm pack $1 failed (offline?); set $3=path/to/$(basename "$2")" >&2; exit 1; }
  fi
  tar -xzf "$dir"/*.tgz -C "$work" "package/$2"
  echo "$work/package/$2"
}

TICK=$(getconf CLK_TCK)
cpu_ms() { awk -v t="$TICK" '{printf "%d", ($14 + $15) * 1000 / t}' "/proc/$1/stat"; }
hwm_mib() { awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
now_ms() { date +%s%3N; }

medians() { # rounds, then the round lines: the medians of ready, cpu and peak RSS
  local n=$1; shift
  median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  printf 'median of %d: ready %s ms, cpu %s ms, peak RSS %s MiB\n' "$n" \
    "$(printf '%s\n' "$@" | awk '{print $3}' | median)" \
    "$(printf '%s\n' "$@" | awk '{print $6}' | median)" \
    "$(printf '%s\n' "$@" | awk '{print $10}' | median)"
}
