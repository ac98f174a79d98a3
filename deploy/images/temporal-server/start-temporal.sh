#!/bin/sh
# Listening on every interface of a container, the server must still announce one address its peers
# and its own services can reach: the container's (membership and cluster metadata use it).
set -eu
if [ "${TEMPORAL_BIND_IP:-}" = 0.0.0.0 ] && [ -z "${TEMPORAL_BROADCAST_ADDRESS:-}" ]; then
  TEMPORAL_BROADCAST_ADDRESS=$(hostname -i | cut -d' ' -f1)
  export TEMPORAL_BROADCAST_ADDRESS
fi
exec /usr/local/bin/temporal-server --root /etc/temporal --config config --env production "$@"
