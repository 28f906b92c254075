"""Browser tests of the inbox (/staff/requests): requests uploaded by two kiosks over the sync
API, filtered by topic, kiosk, words and overdue in the real page; the tab title counting new
requests after an htmx refresh; the CSV export of a filter as the page links it; a hostile
question shown as text. Screenshots: inbox, inbox-filtered, inbox-empty (desktop and phone)."""
import base64
import json
import time
import urllib.request
import uuid

from harness import DashboardTest, cli

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def code():
    """A valid ticket code: nine random Crockford characters and the Luhn mod 32 check."""
    raw = uuid.uuid4().int
    digits = "".join(CROCKFORD[(raw >> (5 * i)) & 31] for i in range(9))
    factor, total = 2, 0
    for ch in reversed(digits):
        addend = factor * CROCKFORD.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    digits += CROCKFORD[(32 - total % 32) % 32]
    return digits[:5] + "-" + digits[5:]


class InboxTest(DashboardTest):
    def setUp(self):
        super().setUp()
        self.tokens = {}
        for kiosk in ("kiosk-1", "kiosk-2"):
            rc, out = cli(self.h.db, "kiosk", "add", kiosk)
            self.assertEqual(0, rc, out)
            self.tokens[kiosk] = out.splitlines()[0]
        self.sequence = {}

    def upload(self, kiosk, tickets):
        """POST /api/v1/tickets as the kiosk's agent does."""
        body = []
        for t in tickets:
            self.sequence[kiosk] = self.sequence.get(kiosk, 0) + 1
            body.append({"id": str(uuid.uuid4()), "code": code(), "kiosk_id": kiosk,
                         "created_at": 1796004900, "clock_trusted": True,
                         "sequence": self.sequence[kiosk], "category": t.get("category", "masyarakat"),
                         "topic": t.get("topic", "rencana"), "sector": t.get("sector", ""),
                         "name": t["name"], "phone": "081234567890", "email": "",
                         "organisation": t.get("organisation", ""), "question": t["question"],
                         "lang": "id", "consent_version": "privasi-2026-11"})
        req = urllib.request.Request(self.h.url + "/api/v1/tickets",
                                     data=json.dumps({"tickets": body}).encode(),
                                     headers={"Authorization": "Bearer " + self.tokens[kiosk],
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(200, r.status)

    def rows(self):
        return self.h.find_all("#inbox-results tbody tr:not(:only-child), #inbox-results tbody tr")

    def names(self):
        return [td.text.split("\n")[0] for td in
                self.h.find_all("#inbox-results tbody td[data-label='Pemohon']")]

    def test_filters_export_and_title(self):
        h = self.h
        self.upload("kiosk-1", [
            {"name": "Siti Rahayu", "question": "Bagaimana alur kerja sama pengelolaan pelabuhan "
             "Belawan dengan kabupaten tetangga?", "topic": "alur", "sector": "perhubungan",
             "organisation": "Dinas Perhubungan"},
            {"name": "Yohanes Gultom", "question": "Evaluasi kerja sama irigasi di Samosir",
             "topic": "monev", "category": "pemda-lain", "sector": "pertanian"},
            {"name": "Penguji Iseng", "question": HOSTILE, "topic": "lainnya"}])
        self.upload("kiosk-2", [
            {"name": "Budi Santoso", "question": "Draf PKS pengelolaan sampah bersama Kota Binjai",
             "topic": "draf", "category": "pihak-ketiga", "organisation": "CV Maju Bersama",
             "sector": "lingkungan-hidup"}])
        # Time passes: two requests got no reply within the service level (their due times
        # are moved into the past, as the clock would).
        # The time comes from Python: SQL has no "now" in seconds common to both engines.
        h.execute("UPDATE tickets SET due_at = ? WHERE name IN ('Yohanes Gultom', 'Budi Santoso')",
                  int(time.time()) - 86400)

        h.login("viewer")
        h.go("/staff/requests")
        self.assertEqual("(4) Permohonan · Anjungan KSD", h.driver.title)
        # Newest first; requests of one upload share their second, then go by id.
        self.assertEqual(["Budi Santoso", "Penguji Iseng", "Siti Rahayu", "Yohanes Gultom"],
                         sorted(self.names()))
        body = h.text()
        self.assertIn("Rencana", h.find("#f-topic").text)  # topics in words
        self.assertIn("Draf dokumen (KB, PKS, NK)", body)
        self.assertIn(HOSTILE, body)  # shown as text, not run
        self.assertEqual(2, len(h.find_all("tr.inbox-overdue")))
        self.assertIn("2 terlambat", h.find("#inbox-counts").text)
        for inp in h.find_all("form.filters input:not([type=hidden]), form.filters select"):
            label_for = h.find_all("label[for='%s']" % inp.get_attribute("id"))
            wrapped = inp.find_elements("xpath", "ancestor::label")
            self.assertTrue(label_for or wrapped, inp.get_attribute("name"))
        h.shot("inbox")

        # Topic, then kiosk and words together, through the form as staff use it.
        h.select("#f-topic", "draf")
        h.find("form.filters button.btn-primary").click()
        h.wait_for(lambda: "topic=draf" in h.driver.current_url, message="topic filter")
        self.assertEqual(["Budi Santoso"], self.names())
        h.go("/staff/requests")
        h.find(".inbox-more summary").click()  # the less used filters are folded away
        h.fill("#f-kiosk", "kiosk-1")
        h.fill("#f-q", "samosir")
        h.find("form.filters button.btn-primary").click()
        h.wait_for(lambda: "q=samosir" in h.driver.current_url, message="words filter")
        self.assertEqual(["Yohanes Gultom"], self.names())
        h.go("/staff/requests?overdue=1")
        self.assertEqual(["Budi Santoso", "Yohanes Gultom"], sorted(self.names()))
        self.assertTrue(h.find("input[name=overdue]").is_selected())
        h.shot("inbox-filtered")

        # The CSV export of that filter, fetched as the page links it (the session's cookie).
        link = h.find(".inbox-export a").get_attribute("href")
        self.assertIn("overdue=1", link)
        self.assertIn("sep=semicolon", link)
        data = h.driver.execute_async_script(
            "var done = arguments[1];"
            "fetch(arguments[0]).then(function (r) { return r.arrayBuffer(); }).then(function (b) {"
            "  var s = ''; new Uint8Array(b).forEach(function (c) { s += String.fromCharCode(c); });"
            "  done(btoa(s)); });", link)
        csv = base64.b64decode(data)
        self.assertTrue(csv.startswith(b"\xef\xbb\xbfDiterima;Kode;Status;"), csv[:40])
        text = csv.decode("utf-8-sig")
        lines = text.split("\r\n")
        self.assertEqual(4, len(lines))  # head, two requests, the empty end
        self.assertIn("Budi Santoso", text)
        self.assertIn("Yohanes Gultom", text)
        self.assertIn("0812****7890", text)  # a viewer's export is masked
        self.assertNotIn("081234567890", text)
        self.assertEqual(1, len(h.sql("SELECT 1 FROM audit WHERE action = 'requests_export'")))

        # A new request: the counts (and the tab's title) follow without a reload. The page
        # polls every 20 s; here the same request is made at once.
        h.go("/staff/requests")
        self.upload("kiosk-2", [{"name": "Dewi Lestari", "question": "Kerja sama beasiswa"}])
        h.driver.execute_script(
            "htmx.ajax('GET', '/staff/requests/count', {target: '#inbox-counts', swap: 'outerHTML'});")
        h.wait_for(lambda: h.driver.title.startswith("(5) Permohonan"), message="title (5)")
        self.assertIn("5 baru", h.find("#inbox-counts").text)
        self.assertEqual('every 20s', h.find("#inbox-counts").get_attribute("hx-trigger"))

        h.go("/staff/requests?q=tidakadasamasekali")
        self.assertIn("Tidak ada permohonan yang cocok", h.text())
        h.shot("inbox-empty")
