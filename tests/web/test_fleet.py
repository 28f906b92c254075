"""Browser tests of the fleet pages: enrol a kiosk and use its token (the real ksd-sync with the
config lines the page shows), the table shows "layar mati" for a kiosk whose heartbeats carry an
old last_frame_at, the kiosk's charts, revocation with its confirmation step, all audited."""
import json
import os
import subprocess
import time
import urllib.error
import urllib.request

from harness import DashboardTest, SYNC_BIN, cli


def heartbeat(url, token, body):
    """POSTs a heartbeat with the kiosk's token; returns the HTTP status."""
    req = urllib.request.Request(url + "/api/v1/heartbeat", data=json.dumps(body).encode(),
                                 method="POST", headers={"Authorization": "Bearer " + token,
                                                         "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


class FleetTest(DashboardTest):
    def row(self, kiosk_id):
        return self.h.find("tr[data-kiosk='%s']" % kiosk_id)

    def test_enrol_use_token_layar_mati_charts_revoke(self):
        h = self.h
        h.login("admin")
        h.go("/staff/kiosks")
        self.assertIn("Belum ada anjungan", h.text())
        # Every input of the enrol form has a label.
        for inp in h.find_all("form[action='/staff/kiosks'] input:not([type=hidden])"):
            self.assertTrue(h.find_all("label[for='%s']" % inp.get_attribute("id")))
        h.fill("#kiosk-name", "Lobi Kantor Bupati")
        h.fill("#kiosk-location", "Gedung A, lantai 1")
        h.find("form[action='/staff/kiosks'] button").click()
        h.wait_for(lambda: h.find_all("#kiosk-token"), message="the token")
        token = h.find("#kiosk-token").text.strip()
        lines = h.find("#kiosk-config").text
        self.assertTrue(token.startswith("lobi-kantor-bupati."), token)
        self.assertIn(token, lines)
        self.assertTrue(h.find_all(".fleet-qr svg path"))
        h.shot("fleet-enrolled")

        # The technician's files, made from the lines the page shows, used by the real ksd-sync.
        sync_part = lines.split("\n# /etc/ksd/sync-token")[0]
        token_file = os.path.join(h.dir, "sync-token")
        with open(token_file, "w") as f:
            f.write(lines.split("chmod 600)\n")[1].split("\n")[0] + "\n")
        config = os.path.join(h.dir, "ksd-sync.toml")
        with open(config, "w") as f:
            f.write('db = "%s"\n' % os.path.join(h.dir, "device.db")
                    + sync_part.replace("/etc/ksd/sync-token", token_file))
        p = subprocess.run([SYNC_BIN, "--config", config, "--once"], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(0, p.returncode, p.stdout + p.stderr)
        self.assertEqual([(1,)], h.sql(
            "SELECT count(*) FROM kiosk_heartbeats WHERE kiosk_id = 'lobi-kantor-bupati'"))

        # Its heartbeats now carry a last frame an hour old: the screen is dead.
        now = int(time.time())
        self.assertEqual(200, heartbeat(h.url, token, {
            "kiosk_id": "lobi-kantor-bupati", "last_frame_at": now - 3600, "sent_at": now,
            "clock_trusted": True, "queue": {"queued": 2, "sending": 0},
            "oldest_unsent_age_s": 5400, "disk_free_bytes": 12 * 2**30,
            "app_version": "0.9.1", "last_error": "connect timeout"}))
        # Two more kiosks: one healthy, one not yet set up.
        rc, out = cli(h.db, "kiosk", "add", "ruang-tunggu")
        self.assertEqual(0, rc, out)
        self.assertEqual(200, heartbeat(h.url, out.split("\n")[0], {
            "last_frame_at": now - 20, "sent_at": now, "clock_trusted": True,
            "queue": {"queued": 0, "sending": 0}, "disk_free_bytes": 25 * 2**30,
            "app_version": "0.9.1"}))
        self.assertEqual(0, cli(h.db, "kiosk", "add", "aula-lantai-2")[0])

        h.go("/staff/kiosks")
        dead = self.row("lobi-kantor-bupati")
        self.assertIn("Layar mati sejak", dead.text)
        self.assertIn("Lobi Kantor Bupati", dead.text)
        self.assertIn("2 permohonan belum terkirim", dead.text)
        self.assertIn("12,0 GB", dead.text)
        self.assertIn("connect timeout", dead.text)
        self.assertIn("Berjalan baik", self.row("ruang-tunggu").text)
        self.assertIn("Belum pernah terhubung", self.row("aula-lantai-2").text)
        # Worst first.
        order = [r.get_attribute("data-kiosk") for r in h.find_all("tr[data-kiosk]")]
        self.assertEqual(["lobi-kantor-bupati", "aula-lantai-2", "ruang-tunggu"], order)
        h.shot("fleet-kiosks")
        # At phone width the rows are cards with their labels.
        h.driver.set_window_size(390, 844)
        h.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        h.wait_for(lambda: h.find("table.fleet-table thead").is_displayed() is False,
                   message="cards at phone width")
        h.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        h.driver.set_window_size(1366, 768)
        # In English too, the words staff know kept beside the translation.
        h.find("form[action='/staff/lang'] button").click()
        h.wait_for(lambda: "Screen dead (layar mati) since" in h.text(), message="English")
        self.assertIn("Never seen", self.row("aula-lantai-2").text)
        h.shot("fleet-kiosks-en")
        h.find("form[action='/staff/lang'] button").click()
        h.wait_for(lambda: "Layar mati sejak" in h.text(), message="Bahasa Indonesia")

        # The kiosk's page: three charts.
        self.row("lobi-kantor-bupati").find_element("css selector", "a").click()
        h.wait_for(lambda: h.find_all(".fleet-charts svg"), message="charts")
        self.assertEqual(3, len(h.find_all(".fleet-charts svg")))
        # Two heartbeats (ksd-sync's and ours): a line in the queue and disk charts, one period.
        self.assertEqual(2, len(h.find_all(".fleet-charts polyline")))
        self.assertEqual(1, len(h.find_all(".fleet-charts .chart-online")))
        h.shot("fleet-kiosk")

        # Revoke: a confirmation page, then the token is refused.
        h.find("a[href='/staff/kiosks/lobi-kantor-bupati/revoke']").click()
        h.wait_for(lambda: "Ya, cabut" in h.text(), message="confirmation")
        h.shot("fleet-revoke")
        self.assertEqual(200, heartbeat(h.url, token, {}))
        h.find("form[action='/staff/kiosks/lobi-kantor-bupati/revoke'] button").click()
        h.wait_for(lambda: "Anjungan dicabut" in h.text(), message="revoked")
        self.assertEqual(401, heartbeat(h.url, token, {}))
        self.assertIn("Dicabut", self.row("lobi-kantor-bupati").text)

        # Both audited, and shown in words in the audit log.
        self.assertEqual([("kiosk_enrol", "lobi-kantor-bupati"),
                          ("kiosk_revoke", "lobi-kantor-bupati")],
                         h.sql("SELECT action, target FROM audit WHERE action LIKE 'kiosk_%' "
                               "ORDER BY id"))
        h.go("/staff/audit")
        self.assertIn("Mendaftarkan anjungan", h.text())
        self.assertIn("Mencabut anjungan", h.text())

    def test_viewer_sees_no_enrolment(self):
        h = self.h
        h.login("viewer")
        h.go("/staff/kiosks")
        self.assertIn("Anjungan", h.find("h1").text)
        self.assertEqual([], h.find_all("form[action='/staff/kiosks']"))
