#!/usr/bin/env bash
# Makes a container engine answer on this machine, for the image and Compose tests and for CI:
# Debian's docker.io (dockerd, containerd, runc) and debootstrap (the base images' root file system)
# from the Debian archive when missing, then dockerd in the background (log: $LOG) unless one answers.
# Then Compose v2 as a docker CLI plugin (ensure_compose). Prints "engine: ready (<version>)" or
# "engine: unavailable (<reason>)" and a "compose: ..." line on stdout; exit 0/1 for the engine.
set -uo pipefail
LOG=${LUCCA_CONNECTORS_DOCKERD_LOG:-/tmp/lucca-connectors-dockerd.log}
say() { echo "[engine] $*" >&2; }

answers() { docker version --format '{{.Server.Version}}' 2>/dev/null; }

COMPOSE_VERSION=v2.29.7
COMPOSE_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/lucca-connectors/docker-compose-${COMPOSE_VERSION}
PLUGINS=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins

# Debian bookworm packages no Compose v2 (no docker-compose-plugin, no docker-compose-v2; only
# docker-compose 1.29): build it from the Go module proxy once per machine, else fall back to v1.
ensure_compose() {
  if docker compose version >/dev/null 2>&1; then echo "compose: $(docker compose version --short 2>/dev/null) (docker compose)"; return; fi
  if [ ! -x "$COMPOSE_CACHE/docker-compose" ] && command -v go >/dev/null; then
    say "building Compose ${COMPOSE_VERSION} from the Go module proxy (a few minutes, once per machine) ..."
    GOBIN="$COMPOSE_CACHE.build" CGO_ENABLED=0 GOFLAGS=-mod=mod go install -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=${COMPOSE_VERSION}" "github.com/docker/compose/v2/cmd@${COMPOSE_VERSION}" >&2 \
      && mkdir -p "$COMPOSE_CACHE" && mv "$COMPOSE_CACHE.build/cmd" "$COMPOSE_CACHE/docker-compose"
    rm -rf "$COMPOSE_CACHE.build"
  fi
  if [ -x "$COMPOSE_CACHE/docker-compose" ]; then
    mkdir -p "$PLUGINS" && ln -sf "$COMPOSE_CACHE/docker-compose" "$PLUGINS/docker-compose"
    echo "compose: $(docker compose version --short 2>/dev/null) (docker compose, built from the Go module proxy)"; return
  fi
  if [ "$(id -u)" -eq 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >&2; then
    echo "compose: $(docker-compose version --short 2>/dev/null) (Debian's docker-compose v1)"; return
  fi
  echo "compose: unavailable"
}

if version=$(answers) && [ -n "$version" ]; then echo "engine: ready (dockerd ${version}, already running)"; ensure_compose; exit 0; fi

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "engine: unavailable (${need[*]} missing and apt-get cannot install them as $(id -un))"; exit 1
  fi
  say "installing ${need[*]} from the Debian archive ..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >&2; then
    echo "engine: unavailable (apt-get install ${need[*]} failed)"; exit 1
  fi
fi

if [ "$(id -u)" -ne 0 ]; then echo "engine: unavailable (dockerd is not running and only root may start it)"; exit 1; fi
say "starting dockerd (log: ${LOG}) ..."
nohup dockerd >"$LOG" 2>&1 &
for _ in $(seq 1 60); do
  if version=$(answers) && [ -n "$version" ]; then echo "engine: ready (dockerd ${version}, started, pid $!)"; ensure_compose; exit 0; fi
  if ! kill -0 $! 2>/dev/null; then break; fi
  sleep 1
done
echo "engine: unavailable (dockerd did not answer: $(tail -1 "$LOG" 2>/dev/null | cut -c1-200))"
exit 1
