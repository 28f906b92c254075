#!/usr/bin/env bash
# Builds the Debian packages ksd-kiosk, ksd-server and ksd-content for this machine's
# architecture: a Release build without tests (preset `package`), then CPack into build/packages/.
# Usage: scripts/package.sh   (then: ls build/packages/*.deb)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${KSD_JOBS:-$(nproc)}
cmake --preset package >/dev/null
cmake --build --preset package -j "$jobs"
mkdir -p build/packages
(cd build/package && cpack -G DEB -B "$root/build/packages")
rm -rf build/packages/_CPack_Packages
ls -l build/packages/*.deb
