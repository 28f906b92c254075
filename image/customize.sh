#!/usr/bin/env bash
# Configures the root tree mmdebstrap made (image/build.sh calls it): the files of image/rootfs,
# read-only root (fstab, tmpfs, empty machine-id, /etc/localtime in /run), lockdown (no getty,
# masked Ctrl-Alt-Del), services, the content key and pack, and fills the boot directory (the
# FAT partition KSD-BOOT: bootloader, kernel, ksd.toml).
# Usage: customize.sh TREE BOOT_DIR amd64|arm64 [PACK KEY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tree=$1
boot=$2
arch=$3
pack=${4:-}
key=${5:-}
in_tree() { chroot "$tree" "$@"; }

cp -a "$here/rootfs/." "$tree/"

# --- read-only root ---------------------------------------------------------------------------
ksd_gid=$(in_tree getent group ksd | cut -d: -f3)
[ -n "$ksd_gid" ] || { echo "customize: no group ksd (is ksd-kiosk installed?)" >&2; exit 1; }
cat >"$tree/etc/fstab" <<EOF
# Anjungan KSD image (image/customize.sh). The root is read-only; what must be written lives in
# memory (tmpfs) or on the data partition, which grows to fill the card on first boot.
LABEL=KSD-ROOT  /               ext4   ro,noatime                                   0 0
# ksd.toml, edited by the technician on a laptop: read-only here, readable by group ksd
# (ksd-kiosk, ksd-sync). nofail: a card without it still boots (the kiosk then shows the
# technician's page). The device timeout is the data partition's (systemd's default, 90 s): its
# label can come late (under QEMU TCG it came after a 15 s timeout, and ksd.toml went unread);
# ksd-setup, the kiosk and the agent wait for this mount (ksd-setup.service,
# ksd-kiosk.service.d/ksd-image.conf, ksd-sync.service.d/ksd-image.conf).
LABEL=KSD-BOOT  /boot/firmware  vfat   ro,uid=0,gid=$ksd_gid,fmask=0137,dmask=0027,nofail,x-systemd.device-timeout=90s  0 0
LABEL=KSD-DATA  /var/lib/ksd    ext4   rw,noatime,nosuid,nodev,noexec,x-systemd.growfs,x-systemd.requires=ksd-grow-data.service  0 2
tmpfs           /tmp            tmpfs  mode=1777,nosuid,nodev,size=64M              0 0
tmpfs           /var/tmp        tmpfs  mode=1777,nosuid,nodev,size=16M              0 0
tmpfs           /var/log        tmpfs  mode=0755,nosuid,nodev,size=16M              0 0
# systemd's state (timesyncd's clock file, random seed, timers) is per boot.
tmpfs           /var/lib/systemd tmpfs mode=0755,nosuid,nodev,size=8M               0 0
# USB sticks are mounted under /media/LABEL (ksd-usb-mount@.service).
tmpfs           /media          tmpfs  mode=0755,nosuid,nodev,noexec,size=1M        0 0
EOF
mkdir -p "$tree/boot/firmware" "$tree/var/lib/ksd" "$tree/media"
# An empty machine-id on a read-only root: systemd makes one per boot in /run (the DHCP client
# id is the MAC address instead, see /etc/systemd/network).
: >"$tree/etc/machine-id"
ln -sf /etc/machine-id "$tree/var/lib/dbus/machine-id"
ln -sfn /run/ksd/localtime "$tree/etc/localtime"
echo Asia/Jakarta >"$tree/etc/timezone"
echo anjungan-ksd >"$tree/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tanjungan-ksd\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
    >"$tree/etc/hosts"
ln -sfn ../run/systemd/resolve/stub-resolv.conf "$tree/etc/resolv.conf"
# Host keys are made per card on the data partition (ssh-host-keys), never shared by the image.
rm -f "$tree"/etc/ssh/ssh_host_*

# --- services ---------------------------------------------------------------------------------
# No login prompt anywhere (the kiosk owns tty1), no Ctrl-Alt-Del reboot, no apt or dpkg jobs
# writing to the read-only root.
for unit in getty@.service serial-getty@.service autovt@.service console-getty.service \
    ctrl-alt-del.target apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
    e2scrub_all.timer e2scrub_reap.service systemd-firstboot.service; do
    ln -sfn /dev/null "$tree/etc/systemd/system/$unit"
done
systemctl --root="$tree" enable systemd-networkd.service systemd-resolved.service \
    systemd-timesyncd.service ksd-vt-lock.service wpa_supplicant@wlan0.service \
    ksd-kiosk.service ksd-sync.service ssh.service >/dev/null
# ksd-setup (ksd.toml -> NTP, time zone, Wi-Fi, SSH) comes with the ksd-kiosk package from issue
# 12's second part on; an older package simply lacks it and the defaults above apply.
if [ -e "$tree/usr/lib/systemd/system/ksd-setup.service" ] \
    || [ -e "$tree/lib/systemd/system/ksd-setup.service" ]; then
    systemctl --root="$tree" enable ksd-setup.service >/dev/null
else
    echo "customize: note: this ksd-kiosk package has no ksd-setup; ksd.toml's [time], [wifi]" \
        "and [ssh] are not applied by this image" >&2
