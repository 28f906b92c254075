"""Browser tests of the content pages: a register exported from a spreadsheet (semicolons,
Windows-1252) uploaded and its bad row named in Indonesian; fixed with the form; a page edited
with its preview; Periksa; Terbitkan; and a real ksd-sync downloading and verifying the new pack.
Screenshots: content-*.png."""
import os
import shutil
import subprocess
import tempfile

import harness
from harness import DashboardTest, missing_tools

# As Excel on a Windows set to Indonesian saves "CSV (dipisahkan titik koma)": Windows-1252,
# semicolons, CRLF, a value with a comma left unquoted. Row 3 has a sector that does not exist.
SPREADSHEET = (
    "nomor;jenis;dokumen;mitra;perihal;bidang;ruang_lingkup;tanggal_ttd;mulai;berakhir;"
    "pelaksana;keterangan\r\n"
    "X/PKS/001/2026;KSDPK;PKS;PT Caf\u00e9 Lestari (fiktif);Kopi, kelapa;pertanian;"
    "\u201cHilirisasi\u201d kelapa;2026-01-05;2026-02-01;2028-01-31;Dinas Perkebunan;\r\n"
    "X/PKS/002/2026;KSDPK;PKS;PT Dua (fiktif);Pelatihan;perkebunan-sawit;Pelatihan;14/03/2026;"
    "2026-04-01;2027-03-31;Dinas Tenaga Kerja;\r\n").encode("cp1252")


