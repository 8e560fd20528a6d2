#!/usr/bin/env bash
# Builds the two images compose.yaml needs besides the service images, offline from any container
# registry, on the locally assembled Debian base (make-base-image.sh):
#   $IMAGE_PREFIX-postgres:dev  Debian's PostgreSQL, one database per module   (scripts/containers/postgres/)
#   $IMAGE_PREFIX-kafka:dev     Debian's Java and Kafka's jars from Maven Central (scripts/containers/kafka/)
# The service images come from build-images.sh. Cached layers make a rebuild take seconds.
#   scripts/containers/build-compose-images.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$ROOT"

started=$SECONDS
"$CONTAINERS_DIR/install-podman.sh" >/dev/null
"$CONTAINERS_DIR/make-base-image.sh"

# Kafka's jars: the classpath scripts/kafka resolves with Maven (cached in .cache/m2), copied into a
# build context of their own; the copy keeps the files' times so the COPY layer stays cached.
classpath="$("${BUN:-bun}" scripts/kafka/broker.ts prepare >/dev/null && cat "$ROOT/.cache/kafka/classpath.txt")" \
  || die "could not resolve Kafka's jars (bun scripts/kafka/broker.ts prepare)"
kafka_ctx="$WORK/kafka-image"
rm -rf "$kafka_ctx" && mkdir -p "$kafka_ctx/jars"
tr ':' '\n' <<<"$classpath" | xargs cp --preserve=timestamps -t "$kafka_ctx/jars"
cp --preserve=timestamps "$CONTAINERS_DIR/kafka/Dockerfile" "$CONTAINERS_DIR/kafka/start.sh" "$kafka_ctx/"

build() { # name context
  local t=$SECONDS
  log "building $IMAGE_PREFIX-$1:dev"
  # --pull=never: the base exists only locally; --network=host: apt reaches its mirror as this machine does;
  # --format=docker keeps the HEALTHCHECK (OCI has none).
  podman build --pull=never --network=host --format=docker --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    -t "$IMAGE_PREFIX-$1:dev" "$2" >"$WORK/build-$1.log" 2>&1 \
    || { tail -n 30 "$WORK/build-$1.log" >&2; die "build of $1 failed (log: $WORK/build-$1.log)"; }
  log "built $1 in $((SECONDS - t)) s ($(podman image inspect --format '{{.Size}}' "$IMAGE_PREFIX-$1:dev" | numfmt --to=iec))"
}
build postgres "$CONTAINERS_DIR/postgres"
build kafka "$kafka_ctx"
log "done in $((SECONDS - started)) s"
