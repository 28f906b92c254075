#!/usr/bin/env bash
# The clean-root test of the .deb packages: mmdebstrap makes a minimal Debian bookworm root from
# the Debian archive, apt installs our .debs there (pulling only their Depends from the archive,
# running their maintainer scripts), and every binary must start (--version) inside it by chroot.
# Needs root and the Debian mirror; prints SKIPPED with the reason otherwise. Takes ~1-3 min;
# for arm64 the root's programs and ours run under qemu-user through binfmt_misc (not yet timed).
# Usage: scripts/test-packages.sh [--arch amd64|arm64] [DEB_DIR]
#   DEB_DIR default build/packages, made by scripts/package.sh [ARCH]; --arch default: this machine's.
# KSD_DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org/debian).
set -euo pipefail
root_dir=$(cd "$(dirname "$0")/.." && pwd)
arch=$(dpkg --print-architecture)
if [ "${1:-}" = "--arch" ]; then
    arch=${2:?--arch needs amd64 or arm64}
    shift 2
fi
case "$arch" in
amd64 | arm64) ;;
*) echo "FAIL: unknown architecture '$arch' (amd64 or arm64)"; exit 1 ;;
esac
debs=$(cd "${1:-$root_dir/build/packages}" 2>/dev/null && pwd) || {
    echo "FAIL: no package directory ${1:-build/packages} (run scripts/package.sh first)"
    exit 1
}
mirror=${KSD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
if ! command -v mmdebstrap >/dev/null 2>&1; then
    echo "SKIPPED: mmdebstrap is missing (apt-get install mmdebstrap)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIPPED: needs root (chroot, and files owned by the system users)"
    exit 0
fi
if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    # A foreign root: its maintainer scripts and our binaries start through binfmt_misc + qemu.
    binfmt=/proc/sys/fs/binfmt_misc
    if ! command -v update-binfmts >/dev/null 2>&1 || ! command -v qemu-aarch64-static >/dev/null 2>&1; then
        echo "SKIPPED: a $arch root needs qemu-user-static and binfmt-support (scripts/setup-arm64.sh)"
        exit 0
    fi
    [ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt"
    update-binfmts --enable qemu-aarch64
fi
shopt -s nullglob
packages=("$debs"/ksd-*_"$arch".deb)
if [ ${#packages[@]} -lt 3 ]; then
    echo "FAIL: expected ksd-kiosk, ksd-server and ksd-content for $arch in $debs (scripts/package.sh)"
    exit 1
fi
target=$(mktemp -d /tmp/ksd-clean-root.XXXXXX)
trap 'rm -rf "$target"' EXIT
start=$(date +%s)
# The .debs go in through apt so that their Depends (and nothing else) come from the archive and
# their postinst runs as on a real machine (no systemd running: nothing is started).
mmdebstrap --variant=apt --architectures="$arch" --format=directory \
    --customize-hook="mkdir -p \"\$1/tmp/ksd-debs\"" \
    --customize-hook="copy-in ${packages[*]} /tmp/ksd-debs/" \
    --customize-hook='chroot "$1" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/ksd-debs/*.deb"' \
    bookworm "$target" "deb $mirror bookworm main"
failed=0
for bin in ksd-kiosk ksd-sync ksd-server ksd-content; do
    if out=$(chroot "$target" "/usr/bin/$bin" --version 2>&1); then
        echo "ok: $(printf '%s' "$out" | head -n 1)"
    else
        echo "FAIL: $bin --version in the clean root: $out"
        failed=1
    fi
done
for user in ksd-kiosk ksd-sync ksd-server; do
    chroot "$target" getent passwd "$user" >/dev/null || { echo "FAIL: no user $user"; failed=1; }
done
for unit in ksd-kiosk ksd-sync ksd-server; do
    [ -L "$target/etc/systemd/system/multi-user.target.wants/$unit.service" ] \
        || { echo "FAIL: $unit.service not enabled by the postinst"; failed=1; }
done
# An edited config survives a reinstall (a conffile: dpkg keeps the admin's version).
cp "$debs"/ksd-kiosk_*_"$arch".deb "$target/tmp/ksd-kiosk.deb"
echo "# edited by the technician" >>"$target/etc/ksd/kiosk.toml"
if ! chroot "$target" dpkg -i /tmp/ksd-kiosk.deb </dev/null >/dev/null 2>&1; then
    echo "FAIL: reinstalling ksd-kiosk"
    failed=1
elif ! grep -q "edited by the technician" "$target/etc/ksd/kiosk.toml"; then
    echo "FAIL: reinstalling ksd-kiosk overwrote the edited /etc/ksd/kiosk.toml"
    failed=1
else
    echo "ok: an edited /etc/ksd/kiosk.toml survives a reinstall"
fi
echo "clean root: $(du -sh "$target" | cut -f1), $(($(date +%s) - start)) s"
exit $failed
