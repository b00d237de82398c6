#!/usr/bin/env bash
# `npm run test:kafka`: `npm test` with the real-service tier required, as under CI: a Kafka
# broker or Redis server that cannot be started fails the run instead of leaving its tests
# pending. Narrow it like `npm test`, e.g. `npm run test:kafka -- --grep 'Kafka'`.
export PARLEY_REQUIRE_SERVICES=1
exec bash "$(dirname "${BASH_SOURCE[0]}")/test.sh" "$@"
