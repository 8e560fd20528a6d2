# shellcheck shell=bash
# Sourced: the variables below are used by the scripts that source this file.
# shellcheck disable=SC2034
# Shared by the scripts in scripts/containers/: paths, the podman configuration, and logging.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONTAINERS_DIR="$ROOT/scripts/containers"
WORK="${CONTAINERS_WORK:-$ROOT/.cache/containers}"
mkdir -p "$WORK" # a fresh clone has no .cache/ yet, even when the base image is already built
export CONTAINERS_CONF="${CONTAINERS_CONF:-$CONTAINERS_DIR/containers.conf}"

# The Bun version the Dockerfile's FROM lines use (ARG BUN_VERSION=...): one place to bump it.
BUN_VERSION="$(sed -n 's/^ARG BUN_VERSION=//p' "$ROOT/Dockerfile" | head -n1)"
BASE_IMAGE="docker.io/oven/bun:$BUN_VERSION"
SLIM_IMAGE="docker.io/oven/bun:$BUN_VERSION-slim"
IMAGE_PREFIX="${IMAGE_PREFIX:-localhost/bun-shop}"

log() { printf '[containers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
