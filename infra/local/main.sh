#!/usr/bin/env bash
# `npm start`: the main job on this machine. Installs what is missing, starts the local stack,
# builds, runs the ingest service, feeds it a simulated sample (platform traffic with
# labelled fabrication), serves the api and the web console with one demo key per role, and
# stays in the foreground until Ctrl-C (which stops both services cleanly; `npm run stack:down`
# stops Kafka and ClickHouse).
#   SAMPLE_UNITS (default 30), SAMPLE_MONTHS (default 3), SAMPLE_SEED (default 7), INGEST_PORT (8081),
#   API_PORT (8080)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
UNITS="${SAMPLE_UNITS:-30}" MONTHS="${SAMPLE_MONTHS:-3}" SEED="${SAMPLE_SEED:-7}" PORT="${INGEST_PORT:-8081}"
API_PORT="${API_PORT:-8080}"
RUN="$REPO/.stack/run"
SAMPLE="$REPO/.stack/sample/seed$SEED-u$UNITS-m$MONTHS"
mkdir -p "$RUN"

bash infra/local/ensure-deps.sh
bash infra/local/stack.sh up
export KAFKA_BROKERS=127.0.0.1:9092 CLICKHOUSE_URL=http://127.0.0.1:8123
echo "main: build (tsc -b, then the console)"
npx tsc -b
node packages/console/build.mjs
tracewatch() { node "$REPO/packages/cli/dist/main.js" "$@"; }

echo "main: ingest on http://127.0.0.1:$PORT (/healthz /readyz /metrics), log $RUN/ingest.log"
HTTP_PORT="$PORT" node services/ingest/dist/main.js >"$RUN/ingest.log" 2>&1 &
INGEST_PID=$!
API_PID=""
stop() {
  [[ -n "$API_PID" ]] && kill -TERM "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  kill -TERM "$INGEST_PID" 2>/dev/null && wait "$INGEST_PID" 2>/dev/null
  echo "main: ingest and api stopped; Kafka and ClickHouse keep running (npm run stack:down stops them)"
}
trap stop EXIT INT TERM
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break
  kill -0 "$INGEST_PID" 2>/dev/null || { tail -20 "$RUN/ingest.log"; exit 1; }
  sleep 0.2
done

if [[ ! -f "$SAMPLE/labels.jsonl" ]]; then
  echo "main: simulating $UNITS units over $MONTHS months (seed $SEED) into $SAMPLE"
  tracewatch simulate --seed "$SEED" --units "$UNITS" --months "$MONTHS" --out "$SAMPLE"
fi
echo "main: producing the sample to Kafka"
tracewatch produce "$SAMPLE/evaluations.jsonl" --topic evaluations
tracewatch produce "$SAMPLE/metrics.jsonl" --topic reported-metrics
tracewatch produce "$SAMPLE/events.jsonl" --topic trace-events

count() { curl -s "$CLICKHOUSE_URL/?query=SELECT+uniqExact(event_id)+FROM+tracewatch.trace_events"; }
expected=$(grep -c . "$SAMPLE/events.jsonl")
for _ in $(seq 1 600); do
  [[ "$(count)" -ge "$expected" ]] && break
  sleep 0.5
done
echo "main: $(count) distinct events stored in ClickHouse (database tracewatch); $expected in the sample"
echo "main: what the detectors say about the sample (offline analysis of the same events):"
tracewatch analyze "$SAMPLE/events.jsonl" --evaluations "$SAMPLE/evaluations.jsonl" --metrics "$SAMPLE/metrics.jsonl" --format table | head -40 || true
echo "main: api and console on http://127.0.0.1:$API_PORT (OpenAPI at /docs), log $RUN/api.log"
HTTP_PORT="$API_PORT" node services/api/dist/main.js >"$RUN/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$API_PORT/readyz" >/dev/null && break
  kill -0 "$API_PID" 2>/dev/null || { tail -20 "$RUN/api.log"; exit 1; }
  sleep 0.2
done
# One demo key per role, made afresh on every start (the secrets are shown only now).
OWNER_PLATFORM=$(curl -s "$CLICKHOUSE_URL/?query=SELECT+min(platform_id)+FROM+tracewatch.trace_events")
echo "main: demo keys (enter one in the console; they are stored only as salted hashes):"
for role in admin inspector ops owner; do
  extra=()
  [[ "$role" == owner ]] && extra=(--platform "$OWNER_PLATFORM")
  echo "  $role$([[ "$role" == owner ]] && echo " of $OWNER_PLATFORM"): $(tracewatch keys create --role "$role" "${extra[@]}" --name "demo $role $(date -u +%FT%TZ)")"
done
echo "main: running; console http://127.0.0.1:$API_PORT/, ingest metrics http://127.0.0.1:$PORT/metrics — Ctrl-C to stop"
wait "$INGEST_PID"
