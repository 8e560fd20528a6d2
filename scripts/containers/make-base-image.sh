#!/usr/bin/env bash
# Assembles the Dockerfile's base images locally, because no container registry is reachable here:
# a minimal Debian bookworm (debootstrap, from the mirror apt already uses) plus the Bun binary from
# the npm package @oven/bun-linux-x64, tagged with the names the Dockerfile's FROM lines use.
# The same rootfs stands in for both oven/bun:<v> and oven/bun:<v>-slim.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

if podman image exists "$BASE_IMAGE" && podman image exists "$SLIM_IMAGE" && [[ "${REBUILD_BASE:-0}" != 1 ]]; then
  log "base images $BASE_IMAGE and $SLIM_IMAGE already present"
  exit 0
fi

mkdir -p "$WORK"
rootfs="$WORK/rootfs-bookworm"
tarball="$WORK/bun-base-$BUN_VERSION.tar"

# The Debian mirror apt is configured with (deb822 or one-line format).
mirror="$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)"
[[ -n "$mirror" ]] || mirror="$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)"
mirror="${mirror:-http://deb.debian.org/debian}"

if [[ ! -f "$tarball" ]]; then
  rm -rf "$rootfs"
  log "debootstrap bookworm (minbase) from $mirror"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log: $WORK/debootstrap.log)"; }

  log "adding bun $BUN_VERSION from the npm package @oven/bun-linux-x64"
  pack_dir="$(mktemp -d)"
  (cd "$pack_dir" && npm pack --silent "@oven/bun-linux-x64@$BUN_VERSION" >/dev/null)
  tar -xzf "$pack_dir"/oven-bun-linux-x64-*.tgz -C "$pack_dir"
  install -m 0755 "$pack_dir/package/bin/bun" "$rootfs/usr/local/bin/bun"
  ln -sf bun "$rootfs/usr/local/bin/bunx"
  rm -rf "$pack_dir"
  "$rootfs/usr/local/bin/bun" --version >/dev/null || die "the bun binary does not run"

  # The bun user (uid/gid 1000) exists in the official images too; the Dockerfile runs as it.
  echo "bun:x:1000:" >>"$rootfs/etc/group"
  echo "bun:x:1000:1000::/home/bun:/bin/sh" >>"$rootfs/etc/passwd"
  echo "bun:!:19000:0:99999:7:::" >>"$rootfs/etc/shadow"
  install -d -o 1000 -g 1000 "$rootfs/home/bun/app"

  # This machine reaches registries through a TLS-inspecting proxy whose CA is in the host's store:
  # the local stand-in trusts what the host trusts (the published oven/bun images need nothing of it).
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
    touch "$rootfs/.extra-ca-certs"
  fi

  # Shrink: no package lists or downloaded archives in the image.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  tar --numeric-owner -C "$rootfs" -cf "$tarball" .
  rm -rf "$rootfs"
fi

log "importing $BASE_IMAGE"
extra_ca=()
if tar -tf "$tarball" ./.extra-ca-certs >/dev/null 2>&1; then
  extra_ca=(--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi
podman import "${extra_ca[@]}" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV BUN_RUNTIME_TRANSPILER_CACHE_PATH=0' \
  --change 'WORKDIR /home/bun/app' \
  --change 'CMD ["/usr/local/bin/bun"]' \
  --quiet "$tarball" "$BASE_IMAGE" >/dev/null
podman tag "$BASE_IMAGE" "$SLIM_IMAGE"
log "base images ready: $BASE_IMAGE, $SLIM_IMAGE"
