#!/usr/bin/env bash
# `npm test`: installs what is missing, starts the local stack (real Kafka and ClickHouse on
# 127.0.0.1) unless KAFKA_BROKERS and CLICKHOUSE_URL name other servers, builds, lints, and
# runs every test (unit, then integration on the real servers). Extra args go to vitest.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
bash infra/local/ensure-deps.sh
if [[ -z "${KAFKA_BROKERS:-}" || -z "${CLICKHOUSE_URL:-}" ]]; then
  bash infra/local/stack.sh up
  export KAFKA_BROKERS=127.0.0.1:9092 CLICKHOUSE_URL=http://127.0.0.1:8123
fi
echo "test: typecheck and build (tsc -b)"
npx tsc -b
echo "test: typecheck the tests and benchmarks (tsconfig.test.json)"
npx tsc -p tsconfig.test.json
echo "test: lint (biome)"
npx biome check --diagnostic-level=error .
echo "test: vitest"
exec npx vitest run --reporter=default --reporter=./test/support/summary-reporter.ts "$@"