fi
rm -f "$tree/etc/systemd/system/multi-user.target.wants/ksd-server.service"

# --- content ----------------------------------------------------------------------------------
# The agent keeps the pack up to date from the server, checked with the same key as the kiosk.
sed -i -e 's|^pack_path = ""|pack_path = "/var/lib/ksd/content/ksd.pack"|' \
    -e 's|^public_key = ""|public_key = "/etc/ksd/content.pub"|' "$tree/etc/ksd/sync.toml"
if [ -z "$pack" ]; then
    pack=$tree/usr/share/ksd/ksd-demo.pack
    key=$tree/usr/share/ksd/ksd-demo.pub
fi
install -d "$tree/usr/share/ksd-image"
install -m 0644 "$pack" "$tree/usr/share/ksd-image/initial.pack"
install -m 0644 "$pack.minisig" "$tree/usr/share/ksd-image/initial.pack.minisig"
install -m 0644 "$key" "$tree/etc/ksd/content.pub"

# --- size -------------------------------------------------------------------------------------
rm -rf "$tree"/var/lib/apt/lists/* "$tree"/var/cache/apt/*.bin "$tree"/var/cache/apt/archives/*.deb
rm -rf "$tree"/usr/share/doc/*/changelog* "$tree"/usr/share/man/* "$tree"/usr/share/info/*

# --- the boot partition -----------------------------------------------------------------------
cmdline_common="root=LABEL=KSD-ROOT rootfstype=ext4 ro rootwait quiet loglevel=3 \
systemd.show_status=false rd.udev.log_level=3 vt.global_cursor_default=0 consoleblank=0 logo.nologo"
kernel=$(ls "$tree"/boot/vmlinuz-* | sort -V | tail -n 1)
initrd=$(ls "$tree"/boot/initrd.img-* | sort -V | tail -n 1)
case $arch in
amd64)
    # systemd-boot on the FAT partition, which is also the EFI system partition; the UEFI firmware
    # of any PC starts \EFI\BOOT\BOOTX64.EFI from a removable or unknown disk. The console (kernel
    # and systemd messages) is the serial port only: nothing is written over the kiosk's screen.
    install -D -m 0644 "$tree/usr/lib/systemd/boot/efi/systemd-bootx64.efi" \
        "$boot/EFI/BOOT/BOOTX64.EFI"
    install -D -m 0644 /dev/stdin "$boot/loader/loader.conf" <<EOF
default ksd.conf
timeout 0
editor no
auto-entries no
auto-firmware no
EOF
    install -D -m 0644 /dev/stdin "$boot/loader/entries/ksd.conf" <<EOF
title Anjungan KSD
linux /vmlinuz
initrd /initrd.img
options $cmdline_common console=ttyS0,115200
EOF
    cp "$kernel" "$boot/vmlinuz"
    cp "$initrd" "$boot/initrd.img"
    ;;
arm64)
    # The Raspberry Pi firmware (raspi-firmware) reads config.txt and cmdline.txt from the FAT
    # partition and starts Debian's kernel with the device tree of the board. The console is
    # the GPIO UART (ttyS1 with the upstream device tree), never the screen.
    cp -r "$tree"/usr/lib/raspi-firmware/. "$boot/"
    for dtb in "$tree"/usr/lib/linux-image-*/broadcom/bcm2*-rpi-*.dtb; do
        cp "$dtb" "$boot/"
    done
    cp "$kernel" "$boot/vmlinuz"
    cp "$initrd" "$boot/initrd.img"
    cat >"$boot/config.txt" <<'EOF'
# Anjungan KSD (Raspberry Pi 4): written by image/build.sh. Edit ksd.toml, not this file.
arm_64bit=1
upstream_kernel=1
kernel=vmlinuz
initramfs initrd.img followkernel
# KMS display driver (Debian's kernel uses the upstream device tree, where it is on already),
# no rainbow splash, no black border.
dtoverlay=vc4-kms-v3d
disable_splash=1
disable_overscan=1
enable_uart=1
EOF
    echo "$cmdline_common console=ttyS1,115200" >"$boot/cmdline.txt"
    ;;
esac
# The root keeps no second copy of kernel and initrd (the boot partition has them).
rm -f "$tree"/boot/vmlinuz-* "$tree"/boot/initrd.img-*
rm -rf "$tree"/boot/firmware/*
if [ -f "$here/ksd.toml" ]; then
    cp "$here/ksd.toml" "$boot/ksd.toml"
else
    # image/ksd.toml (the commented example of every key) comes with issue 12's second part.
    cat >"$boot/ksd.toml" <<'EOF'
# Anjungan KSD: the technician's settings (placeholder until the commented example is merged).
# Pengaturan teknisi Anjungan KSD. Edit this file on any laptop, then put the card back.
EOF
fi
cat >"$boot/BACA-SAYA.txt" <<'EOF'
Anjungan KSD - kartu sistem / system card

ID: Ubah pengaturan di ksd.toml (buka dengan Notepad atau editor teks apa pun), simpan,
    lalu pasang kembali kartu dan nyalakan anjungan. Berkas lain jangan diubah.
EN: Change the settings in ksd.toml (open it with Notepad or any text editor), save,
    put the card back and switch the kiosk on. Leave the other files alone.
EOF
