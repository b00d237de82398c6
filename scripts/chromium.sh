#!/usr/bin/env bash
# Chromium for the browser tests: Debian's `chromium` package, installed with apt-get when
# missing. Nothing runs in the background: each test launches its own headless browser through
# playwright-core with this executable. See scripts/README.md.
#
#   bash scripts/chromium.sh start    install if missing; prints CHROMIUM_PATH=…
#   bash scripts/chromium.sh stop     nothing to stop (for symmetry with kafka.sh and redis.sh)
#   bash scripts/chromium.sh status   exit 0 and print the env when installed, exit 3 when not
#   bash scripts/chromium.sh env      print CHROMIUM_PATH=…
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
SERVICE_NAME="chromium"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

find_chromium() { command -v chromium || command -v chromium-browser || true; }

# Debian's package, so no browser build is fetched from anywhere else (playwright's own
# download is never used: playwright-core ships no browser).
ensure_installed() {
  [[ -n "$(find_chromium)" ]] && return 0
  apt_install chromium chromium fonts-dejavu-core
}

print_env() { echo "CHROMIUM_PATH=$(find_chromium)"; }

cmd_start() {
  with_lock "$SERVICES_DIR/chromium.lock"
  ensure_installed
  # A browser that cannot start here (missing libraries) fails now, not in the first test.
  "$(find_chromium)" --headless --no-sandbox --disable-gpu --dump-dom about:blank >/dev/null 2>&1 \
    || die "$(find_chromium) is installed but does not start headless"
  say "chromium: $("$(find_chromium)" --version 2>/dev/null | head -1)"
  print_env
}

case "${1:-}" in
  start) cmd_start ;;
  stop) say "chromium: nothing to stop" ;;
  status) if [[ -n "$(find_chromium)" ]]; then print_env; else say "chromium: not installed"; exit 3; fi ;;
  env) [[ -n "$(find_chromium)" ]] || die "not installed (bash scripts/chromium.sh start)"; print_env ;;
  *) say "usage: bash scripts/chromium.sh start|stop|status|env"; exit 2 ;;
esac
