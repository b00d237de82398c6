#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, combined broker+controller) for tests,
# fetched from Maven Central with Maven. See scripts/README.md.
#
#   bash scripts/kafka.sh start    start one (or reuse the running one); prints KAFKA_BROKERS=…
#   bash scripts/kafka.sh stop     stop what `start` started and delete its data
#   bash scripts/kafka.sh stop --keep-data
#                                  stop it but keep its data, config and port: the next `start`
#                                  restarts the same broker (a broker outage, for fault tests)
#   bash scripts/kafka.sh status   exit 0 and print the env when running, exit 3 when not
#   bash scripts/kafka.sh env      print KAFKA_BROKERS=… (also in .services/kafka.env)
#
# Environment: KAFKA_START_TIMEOUT (s, default 120), KAFKA_STOP_TIMEOUT (s, default 30),
# KAFKA_HEAP_OPTS (default "-Xms256m -Xmx1g"), PARLEY_SERVICES_DIR (default <repo>/.services).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
SERVICE_NAME="kafka"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POM="$PARLEY_ROOT/scripts/kafka/pom.xml"
LOG4J="$PARLEY_ROOT/scripts/kafka/log4j.properties"
KAFKA_DIR="$SERVICES_DIR/kafka"
PIDFILE="$KAFKA_DIR/kafka.pid"
BROKERS_FILE="$KAFKA_DIR/brokers"
ENV_FILE="$SERVICES_DIR/kafka.env"
CONFIG="$KAFKA_DIR/server.properties"
LOG_DIR="$KAFKA_DIR/logs"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
# 1 GiB is ample for test traffic and leaves room for the tests on a 2-core / 24 GiB machine.
read -r -a HEAP_OPTS <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}"

kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM"; }

# Sets LIB to a directory holding the broker's runtime jars, fetching them on first use.
# The directory is stamped with the pom's hash so editing the pom refetches.
resolve_lib() {
  local version want tmp
  version="$(kafka_version)"
  LIB="$SERVICES_CACHE/kafka-$version/lib"
  want="$(sha256sum "$POM" | cut -d' ' -f1)"
  [[ -f "$LIB/.pom.sha256" && "$(cat "$LIB/.pom.sha256")" == "$want" ]] && return 0

  command -v java >/dev/null || die "java is not on PATH (the broker needs a JRE 11+)"
  command -v mvn >/dev/null || die "mvn is not on PATH (it fetches the broker from Maven Central)"
  mkdir -p "$SERVICES_CACHE"
  # Another checkout-mate may be fetching the same version: wait for it, then reuse.
  exec 8>"$SERVICES_CACHE/kafka-$version.lock"
  flock -w 900 8 || die "could not lock the Kafka jar cache"
  if [[ -f "$LIB/.pom.sha256" && "$(cat "$LIB/.pom.sha256")" == "$want" ]]; then
    exec 8>&-
    return 0
  fi
  say "kafka: fetching Apache Kafka $version and its dependencies with Maven (first run only)…"
  tmp="$(mktemp -d "$SERVICES_CACHE/kafka-$version.tmp.XXXXXX")"
  # Maven 3.8 prints colour resets even in batch mode; strip them from the log.
  if ! mvn -B -q -ntp -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2; then
    rm -rf "$tmp"
    die "Maven could not fetch org.apache.kafka:kafka_2.13:$version (see above)"
  fi
  echo "$want" >"$tmp/.pom.sha256"
  rm -rf "$LIB"
  mkdir -p "$(dirname "$LIB")"
  mv "$tmp" "$LIB"
  exec 8>&-
}

read_pid() { cat "$PIDFILE" 2>/dev/null || true; }

is_running() { pid_matches "$(read_pid)" "kafka.Kafka $CONFIG"; }

print_env() {
  [[ -s "$BROKERS_FILE" ]] || die "no broker address recorded in $BROKERS_FILE"
  echo "KAFKA_BROKERS=$(cat "$BROKERS_FILE")"
}

KEPT="$KAFKA_DIR/kept"

# Removes what a stopped or crashed broker left behind; logs stay for post-mortems.
clean_state() {
  rm -rf "$KAFKA_DIR"/data.* "$PIDFILE" "$BROKERS_FILE" "$ENV_FILE" "$KEPT"
}

# Starts the broker that `stop --keep-data` stopped: same config, data and port.
restart_kept() {
  local port started=$SECONDS
  port="$(sed -n 's/^127\.0\.0\.1://p' "$BROKERS_FILE")"
  [[ -n "$port" ]] || die "no port recorded in $BROKERS_FILE"
  port_open "$port" && die "port $port of the kept broker is taken by another process"
  resolve_lib
  local -a opts
  mapfile -t opts < <(java_opts)
  spawn_detached "$PIDFILE" "$LOG_DIR/stdout.log" \
    java "${opts[@]}" -cp "$LIB/*" kafka.Kafka "$CONFIG"
  if ! wait_ready "$port"; then
    log_tail "$LOG_DIR/server.log"
    local pid
    pid="$(read_pid)"
    [[ -n "$pid" ]] && stop_pid "$pid" 5
    die "the kept broker did not restart; its logs are in $LOG_DIR"
  fi
  rm -f "$KEPT"
  say "kafka: restarted on 127.0.0.1:$port with its data (pid $(read_pid), $((SECONDS - started))s)"
  print_env
}

