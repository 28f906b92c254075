#!/usr/bin/env bash
# Builds the bootable Anjungan KSD disk image from Debian bookworm packages and our .debs only:
# mmdebstrap makes the root tree, customize.sh configures it (read-only root, lockdown, ...),
# genimage writes the disk (FAT KSD-BOOT, ext4 KSD-ROOT read-only, ext4 KSD-DATA that grows on
# first boot) without mounting anything. Needs root (mmdebstrap, files owned by system users).
#
# Usage: image/build.sh amd64|arm64 [DEB_DIR] [--pack FILE.pack --key FILE.pub] [--no-xz]
#   DEB_DIR   where our .debs are (default build/packages, where scripts/package.sh puts both
#             architectures; the image takes the one ksd-kiosk_*_ARCH.deb)
#   --pack    the content pack copied to the data partition on first boot, with FILE.pack.minisig
#   --key     the office's minisign public key packs must be signed with (/etc/ksd/content.pub)
#             (default for both: the demo pack and demo key of the ksd-kiosk package)
#   --no-xz   skip the compressed copy
# Output: build/image/ksd-ARCH.img (and .img.xz). Tools: scripts/setup-image.sh installs them.
# KSD_DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org/debian).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$here/.." && pwd)
arch=${1:-}
shift || true
case $arch in
amd64 | arm64) ;;
*)
    echo "usage: image/build.sh amd64|arm64 [DEB_DIR] [--pack FILE --key FILE] [--no-xz]" >&2
    exit 2
    ;;
esac
deb_dir=""
pack=""
key=""
xz=yes
while [ $# -gt 0 ]; do
    case $1 in
    --pack) pack=$(realpath "$2"); shift 2 ;;
    --key) key=$(realpath "$2"); shift 2 ;;
    --no-xz) xz=no; shift ;;
    -*) echo "image/build.sh: unknown option $1" >&2; exit 2 ;;
    *) deb_dir=$1; shift ;;
    esac
done
if { [ -n "$pack" ] && [ -z "$key" ]; } || { [ -z "$pack" ] && [ -n "$key" ]; }; then
    echo "image/build.sh: --pack and --key go together" >&2
    exit 2
fi
if [ -z "$deb_dir" ]; then
    deb_dir=$root_dir/build/packages
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "image/build.sh: needs root (mmdebstrap and a tree owned by system users)" >&2
    exit 1
fi
for tool in mmdebstrap genimage mke2fs mkdosfs mcopy; do
    command -v "$tool" >/dev/null || {
        echo "image/build.sh: $tool is missing: run scripts/setup-image.sh" >&2
        exit 1
    }
