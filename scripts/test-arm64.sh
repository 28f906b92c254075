#!/usr/bin/env bash
# The arm64 test suite, cross-built here and run under qemu-user (slow: not in every CI run).
# Needs scripts/setup-arm64.sh first. The tests start the arm64 ksd-* binaries themselves (fork +
# exec, sh -c), so the kernel must hand arm64 ELF files to qemu: this mounts binfmt_misc and
# enables Debian's qemu-aarch64 entry when they are not there (root), which stays for the boot.
# Usage: scripts/test-arm64.sh [ctest arguments, e.g. -R 'golden']   KSD_JOBS: build jobs (2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${KSD_JOBS:-2}
for tool in aarch64-linux-gnu-g++ aarch64-linux-gnu-pkg-config qemu-aarch64-static update-binfmts; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "test-arm64: $tool is missing: run scripts/setup-arm64.sh first" >&2
        exit 1
    fi
done
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/qemu-aarch64" ] || ! grep -qx enabled "$binfmt/qemu-aarch64"; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "test-arm64: arm64 binaries cannot start here (no binfmt_misc entry qemu-aarch64);" \
            "run this as root once, or: sudo mount -t binfmt_misc binfmt_misc $binfmt &&" \
            "sudo update-binfmts --enable qemu-aarch64" >&2
        exit 1
    fi
    if [ ! -e "$binfmt/register" ]; then
        mount -t binfmt_misc binfmt_misc "$binfmt"
    fi
    update-binfmts --enable qemu-aarch64
fi
# Proof that the kernel now runs an arm64 binary (libc6:arm64's loader, which our binaries use).
if ! /lib/ld-linux-aarch64.so.1 --version >/dev/null 2>&1; then
    echo "test-arm64: binfmt_misc is set up but an arm64 program still does not start" >&2
    exit 1
fi
start=$(date +%s)
cmake --preset arm64 >/dev/null
cmake --build --preset arm64 -j "$jobs"
built=$(date +%s)
# The kiosk tests draw offscreen; under emulation each test is ~5x slower than natively.
status=0
SDL_VIDEODRIVER=dummy ctest --preset arm64 -j "$jobs" "$@" || status=$?
echo "test-arm64: build $((built - start)) s, tests $(($(date +%s) - built)) s"
exit $status
