# shellcheck shell=bash disable=SC2034 # the paths are read by the scripts that source this
# Shared by the service scripts (kafka.sh, redis.sh, chromium.sh, …): paths, free ports, pidfiles,
# locks, Debian packages.
# Sourced, not run. Diagnostics go to stderr so stdout carries only KEY=value lines.

PARLEY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One directory per set of running services. scripts/test.sh points this at a private
# directory so concurrent `npm test` runs in one checkout never stop each other's broker.
SERVICES_DIR="${PARLEY_SERVICES_DIR:-$PARLEY_ROOT/.services}"
# Downloaded artifacts are shared by every services directory.
SERVICES_CACHE="${PARLEY_SERVICES_CACHE:-$PARLEY_ROOT/.services/cache}"

say() { printf '%s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "${SERVICE_NAME:-services}" "$*" >&2; exit 1; }

# free_ports N: prints N distinct free loopback ports, one a line. All N sockets are held
# open together so the kernel cannot hand out the same port twice.
free_ports() {
  node -e '
    const net = require("node:net");
    const n = Number(process.argv[1]);
    const servers = Array.from({ length: n }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok, ko) => {
      s.once("error", ko);
      s.listen(0, "127.0.0.1", () => ok(s.address().port));
    }))).then((ports) => {
      console.log(ports.join("\n"));
      servers.forEach((s) => s.close());
    }, (err) => { console.error(err.message); process.exit(1); });
  ' "$1"
}

# pid_matches PID PATTERN: the process is alive and its command line contains PATTERN,
# so a recycled pid of some other program is never mistaken for our server.
pid_matches() {
  local pid="$1" pattern="$2"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  pid_alive "$pid" || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# pid_alive PID: running, and not a zombie waiting for a parent that never reaps it.
pid_alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# stop_pid PID TIMEOUT_S: SIGTERM, wait up to TIMEOUT_S, then SIGKILL.
stop_pid() {
  local pid="$1" timeout="$2" waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while pid_alive "$pid"; do
    if (( waited >= timeout * 10 )); then
      say "${SERVICE_NAME}: pid $pid still up after ${timeout}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# with_lock FILE: takes an exclusive lock on FILE for the rest of the calling shell, so two
# `start`s racing in one checkout end with one server, not two.
with_lock() {
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
  flock -w 600 9 || die "could not lock $1 within 600s"
}

# port_open PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# log_tail FILE: prints the end of a server log for an error message.
log_tail() {
  if [[ -s "$1" ]] && grep -qE 'ERROR|FATAL|Exception' "$1"; then
    say "----- errors in $1 (last 20) -----"
    grep -E 'ERROR|FATAL|Exception' "$1" | tail -n 20 >&2
  fi
  if [[ -s "$1" ]]; then
    say "----- last 40 lines of $1 -----"
    tail -n 40 "$1" >&2
    say "-----"
  else
    say "(no log at $1)"
  fi
}

# spawn_detached PIDFILE LOGFILE CMD...: runs CMD in the background in its own session, so
# it outlives the calling script and a Ctrl-C meant for the caller does not reach it. The
# inner shell writes its own pid and then becomes CMD, so PIDFILE names the server itself.
# fd 8/9 (our locks) are closed: a server holding them would block every later start/stop.
spawn_detached() {
  local pidfile="$1" logfile="$2"
  shift 2
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
    >"$logfile" 2>&1 </dev/null 8>&- 9>&- &
}

# apt_install COMMAND PACKAGE...: installs Debian's PACKAGEs with apt-get unless COMMAND is on
# PATH. Needs root or passwordless sudo. One apt-get at a time across this machine's scripts
# (test.sh starts Redis and Chromium side by side; two `apt-get update`s would fight over apt's
# list lock), so the whole install holds a lock of its own.
apt_install() {
  local command_name="$1"
  shift
  command -v "$command_name" >/dev/null && return 0
  local sudo=()
  if (( EUID != 0 )); then
    command -v sudo >/dev/null || die "$command_name is missing and installing it needs root or sudo"
    sudo=(sudo -n)
  fi
  command -v apt-get >/dev/null || die "$command_name is missing and there is no apt-get to install it"
  mkdir -p "$SERVICES_CACHE"
  (
    flock -w 900 8 || die "could not take the apt lock $SERVICES_CACHE/apt.lock within 900s"
    command -v "$command_name" >/dev/null && exit 0
    say "${SERVICE_NAME}: installing Debian's $* with apt-get (first run only)…"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get -qq -o DPkg::Lock::Timeout=300 update >&2 || die "apt-get update failed"
    "${sudo[@]}" apt-get -qq -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "$@" >&2 \
      || die "apt-get install $* failed"
  ) 8>"$SERVICES_CACHE/apt.lock" || exit 1
  command -v "$command_name" >/dev/null || die "$command_name is still not on PATH after apt-get install $*"
}