done
shopt -s nullglob
debs=("$deb_dir"/ksd-kiosk_*_"$arch".deb)
if [ ${#debs[@]} -ne 1 ]; then
    echo "image/build.sh: want exactly one ksd-kiosk_*_$arch.deb in $deb_dir (scripts/package.sh)" >&2
    exit 1
fi
if [ "$arch" = arm64 ] && [ "$(dpkg --print-architecture)" != arm64 ] \
    && ! [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
    echo "image/build.sh: arm64 needs qemu-user-static with binfmt_misc (scripts/setup-image.sh)" >&2
    exit 1
fi
mirror=${KSD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
out=$root_dir/build/image
work=$out/$arch
tree=$work/tree
boot=$work/boot
rm -rf "$work"
mkdir -p "$tree" "$boot" "$work/tmp" "$work/empty"
now() { date +%s; }
t0=$(now)
step() { echo "== $(($(now) - t0)) s: $*"; }

# --- the root tree ----------------------------------------------------------------------------
# Only what a kiosk needs: systemd (networkd, resolved, timesyncd), the kernel, Mesa's GL for
# SDL on KMS/DRM, SSH and Wi-Fi for the technician, growpart for the data partition.
pkgs=(systemd systemd-sysv systemd-timesyncd systemd-resolved udev dbus kmod initramfs-tools
    cloud-guest-utils fdisk openssh-server wpasupplicant ca-certificates tzdata
    libgl1-mesa-dri libegl1 libgles2 libgbm1)
case $arch in
amd64) pkgs+=(linux-image-amd64 systemd-boot-efi firmware-iwlwifi firmware-realtek) ;;
arm64) pkgs+=(linux-image-arm64 raspi-firmware firmware-brcm80211) ;;
esac
step "mmdebstrap $arch (${#pkgs[@]} packages + ${debs[0]##*/})"
include=$(IFS=,; echo "${pkgs[*]}")
# initramfs-tools builds the initrd once, when the kernel is installed (the slow part under
# emulation); MODULES=most keeps the usual disk drivers (SATA, NVMe, USB, MMC, virtio).
# Our .deb goes in with the others (apt outside the chroot resolves its Depends; inside, DNS stops
# working once systemd-resolved owns /etc/resolv.conf).
# update-initramfs is diverted to a no-op while the packages go in (the kernel's postinst and the
# triggers of udev, kmod, ... would build the initrd two or three times), then run once.
nice -n 10 mmdebstrap --variant=minbase --architectures="$arch" --format=directory \
    --components=main,non-free-firmware --include="$include" \
    --essential-hook='mkdir -p "$1/boot/firmware"' \
    --essential-hook='chroot "$1" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs' \
    --essential-hook='printf "#!/bin/sh\nexit 0\n" >"$1/usr/sbin/update-initramfs"; chmod 755 "$1/usr/sbin/update-initramfs"' \
    --customize-hook='rm -f "$1/usr/sbin/update-initramfs"' \
    --customize-hook='chroot "$1" dpkg-divert --quiet --local --rename --remove /usr/sbin/update-initramfs' \
    --customize-hook='chroot "$1" update-initramfs -c -k all' \
    --include="$(realpath "${debs[0]}")" \
    --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    bookworm "$tree" "deb $mirror bookworm main non-free-firmware"

step "configuring the tree"
"$here/customize.sh" "$tree" "$boot" "$arch" "$pack" "$key"

# --- the disk -------------------------------------------------------------------------------
root_mb=$(du -sm "$tree" | cut -f1)
# Room for the ext4 metadata; the root is never written, so little more is needed.
root_mb=$((root_mb * 110 / 100 + 64))
if [ "$arch" = amd64 ]; then
    table=gpt
    boot_type='partition-type-uuid = "U"'
    root_type='partition-type-uuid = "4f68bce3-e8cd-4db1-96e7-fbcaf984b709"'
    data_type='partition-type-uuid = "L"'
else
    table=mbr
    boot_type='partition-type = 0x0c
        bootable = true'
    root_type='partition-type = 0x83'
    data_type='partition-type = 0x83'
fi
cat >"$work/genimage.cfg" <<EOF
# Written by image/build.sh.
image boot.vfat {
    vfat {
        label = "KSD-BOOT"
        extraargs = "-F 32"
    }
    srcpath = "$boot"
    size = 256M
}
image root.ext4 {
    ext4 {
        label = "KSD-ROOT"
        use-mke2fs = true
        # Never written: no journal, no reserved blocks.
        features = "^has_journal"
        extraargs = "-m 0"
    }
    srcpath = "$tree"
    size = ${root_mb}M
}
image data.ext4 {
    ext4 {
        label = "KSD-DATA"
        use-mke2fs = true
        extraargs = "-m 1"
    }
    empty = true
    size = 64M
}
image ksd-$arch.img {
    hdimage {
        partition-table-type = "$table"
        align = 4M
    }
    partition boot {
        image = "boot.vfat"
        $boot_type
    }
    partition root {
        image = "root.ext4"
        $root_type
    }
    partition data {
        image = "data.ext4"
        $data_type
    }
}
EOF
step "genimage (root ${root_mb} MB)"
rm -rf "$work/genimage-tmp"
nice -n 10 genimage --config "$work/genimage.cfg" --rootpath "$work/empty" \
    --tmppath "$work/genimage-tmp" --inputpath "$work" --outputpath "$work/out" >"$work/genimage.log" 2>&1 \
    || { tail -30 "$work/genimage.log"; exit 1; }
mv -f "$work/out/ksd-$arch.img" "$out/ksd-$arch.img"
rm -rf "$work/genimage-tmp" "$work/out"
if [ "$xz" = yes ]; then
    step "xz"
    nice -n 10 xz -T2 -1 -f -k "$out/ksd-$arch.img"
fi
step "done"
ls -l "$out/ksd-$arch.img"* | sed 's/^/  /'
echo "image: $out/ksd-$arch.img ($(du -m --apparent-size "$out/ksd-$arch.img" | cut -f1) MB," \
    "tree ${root_mb} MB), $(($(now) - t0)) s"
