#!/usr/bin/env bash
# A throwaway Redis server for tests: Debian's redis-server, installed with apt-get when
# missing, on a free loopback port, nothing persisted. See scripts/README.md.
#
#   bash scripts/redis.sh start    start one (or reuse the running one); prints REDIS_URL=…
#   bash scripts/redis.sh stop     stop what `start` started and delete its data
#   bash scripts/redis.sh status   exit 0 and print the env when running, exit 3 when not
#   bash scripts/redis.sh env      print REDIS_URL=… (also in .services/redis.env)
#
# Environment: REDIS_START_TIMEOUT (s, default 20), REDIS_STOP_TIMEOUT (s, default 10),
# PARLEY_SERVICES_DIR (default <repo>/.services).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
SERVICE_NAME="redis"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_DIR="$SERVICES_DIR/redis"
PIDFILE="$REDIS_DIR/redis.pid"
PORT_FILE="$REDIS_DIR/port"
ENV_FILE="$SERVICES_DIR/redis.env"
LOG_FILE="$REDIS_DIR/redis.log"
START_TIMEOUT="${REDIS_START_TIMEOUT:-20}"
STOP_TIMEOUT="${REDIS_STOP_TIMEOUT:-10}"

# Debian's package, so nothing is fetched from outside the distribution's mirrors.
ensure_installed() { apt_install redis-server redis-server; }

read_pid() { cat "$PIDFILE" 2>/dev/null || true; }
read_port() { cat "$PORT_FILE" 2>/dev/null || true; }

# redis-server rewrites its process title to "redis-server 127.0.0.1:<port>".
is_running() {
  local port
  port="$(read_port)"
  [[ -n "$port" ]] && pid_matches "$(read_pid)" "redis-server 127.0.0.1:$port"
}

print_env() {
  local port
  port="$(read_port)"
  [[ -n "$port" ]] || die "no port recorded in $PORT_FILE"
  echo "REDIS_URL=redis://127.0.0.1:$port"
}

clean_state() { rm -rf "$REDIS_DIR"/data.* "$PIDFILE" "$PORT_FILE" "$ENV_FILE"; }

# PING in RESP's inline form over bash's /dev/tcp: no redis-cli needed.
pings() {
  local reply=""
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == "+PONG"* ]]
}

wait_ready() {
  local port="$1" deadline=$((SECONDS + START_TIMEOUT)) pid
  while (( SECONDS < deadline )); do
    pid="$(read_pid)"
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      say "redis: the server (pid $pid) exited during start-up"
      return 1
    fi
    pings "$port" 2>/dev/null && return 0
    sleep 0.2
  done
  say "redis: no PONG within ${START_TIMEOUT}s (REDIS_START_TIMEOUT)"
  return 1
}

cmd_start() {
  with_lock "$SERVICES_DIR/redis.lock"
  if is_running; then
    say "redis: already running (pid $(read_pid))"
    print_env
    return 0
  fi
  clean_state
  ensure_installed

  local port data
  port="$(free_ports 1)"
  [[ -n "$port" ]] || die "could not pick a free loopback port"
  mkdir -p "$REDIS_DIR"
  data="$(mktemp -d "$REDIS_DIR/data.XXXXXX")"
  echo "$port" >"$PORT_FILE"
  # No RDB snapshots and no AOF: test data is thrown away with the server.
  spawn_detached "$PIDFILE" "$LOG_FILE" \
    redis-server --bind 127.0.0.1 --port "$port" --daemonize no --dir "$data" \
    --save "" --appendonly no --protected-mode yes --loglevel notice

  if ! wait_ready "$port"; then
    log_tail "$LOG_FILE"
    local pid
    pid="$(read_pid)"
    [[ -n "$pid" ]] && stop_pid "$pid" 5
    clean_state
    die "redis-server did not start; its log is $LOG_FILE"
  fi
  print_env >"$ENV_FILE"
  say "redis: $(redis-server --version | cut -d' ' -f3) ready on 127.0.0.1:$port (pid $(read_pid))"
  print_env
}

cmd_stop() {
  with_lock "$SERVICES_DIR/redis.lock"
  local pid
  pid="$(read_pid)"
  if is_running; then
    stop_pid "$pid" "$STOP_TIMEOUT"
    say "redis: stopped (pid $pid)"
  else
    say "redis: not running"
  fi
  clean_state
}

cmd_status() {
  if is_running; then
    say "redis: running (pid $(read_pid))"
    print_env
  else
    say "redis: not running"
    return 3
  fi
}

cmd_env() {
  is_running || die "not running (start it with: bash scripts/redis.sh start)"
  print_env
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) say "usage: bash scripts/redis.sh start|stop|status|env"; exit 2 ;;
esac
