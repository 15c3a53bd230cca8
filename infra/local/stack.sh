#!/usr/bin/env bash
# The local stack without Docker: a real ClickHouse (Debian's clickhouse-server) and a real
# single-node Apache Kafka in KRaft mode (jars from Maven Central), both on 127.0.0.1, data
# under <repo>/.stack. Idempotent: `up` installs what is missing, starts what is not running
# and creates missing topics; `down` stops both; `status` tells what runs.
#
#   bash infra/local/stack.sh up|down|status
#
# Env: STACK_DIR (default <repo>/.stack), CLICKHOUSE_START_TIMEOUT (s, default 30),
#      KAFKA_START_TIMEOUT (s, default 90), KAFKA_HEAP (default "-Xms256m -Xmx1g").
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK="${STACK_DIR:-$REPO/.stack}"
CH_DIR="$STACK/clickhouse"
KAFKA_DIR="$STACK/kafka"
CH_CONFIG="$CH_DIR/config.xml"
KAFKA_CONFIG="$KAFKA_DIR/server.properties"
CH_TIMEOUT="${CLICKHOUSE_START_TIMEOUT:-30}"
KAFKA_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx1g}"
CH_URL="http://127.0.0.1:8123"
KAFKA_BROKER="127.0.0.1:9092"

log() { echo "stack: $*"; }
die() {
  echo "stack: error: $*" >&2
  exit 1
}

# The command line that identifies each of our servers (and no other process on the machine).
ch_signature() { echo "--config-file=$CH_CONFIG"; }
kafka_signature() { echo "kafka.Kafka $KAFKA_CONFIG"; }

