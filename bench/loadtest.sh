#!/usr/bin/env bash
# bench/loadtest.sh — 1,000 concurrent connections against the in-process
# mock for DURATION (default 60s), then the consistency checks; see
# bench/loadtest/main.go. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 8192 2>/dev/null || true
exec go run ./bench/loadtest -duration "${DURATION:-60s}" -conns "${CONNS:-1000}" "$@"
