#!/usr/bin/env python3
"""The amd64 image's boot test (image/test-boot.sh runs it; stdlib only).

Boots a copy of the image under qemu-system-x86_64 (TCG, UEFI), checks over a serial shell and
QEMU's screendump that the attract screen is on the display, the services run, root is read-only
and the data partition read-write and grown; queues a request by touching the kiosk through the
emulated USB tablet, pulls the power (QEMU quit), boots again and finds the request, then checks
the database with PRAGMA integrity_check on the host.

The only change to the image copy is a TEST-ONLY root shell on the second serial port (ttyS1),
written into the copy's root file system with debugfs; the built image has no such thing.
"""
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib

T0 = time.monotonic()
FAILURES = []  # checks that failed without stopping the test


def log(msg):
    print(f"[{time.monotonic() - T0:7.1f} s] {msg}", flush=True)


class Failure(Exception):
    pass


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


# --- pictures --------------------------------------------------------------------------------
def read_png(path):
    """8-bit RGB/RGBA non-interlaced PNG (what the kiosk's --screenshot writes) -> (w, h, rgb)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise Failure(f"{path}: unsupported PNG (depth {depth}, type {ctype})")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = w * bpp
    out = bytearray(w * h * 3)
    prev = bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(w):
            out[(y * w + x) * 3:(y * w + x) * 3 + 3] = line[x * bpp:x * bpp + 3]
        prev = line
    return w, h, bytes(out)


def read_ppm(path):
    data = open(path, "rb").read()
    parts = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not parts:
        raise Failure(f"{path}: not a binary PPM")
    w, h = int(parts.group(1)), int(parts.group(2))
    return w, h, data[parts.end():parts.end() + w * h * 3]


def compare_static_parts(ref, shot, tolerance=40):
    """Share of pixels matching the reference in the parts of the attract screen that do not
    change (the header with the office's name; the "Sentuh layar untuk mulai" button and the
    DEMO band at the bottom): the rotating message and the clock in between are skipped."""
    rw, rh, rp = ref
    sw, sh, sp = shot
    if (rw, rh) != (sw, sh):
        raise Failure(f"screen is {sw}x{sh}, the reference {rw}x{rh}")
    rows = list(range(0, rh * 17 // 100)) + list(range(rh * 75 // 100, rh))
    total = same = 0
    for y in rows:
        for x in range(0, rw, 2):
            i = (y * rw + x) * 3
            total += 1
            if all(abs(rp[i + k] - sp[i + k]) <= tolerance for k in range(3)):
                same += 1
    return same / total


# --- QEMU --------------------------------------------------------------------------------------
class Qmp:
    def __init__(self, path, deadline=30):
        end = time.monotonic() + deadline
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > end:
                    raise Failure(f"no QMP socket {path}")
                time.sleep(0.2)
        self.file = self.sock.makefile("rwb")
        self._read()
        self.execute("qmp_capabilities")

    def _read(self):
        while True:
            line = self.file.readline()
            if not line:
                raise Failure("QMP connection closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def execute(self, cmd, **args):
        self.file.write(json.dumps({"execute": cmd, "arguments": args}).encode() + b"\n")
        self.file.flush()
        reply = self._read()
        if "error" in reply:
            raise Failure(f"QMP {cmd}: {reply['error']}")
        return reply.get("return")


class Shell:
    """The TEST-ONLY root shell on the guest's ttyS1 (a Unix socket here)."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.buf = b""
        self.n = 0

    def connect(self, deadline):
        while time.monotonic() < deadline:
            try:
                s = socket.socket(socket.AF_UNIX)
                s.connect(self.path)
                self.sock = s
                return
            except OSError:
                time.sleep(0.2)
        raise Failure(f"no serial socket {self.path}")

    def run(self, cmd, timeout=60):
        """Runs cmd in the guest; returns (exit status, output)."""
        self.n += 1
        n = self.n
        # The markers are printed by printf, so they never appear in what we send.
        line = (f"printf '\\036%s\\n' B{n}; {{ {cmd} ; }} 2>&1; "
                f"printf '\\036E{n} %s\\n' $?\n")
        self.sock.sendall(line.encode())
        end = time.monotonic() + timeout
        pat = re.compile(rb"\x1eB%d\n(.*?)\x1eE%d (\d+)\n" % (n, n), re.S)
        while True:
            m = pat.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return int(m.group(2)), m.group(1).decode(errors="replace").strip()
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(cmd)
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                raise TimeoutError(cmd)
            if not chunk:
                raise Failure("serial shell closed")
            self.buf += chunk

    def wait_ready(self, deadline):
        """Connects to the guest's ttyS1 and asks the TEST-ONLY shell for an answer until it
        gives one. The socket is opened only now, then kept: a connection made at power-on saw
        nothing here (twice, banner or probes, while a later one reached the running shell at
        once). Probes start after a minute and come every 30 s: nothing reaches the firmware
        or the boot menu (the console is ttyS0), and a probe sent before the shell runs is lost
        or answered late under its own marker, which the next probe ignores."""
        time.sleep(60)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("the guest's serial shell never answered (did it boot? see console log)")
            try:
                if self.sock is None:
                    self.connect(time.monotonic() + 30)
                rc, out = self.run("echo ready", timeout=min(45, max(5, left)))
                if rc == 0 and out.endswith("ready"):
                    return
            except TimeoutError:
                pass
            time.sleep(min(30, max(0, deadline - time.monotonic())))

    def check(self, cmd, timeout=60):
        rc, out = self.run(cmd, timeout)
        if rc != 0:
            raise Failure(f"in the guest: {cmd}: exit {rc}: {out}")
        return out


