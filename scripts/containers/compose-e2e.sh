#!/usr/bin/env bash
# CI's compose stage (called by e2e.sh after the container tests, as root on Debian): compose.yaml
# brought up with podman-compose under a project name of its own (PostgreSQL, Kafka, catalog, cart,
# order-1, order-2, payment, gateway), the checkout scenario run through the published gateway
# (test/containers/compose-e2e.test.ts), then everything removed again (containers, volumes, network),
# whatever happened. Every wait is bounded.
#   scripts/containers/compose-e2e.sh      # COMPOSE_IMAGES_BUILT=1: the service images are fresh already
# podman-compose 1.0.3 (Debian 12) ignores depends_on conditions and podman runs no health checks
# without systemd, so this script does what the conditions say: it starts PostgreSQL and Kafka, runs
# their health checks until they pass, then the modules, then the gateway, each after its dependencies.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

started=$SECONDS
bun="${BUN:-bun}"
project="bun-shop-ci-$$"
logfile="$WORK/compose-$project.log"
compose() { podman-compose -p "$project" -f "$ROOT/compose.yaml" "$@" >>"$logfile" 2>&1; }

"$CONTAINERS_DIR/install-compose.sh"
[[ "${COMPOSE_IMAGES_BUILT:-0}" == 1 ]] || "$CONTAINERS_DIR/build-images.sh" catalog cart order payment gateway
"$CONTAINERS_DIR/build-compose-images.sh"
log "images ready after $((SECONDS - started)) s"

# A free port on 127.0.0.1 for the gateway (compose publishes only that one).
GATEWAY_PORT="$("$bun" -e 'const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }); console.log(s.port); s.stop(true)')"
export GATEWAY_PORT

cleanup() {
  local code=$? t=$SECONDS
  if ((code != 0)); then
    log "failed; the last lines of each container:"
    for id in $(podman ps -aq --filter "label=com.docker.compose.project=$project"); do
      printf -- '----- %s -----\n' "$(podman inspect --format '{{.Name}} ({{.State.Status}}, exit {{.State.ExitCode}})' "$id")" >&2
      podman logs --tail 30 "$id" 2>&1 | cut -c1-400 >&2 || true
    done
    log "podman-compose's output: $logfile"
  fi
  timeout 120 podman-compose -p "$project" -f "$ROOT/compose.yaml" down -v -t 10 >>"$logfile" 2>&1 || log "compose down failed (see $logfile)"
  # down -v leaves the project's network (podman-compose 1.0.3) and any container it did not know.
  podman ps -aq --filter "label=com.docker.compose.project=$project" | xargs -r podman rm -f -t 5 >/dev/null 2>&1 || true
  podman network rm -f "${project}_default" >/dev/null 2>&1 || true
  log "removed the stack in $((SECONDS - t)) s"
  ((code != 0)) || rm -f "$logfile"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs each service's health check (the one compose.yaml declares) until all pass, for at most $1 seconds.
wait_healthy() {
  local limit=$1 t=$SECONDS; shift
  local pending=("$@")
  while ((${#pending[@]})); do
    local still=()
    for s in "${pending[@]}"; do
      local id
      id="$(podman ps -aq --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$s")"
      [[ -n "$id" ]] || die "no container for $s"
      podman healthcheck run "$id" >/dev/null 2>&1 || still+=("$s")
    done
    pending=("${still[@]}")
    ((${#pending[@]})) || break
    ((SECONDS - t < limit)) || die "not healthy after $limit s: ${pending[*]}"
    sleep 2
  done
  log "healthy after $((SECONDS - t)) s: $*"
}

t=$SECONDS
log "project $project: starting postgres and kafka"
compose up -d postgres kafka || die "compose up failed (see $logfile)"
wait_healthy 180 postgres kafka
log "starting catalog, cart, order-1, order-2, payment"
compose up -d catalog cart order-1 order-2 payment || die "compose up failed (see $logfile)"
wait_healthy 120 catalog cart order-1 order-2 payment
log "starting gateway"
compose up -d gateway || die "compose up failed (see $logfile)"
wait_healthy 60 gateway
log "stack up in $((SECONDS - t)) s; gateway at http://127.0.0.1:$GATEWAY_PORT"

t=$SECONDS
COMPOSE_GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" COMPOSE_PROJECT="$project" \
  timeout 600 "$bun" test --timeout 300000 test/containers/compose-e2e.test.ts
log "scenario done in $((SECONDS - t)) s; compose stage passed in $((SECONDS - started)) s"
