#!/usr/bin/env bash
# Installs podman-compose and the CNI dnsname plugin from Debian's packages when they are missing:
# Debian 12's podman uses CNI networks, where containers find each other by service name only through
# that plugin (podman-compose gives each container its service name as a network alias).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$CONTAINERS_DIR/install-podman.sh" >/dev/null
missing=()
command -v podman-compose >/dev/null || missing+=(podman-compose)
if [[ "$(podman info --format '{{.Host.NetworkBackend}}')" == cni ]] \
  && ! compgen -G "/usr/lib/cni/dnsname" >/dev/null && ! compgen -G "/opt/cni/bin/dnsname" >/dev/null; then
  missing+=(golang-github-containernetworking-plugin-dnsname)
fi
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || die "need root to install: ${missing[*]}"
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
podman-compose --version 2>/dev/null | sed -n 's/^podman-composer* version */podman-compose /p'