java_opts() {
  printf '%s\n' "${HEAP_OPTS[@]}" \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true \
    "-Dkafka.logs.dir=$LOG_DIR" "-Dlog4j.configuration=file:$LOG4J"
}

write_config() {
  local port="$1" controller_port="$2" data="$3"
  cat >"$CONFIG" <<PROPS
# Written by scripts/kafka.sh start; a single node that is both broker and KRaft controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
# One replica of everything: there is one node.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# One partition for the internal topics: the first consumer group and the first
# transaction start in well under a second instead of waiting for 50 partitions.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
# Tests create the topics they use, and groups join without the 3 s delay.
auto.create.topics.enable=false
num.partitions=1
group.initial.rebalance.delay.ms=0
# Two cores: fewer threads than the defaults (3 network, 8 io).
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
PROPS
}

# Polls until a client can talk to the broker, the broker dies, or the timeout passes.
wait_ready() {
  local port="$1" deadline=$((SECONDS + START_TIMEOUT)) pid probe
  while (( SECONDS < deadline )); do
    pid="$(read_pid)"
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      say "kafka: the broker (pid $pid) exited during start-up"
      return 1
    fi
    if port_open "$port"; then
      probe=0
      node "$PARLEY_ROOT/scripts/kafka/wait-ready.mjs" "127.0.0.1:$port" || probe=$?
      (( probe == 0 )) && return 0
      # Without kafkajs (before `npm ci`), trust the broker's own "started" line.
      if (( probe == 2 )) && grep -q 'Kafka Server started' "$LOG_DIR/server.log" 2>/dev/null; then
        return 0
      fi
    fi
    sleep 0.5
  done
  say "kafka: the broker did not become ready within ${START_TIMEOUT}s (KAFKA_START_TIMEOUT)"
  return 1
}

cmd_start() {
  with_lock "$SERVICES_DIR/kafka.lock"
  if is_running; then
    say "kafka: already running (pid $(read_pid))"
    print_env
    return 0
  fi
  if [[ -f "$KEPT" && -f "$CONFIG" && -s "$BROKERS_FILE" ]]; then
    restart_kept
    return 0
  fi
  clean_state
  resolve_lib

  local ports port controller_port data cluster_id started=$SECONDS
  mapfile -t ports < <(free_ports 2)
  port="${ports[0]:-}"
  controller_port="${ports[1]:-}"
  [[ -n "$port" && -n "$controller_port" ]] || die "could not pick free loopback ports"
  mkdir -p "$KAFKA_DIR"
  rm -rf "$LOG_DIR"
  mkdir -p "$LOG_DIR"
  data="$(mktemp -d "$KAFKA_DIR/data.XXXXXX")"
  write_config "$port" "$controller_port" "$data"

  local -a opts
  mapfile -t opts < <(java_opts)
  # A KRaft cluster id is 16 random bytes in URL-safe base64 without padding. It is passed as
  # `--cluster-id=<id>`: an id that begins with '-' (1 in 64) would otherwise read as an option.
  cluster_id="$(node -e 'process.stdout.write(require("node:crypto").randomBytes(16).toString("base64url"))')"
  if ! java "${opts[@]}" -cp "$LIB/*" kafka.tools.StorageTool format \
      "--cluster-id=$cluster_id" -c "$CONFIG" >"$LOG_DIR/format.log" 2>&1; then
    log_tail "$LOG_DIR/format.log"
    clean_state
    die "kafka-storage format failed"
  fi

  spawn_detached "$PIDFILE" "$LOG_DIR/stdout.log" \
    java "${opts[@]}" -cp "$LIB/*" kafka.Kafka "$CONFIG"

  if ! wait_ready "$port"; then
    log_tail "$LOG_DIR/server.log"
    log_tail "$LOG_DIR/stdout.log"
    local pid
    pid="$(read_pid)"
    [[ -n "$pid" ]] && stop_pid "$pid" 5
    clean_state
    die "the broker did not start; its logs are in $LOG_DIR"
  fi
  echo "127.0.0.1:$port" >"$BROKERS_FILE"
  print_env >"$ENV_FILE"
  say "kafka: Apache Kafka $(kafka_version) ready on 127.0.0.1:$port (pid $(read_pid), $((SECONDS - started))s)"
  print_env
}

cmd_stop() {
  with_lock "$SERVICES_DIR/kafka.lock"
  local pid keep="${1:-}"
  [[ -z "$keep" || "$keep" == "--keep-data" ]] || die "unknown stop option $keep (only --keep-data)"
  pid="$(read_pid)"
  if is_running; then
    stop_pid "$pid" "$STOP_TIMEOUT"
    say "kafka: stopped (pid $pid)"
  else
    say "kafka: not running"
  fi
  if [[ -n "$keep" ]]; then
    rm -f "$PIDFILE"
    touch "$KEPT"
    say "kafka: kept its data, config and port for the next start"
  else
    clean_state
  fi
}

cmd_status() {
  if is_running; then
    say "kafka: running (pid $(read_pid))"
    print_env
  else
    say "kafka: not running"
    return 3
  fi
}

cmd_env() {
  is_running || die "not running (start it with: bash scripts/kafka.sh start)"
  print_env
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop "${2:-}" ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) say "usage: bash scripts/kafka.sh start|stop [--keep-data]|status|env"; exit 2 ;;
esac
