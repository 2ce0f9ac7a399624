#!/usr/bin/env bash
# Set up the real-Akash dev chain in ./data: akash init (in Docker), the dev-chain genesis
# tweaks (Python, on the host), the validator's gentx (in Docker). Then: docker compose up -d node
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
export HOST_UID="$(id -u)" HOST_GID="$(id -g)"
if [ -e data/config/genesis.json ]; then
  echo "data/ already holds a chain; remove it (rm -rf $here/data) to start over" >&2
  exit 1
fi
mkdir -p data
python="$root/.venv/bin/python"
[ -x "$python" ] || "$root/scripts/bootstrap"
docker compose run --rm init
"$python" "$here/setup-genesis.py" data/config/genesis.json
docker compose run --rm gentx
echo "ready: docker compose -f $here/docker-compose.yml up -d node"
