#!/usr/bin/env bash
# The boot test of the amd64 image (its own command; slow: a few minutes under TCG).
# Boots a copy of build/image/ksd-amd64.img (made larger, like a bigger card) twice under
# qemu-system-x86_64 without KVM, with UEFI (OVMF), a VGA display, a USB tablet and serial ports.
# image/boot_test.py does the checks; this script prepares what it needs:
#   - the reference attract screen and the touch points of a request visit, from the same kiosk
#     binary (the .deb the image holds) run offscreen at the same size with the same pack;
#   - the copy's TEST-ONLY additions, written into its root file system with debugfs: a root shell
#     on ttyS1 for the checks, and a ksd-sync drop-in with an unreachable server and a token
#     (so the agent runs and the request stays queued), and the kiosk's debug log level;
#   - on the copy's boot partition (mtools), a ksd.toml like a technician's, with the time zone
#     Asia/Makassar (WITA): the test checks that ksd-setup and the kiosk read it.
# Needs root only for nothing: debugfs and mtools work on the image file.
# Usage: image/test-boot.sh [IMAGE] [DEB_DIR]   (KSD_BOOT_TEST_KEEP=1 keeps the work directory)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root_dir=$(cd "$here/.." && pwd)
image=${1:-$root_dir/build/image/ksd-amd64.img}
deb_dir=${2:-$root_dir/build/packages}
width=1024
height=768
for tool in qemu-system-x86_64 debugfs e2fsck sfdisk sqlite3 python3 dpkg-deb mcopy; do
    command -v "$tool" >/dev/null || {
        echo "SKIPPED: $tool is missing (scripts/setup-image.sh)"
        exit 0
    }
