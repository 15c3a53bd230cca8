#!/usr/bin/env bash
# The local stack without Docker: a real ClickHouse (Debian's clickhouse-server), a real
# single-node Apache Kafka in KRaft mode (jars from Maven Central), and Debian's Prometheus
# and Alertmanager watching the services, all on 127.0.0.1, data under <repo>/.stack.
# Idempotent: `up` installs what is missing, starts what is not running, reloads a monitoring
# server whose config changed and creates missing topics; `down` stops all; `status` tells
# what runs.
#
#   bash infra/local/stack.sh up|down|status
#
# Env: STACK_DIR (default <repo>/.stack), CLICKHOUSE_START_TIMEOUT (s, default 30),
#      KAFKA_START_TIMEOUT (s, default 90), KAFKA_HEAP (default "-Xms256m -Xmx1g"),
#      MONITORING_START_TIMEOUT (s, default 30: Prometheus and Alertmanager each).
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
MONITORING_TIMEOUT="${MONITORING_START_TIMEOUT:-30}"
PROMETHEUS_PORT=9090
ALERTMANAGER_PORT=9095 # 9093 is Kafka's controller, 9094 Alertmanager's (disabled) cluster port
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
# Prometheus and Alertmanager ("monitors"): $STACK/<name>/config/<name>.yml, one for each.
monitor_signature() { echo "--config.file=$STACK/$1/config/$1.yml"; }

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
monitor_pid() { running_pid "$STACK/$1/$1.pid" "$(monitor_signature "$1")"; }

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

# apt-get install $2...; $1 names the part for messages. The package lists are refreshed only
# when the install fails without (stale lists), which saves `apt-get update`'s seconds.
apt_install() {
  local what="$1"
  shift
  log "$what: installing $* (apt-get)"
  mkdir -p "$STACK"
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@")
  {
    as_root "${install[@]}" || { as_root apt-get update && as_root "${install[@]}"; }
  } >"$STACK/apt.log" 2>&1 || {
    tail -n 20 "$STACK/apt.log" >&2
    die "apt-get could not install $* (full output in $STACK/apt.log)"
  }
}

# Debian packages enable (and, where allowed, start) their own system service, on the port
# that must be ours: stop it and keep it from starting at boot. Our servers never use it.
disable_system_service() {
  local service="$1"
  if [[ -d /run/systemd/system ]]; then
    log "$service: disabling the system service the package installed"
    as_root systemctl disable --now "$service" >/dev/null 2>&1 || true
  elif [[ -x "/etc/init.d/$service" ]]; then
    if as_root "/etc/init.d/$service" status >/dev/null 2>&1; then
      log "$service: stopping the system service the package started"
      as_root "/etc/init.d/$service" stop >/dev/null 2>&1 || true
    fi
    command -v update-rc.d >/dev/null && as_root update-rc.d "$service" disable >/dev/null 2>&1 || true
  fi
}

ensure_clickhouse_installed() {
  command -v clickhouse-server >/dev/null && return
  apt_install clickhouse clickhouse-server clickhouse-client
  disable_system_service clickhouse-server
  command -v clickhouse-server >/dev/null || die "clickhouse-server is still missing after apt-get install"
}

ensure_java_and_maven() {
  command -v java >/dev/null && command -v mvn >/dev/null && return
  apt_install kafka openjdk-17-jre-headless maven
}

