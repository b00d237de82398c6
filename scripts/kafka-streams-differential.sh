#!/usr/bin/env bash
# The Kafka Streams side of the differential suite (packages/streams/test/differential): a small
# Java program on Kafka Streams' own TopologyTestDriver, fetched from Maven Central with Maven and
# compiled with javac. See scripts/README.md.
#
#   bash scripts/kafka-streams-differential.sh start   build it (or reuse the cached build) and
#                                                      print KAFKA_STREAMS_DIFF_CLASSPATH=…
#   bash scripts/kafka-streams-differential.sh stop    nothing to stop (the suite starts and ends
#                                                      its own JVM); here so scripts/test.sh can
#                                                      treat it like the other services
#
# The build is cached under .services/cache, keyed by the hash of the pom and the Java source,
# and guarded by a lock so concurrent checkouts build it once.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
SERVICE_NAME="kafka-streams-differential"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PROJECT="$PARLEY_ROOT/scripts/kafka-streams-differential"
POM="$PROJECT/pom.xml"
SOURCES=("$PROJECT"/src/*.java)

# Sets BUILD to a directory with lib/ (the jars) and classes/ (the runner), building it when
# the pom or the source changed since the cached build.
resolve_build() {
  local want tmp
  want="$(cat "$POM" "${SOURCES[@]}" | sha256sum | cut -d' ' -f1)"
  BUILD="$SERVICES_CACHE/kafka-streams-differential-${want:0:16}"
  [[ -f "$BUILD/.complete" ]] && return 0

  command -v java >/dev/null || die "java is not on PATH (the runner needs a JDK 11+)"
  command -v javac >/dev/null || die "javac is not on PATH (the runner is compiled on first use)"
  command -v mvn >/dev/null || die "mvn is not on PATH (it fetches Kafka Streams from Maven Central)"
  mkdir -p "$SERVICES_CACHE"
  exec 8>"$BUILD.lock"
  flock -w 900 8 || die "could not lock the runner's build cache"
  if [[ -f "$BUILD/.complete" ]]; then
    exec 8>&-
    return 0
  fi
  say "kafka-streams-differential: fetching Kafka Streams with Maven and compiling the runner (first run only)…"
  tmp="$(mktemp -d "$BUILD.tmp.XXXXXX")"
  # Maven 3.8 prints colour resets even in batch mode; strip them from the log.
  if ! mvn -B -q -ntp -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp/lib" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' >&2; then
    rm -rf "$tmp"
    die "Maven could not fetch kafka-streams and kafka-streams-test-utils (see above)"
  fi
  if ! javac -nowarn -d "$tmp/classes" -cp "$tmp/lib/*" "${SOURCES[@]}" >&2; then
    rm -rf "$tmp"
    die "javac could not compile the runner (see above)"
  fi
  touch "$tmp/.complete"
  rm -rf "$BUILD"
  mv "$tmp" "$BUILD"
  exec 8>&-
}

case "${1:-}" in
  start)
    resolve_build
    echo "KAFKA_STREAMS_DIFF_CLASSPATH=$BUILD/classes:$BUILD/lib/*"
    ;;
  stop) ;;
  *) say "usage: bash scripts/kafka-streams-differential.sh start|stop"; exit 2 ;;
esac