cmdline_of() { { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null || true; }

# Prints the pid of the running server whose command line contains $2, or nothing.
# The pid file ($1) is checked first; a pid reused by another program does not count.
# Without a usable pid file, /proc is searched for exactly our command line.
running_pid() {
  local pidfile="$1" signature="$2" pid
  if [[ -f "$pidfile" ]]; then
    pid="$(<"$pidfile")"
    if [[ "$pid" =~ ^[0-9]+$ ]] && [[ "$(cmdline_of "$pid")" == *"$signature"* ]]; then
      echo "$pid"
      return
    fi
  fi
  local dir
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    if [[ "$(cmdline_of "$pid")" == *"$signature"* ]]; then
      echo "$pid" >"$pidfile"
      echo "$pid"
      return
    fi
  done
}

ch_pid() { running_pid "$CH_DIR/clickhouse.pid" "$(ch_signature)"; }
kafka_pid() { running_pid "$KAFKA_DIR/kafka.pid" "$(kafka_signature)"; }

ch_answers() { [[ "$(curl -s --max-time 2 "$CH_URL/ping" 2>/dev/null)" == "Ok." ]]; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Replaces @STACK_DIR@ in template $1 and writes $2 (bash substitution: any path is safe).
render() {
  local text
  text="$(<"$1")"
  printf '%s\n' "${text//@STACK_DIR@/$STACK}" >"$2"
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

elapsed() { echo "$(($(date +%s) - $1))s"; }

size_of() { stat -c %s "$1" 2>/dev/null || echo 0; }

# Prints what log file $1 received since it was $2 bytes long (its last lines if it rotated).
log_since() {
  local file="$1" from="$2"
  [[ -f "$file" ]] || return 0
  echo "--- $file" >&2
  if (($(size_of "$file") >= from)); then
    tail -c +"$((from + 1))" "$file" | tail -n 30 >&2
  else
    tail -n 30 "$file" >&2
  fi
}

# ---------------------------------------------------------------- prerequisites

ensure_clickhouse_installed() {
  command -v clickhouse-server >/dev/null && return
  log "clickhouse: installing Debian's clickhouse-server (apt-get)"
  mkdir -p "$STACK"
  {
    as_root apt-get update &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        clickhouse-server clickhouse-client
  } >"$STACK/apt.log" 2>&1 || {
    tail -n 20 "$STACK/apt.log" >&2
    die "apt-get could not install clickhouse-server (full output in $STACK/apt.log)"
  }
  # The package enables a system service on port 8123 where systemd runs; ours must own the port.
  if command -v systemctl >/dev/null && systemctl is-active --quiet clickhouse-server 2>/dev/null; then
    log "clickhouse: stopping the system service the package started"
    as_root systemctl disable --now clickhouse-server >/dev/null 2>&1 || true
  fi
  command -v clickhouse-server >/dev/null || die "clickhouse-server is still missing after apt-get install"
}

ensure_java_and_maven() {
  command -v java >/dev/null && command -v mvn >/dev/null && return
  log "kafka: installing Java 17 and Maven (apt-get)"
  mkdir -p "$STACK"
  {
    as_root apt-get update &&
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        openjdk-17-jre-headless maven
  } >"$STACK/apt.log" 2>&1 || {
    tail -n 20 "$STACK/apt.log" >&2
    die "apt-get could not install Java and Maven (full output in $STACK/apt.log)"
  }
}

# The jars are fetched once per pom.xml content; the marker holds the pom's hash so that a
# version bump in infra/kafka/pom.xml replaces them.
ensure_kafka_libs() {
  local pom="$REPO/infra/kafka/pom.xml" want have=""
  want="$(sha256sum "$pom" | cut -d' ' -f1)"
  [[ -f "$KAFKA_DIR/libs/.pom.sha256" ]] && have="$(<"$KAFKA_DIR/libs/.pom.sha256")"
  [[ "$want" == "$have" ]] && return
  ensure_java_and_maven
  log "kafka: fetching the broker's jars from Maven Central (mvn dependency:copy-dependencies)"
  rm -rf "$KAFKA_DIR/libs.tmp"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DoutputDirectory="$KAFKA_DIR/libs.tmp" \
    >"$KAFKA_DIR/mvn.log" 2>&1 || {
    tail -n 30 "$KAFKA_DIR/mvn.log" >&2
    die "mvn could not fetch the Kafka jars (full output in $KAFKA_DIR/mvn.log)"
  }
  rm -rf "$KAFKA_DIR/libs"
  mv "$KAFKA_DIR/libs.tmp" "$KAFKA_DIR/libs"
  echo "$want" >"$KAFKA_DIR/libs/.pom.sha256"
}

ensure_node_deps() {
  (cd "$REPO" && node -e "import('kafkajs')" >/dev/null 2>&1) ||
    die "node cannot load kafkajs from $REPO/node_modules: run 'npm ci' first"
}

# ---------------------------------------------------------------- ClickHouse

start_clickhouse() {
  local pid
  pid="$(ch_pid)"
  if [[ -n "$pid" ]]; then
    log "clickhouse: already running (pid $pid)"
    return
  fi
  ch_answers && die "something else answers on $CH_URL (a system clickhouse-server?): stop it first"
  port_open 19000 && die "port 19000 (ClickHouse native) is taken by another process"
  ensure_clickhouse_installed
  mkdir -p "$CH_DIR"/{data,tmp,user_files,format_schemas,logs}
  render "$REPO/infra/clickhouse/config.xml" "$CH_CONFIG"
  cp "$REPO/infra/clickhouse/users.xml" "$CH_DIR/users.xml"
  CH_ERR_FROM="$(size_of "$CH_DIR/logs/clickhouse-server.err.log")"
  log "clickhouse: starting clickhouse-server $(dpkg-query -W -f '${Version}' clickhouse-server 2>/dev/null || true)"
  # setsid: the server outlives this shell and the caller's process group.
  # 9>&-: the server must not inherit (and so hold) the lock of with_lock.
  (cd "$CH_DIR" && exec setsid clickhouse-server "$(ch_signature)" \
    >"$CH_DIR/logs/stdout.log" 2>&1 </dev/null 9>&-) &
  echo $! >"$CH_DIR/clickhouse.pid"
}

wait_clickhouse() {
  local start deadline
  start="$(date +%s)"
  deadline=$((start + CH_TIMEOUT))
  local why=""
  until ch_answers; do
    [[ -n "$(ch_pid)" ]] || why="the server exited"
    (($(date +%s) >= deadline)) && why="no answer to $CH_URL/ping within ${CH_TIMEOUT}s"
    if [[ -n "$why" ]]; then
      echo "stack: error: ClickHouse did not come up: $why" >&2
      log_since "$CH_DIR/logs/clickhouse-server.err.log" "${CH_ERR_FROM:-0}"
      log_since "$CH_DIR/logs/stdout.log" 0
      stop_one clickhouse "$(ch_pid)" >&2
      exit 1
    fi
    sleep 0.2
  done
  log "clickhouse: ready on $CH_URL (native port 19000) after $(elapsed "$start")"
}

# ---------------------------------------------------------------- Kafka

format_kafka_storage() {
  [[ -f "$KAFKA_DIR/data/meta.properties" ]] && return
  local cluster_id
  # A KRaft cluster id is 16 random bytes in URL-safe base64 without padding. It may begin
  # with '-', so it is passed as --cluster-id=ID (a separate word would read as an option).
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  log "kafka: formatting storage (cluster id $cluster_id)"
  echo "$cluster_id" >"$KAFKA_DIR/cluster-id"
  java -cp "$KAFKA_DIR/libs/*" -Dlog4j.configuration="file:$REPO/infra/kafka/log4j.properties" \
    -Dkafka.log.dir="$KAFKA_DIR" kafka.tools.StorageTool format --ignore-formatted \
    --cluster-id="$cluster_id" -c "$KAFKA_CONFIG" >"$KAFKA_DIR/format.log" 2>&1 ||
    {
      cat "$KAFKA_DIR/format.log" >&2
      die "kafka storage format failed"
    }
}

start_kafka() {
  local pid
  pid="$(kafka_pid)"
  if [[ -n "$pid" ]]; then
    log "kafka: already running (pid $pid)"
    return
  fi
  port_open 9092 && die "port 9092 is taken by another process (another Kafka?): stop it first"
  port_open 9093 && die "port 9093 (KRaft controller) is taken by another process"
  mkdir -p "$KAFKA_DIR"
  command -v java >/dev/null || ensure_java_and_maven
  ensure_kafka_libs
  render "$REPO/infra/kafka/server.properties" "$KAFKA_CONFIG"
  format_kafka_storage
  KAFKA_LOG_FROM="$(size_of "$KAFKA_DIR/server.log")"
  log "kafka: starting $(basename "$(ls "$KAFKA_DIR"/libs/kafka_2.13-*.jar)" .jar) (KRaft, broker+controller)"
  # shellcheck disable=SC2086 # KAFKA_HEAP holds several JVM options
  (cd "$KAFKA_DIR" && exec setsid java $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$REPO/infra/kafka/log4j.properties" -Dkafka.log.dir="$KAFKA_DIR" \
    -cp "$KAFKA_DIR/libs/*" kafka.Kafka "$KAFKA_CONFIG" \
    >"$KAFKA_DIR/stdout.log" 2>&1 </dev/null 9>&-) &
  echo $! >"$KAFKA_DIR/kafka.pid"
}

kafka_failed() {
  echo "stack: error: Kafka did not come up on $KAFKA_BROKER: $1" >&2
  log_since "$KAFKA_DIR/server.log" "${KAFKA_LOG_FROM:-0}"
  log_since "$KAFKA_DIR/stdout.log" 0
  stop_one kafka "$(kafka_pid)" >&2
  exit 1
}

wait_kafka() {
  local start deadline
  start="$(date +%s)"
  deadline=$((start + KAFKA_TIMEOUT))
  until port_open 9092; do
    [[ -n "$(kafka_pid)" ]] || kafka_failed "the process exited"
    (($(date +%s) >= deadline)) && kafka_failed "port 9092 not open after ${KAFKA_TIMEOUT}s"
    sleep 0.2
  done
  # An open port is not yet a broker that serves metadata: ask it, as a client would.
  KAFKA_BROKERS="$KAFKA_BROKER" node "$REPO/infra/local/kafka-ready.mjs" "$((deadline - $(date +%s) + 1))" ||
    kafka_failed "no answer to a metadata request within ${KAFKA_TIMEOUT}s"
  log "kafka: ready on $KAFKA_BROKER (controller 127.0.0.1:9093) after $(elapsed "$start")"
}

# ---------------------------------------------------------------- stop

# SIGTERM, wait for a clean shutdown, then SIGKILL.
stop_one() {
  local name="$1" pid="$2" waited=0 limit=30
  [[ -z "$pid" ]] && {
    log "$name: not running"
    return
  }
  log "$name: stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [[ -n "$(cmdline_of "$pid")" ]]; do
    if ((waited >= limit * 5)); then
      log "$name: still running after ${limit}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  log "$name: stopped"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  local start
  start="$(date +%s)"
  mkdir -p "$STACK"
  ensure_node_deps
  local ch_was kafka_was
  ch_was="$(ch_pid)"
  kafka_was="$(kafka_pid)"
  # Both servers boot at the same time; then each is waited for.
  start_clickhouse
  start_kafka
  [[ -n "$ch_was" ]] || wait_clickhouse
  [[ -n "$kafka_was" ]] || wait_kafka
  ch_answers || die "ClickHouse (pid $(ch_pid)) runs but does not answer $CH_URL/ping"
  KAFKA_BROKERS="$KAFKA_BROKER" node "$REPO/infra/local/create-topics.mjs" | sed 's/^/stack: /'
  log "up in $(elapsed "$start"): KAFKA_BROKERS=$KAFKA_BROKER CLICKHOUSE_URL=$CH_URL"
}

cmd_down() {
  # Kafka first: nothing that writes to ClickHouse should outlive the bus it reads from.
  stop_one kafka "$(kafka_pid)"
  stop_one clickhouse "$(ch_pid)"
  rm -f "$KAFKA_DIR/kafka.pid" "$CH_DIR/clickhouse.pid"
}

cmd_status() {
  local pid ok=0
  pid="$(ch_pid)"
  if [[ -n "$pid" ]]; then
    if ch_answers; then
      log "clickhouse: running (pid $pid), $CH_URL answers, native port 19000, data $CH_DIR/data"
    else
      log "clickhouse: process $pid runs but $CH_URL/ping does not answer"
      ok=1
    fi
  else
    log "clickhouse: stopped"
    ok=1
  fi
  pid="$(kafka_pid)"
  if [[ -n "$pid" ]]; then
    if KAFKA_BROKERS="$KAFKA_BROKER" node "$REPO/infra/local/kafka-ready.mjs" 3 2>/dev/null; then
      log "kafka: running (pid $pid), $KAFKA_BROKER answers, data $KAFKA_DIR/data"
    else
      log "kafka: process $pid runs but $KAFKA_BROKER does not answer"
      ok=1
    fi
  else
    log "kafka: stopped"
    ok=1
  fi
  return "$ok"
}

# One `up` or `down` at a time: two callers starting the same servers would race for the ports.
with_lock() {
  mkdir -p "$STACK"
  exec 9>"$STACK/.lock"
  if ! flock -n 9; then
    log "waiting for another stack.sh to finish"
    flock -w 300 9 || die "another stack.sh holds $STACK/.lock for more than 300 s"
  fi
  "$@"
}

# One server alone, for fault tests: stop ClickHouse under a running pipeline, start it again.
cmd_clickhouse_stop() {
  stop_one clickhouse "$(ch_pid)"
  rm -f "$CH_DIR/clickhouse.pid"
}
cmd_clickhouse_start() {
  local was
  was="$(ch_pid)"
  start_clickhouse
  [[ -n "$was" ]] || wait_clickhouse
}

# The same for Kafka: the broker stops and comes back on the same data, port and cluster id.
cmd_kafka_stop() {
  stop_one kafka "$(kafka_pid)"
  rm -f "$KAFKA_DIR/kafka.pid"
}
cmd_kafka_start() {
  local was
  was="$(kafka_pid)"
  start_kafka
  [[ -n "$was" ]] || wait_kafka
}

case "${1:-}" in
up) with_lock cmd_up ;;
down) with_lock cmd_down ;;
status) cmd_status ;;
clickhouse-stop) with_lock cmd_clickhouse_stop ;;
clickhouse-start) with_lock cmd_clickhouse_start ;;
kafka-stop) with_lock cmd_kafka_stop ;;
kafka-start) with_lock cmd_kafka_start ;;
*)
  echo "usage: $0 up|down|status|clickhouse-stop|clickhouse-start|kafka-stop|kafka-start" >&2
  exit 2
  ;;
esac