done
[ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || {
    echo "SKIPPED: OVMF is missing (scripts/setup-image.sh)"
    exit 0
}
[ -f "$image" ] || {
    echo "FAIL: no image $image (image/build.sh amd64)"
    exit 1
}
shopt -s nullglob
debs=("$deb_dir"/ksd-kiosk_*_amd64.deb)
[ ${#debs[@]} -eq 1 ] || {
    echo "FAIL: want one ksd-kiosk_*_amd64.deb in $deb_dir (the one in the image)"
    exit 1
}
work=$(mktemp -d /tmp/ksd-boot-test.XXXXXX)
if [ "${KSD_BOOT_TEST_KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$work"' EXIT
fi
t0=$(date +%s)

# --- the kiosk offscreen: reference picture and touch points ------------------------------------
dpkg-deb -x "${debs[0]}" "$work/deb"
kiosk=$work/deb/usr/bin/ksd-kiosk
pack=$work/deb/usr/share/ksd/ksd-demo.pack
key=$work/deb/usr/share/ksd/ksd-demo.pub
"$kiosk" --screenshot "$work/attract.png" --screen attract --size "${width}x$height" \
    --pack "$pack" --key "$key" >/dev/null
# The request visit the test makes by touch on the booted image: the same script as the whole
# product test (tests/sync/test_whole.cpp), one description of the visit for both.
visit=$root_dir/tests/kiosk/request-visit.txt
# The Host logs each tap's point at debug level ("debug host: tap at X,Y").
KSD_LOG_LEVEL=debug "$kiosk" --script "$visit" --size "${width}x$height" \
    --pack "$pack" --key "$key" --out-dir "$work" >"$work/visit.log" 2>&1 || {
    cat "$work/visit.log"
    echo "FAIL: the visit does not run offscreen"
    exit 1
}
sed -n 's/^debug host: tap at //p' "$work/visit.log" >"$work/taps.txt"
[ -s "$work/taps.txt" ] || {
    echo "FAIL: no tap points from the offscreen visit (is this kiosk build too old?)"
    exit 1
}

# --- the disk: a copy, one GiB larger (a bigger card), with the test-only additions -------------
cp --sparse=always "$image" "$work/disk.img"
truncate -s +1G "$work/disk.img"
cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
part_offset() {
    sfdisk -J "$work/disk.img" 2>/dev/null | python3 -c 'import json,sys; t=json.load(sys.stdin)["partitiontable"]; print(t["partitions"][int(sys.argv[1])]["start"]*t.get("sectorsize",512))' "$1"
}
boot_offset=$(part_offset 0)
root_offset=$(part_offset 1)
# The technician's file, as a technician would leave it: the image's example with one key set.
sed 's|^#timezone = .*|timezone = "Asia/Makassar"|' "$here/ksd.toml" >"$work/ksd.toml"
grep -q '^timezone = "Asia/Makassar"' "$work/ksd.toml" || {
    echo "FAIL: image/ksd.toml has no '#timezone = ' line to set"
    exit 1
}
mcopy -o -i "$work/disk.img@@$boot_offset" "$work/ksd.toml" ::ksd.toml || {
    echo "FAIL: could not write ksd.toml to the copy's boot partition"
    exit 1
}
mkdir -p "$work/add"
cat >"$work/add/shell.service" <<'EOF'
[Unit]
Description=TEST ONLY (image/test-boot.sh): root shell on ttyS1 for the boot test
DefaultDependencies=no

[Service]
Environment=SYSTEMD_PAGER= SYSTEMD_COLORS=0
# The banner tells the test the shell listens: keys sent earlier would reach the boot menu.
ExecStart=/bin/sh -c 'stty -F /dev/ttyS1 115200 raw -echo && echo KSD-TEST-SHELL-UP >/dev/ttyS1 && exec /bin/sh </dev/ttyS1 >/dev/ttyS1 2>&1'
Restart=always
RestartSec=1
EOF
cat >"$work/add/sync.conf" <<'EOF'
# TEST ONLY (image/test-boot.sh): a server nobody answers at (QEMU's user network is restricted),
# so the agent runs and the request stays queued.
[Service]
ExecStart=
ExecStart=/usr/bin/ksd-sync --config /etc/ksd/sync.toml --server http://10.0.2.2:9 --token-file /etc/ksd/test-token
EOF
cat >"$work/add/kiosk.conf" <<'EOF'
# TEST ONLY (image/test-boot.sh): the kiosk logs each touch's point at debug level, so a missed
# tap shows where it landed.
[Service]
Environment=KSD_LOG_LEVEL=debug
EOF
echo "kiosk-dev.0123456789abcdef0123456789abcdef" >"$work/add/token"
chmod 0644 "$work/add/"*
debugfs -w -f - "$work/disk.img?offset=$root_offset" >"$work/debugfs.log" 2>&1 <<EOF
write $work/add/shell.service /etc/systemd/system/ksd-test-shell.service
mkdir /etc/systemd/system/sysinit.target.wants
symlink /etc/systemd/system/sysinit.target.wants/ksd-test-shell.service /etc/systemd/system/ksd-test-shell.service
mkdir /etc/systemd/system/ksd-sync.service.d
write $work/add/sync.conf /etc/systemd/system/ksd-sync.service.d/zz-test.conf
write $work/add/token /etc/ksd/test-token
write $work/add/kiosk.conf /etc/systemd/system/ksd-kiosk.service.d/zz-test.conf
EOF
debugfs -R "stat /etc/systemd/system/ksd-test-shell.service" "$work/disk.img?offset=$root_offset" \
    >/dev/null 2>&1 || {
    cat "$work/debugfs.log"
    echo "FAIL: could not add the test shell to the image copy"
    exit 1
}
echo "prepared in $(($(date +%s) - t0)) s: $(wc -l <"$work/taps.txt") touch points, image copy" \
    "$(du -m --apparent-size "$work/disk.img" | cut -f1) MB"

python3 "$here/boot_test.py" --disk "$work/disk.img" --work "$work" \
    --reference "$work/attract.png" --taps "$work/taps.txt" --width "$width" --height "$height"