class Guest:
    def __init__(self, args, boot_no):
        self.args = args
        self.work = args.work
        self.boot_no = boot_no
        for s in ("qmp.sock", "shell.sock"):
            if os.path.exists(os.path.join(self.work, s)):
                os.unlink(os.path.join(self.work, s))
        # nice 5: below interactive work, but a guest starved of CPU stalls for minutes.
        cmd = ["nice", "-n", "5", "qemu-system-x86_64", "-machine", "q35",
               "-accel", "tcg,thread=multi", "-smp", "2", "-m", "1024",
               "-drive", f"if=pflash,format=raw,readonly=on,file={args.ovmf_code}",
               "-drive", f"if=pflash,format=raw,file={self.work}/vars.fd",
               "-drive", f"file={args.disk},format=raw,if=virtio",
               "-device", f"{getattr(args, 'vga', 'virtio-vga')},xres={args.width},yres={args.height}",
               "-device", "qemu-xhci", "-device", "usb-tablet",
               # The hardware watchdog systemd arms (RuntimeWatchdogSec). Its clock is the
               # host's: on a busy host a TCG guest can miss a ping through no fault of its own,
               # and a reset would end the test (-no-reboot), so QEMU only logs it.
               "-device", "i6300esb", "-action", "watchdog=debug",
               "-nic", "user,model=virtio-net-pci,restrict=on",
               "-display", "none", "-no-reboot",
               "-serial", f"file:{self.work}/console-{boot_no}.log",
               "-serial", f"unix:{self.work}/shell.sock,server=on,wait=off",
               "-qmp", f"unix:{self.work}/qmp.sock,server=on,wait=off"]
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=open(f"{self.work}/qemu-{boot_no}.log", "w"),
                                     stderr=subprocess.STDOUT)
        self.qmp = Qmp(f"{self.work}/qmp.sock")
        self.shell = Shell(f"{self.work}/shell.sock")

    def since_start(self):
        return time.monotonic() - self.started

    def screendump(self, name):
        path = f"{self.work}/{name}.ppm"
        self.qmp.execute("screendump", filename=path)
        return read_ppm(path)

    def tap(self, x, y):
        """A touch at pixel (x, y) through the USB tablet. The value goes through as it is: the
        tablet's HID range is 0..0x7fff, but the guest's SDL 2.26 (evdev, an absolute pointer
        that is not a touch screen) takes the raw axis value as the pixel, without scaling it
        by the axis range (measured: 0x7fff-scaled points came out clamped at 1023,767)."""
        # Both axes must differ from the last touch's: QEMU's tablet merges moves the guest has
        # not read yet, the kernel drops an axis whose value did not change, and SDL then
        # reports 0 for it (measured: a tap at 512,646 after one at 512,384 arrived at 0,646,
        # also with a step beside the point first). One pixel off stays on the same button.
        last_x, last_y = getattr(self, "last_point", (-1, -1))
        if x == last_x:
            x += 1 if x + 1 < self.args.width else -1
        if y == last_y:
            y += 1 if y + 1 < self.args.height else -1
        self.last_point = (x, y)
        self.qmp.execute("input-send-event", events=[
            {"type": "abs", "data": {"axis": "x", "value": x}},
            {"type": "abs", "data": {"axis": "y", "value": y}}])
        self.qmp.execute("input-send-event", events=[
            {"type": "btn", "data": {"button": "left", "down": True}}])
        time.sleep(0.12)
        self.qmp.execute("input-send-event", events=[
            {"type": "btn", "data": {"button": "left", "down": False}}])

    def touches_logged(self):
        """The kiosk's debug lines "display: touch at X,Y" (KSD_LOG_LEVEL=debug, a TEST-ONLY
        drop-in of test-boot.sh), one per press it handled, in its logical coordinates."""
        _, out = self.shell.run(
            "journalctl -b -u ksd-kiosk.service -o cat | grep -o 'touch at [0-9]*,[0-9]*' || true",
            timeout=60)
        return [l for l in out.splitlines() if l.startswith("touch at ")]

    def tap_and_wait(self, x, y, deadline_s, settle_s):
        """Taps, waits until the kiosk logged that it handled the press, then lets it draw the
        answer (its hit test uses the layout of the last frame it drew, so the next tap must not
        come before that frame; under TCG with llvmpipe a frame can take a second or more).
        Returns where the kiosk saw the touch ("X,Y"), or None when it saw none in time."""
        before = len(self.touches_logged())
        self.tap(x, y)
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            seen = self.touches_logged()
            if len(seen) > before:
                time.sleep(settle_s)
                return seen[before][len("touch at "):]
            time.sleep(0.5)
        return None

    def pull_power(self):
        """QEMU quits at once: no shutdown, no sync, like pulling the plug."""
        try:
            self.qmp.execute("quit")
        except Failure:
            pass
        self.proc.wait(timeout=30)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def unit_active(g, unit):
    """Whether a unit is active; a guest too busy to answer within 30 s (TCG on a loaded host,
    while the kiosk starts) counts as "not yet", not as a failure: the caller's deadline decides."""
    try:
        rc, out = g.shell.run(f"systemctl is-active {unit}", timeout=30)
    except TimeoutError:
        return False, "no answer from the guest within 30 s"
    return out.endswith("active") and not out.endswith("inactive"), out


