#!/usr/bin/env bash
# The body of `npm test`: every tier, including the real-service one (convention C6).
#
#   1. Starts a real Kafka broker (scripts/kafka.sh) unless KAFKA_BROKERS is set, and a Redis
#      server (scripts/redis.sh) unless REDIS_URL is set, in the background; stops them on exit.
#      Also builds the Kafka Streams runner of the differential suite
#      (scripts/kafka-streams-differential.sh) unless KAFKA_STREAMS_DIFF_CLASSPATH is set, and
#      makes sure Debian's Chromium is installed (scripts/chromium.sh) unless CHROMIUM_PATH is set.
#   2. Meanwhile builds and typechecks with `tsc -b`, builds the browser assets (npm run build:ui),
#      then lints with ESLint (eslint.config.js).
#   3. Runs mocha with the service addresses exported; extra arguments go to mocha
#      (`npm test -- --grep 'Services'`, or spec paths to narrow the run).
#
# A service that cannot be started fails the run under CI (CI=true, or PARLEY_REQUIRE_SERVICES=1);
# elsewhere a loud warning is printed and its tests report as pending, never as passed.
# Exit status: mocha's when it failed, else tsc's, else 1 when a required service was missing.
set -uo pipefail
# shellcheck disable=SC2034 # read by lib.sh
SERVICE_NAME="test"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$PARLEY_ROOT" || exit 1

services_required() {
  case "${CI:-}" in true | TRUE | True | 1) return 0 ;; esac
  [[ "${PARLEY_REQUIRE_SERVICES:-}" == 1 ]]
}

# The servers this run starts live in a private directory: a concurrent `npm test` in the
# same checkout never stops them, and this run never stops a server someone started by hand.
RUN_DIR="$PARLEY_ROOT/.services/test-run-$$"
OWNED=()
MISSING=()
declare -A STARTER

# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
  local service
  for service in "${OWNED[@]}"; do
    PARLEY_SERVICES_DIR="$RUN_DIR" bash scripts/"$service".sh stop || true
  done
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# begin_service NAME VAR: starts scripts/NAME.sh in the background unless VAR is already set.
begin_service() {
  local name="$1" var="$2"
  if [[ -n "${!var:-}" ]]; then
    say "test: using $var=${!var} from the environment"
    return 0
  fi
  mkdir -p "$RUN_DIR"
  OWNED+=("$name")
  PARLEY_SERVICES_DIR="$RUN_DIR" bash scripts/"$name".sh start >"$RUN_DIR/$name.out" &
  STARTER[$name]=$!
}

# end_service NAME VAR: waits for begin_service and exports VAR, or records the failure.
end_service() {
  local name="$1" var="$2" pid line=""
  pid="${STARTER[$name]:-}"
  [[ -n "$pid" ]] || return 0
  if wait "$pid" && line="$(grep -m1 "^$var=" "$RUN_DIR/$name.out")"; then
    export "${line?}"
    say "test: $line"
  else
    MISSING+=("$name ($var)")
  fi
}

# report_missing WHERE: WHERE ("below"/"above") points at mocha's report.
report_missing() {
  (( ${#MISSING[@]} > 0 )) || return 0
  say ""
  say "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  if services_required; then
    say "!! FATAL: could not start: ${MISSING[*]}"
    say "!! Under CI every test tier must run, so this run FAILS (see the errors above)."
  else
    say "!! WARNING: could not start: ${MISSING[*]}"
    say "!! The tests that need it are PENDING $1: they did NOT run and did NOT pass."
  fi
  say "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
  say ""
}

# Mocha gets the default spec globs only when the caller passed no spec of their own and
# .mocharc.json names none (mocha appends CLI specs to the config's instead of replacing them).
mocha_specs() {
  local arg glob
  for arg in "$@"; do
    [[ "$arg" == -* ]] && continue
    [[ "$arg" == *'*'* || "$arg" == *.ts || "$arg" == *.js || -e "$arg" ]] && return 0
  done
  grep -q '"spec"' .mocharc.json 2>/dev/null && return 0
  for glob in 'test' 'packages/*/test' 'schemas/test' 'examples/*/test'; do
    compgen -G "$glob" >/dev/null && printf '%s\n' "$glob/**/*.test.ts"
  done
}

begin_service kafka KAFKA_BROKERS
begin_service redis REDIS_URL
begin_service kafka-streams-differential KAFKA_STREAMS_DIFF_CLASSPATH
begin_service chromium CHROMIUM_PATH

tsc_status=0
if [[ -f tsconfig.json ]]; then
  say "test: tsc -b"
  npx --no-install tsc -b || tsc_status=$?
  # Tests (the packages' and the repository's), examples and benchmarks are not part of the build: typecheck them too.
  for project in packages/*/tsconfig.test.json schemas/tsconfig.test.json test/tsconfig.json examples/*/tsconfig.json bench/tsconfig.json; do
    [[ -f "$project" ]] || continue
    npx --no-install tsc -p "$project" --noEmit || tsc_status=$?
  done
  # The browser parts: bundled by esbuild, typechecked with the DOM library.
  npx --no-install tsc -p packages/ui/web/tsconfig.json || tsc_status=$?
  npm run --silent build:ui || tsc_status=$?
  (( tsc_status == 0 )) || say "test: typecheck FAILED (exit $tsc_status); running the tests anyway"
fi

# Lint, with the import-direction rules of eslint.config.js (the package graph points one way).
lint_status=0
say "test: eslint"
npx --no-install eslint . || lint_status=$?
(( lint_status == 0 )) || say "test: lint FAILED (exit $lint_status); running the tests anyway"

end_service kafka KAFKA_BROKERS
end_service redis REDIS_URL
end_service kafka-streams-differential KAFKA_STREAMS_DIFF_CLASSPATH
end_service chromium CHROMIUM_PATH
report_missing below

mapfile -t specs < <(mocha_specs "$@")
mocha_status=0
npx --no-install mocha "${specs[@]}" "$@" || mocha_status=$?

report_missing above
(( mocha_status != 0 )) && exit "$mocha_status"
if (( tsc_status != 0 )); then
  say "test: the tests passed but tsc -b failed (exit $tsc_status)"
  exit "$tsc_status"
fi
if (( lint_status != 0 )); then
  say "test: the tests passed but eslint failed (exit $lint_status)"
  exit "$lint_status"
fi
if (( ${#MISSING[@]} > 0 )) && services_required; then exit 1; fi
exit 0
