#!/usr/bin/env bash
# Builds the service images from the repository's real Dockerfile with podman, offline from any
# container registry: installs podman if needed, assembles the base image, then one build per module.
#   scripts/containers/build-images.sh                    # catalog cart order payment gateway
#   scripts/containers/build-images.sh all                # the all-in-one image only
# Images are tagged $IMAGE_PREFIX-<module>:dev (default localhost/bun-shop-<module>:dev).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

modules=("$@")
((${#modules[@]})) || modules=(catalog cart order payment gateway)

started=$SECONDS
"$CONTAINERS_DIR/install-podman.sh" >/dev/null
"$CONTAINERS_DIR/make-base-image.sh"
log "base ready after $((SECONDS - started)) s"

for module in "${modules[@]}"; do
  [[ -f "$ROOT/src/entrypoints/$module.ts" ]] || die "src/entrypoints/$module.ts does not exist"
  t=$SECONDS
  log "building $IMAGE_PREFIX-$module:dev"
  # --pull=never: the base exists only locally; --network=host: bun install and apt reach their
  # registries the way this machine does; --format=docker keeps the HEALTHCHECK (OCI has none).
  podman build --pull=never --network=host --format=docker \
    --build-arg "MODULE=$module" \
    -t "$IMAGE_PREFIX-$module:dev" -f "$ROOT/Dockerfile" "$ROOT" >"$WORK/build-$module.log" 2>&1 \
    || { tail -n 30 "$WORK/build-$module.log" >&2; die "build of $module failed (log: $WORK/build-$module.log)"; }
  log "built $module in $((SECONDS - t)) s ($(podman image inspect --format '{{.Size}}' "$IMAGE_PREFIX-$module:dev" | numfmt --to=iec) )"
done
log "done in $((SECONDS - started)) s"