def wait_for(what, fn, deadline, every=1.0):
    last = None
    while time.monotonic() < deadline:
        ok, last = fn()
        if ok:
            return last
        time.sleep(every)
    raise Failure(f"timed out waiting for {what} (last: {last})")


def diagnostics(g):
    try:
        _, out = g.shell.run(
            "systemctl list-jobs --no-pager | tail -n 15; "
            "systemctl --failed --no-pager; "
            "systemctl status --no-pager -n 0 ksd-kiosk ksd-sync; "
            "journalctl -b --no-pager -o short-monotonic -u ksd-kiosk -u ksd-sync "
            "| tail -n 40", timeout=60)
        print(out, flush=True)
    except (Failure, TimeoutError, OSError) as e:
        log(f"(no diagnostics from the guest: {e})")


def boot_and_check(args, boot_no, ref):
    g = Guest(args, boot_no)
    try:
        return checks(args, boot_no, ref, g)
    except (Failure, TimeoutError):
        diagnostics(g)
        g.kill()
        raise


def checks(args, boot_no, ref, g):
    log(f"boot {boot_no}: QEMU started")
    deadline = time.monotonic() + args.boot_timeout
    g.shell.wait_ready(deadline)
    log(f"boot {boot_no}: serial shell answers ({g.since_start():.1f} s after power on)")

    def kiosk_active():
        return unit_active(g, "ksd-kiosk.service")

    wait_for("ksd-kiosk active (READY=1 after its first frame)", kiosk_active, deadline)
    first_frame_wall = g.since_start()
    guest_us = int(g.shell.check(
        "systemctl show -p ActiveEnterTimestampMonotonic --value ksd-kiosk.service"))
    log(f"boot {boot_no}: ksd-kiosk active: first frame {first_frame_wall:.1f} s after power on"
        f" (wall, QEMU TCG), {guest_us / 1e6:.1f} s of guest time after the kernel started")

    # The attract screen on the emulated display.
    def attract_on_screen():
        shot = g.screendump(f"screen-{boot_no}")
        share = compare_static_parts(ref, shot)
        return share >= args.match, f"{share:.3f} of the static parts match"

    try:
        share = wait_for("the attract screen on the display", attract_on_screen,
                         time.monotonic() + 60, every=2)
        log(f"boot {boot_no}: attract screen on the display ({share}; "
            f"screendump {args.work}/screen-{boot_no}.ppm)")
    except Failure as e:
        # Recorded, and the test goes on: the queue and power-cut checks do not need the picture.
        FAILURES.append(f"boot {boot_no}: {e}")
        log(f"boot {boot_no}: FAIL (going on): {e}; screendump {args.work}/screen-{boot_no}.ppm")

    def sync_active():
        return unit_active(g, "ksd-sync.service")

    wait_for("ksd-sync active", sync_active, time.monotonic() + 90, every=2)
    log(f"boot {boot_no}: ksd-sync active")

    # The technician's ksd.toml (test-boot.sh put one with timezone = "Asia/Makassar" on the
    # boot partition): mounted, applied by ksd-setup (WITA) and read by the kiosk.
    mount_us = g.shell.check(
        "systemctl show -p ActiveEnterTimestampMonotonic --value boot-firmware.mount")
    zone = g.shell.check("date +%Z")
    tech = g.shell.check("journalctl -b -o cat -u ksd-kiosk.service "
                         "| grep -o \"technician's file [^ ]* read\\|no technician's file [^ ]*\" "
                         "| tail -n 1 || true")
    log(f"boot {boot_no}: /boot/firmware mounted {int(mount_us or 0) / 1e6:.1f} s of guest time "
        f"after the kernel started; time zone {zone}; the kiosk: {tech or '-'}")
    if zone != "WITA" or tech != "technician's file /boot/firmware/ksd.toml read":
        FAILURES.append(f"boot {boot_no}: ksd.toml not applied (time zone {zone}, the kiosk: "
                        f"{tech or 'nothing logged'})")

    root = g.shell.check("findmnt -no FSTYPE,OPTIONS /")
    if not re.match(r"ext4\s+ro[,\s]", root + " "):
        raise Failure(f"root is not read-only ext4: {root}")
    data = g.shell.check("findmnt -no SOURCE,FSTYPE,OPTIONS /var/lib/ksd")
    if not re.search(r"\sext4\s+rw[,\s]", data + " "):
        raise Failure(f"/var/lib/ksd is not a read-write ext4: {data}")
    size = int(g.shell.check("df -B1 --output=size /var/lib/ksd | tail -n 1"))
    log(f"boot {boot_no}: root {root}; data {data}; data file system {size >> 20} MiB")
    if size < 200 << 20:
        raise Failure(f"the data file system did not grow to fill the disk ({size >> 20} MiB)")
    db = g.shell.check("stat -c '%a %U:%G' /var/lib/ksd/device.db")
    unusable = g.shell.check("journalctl -b -o cat -u ksd-kiosk | grep -c 'database unusable' || true")
    log(f"boot {boot_no}: device.db {db}; 'database unusable' in the kiosk's journal: {unusable}")
    if not db.startswith("660 ") or unusable != "0":
        raise Failure("device.db is not shared read-write by ksd-kiosk and ksd-sync (group ksd)")
    facts = {
        "sysrq": "cat /proc/sys/kernel/sysrq",
        "ctrl-alt-del.target": "systemctl is-enabled ctrl-alt-del.target || true",
        "gettys": "systemctl list-units --no-legend --plain 'getty@*' 'serial-getty@*' "
                  "'autovt@*' | wc -l",
        "ssh": "systemctl is-active ssh.service || true",
        "journal": "journalctl --header | sed -n 's/^File path: //p' | head -n 1",
        "time zone": "date +%Z",
        "watchdog": "systemctl show -p RuntimeWatchdogUSec --value",
        "failed units": "systemctl --failed --no-legend --plain | awk '{print $1}' | tr '\\n' ' '",
    }
    got = {k: g.shell.check(v) for k, v in facts.items()}
    log(f"boot {boot_no}: " + "; ".join(f"{k}: {v or '-'}" for k, v in got.items()))
    problems = []
    if got["sysrq"] != "0":
        problems.append("SysRq is on")
    if got["ctrl-alt-del.target"] != "masked":
        problems.append("ctrl-alt-del.target is not masked")
    if got["gettys"] != "0":
        problems.append("a getty runs")
    if got["ssh"] == "active":
        problems.append("SSH runs without ksd.toml asking for it")
    if not got["journal"].startswith("/run/log/journal"):
        problems.append(f"the journal is not in memory ({got['journal']})")
    if "ksd" in got["failed units"]:
        problems.append(f"failed: {got['failed units']}")
    if problems:
        raise Failure("; ".join(problems))
    return g, first_frame_wall, guest_us


