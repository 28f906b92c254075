#!/usr/bin/env bash
# Prepares this (amd64) machine to cross-build and test for arm64: adds the arm64 architecture
# to dpkg and installs scripts/debian-packages-arm64.txt (the cross compiler, qemu-user and the
# :arm64 development libraries). Not part of scripts/setup.sh: CI's normal run does not need it.
# Uses sudo when not root. Safe to run again: it does nothing when all are present.
# Usage: scripts/setup-arm64.sh   (then: cmake --preset arm64, see README "Cross-building for arm64")
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
wanted=()
while read -r pkg role; do
    case "$role" in
    host) wanted+=("$pkg") ;;
    build | test) wanted+=("$pkg:arm64") ;;
    *) echo "setup-arm64: unknown role '$role' for $pkg in debian-packages-arm64.txt" >&2; exit 1 ;;
    esac
done < <(grep -v '^\s*#' "$here/debian-packages-arm64.txt" | awk 'NF')
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
added=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64
    added=1
fi
missing=()
for p in "${wanted[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ] && [ $added -eq 0 ]; then
    exit 0
fi
echo "setup-arm64: installing ${#missing[@]} missing package(s): ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# update first: the :arm64 libraries must match the amd64 ones' versions (Multi-Arch: same), and
# apt may upgrade an amd64 library to the archive's version to get there.
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