ensure_monitoring_installed() {
  local bin missing=0
  for bin in prometheus promtool prometheus-alertmanager amtool; do
    command -v "$bin" >/dev/null || missing=1
  done
  ((missing)) || return 0
  apt_install monitoring prometheus prometheus-alertmanager
  disable_system_service prometheus
  disable_system_service prometheus-alertmanager
  for bin in prometheus promtool prometheus-alertmanager amtool; do
    command -v "$bin" >/dev/null || die "$bin is still missing after apt-get install"
  done
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

# ---------------------------------------------------------------- Prometheus and Alertmanager

monitor_port() { if [[ "$1" == prometheus ]]; then echo "$PROMETHEUS_PORT"; else echo "$ALERTMANAGER_PORT"; fi; }
monitor_url() { echo "http://127.0.0.1:$(monitor_port "$1")"; }
monitor_ready() { curl -sf --max-time 2 "$(monitor_url "$1")/-/ready" >/dev/null 2>&1; }

# Copies infra/<name>/ (for Prometheus: its rules and the local target lists) to
# $STACK/<name>/config. Succeeds only when the copy changed; a new config is checked with
# promtool / amtool before it replaces the old one, so a running server never gets a bad one.
sync_monitor_config() {
  local name="$1" dir="$STACK/$1"
  local new="$dir/config.new"
  rm -rf "$new"
  mkdir -p "$new"
  if [[ "$name" == prometheus ]]; then
    cp "$REPO/infra/prometheus/prometheus.yml" "$new/"
    cp -r "$REPO/infra/prometheus/rules" "$new/rules"
    cp -r "$REPO/infra/prometheus/targets/local" "$new/targets"
  else
    cp "$REPO/infra/alertmanager/alertmanager.yml" "$new/"
  fi
  if diff -r -q "$new" "$dir/config" >/dev/null 2>&1; then
    rm -rf "$new"
    return 1
  fi
  local check=(amtool check-config "$new/alertmanager.yml")
  [[ "$name" == prometheus ]] && check=(promtool check config "$new/prometheus.yml")
  "${check[@]}" >"$dir/check.log" 2>&1 || {
    cat "$dir/check.log" >&2
    rm -rf "$new"
    die "$name: the config in infra/$name does not pass: ${check[*]}"
  }
  rm -rf "$dir/config"
  mv "$new" "$dir/config"
}

start_monitor() {
  local name="$1" dir="$STACK/$1" pid changed=0
  mkdir -p "$dir/data"
  sync_monitor_config "$name" && changed=1
  pid="$(monitor_pid "$name")"
  if [[ -n "$pid" ]]; then
    if ((changed)); then
      log "$name: config changed, reloading it (SIGHUP to pid $pid)"
      kill -HUP "$pid"
    else
      log "$name: already running (pid $pid)"
    fi
    return
  fi
  local port
  port="$(monitor_port "$name")"
  port_open "$port" &&
    die "port $port is taken by another process (the system $name service? stop and disable it)"
  local url cmd
  url="$(monitor_url "$name")"
  if [[ "$name" == prometheus ]]; then
    cmd=(prometheus "$(monitor_signature prometheus)" --storage.tsdb.path="$dir/data"
      --storage.tsdb.retention.time=15d --web.listen-address="127.0.0.1:$port" --web.external-url="$url/")
  else
    # Clustering off: one Alertmanager, and no gossip port to collide with.
    cmd=(prometheus-alertmanager "$(monitor_signature alertmanager)" --storage.path="$dir/data"
      --web.listen-address="127.0.0.1:$port" --web.external-url="$url/" --cluster.listen-address=)
  fi
  declare -g "MONITOR_LOG_FROM_$name=$(size_of "$dir/$name.log")"
  log "$name: starting $("${cmd[0]}" --version 2>&1 | head -n 1 | cut -d' ' -f3)"
  (cd "$dir" && exec setsid "${cmd[@]}" >>"$dir/$name.log" 2>&1 </dev/null 9>&-) &
  echo $! >"$dir/$name.pid"
}

wait_monitor() {
  local name="$1" start deadline why="" from_var="MONITOR_LOG_FROM_$1"
  start="$(date +%s)"
  deadline=$((start + MONITORING_TIMEOUT))
  until monitor_ready "$name"; do
    [[ -n "$(monitor_pid "$name")" ]] || why="the process exited"
    (($(date +%s) >= deadline)) && why="no answer to $(monitor_url "$name")/-/ready within ${MONITORING_TIMEOUT}s"
    if [[ -n "$why" ]]; then
      echo "stack: error: $name did not come up: $why" >&2
      log_since "$STACK/$name/$name.log" "${!from_var:-0}"
      stop_one "$name" "$(monitor_pid "$name")" >&2
      exit 1
    fi
    sleep 0.2
  done
  log "$name: ready on $(monitor_url "$name") after $(elapsed "$start")"
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
  ensure_monitoring_installed
  local ch_was kafka_was prom_was am_was
  ch_was="$(ch_pid)"
  kafka_was="$(kafka_pid)"
  prom_was="$(monitor_pid prometheus)"
  am_was="$(monitor_pid alertmanager)"
  # All servers boot at the same time; then each is waited for.
  start_clickhouse
  start_kafka
  start_monitor prometheus
  start_monitor alertmanager
  [[ -n "$ch_was" ]] || wait_clickhouse
  [[ -n "$kafka_was" ]] || wait_kafka
  [[ -n "$prom_was" ]] || wait_monitor prometheus
  [[ -n "$am_was" ]] || wait_monitor alertmanager
  ch_answers || die "ClickHouse (pid $(ch_pid)) runs but does not answer $CH_URL/ping"
  KAFKA_BROKERS="$KAFKA_BROKER" node "$REPO/infra/local/create-topics.mjs" | sed 's/^/stack: /'
  log "up in $(elapsed "$start"): KAFKA_BROKERS=$KAFKA_BROKER CLICKHOUSE_URL=$CH_URL" \
    "Prometheus $(monitor_url prometheus) Alertmanager $(monitor_url alertmanager)"
}

cmd_down() {
  # Prometheus first, so that it does not alert on the servers stopping after it; then
  # Kafka: nothing that writes to ClickHouse should outlive the bus it reads from.
  stop_one prometheus "$(monitor_pid prometheus)"
  stop_one alertmanager "$(monitor_pid alertmanager)"
  stop_one kafka "$(kafka_pid)"
  stop_one clickhouse "$(ch_pid)"
  rm -f "$KAFKA_DIR/kafka.pid" "$CH_DIR/clickhouse.pid" "$STACK/prometheus/prometheus.pid" \
    "$STACK/alertmanager/alertmanager.pid"
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
  local name
  for name in prometheus alertmanager; do
    pid="$(monitor_pid "$name")"
    if [[ -z "$pid" ]]; then
      log "$name: stopped"
      ok=1
    elif monitor_ready "$name"; then
      log "$name: running (pid $pid), $(monitor_url "$name") answers, data $STACK/$name/data"
    else
      log "$name: process $pid runs but $(monitor_url "$name")/-/ready does not answer"
      ok=1
    fi
  done
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