def extract_data_partition(disk, path):
    """Copies the disk's third partition (KSD-DATA) to path and lets e2fsck replay its
    journal and fix what an unclean stop leaves (exit 0 or 1: clean or fixed). Returns path."""
    layout = json.loads(run(["sfdisk", "-J", disk]))["partitiontable"]
    data = layout["partitions"][2]
    sector = layout.get("sectorsize", 512)
    subprocess.run(["dd", f"if={disk}", f"of={path}", "bs=4M", "status=none",
                    "iflag=skip_bytes,count_bytes", f"skip={data['start'] * sector}",
                    f"count={data['size'] * sector}"], check=True)
    fsck = subprocess.run(["e2fsck", "-fy", path], capture_output=True, text=True)
    log(f"host: e2fsck of the data partition's copy: exit {fsck.returncode}"
        f" ({fsck.stdout.strip().splitlines()[-1] if fsck.stdout.strip() else 'no output'})")
    if fsck.returncode not in (0, 1):
        raise Failure(f"e2fsck of the data partition: exit {fsck.returncode}: {fsck.stdout}")
    return path


def main():
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--disk", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--reference", required=True, help="attract screen PNG at WIDTHxHEIGHT")
    p.add_argument("--taps", required=True, help="file of 'x,y' lines: the request visit")
    p.add_argument("--ovmf-code", default="/usr/share/OVMF/OVMF_CODE_4M.fd")
    p.add_argument("--width", type=int, default=1024)
    p.add_argument("--height", type=int, default=768)
    p.add_argument("--boot-timeout", type=int, default=600)
    p.add_argument("--match", type=float, default=0.95)
    p.add_argument("--vga", default="virtio-vga", choices=["virtio-vga", "VGA"],
                   help="the display: virtio-gpu (virtio_gpu driver) or the standard VGA (bochs-drm)")
    p.add_argument("--tap-timeout", type=float, default=30,
                   help="seconds the kiosk may take to handle a touch")
    p.add_argument("--tap-settle", type=float, default=1.5,
                   help="seconds for the frame after a handled touch (TCG, llvmpipe)")
    args = p.parse_args()
    ref = read_png(args.reference)
    taps = [tuple(int(v) for v in l.split(",")) for l in open(args.taps) if l.strip()]
    guest = None
    try:
        guest, frame1, guest1 = boot_and_check(args, 1, ref)
        # A visitor's request, by touch: the points the same kiosk binary taps in the same visit
        # run offscreen (image/test-boot.sh), sent as USB tablet events.
        log(f"boot 1: touching the kiosk: {len(taps)} taps (a request visit)")
        last = None
        missed = 0
        for i, (x, y) in enumerate(taps, 1):
            seen = guest.tap_and_wait(x, y, args.tap_timeout, args.tap_settle)
            if seen is None:
                missed += 1
                log(f"boot 1: tap {i} at {x},{y}: the kiosk saw no touch in {args.tap_timeout} s")
            elif seen != f"{x},{y}":
                log(f"boot 1: tap {i} at {x},{y}: the kiosk saw it at {seen}")
            # The kiosk names its screen in STATUS=: logged when it changes (where a visit stops).
            _, status = guest.shell.run(
                "systemctl show -p StatusText --value ksd-kiosk.service", timeout=30)
            if status != last:
                log(f"boot 1: after tap {i} at {x},{y}: {status}")
                last = status
        log(f"boot 1: {len(taps)} taps sent, {missed} not seen by the kiosk")

        def saved():
            rc, out = guest.shell.run(
                "journalctl -u ksd-kiosk.service -o cat | grep 'request saved as ticket' | tail -n 1",
                timeout=20)
            m = re.search(r"request saved as ticket (\S+)", out)
            return bool(m), (m.group(1) if m else out)

        code = wait_for("'request saved as ticket' in the kiosk's journal", saved,
                        time.monotonic() + 180, every=2)
        status = guest.shell.check("ksd-sync --config /etc/ksd/sync.toml status")
        log(f"boot 1: request saved as ticket {code}; queue: {status.replace(chr(10), ', ')}")
        guest.pull_power()
        log("boot 1: power pulled (QEMU quit, no shutdown)")
        guest = None

        guest, frame2, guest2 = boot_and_check(args, 2, ref)
        status = guest.shell.check("ksd-sync --config /etc/ksd/sync.toml status")
        log(f"boot 2: queue after the power cut: {status.replace(chr(10), ', ')}")
        m = re.search(r"queued (\d+)", status)
        if not m or int(m.group(1)) < 1:
            raise Failure(f"the request is not queued after the power cut: {status}")
        guest.pull_power()
        log("boot 2: power pulled again")
        guest = None

        # The database as the card holds it now, read on the host (the guest has no sqlite3).
        # The power was pulled, so the data file system was not unmounted: its journal holds
        # what was committed last and its bitmaps may be stale (debugfs then refused to open
        # it: "Inode bitmap checksum does not match bitmap"). The next boot would replay the
        # journal on mount; here e2fsck does it, on a copy of the partition.
        dbdir = f"{args.work}/db"
        shutil.rmtree(dbdir, ignore_errors=True)
        os.makedirs(dbdir)
        dev = extract_data_partition(args.disk, f"{dbdir}/data.ext4")
        for f in ("device.db", "device.db-wal"):
            subprocess.run(["debugfs", "-R", f"dump /{f} {dbdir}/{f}", dev],
                           capture_output=True)
        os.unlink(dev)
        if not os.path.exists(f"{dbdir}/device.db"):
            raise Failure("no device.db on the data partition")
        integrity = run(["sqlite3", f"{dbdir}/device.db", "PRAGMA integrity_check;"]).strip()
        state = run(["sqlite3", f"{dbdir}/device.db",
                     f"SELECT state FROM tickets WHERE code = '{code}';"]).strip()
        log(f"host: device.db PRAGMA integrity_check: {integrity}; ticket {code}: {state or 'MISSING'}")
        if integrity != "ok":
            raise Failure(f"integrity_check: {integrity}")
        if not state:
            raise Failure(f"ticket {code} is not in the database after the power cut")
        if FAILURES:
            log("FAIL: " + "; ".join(FAILURES))
            log(f"logs and screendumps: {args.work}")
            return 1
        log(f"PASS: boot to first frame {frame1:.1f} s / {frame2:.1f} s wall under TCG "
            f"({guest1 / 1e6:.1f} s / {guest2 / 1e6:.1f} s guest time)")
        return 0
    except (Failure, TimeoutError, subprocess.CalledProcessError) as e:
        log(f"FAIL: {e}")
        if guest:
            diagnostics(guest)
        log(f"logs and screendumps: {args.work}")
        return 1
    finally:
        if guest:
            guest.kill()


if __name__ == "__main__":
    sys.exit(main())
