#!/usr/bin/env bash
# Runs a command against the local stack: starts it when needed (see stack.sh), then execs
# the command with the stack's addresses in the environment.
#   bash infra/local/with-stack.sh node test/bench/ingest-bench.js
set -euo pipefail
[[ $# -gt 0 ]] || {
  echo "usage: $0 <command> [args...]" >&2
  exit 2
}
# Progress lines go to stderr so that the command's stdout stays its own.
bash "$(dirname "${BASH_SOURCE[0]}")/stack.sh" up >&2
export KAFKA_BROKERS=127.0.0.1:9092
export CLICKHOUSE_URL=http://127.0.0.1:8123
exec "$@"
