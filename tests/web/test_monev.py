"""Browser tests of monitoring and evaluation of agreements (monev, issue 14): the office's to-do
list linking to an agreement, an editor recording an evaluation whose history then shows it (and
the to-do list drops the agreement from "not evaluated"), a viewer reading without the form.
Screenshots: monev-*.png."""
import os

import harness
from harness import DashboardTest

NOMOR = "DEMO/PKS/006/2023"  # in force and never evaluated in the demo register


class MonevTest(DashboardTest):
    def setUp(self):
        super().setUp()
        rc, out = harness.cli(self.h.db, "content", "import-sources",
                              os.path.join(harness.SOURCE_DIR, "content"))
        self.assertEqual(0, rc, out)

    def test_editor_records_an_evaluation_from_the_todo_list(self):
        h = self.h
        h.login("editor")
        h.go("/staff/content")
        h.find("#monev-link").click()
        h.wait_for(lambda: h.find_all("#monev-not-evaluated"), message="to-do page")
        for section in ("#monev-ending-90", "#monev-ending-180", "#monev-not-evaluated"):
            self.assertTrue(h.find_all(section), section)
        self.assertIn(NOMOR, h.find("#monev-not-evaluated").text)
        h.shot("monev-todo")
        h.find("#monev-not-evaluated a[href$='%s']" % NOMOR).click()
        h.wait_for(lambda: h.find_all("#monev-form"), message="agreement's monev page")
        self.assertIn("Belum pernah dievaluasi.", h.find("#monev-history").text)
        # An empty summary is refused by the form itself; then a proper one is saved.
        h.select("#m-status", "hindered")
        h.fill("#m-ringkasan", "Harga beli kelapa belum disepakati ulang; rapat Januari.")
        h.find("#monev-save").click()
        h.wait_for(lambda: h.find_all("#monev-done"), message="saved")
        row = h.find("#monev-history-table tr.monev-eval")
        self.assertEqual("hindered", row.get_attribute("data-state"))
        self.assertIn("Terkendala", row.text)
        self.assertIn("Harga beli kelapa", row.text)
        h.shot("monev-agreement")
        self.assertEqual([(1,)], h.sql(
            "SELECT count(*) FROM agreement_evaluations WHERE nomor = ?", NOMOR))
        h.go("/staff/content/monev")
        self.assertNotIn(NOMOR, h.find("#monev-not-evaluated").text)

    def test_viewer_reads_without_the_form(self):
        h = self.h
        h.login("viewer")
        h.go("/staff/content/monev/agreement?nomor=" + NOMOR)
        self.assertIn(NOMOR, h.find("h1").text)
        self.assertEqual([], h.find_all("#monev-form"))