class ContentTest(DashboardTest):
    def setUp(self):
        reason = missing_tools()
        if reason:
            self.skipTest(reason)
        self.keys = tempfile.mkdtemp(prefix="ksd-web-keys-")
        self.pub = os.path.join(self.keys, "ksd.pub")
        key = os.path.join(self.keys, "ksd.key")
        subprocess.run([harness.CONTENT_BIN, "keygen", "-p", self.pub, "-s", key], check=True,
                       capture_output=True)
        os.chmod(key, 0o600)
        self.config_text = 'public_key = "%s"\nsecret_key = "%s"\n' % (self.pub, key)
        super().setUp()
        rc, out = harness.cli(self.h.db, "content", "import-sources",
                              os.path.join(harness.SOURCE_DIR, "content"))
        self.assertEqual(0, rc, out)

    def tearDown(self):
        super().tearDown()
        shutil.rmtree(self.keys, ignore_errors=True)

    def upload(self, data):
        path = os.path.join(self.h.dir, "daftar-kerja-sama.csv")
        with open(path, "wb") as f:
            f.write(data)
        h = self.h
        h.go("/staff/content/register")
        h.find("#register-file").send_keys(path)
        h.find("#register-upload").click()
        h.wait_for(lambda: h.find_all("#register-done") or h.find_all("#register-error"),
                   message="upload answer")

    def test_spreadsheet_upload_names_the_bad_row(self):
        h = self.h
        h.login("editor")
        h.go("/staff/content")
        self.assertIn("Konten anjungan", h.find("h1").text)
        self.assertIn("31 berkas sumber", h.text())
        h.shot("content-overview")
        self.upload(SPREADSHEET)
        self.assertIn("Daftar diunggah: 2 baris (Windows-1252, titik koma)",
                      h.find("#register-done").text)
        self.assertIn("PT Caf\u00e9 Lestari (fiktif)", h.find("#register-table").text)
        # The bad row is marked and its problem stands right under it, in Indonesian.
        row = h.find("#line-3")
        self.assertIn("content-bad-row", row.get_attribute("class"))
        problem = h.find("#line-3 + tr.content-row-problems").text
        self.assertIn("Baris 3 \u00b7 bidang:", problem)
        self.assertIn("bidang 'perkebunan-sawit' tidak dikenal", problem)
        self.assertIn("1 baris bermasalah", h.find("#register-problems").text)
        h.shot("content-register-bad-row")
        # Periksa says the same.
        h.go("/staff/content/check")
        self.assertIn("1 masalah ditemukan", h.find("#check-count").text)
        self.assertIn("perkebunan-sawit", h.find("#check-table").text)
        h.shot("content-check")
        # Fixed with the form's sector picker.
        h.go("/staff/content/register")
        h.find("#line-3 a").click()
        h.wait_for(lambda: h.find_all("#agreement-form"), message="agreement form")
        h.select("#a-bidang", "tenaga-kerja")
        h.shot("content-agreement")
        h.find("#agreement-save").click()
        h.wait_for(lambda: "Kesepakatan disimpan ke draf." in h.text(), message="saved")
        self.assertIn("Semua baris lolos pemeriksaan.", h.text())
        self.assertEqual(2, len(h.sql(
            "SELECT id FROM audit WHERE action IN ('content_register_upload', "
            "'content_agreement_save') AND user_name = 'editor'")))

    def test_page_preview_and_publish_reach_a_kiosk(self):
        h = self.h
        rc, out = harness.cli(self.h.db, "kiosk", "add", "kiosk-1")
        self.assertEqual(0, rc, out)
        token = out.splitlines()[0]
        h.login("editor")
        # A page edited as text; the preview comes from the kiosk's Markdown model.
        h.go("/staff/content/file?path=pages/tentang-ksd.id.md")
        text = h.find("#file-text")
        text.send_keys("\n\n## Jadwal baru\n\nKonsultasi **setiap Senin**. <script>alert(1)</script>\n")
        h.find("#file-preview").click()
        h.wait_for(lambda: "Jadwal baru" in h.find("#preview").text, message="preview")
        self.assertEqual("setiap Senin", h.find_all("#preview strong")[-1].text)
        self.assertEqual([], h.find_all("#preview script"))
        self.assertIn("<script>alert(1)</script>", h.find("#preview").text)
        h.shot("content-page-preview")
        h.find("#file-save").click()
        h.wait_for(lambda: h.find_all("#file-done"), message="saved")
        # Terbitkan, confirmed.
        h.go("/staff/content")
        self.assertIn("Belum ada versi yang terbit.", h.text())
        h.find("#publish-confirm").click()
        h.find("#publish-button").click()
        h.wait_for(lambda: h.find_all("#content-done"), timeout=20, message="published")
        version = h.find("#published-version").text
        self.assertEqual(14, len(version))
        self.assertIn(version, h.find("#content-done").text)
        self.assertIn(version, h.find("#content-history").text)
        self.assertEqual([("editor", version)], h.sql(
            "SELECT user_name, target FROM audit WHERE action = 'content_publish'"))
        # A real ksd-sync downloads the pack and verifies it with the kiosks' key.
        pack = os.path.join(h.dir, "kiosk", "ksd.pack")
        os.makedirs(os.path.dirname(pack))
        sync = subprocess.run([harness.SYNC_BIN, "--db", os.path.join(h.dir, "device.db"),
                               "--server", h.url, "--token", token, "--pack", pack,
                               "--public-key", self.pub, "--once"],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(0, sync.returncode, sync.stdout + sync.stderr)
        self.assertIn("pack %s installed" % version, sync.stdout + sync.stderr)
        verify = subprocess.run([harness.CONTENT_BIN, "verify", pack, "-p", self.pub],
                                capture_output=True, text=True)
        self.assertEqual(0, verify.returncode, verify.stdout + verify.stderr)
        h.go("/staff/content")
        self.assertIn("Draf sama dengan versi yang terbit.", h.text())
        self.assertIn(version, h.find("#content-kiosks").text)
        h.shot("content-published")
        # The same page in English, kept for this user.
        h.find("form[action='/staff/lang'] button").click()
        h.wait_for(lambda: "Kiosk content" in h.text(), message="English")
        self.assertIn("The draft is the same as the published version.", h.text())
        self.assertIn("Server key", h.find("#content-history").text)
        h.shot("content-published-en")
