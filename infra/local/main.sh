#!/usr/bin/env bash
# `npm start`: the whole live pipeline on this machine. Installs what is missing, starts the
# local stack (Kafka, ClickHouse, Prometheus, Alertmanager), builds, runs ingest, the detector
# (with the alert keeper, forwarding to Alertmanager) and the api with the web console, and
# feeds them the simulator live: platform traffic with labelled fabrication, paced in
# compressed time from a start date in the past. The terminal shows the alerts as they arrive.
# Ctrl-C stops the services cleanly; `npm run stack:down` stops the servers.
#
# Everything lives in its own namespace (database tracewatch_demo, topics demo.*), reset at
# every start, so a run never mixes with an earlier one or with real data.
#   LIVE_UNITS (30), LIVE_MONTHS (6), LIVE_SEED (7), LIVE_DAY_SECONDS (1),
#   INGEST_PORT (8081), DETECTOR_PORT (8082), API_PORT (8080)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
UNITS="${LIVE_UNITS:-30}" MONTHS="${LIVE_MONTHS:-6}" SEED="${LIVE_SEED:-7}" DAY_SECONDS="${LIVE_DAY_SECONDS:-1}"
INGEST_PORT="${INGEST_PORT:-8081}" DETECTOR_PORT="${DETECTOR_PORT:-8082}" API_PORT="${API_PORT:-8080}"
NOTIFIER_PORT="${NOTIFIER_PORT:-8083}"
RUN="$REPO/.stack/run"
mkdir -p "$RUN"

bash infra/local/ensure-deps.sh
bash infra/local/stack.sh up
export KAFKA_BROKERS=127.0.0.1:9092 CLICKHOUSE_URL=http://127.0.0.1:8123
export CLICKHOUSE_DATABASE=tracewatch_demo TOPIC_PREFIX=demo.
echo "main: build (tsc -b)"
npx tsc -b
[[ -f packages/console/build.mjs ]] && node packages/console/build.mjs
tracewatch() { node "$REPO/packages/cli/dist/main.js" "$@"; }

echo "main: resetting the demo namespace (database $CLICKHOUSE_DATABASE, topics $TOPIC_PREFIX*)"
curl -sf "$CLICKHOUSE_URL/" --data-binary "DROP DATABASE IF EXISTS $CLICKHOUSE_DATABASE" >/dev/null
node --input-type=module -e "
  import { Kafka, logLevel } from 'kafkajs';
  const admin = new Kafka({ brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(process.env.TOPIC_PREFIX));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  for (const group of ['tracewatch-demo-ingest', 'tracewatch-demo-detector', 'tracewatch-demo-keeper'])
    await admin.deleteGroups([group]).catch(() => undefined);
  await admin.disconnect();
" 2>/dev/null || true

PIDS=()
stop() {
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo
  echo "main: services stopped; the servers keep running (npm run stack:down stops them)"
}
trap stop EXIT INT TERM

# start NAME PORT ENV...: a service in the background, logged, waited for until ready.
start() {
  local name="$1" port="$2"
  shift 2
  env HTTP_PORT="$port" "$@" node "services/$name/dist/main.js" >"$RUN/$name.log" 2>&1 &
  PIDS+=($!)
  local pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && {
      echo "main: $name on http://127.0.0.1:$port (/healthz /readyz /metrics), log $RUN/$name.log"
      return
    }
    kill -0 "$pid" 2>/dev/null || {
      tail -20 "$RUN/$name.log"
      exit 1
    }
    sleep 0.2
  done
  echo "main: $name not ready after 120 s; see $RUN/$name.log" >&2
  exit 1
}

start ingest "$INGEST_PORT" KAFKA_GROUP_ID=tracewatch-demo-ingest
start detector "$DETECTOR_PORT" DETECTOR_GROUP_ID=tracewatch-demo-detector \
  DETECTOR_INGEST_GROUP_ID=tracewatch-demo-ingest ALERT_KEEPER_GROUP_ID=tracewatch-demo-keeper \
  DETECTOR_EVALUATE_EVERY_MS=2000 ALERTMANAGER_URL=http://127.0.0.1:9095 ALERTMANAGER_INTERVAL_MS=15000 \
  TRACEWATCH_CONSOLE_URL="http://127.0.0.1:$API_PORT"
if [[ -f services/api/dist/main.js ]]; then
  start api "$API_PORT"
  OWNER_PLATFORM=plat-01
  echo "main: console http://127.0.0.1:$API_PORT/ (OpenAPI at /docs); demo keys, one per role (stored only as salted hashes):"
  for role in admin inspector ops owner; do
    extra=()
    [[ "$role" == owner ]] && extra=(--platform "$OWNER_PLATFORM")
    echo "  $role$([[ "$role" == owner ]] && echo " of $OWNER_PLATFORM"): $(tracewatch keys create --role "$role" "${extra[@]}" --name "demo $role $(date -u +%FT%TZ)")"
  done
fi
# Local sinks: a webhook receiver and an SMTP server printing what arrives, and a demo recipient
# (owner demo-owner of plat-01) pointing at them.
SINK_WEBHOOK_PORT="${SINK_WEBHOOK_PORT:-8090}" SINK_SMTP_PORT="${SINK_SMTP_PORT:-2525}"
NOTICE_SMTP_PORT="$SINK_SMTP_PORT"
SINK_WEBHOOK_PORT="$SINK_WEBHOOK_PORT" SINK_SMTP_PORT="$SINK_SMTP_PORT" DEMO_PLATFORM_IDS="${OWNER_PLATFORM:-plat-01}" \
  npx tsx infra/local/sinks.ts >"$RUN/sinks.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q '^sinks: ' "$RUN/sinks.log" 2>/dev/null && break; sleep 0.2; done
grep '^sinks: ' "$RUN/sinks.log" || { tail -20 "$RUN/sinks.log"; exit 1; }
echo "main: notices arriving at the sinks: tail -f $RUN/sinks.log"
# Notices to platform owners: the notifier reads the alerts, stores notices and delivers them to
# each owner's configured webhook / e-mail (the demo owner's: the local sinks above).
start notifier "$NOTIFIER_PORT" NOTIFIER_GROUP_ID=tracewatch-demo-notifier \
  TRACEWATCH_CONSOLE_URL="http://127.0.0.1:$API_PORT" ${NOTICE_SMTP_PORT:+SMTP_HOST=127.0.0.1 SMTP_PORT=$NOTICE_SMTP_PORT}
echo "main: Prometheus http://127.0.0.1:9090 (targets, rules), Alertmanager http://127.0.0.1:9095 (forwarded alerts)"

echo "main: simulating $UNITS units over $MONTHS months live, one simulated day every $DAY_SECONDS s (log $RUN/simulate.log)"
tracewatch simulate --live --seed "$SEED" --units "$UNITS" --months "$MONTHS" --day-seconds "$DAY_SECONDS" \
  >"$RUN/simulate.log" 2>&1 &
PIDS+=($!)
echo "main: alerts as they arrive (tracewatch alerts tail; also: tracewatch alerts list) — Ctrl-C to stop"
tracewatch alerts tail --from-beginning &
PIDS+=($!)
wait "${PIDS[0]}"
