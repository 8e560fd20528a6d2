#!/usr/bin/env bash
# CI's container stage (called by .ci/run after `npm test`), as root on Debian:
#   1. installs podman, runc and debootstrap if missing,
#   2. assembles the base image locally (no registry is reachable) and builds the five module
#      images from the real Dockerfile,
#   3. runs the container tests: each image's smoke test (test/infra/container-images.test.ts) and
#      the five images on one network with a real Kafka broker running the checkout scenario
#      (test/containers/images-e2e.test.ts),
#   4. compose.yaml brought up with podman-compose (PostgreSQL, Kafka, two order replicas) and the
#      checkout scenario run through its gateway (compose-e2e.sh, reusing the images of step 2).
# Measured on 2 cores: cold (podman not installed, empty storage, no cached base rootfs) about 1.5
# minutes; warm (images cached) about 30 s. The compose stage adds about 2 minutes (stack up in ~80 s,
# scenario ~5 s, down ~25 s), and ~100 s more the first time to build the PostgreSQL and Kafka images.
#   scripts/containers/e2e.sh [extra bun test args]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

started=$SECONDS
phase() { log "$1 done in $((SECONDS - t)) s (total $((SECONDS - started)) s)"; }

# The pinned Bun: from PATH when it is that version, else the copy `npm test` installs into .tools/.
want="$(sed -n 's/.*"packageManager": *"bun@\([^"]*\)".*/\1/p' package.json)"
bun=bun
if [[ "$(bun --version 2>/dev/null)" != "$want" ]]; then
  bun="$ROOT/.tools/node_modules/.bin/bun"
  if [[ "$("$bun" --version 2>/dev/null)" != "$want" ]]; then
    log "installing Bun $want from npm into .tools/"
    npm install --prefix "$ROOT/.tools" --no-save --no-audit --no-fund "bun@$want" >/dev/null
  fi
fi
"$bun" --version >/dev/null || die "no Bun $want"

t=$SECONDS
"$CONTAINERS_DIR/install-podman.sh" >/dev/null
# The tests import kafkajs and the scenario's helpers; the broker's jars come from Maven Central.
"$bun" install --frozen-lockfile >/dev/null
"$bun" scripts/kafka/broker.ts prepare >/dev/null
phase "tools (podman $(podman --version | awk '{print $3}'), dependencies, Kafka jars)"

t=$SECONDS
"$CONTAINERS_DIR/build-images.sh" catalog cart order payment gateway
phase "images"

t=$SECONDS
# CONTAINER_IMAGES_BUILT: the end-to-end test uses the images just built instead of rebuilding.
RUN_CONTAINER_TESTS=1 CONTAINER_IMAGES_BUILT=1 \
  "$bun" test --timeout 900000 test/containers test/infra/container-images.test.ts "$@"
phase "container tests"

t=$SECONDS
COMPOSE_IMAGES_BUILT=1 BUN="$bun" "$CONTAINERS_DIR/compose-e2e.sh"
phase "compose stack"
log "container stage passed in $((SECONDS - started)) s"
