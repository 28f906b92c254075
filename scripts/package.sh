#!/usr/bin/env bash
# Builds the Debian packages ksd-kiosk, ksd-server and ksd-content: a Release build without tests
# (preset `package`, or `package-arm64` cross-built for the Raspberry Pi), then CPack into
# build/packages/. dpkg-shlibdeps computes the Depends from the binaries (for arm64 from the
# :arm64 libraries that scripts/setup-arm64.sh installs).
# Usage: scripts/package.sh [amd64|arm64]   (default: this machine's architecture; then
#        ls build/packages/*.deb)   KSD_JOBS: build jobs (default: all cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
host=$(dpkg --print-architecture)
arch=${1:-$host}
case "$arch" in
"$host") preset=package ;;
arm64)
    preset=package-arm64
    if ! command -v aarch64-linux-gnu-g++ >/dev/null 2>&1; then
        echo "package: the arm64 cross compiler is missing: run scripts/setup-arm64.sh first" >&2
        exit 1
    fi
    ;;
*)
    echo "package: unknown architecture '$arch' (amd64 or arm64)" >&2
    exit 2
    ;;
esac
jobs=${KSD_JOBS:-$(nproc)}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
mkdir -p build/packages
# DEB_HOST_ARCH: dpkg-shlibdeps then reads the arm64 binaries with the arm64 objdump and looks
# their libraries up among the :arm64 packages (the tree's CPack config names the architecture).
(cd "build/$preset" && DEB_HOST_ARCH="$arch" cpack -G DEB -B "$root/build/packages")
rm -rf build/packages/_CPack_Packages
ls -l build/packages/*_"$arch".deb
