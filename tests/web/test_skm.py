"""Browser test of the satisfaction-survey pages (SKM, issue 14): responses uploaded by two kiosks
over the real API, the index with its grade and the bar chart, the kiosk filter, the period
selector, the language switch, the printable yearly report, at desktop and phone width (no
sideways scrolling, no console errors)."""
import json
import time
import urllib.request
import uuid

from harness import DashboardTest, cli


def upload(url, token, kiosk, rows):
    """POSTs survey responses (lists of nine values) as the kiosk's agent does."""
    body = {"responses": [{
        "id": str(uuid.uuid4()), "kiosk_id": kiosk, "created_at": int(time.time()),
        "clock_trusted": True, "form_version": "skm-2017-1", "answers": a,
        "gender": "f" if i % 2 else "m", "age_band": "30-39", "education": "sma",
        "occupation": "wirausaha", "lang": "id"} for i, a in enumerate(rows)]}
    req = urllib.request.Request(url + "/api/v1/skm", data=json.dumps(body).encode(),
                                 method="POST", headers={"Authorization": "Bearer " + token,
                                                         "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status


class SkmTest(DashboardTest):
    def test_index_chart_filter_report(self):
        h = self.h
        tokens = {}
        for k in ("kantor-bupati", "mal-pelayanan"):
            rc, out = cli(h.db, "kiosk", "add", k)
            self.assertEqual(0, rc, out)
            tokens[k] = out.split("\n")[0]
        # The worked example of tests/shared/test_skm_index.cpp: IKM 84.26, B (Baik).
        self.assertEqual(200, upload(h.url, tokens["kantor-bupati"], "kantor-bupati", [
            [4, 4, 4, 4, 4, 4, 4, 4, 4], [3, 3, 3, 4, 3, 3, 4, 3, 3],
            [3, 2, 3, 4, 3, 3, 3, 2, 3], [4, 3, 0, 4, 3, 4, 4, 3, 2]]))
        self.assertEqual(200, upload(h.url, tokens["mal-pelayanan"], "mal-pelayanan", [
            [2, 2, 3, 4, 2, 3, 3, 1, 2], [3, 2, 2, 4, 3, 3, 3, 2, 2]]))

        h.login("viewer")
        h.find("nav a[href='/staff/skm']").click()
        h.wait_for(lambda: h.find_all("#skm-ikm"), message="the SKM page")
        self.assertEqual("page", h.find("nav a[href='/staff/skm']").get_attribute("aria-current"))
        self.assertEqual("6", h.find("#skm-respondents").text)
        self.assertEqual(9, len(h.find_all("svg.chart-skm rect.chart-bar")))
        h.shot("skm")

        h.select("#skm-kiosk", "kantor-bupati")
        h.find("form.filters button").click()
        h.wait_for(lambda: "kiosk=kantor-bupati" in h.driver.current_url, message="filter")
        self.assertEqual("84,26", h.find("#skm-ikm").text)
        self.assertIn("B · Baik", h.find("#skm-grade").text)
        self.assertEqual("4", h.find("#skm-respondents").text)

        h.select("#skm-period", "year")
        h.find("#skm-at").clear()
        h.find("form.filters button").click()
        h.wait_for(lambda: "period=year" in h.driver.current_url, message="year")
        self.assertEqual("84,26", h.find("#skm-ikm").text)
        # The previous year has no answers.
        h.find("a[rel=prev]").click()
        h.wait_for(lambda: h.find_all("#skm-empty"), message="an empty year")

        h.go("/staff/skm?period=month&kiosk=mal-pelayanan")
        self.assertIn("D · Tidak Baik", h.find("#skm-grade").text)
        h.find("form[action='/staff/lang'] button").click()
        h.wait_for(lambda: "Satisfaction survey" in h.text(), message="English")
        self.assertIn("Not good", h.find("#skm-grade").text)
        h.shot("skm-en")
        h.find("form[action='/staff/lang'] button").click()
        h.wait_for(lambda: "Survei Kepuasan" in h.text(), message="Bahasa Indonesia")

        h.go("/staff/skm?period=month&kiosk=kantor-bupati")
        h.find("a[href^='/staff/skm/report']").click()
        h.wait_for(lambda: h.find_all("#skm-report-table"), message="the report")
        self.assertEqual("84,26", h.find("#skm-ikm").text)
        self.assertEqual("B", h.find("#skm-grade").text)
        self.assertEqual(9, len(h.find_all("#skm-report-table tbody tr")))
        h.shot("skm-report")
        self.assertEqual([], h.console_errors())
