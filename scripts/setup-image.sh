#!/usr/bin/env bash
# Installs the tools of image/build.sh and image/test-boot.sh: the "image" role of
# scripts/debian-packages.txt (plus mmdebstrap, sqlite3 and python3 of the test role). Not run
# by CI. For arm64 images it also enables qemu-aarch64 in binfmt_misc (mounting it if needed),
# so mmdebstrap can run the arm64 tree's maintainer scripts.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -v '^\s*#' "$here/debian-packages.txt" | awk '$2 == "image" {print $1}')
wanted+=(mmdebstrap sqlite3 python3)
missing=()
for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup-image: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ "${1:-}" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ]; then
    [ -e /proc/sys/fs/binfmt_misc/status ] \
        || $sudo mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    $sudo update-binfmts --enable qemu-aarch64 || true
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || {
        echo "setup-image: qemu-aarch64 is not registered in binfmt_misc" >&2
        exit 1
    }
fi
