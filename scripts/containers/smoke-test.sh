#!/usr/bin/env bash
# Runs one built image with podman the way Kubernetes would (non-root, read-only root filesystem,
# production config), waits for GET /health/live, then checks that SIGTERM (through tini) stops it
# cleanly well before the kill timeout. Production serves /metrics on METRICS_PORT only.
#   scripts/containers/smoke-test.sh <module> [port] [metrics port]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

module="${1:?usage: smoke-test.sh <module> [port]}"
port="${2:-38080}"
metrics_port="${3:-$((port + 1000))}"
image="$IMAGE_PREFIX-$module:dev"
name="bun-shop-smoke-$module-$$"
data="$(mktemp -d)"
chown 1000:1000 "$data"
trap 'podman rm -f "$name" >/dev/null 2>&1 || true; rm -rf "$data"' EXIT

# Split-mode services need their peers' URLs (and the identity owner's) to start; nothing listens
# there (connection refused), which is enough for the liveness check. The all-in-one image ignores them.
peers=(-e "IDENTITY_URL=http://127.0.0.1:9")
for peer in catalog cart order payment; do
  [[ "$peer" == "$module" ]] || peers+=(-e "${peer^^}_URL=http://127.0.0.1:9")
done

log "starting $image on 127.0.0.1:$port"
podman run -d --name "$name" --network=host --read-only --tmpfs /tmp \
  --cap-drop=ALL --security-opt=no-new-privileges \
  -v "$data:/data" "${peers[@]}" \
  -e PORT="$port" -e METRICS_PORT="$metrics_port" -e NODE_ENV=production -e LOG_LEVEL=info \
  -e TOKEN_SECRET="smoke-test-secret-0123456789abcdef0123456789" \
  -e DEMO_ALICE_PASSWORD=alice-smoke-pw -e DEMO_BOB_PASSWORD=bob-smoke-pw -e DEMO_OPS_PASSWORD=ops-smoke-pw \
  "$image" >/dev/null 2> >(grep -v 'systemd' >&2)

ok=0
for _ in $(seq 1 60); do
  if body="$(curl -fsS --max-time 2 "http://127.0.0.1:$port/health/live" 2>/dev/null)"; then ok=1; break; fi
  [[ "$(podman inspect -f '{{.State.Running}}' "$name")" == true ]] || break
  sleep 0.5
done
if ((!ok)); then podman logs "$name" >&2 || true; die "$module never answered /health/live"; fi
log "/health/live -> $body"
ready="$(curl -sS --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)"
log "/health/ready -> HTTP $ready"
if [[ "$module" == gateway || "$module" == all ]]; then
  curl -fsS --max-time 2 "http://127.0.0.1:$port/" | grep -qi '<!doctype html' || die "$module does not serve the dashboard at /"
  log "GET / -> the dashboard's index.html"
fi
public_metrics="$(curl -sS --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics" || true)"
[[ "$public_metrics" == 404 ]] || die "/metrics answers HTTP $public_metrics on the public port; production keeps it on METRICS_PORT"
metrics="$(curl -fsS --max-time 2 "http://127.0.0.1:$metrics_port/metrics")" || die "nothing answers on METRICS_PORT $metrics_port"
grep -q '^process_cpu_seconds_total' <<<"$metrics" || die "no Prometheus metrics on METRICS_PORT $metrics_port"
log "/metrics -> 404 on the public port, Prometheus text on $metrics_port"
user="$(podman exec "$name" id -u)"
[[ "$user" == 1000 ]] || die "the process runs as uid $user, not 1000"
pid1="$(podman exec "$name" cat /proc/1/comm)"
log "runs as uid $user; PID 1 is $pid1"
[[ "$pid1" == tini ]] || die "PID 1 is $pid1, not tini"
# The image's own HEALTHCHECK (bun -e fetch ...), run once: podman schedules it with systemd timers,
# which a machine without systemd lacks, so it is invoked by hand here.
podman healthcheck run "$name" 2> >(grep -v 'systemd' >&2) || die "the image's HEALTHCHECK failed"
log "HEALTHCHECK passed"

# SIGTERM with a 10 s kill timeout: a clean exit well before it proves the signal reached Bun.
t0=$(date +%s%N)
podman stop -t 10 "$name" >/dev/null 2> >(grep -v 'systemd' >&2)
elapsed_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
code="$(podman inspect -f '{{.State.ExitCode}}' "$name")"
log "stopped by SIGTERM in ${elapsed_ms} ms with exit code $code"
podman logs "$name" 2>&1 | tail -n 3 >&2
((elapsed_ms < 9000)) || die "it took the kill timeout to stop: SIGTERM was not handled"
[[ "$code" == 0 ]] || die "exit code $code after SIGTERM"
log "smoke test of $module passed"
