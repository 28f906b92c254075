"""Browser tests of a request's detail page and the canned replies (replies area): a request
delivered by a real `ksd-sync --once`, answered twice in chromium (once from a canned reply), given
a note and a final status; the next real `ksd-sync --once` brings both replies and the status to
the kiosk's device database, and not the note. A hostile question stays text; a viewer sees
masked contacts and no forms."""
import os
import sqlite3
import subprocess

from harness import DashboardTest, SYNC_BIN, cli

TICKET_ID = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
TICKET_CODE = "7K3QD-9MRT9"  # a valid code (its check character included)
HOSTILE = "Apakah <script>alert('x')</script> dan <img src=x onerror=alert(1)> boleh?"
NOTE = "Catatan internal: pemohon minta ditelepon"


class DetailTest(DashboardTest):
    def setUp(self):
        super().setUp()
        h = self.h
        rc, out = cli(h.db, "kiosk", "add", "kiosk-1")
        self.assertEqual(0, rc, out)
        self.token = out.splitlines()[0]
        self.device = os.path.join(h.dir, "device.db")
        # The agent makes the device database (schema and all); the request is then saved in
        # it as the kiosk saves one, and delivered by a real pass.
        subprocess.run([SYNC_BIN, "--db", self.device, "status"], capture_output=True)
        con = sqlite3.connect(self.device)
        con.execute(
            "INSERT INTO tickets(id, code, kiosk_id, created_at, clock_trusted, sequence, "
            "category, topic, sector, name, phone, email, organisation, question, lang, "
            "consent_version) VALUES (?, ?, 'kiosk-1', strftime('%s','now'), 1, 1, "
            "'perangkat-daerah', 'rencana', 'pendidikan', 'Siti Aminah', '+6281234567890', "
            "'siti.aminah@example.com', 'Dinas Pendidikan', ?, 'id', 'privasi-2026-11')",
            (TICKET_ID, TICKET_CODE, HOSTILE))
        con.commit()
        con.close()
        self.sync()
        self.assertEqual([(TICKET_CODE,)], h.sql("SELECT code FROM tickets"))

    def sync(self):
        p = subprocess.run([SYNC_BIN, "--db", self.device, "--server", self.h.url, "--token",
                            self.token, "--once"], capture_output=True, text=True, timeout=60)
        self.assertEqual(0, p.returncode, p.stdout + p.stderr)

    def device_rows(self, query):
        con = sqlite3.connect(self.device)
        try:
            return con.execute(query).fetchall()
        finally:
            con.close()

    def test_reply_twice_note_status_then_sync(self):
        h = self.h
        # An editor writes a canned reply.
        h.login("editor")
        h.go("/staff/canned")
        h.fill("#new-title-id", "Terima kasih")
        h.fill("#new-text-id", "Terima kasih, permohonan Anda sedang kami pelajari.")
        h.fill("#new-text-en", "Thank you, we are looking into your request.")
        h.find("form[action='/staff/canned'] button.btn-primary").click()
        h.wait_for(lambda: "Balasan siap pakai ditambahkan." in h.text(), message="canned added")
        h.shot("replies-canned")

        h.login("responder")
        h.go("/staff/requests/" + TICKET_ID)
        self.assertEqual(HOSTILE, h.find("#question").text)
        self.assertIn("Perangkat daerah", h.text())
        self.assertIn("Rencana kerja sama", h.text())
        self.assertIn("+6281234567890", h.text())
        h.shot("replies-detail-new")
        # The canned reply fills the text area (a plain GET form), then goes as the first reply.
        h.select("#canned", "1")
        h.find("form[method=get] button").click()
        h.wait_for(lambda: h.find("#reply-text").get_attribute("value").startswith("Terima kasih"),
                   message="canned text in the reply")
        h.find("form[action$='/reply'] button").click()
        h.wait_for(lambda: "Balasan disimpan" in h.text(), message="first reply")
        h.fill("#note-text", NOTE)
        h.find("form[action$='/note'] button").click()
        h.wait_for(lambda: "Catatan disimpan." in h.text(), message="note")
        h.fill("#reply-text", "Silakan datang ke Bagian Kerja Sama hari Senin.")
        h.find("form[action$='/reply'] button").click()
        h.wait_for(lambda: h.text().count("Balasan kepada pemohon") == 2, message="second reply")
        h.select("#status-to", "Selesai")
        h.find("form[action$='/status'] button").click()
        h.wait_for(lambda: "Status diubah." in h.text(), message="status")
        self.assertIn("Status ini sudah final.", h.text())
        h.shot("replies-detail-answered")

        self.sync()
        replies = self.device_rows("SELECT text FROM ticket_replies WHERE ticket_id = '%s' "
                              "ORDER BY reply_id" % TICKET_ID)
        self.assertEqual([("Terima kasih, permohonan Anda sedang kami pelajari.",),
                          ("Silakan datang ke Bagian Kerja Sama hari Senin.",)], replies)
        self.assertEqual([("Selesai", "Silakan datang ke Bagian Kerja Sama hari Senin.")],
                         self.device_rows("SELECT server_status, staff_reply FROM tickets"))
        for path in (self.device, self.device + "-wal"):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    self.assertNotIn(b"pemohon minta ditelepon", f.read())
        # Every action is in the audit log.
        actions = [a for (a,) in h.sql("SELECT action FROM audit WHERE action IN "
                                       "('reply', 'note', 'status', 'canned_add') ORDER BY id")]
        self.assertEqual(["canned_add", "reply", "note", "reply", "status"], actions)

    def test_viewer_sees_masked_contacts_and_no_forms(self):
        h = self.h
        h.login("viewer")
        h.go("/staff/requests/" + TICKET_ID)
        self.assertEqual(HOSTILE, h.find("#question").text)
        text = h.text()
        self.assertNotIn("+6281234567890", text)
        self.assertNotIn("siti.aminah@example.com", text)
        self.assertIn("s***@example.com", text)
        self.assertEqual([], h.find_all("#reply-text"))
        self.assertEqual([], h.find_all("a[href='/staff/canned']"))
        h.shot("replies-detail-viewer")
        # English.
        h.find("form[action='/staff/lang'] button").click()
        h.wait_for(lambda: "What the visitor wrote" in h.text(), message="English")
        self.assertIn("A planned cooperation", h.text())
