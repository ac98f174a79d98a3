#!/usr/bin/env bash
# Makes a container engine answer on this machine, for the image and Compose tests and for CI:
# Debian's docker.io (dockerd, containerd, runc) and debootstrap (the base images' root file system)
# from the Debian archive when missing, then dockerd in the background (log: $LOG) unless one answers.
# Prints one line on stdout: "engine: ready (<version>)" or "engine: unavailable (<reason>)"; exit 0/1.
set -uo pipefail
LOG=${LUCCA_CONNECTORS_DOCKERD_LOG:-/tmp/lucca-connectors-dockerd.log}
say() { echo "[engine] $*" >&2; }

answers() { docker version --format '{{.Server.Version}}' 2>/dev/null; }

if version=$(answers) && [ -n "$version" ]; then echo "engine: ready (dockerd ${version}, already running)"; exit 0; fi

need=()
command -v dockerd >/dev/null || need+=(docker.io)
command -v docker >/dev/null || need+=(docker.io)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "engine: unavailable (${need[*]} missing and apt-get cannot install them as $(id -un))"; exit 1
  fi
  say "installing ${need[*]} from the Debian archive ..."
  # Build the image's package index once; then install (docker-compose: Compose, see docs/deployment.md).
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >&2; then
    echo "engine: unavailable (apt-get install ${need[*]} failed)"; exit 1
  fi
fi

if [ "$(id -u)" -ne 0 ]; then echo "engine: unavailable (dockerd is not running and only root may start it)"; exit 1; fi
say "starting dockerd (log: ${LOG}) ..."
nohup dockerd >"$LOG" 2>&1 &
for _ in $(seq 1 60); do
  if version=$(answers) && [ -n "$version" ]; then echo "engine: ready (dockerd ${version}, started, pid $!)"; exit 0; fi
  if ! kill -0 $! 2>/dev/null; then break; fi
  sleep 1
done
echo "engine: unavailable (dockerd did not answer: $(tail -1 "$LOG" 2>/dev/null | cut -c1-200))"
exit 1
