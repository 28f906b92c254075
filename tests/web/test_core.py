"""Browser tests of the dashboard's core: login, a wrong password slowed down, a form without
its CSRF token refused, users and the audit log, both languages."""
import time

from harness import DashboardTest, PASSWORDS


class CoreTest(DashboardTest):
    def test_login_page_and_wrong_password_slowed(self):
        h = self.h
        h.go("/staff/login")
        self.assertIn("Masuk ke Dasbor KSD", h.text())
        # Every input has a label.
        for inp in h.find_all("input:not([type=hidden])"):
            self.assertTrue(h.find_all("label[for='%s']" % inp.get_attribute("id")))
        h.shot("login")
        # Wrong passwords until the delay reaches 8 s (3 free mistakes, then 2, 4, 8 s).
        for _ in range(8):
            h.login("admin", "salah-sandi-123")
            message = h.find("#login-error").text
            self.assertTrue(message.startswith("Nama pengguna atau kata sandi salah.")
                            or message.startswith("Terlalu banyak percobaan"), message)
            until = h.sql("SELECT locked_until FROM login_throttle WHERE key = 'user:admin'")
            wait = until[0][0] - time.time() if until else 0
            if wait >= 6:
                break
            time.sleep(max(0, wait + 0.2))
        self.assertGreaterEqual(wait, 6)
        h.login("admin")  # the right password, too soon
        self.assertIn("Terlalu banyak percobaan", h.find("#login-error").text)
        h.shot("login-slowed")
        until = h.sql("SELECT locked_until FROM login_throttle WHERE key = 'user:admin'")[0][0]
        time.sleep(max(0, until - time.time() + 0.5))
        h.login("admin")
        self.assertNotIn("/staff/login", h.driver.current_url)

    def test_csrf_token_required(self):
        h = self.h
        h.login("admin")
        h.go("/staff/users")
        # Remove the form's token as a forged page would not have it, then send the form.
        h.driver.execute_script(
            "document.querySelectorAll(\"form[action='/staff/users'] input[name=csrf]\")"
            ".forEach(function (e) { e.remove(); });")
        h.fill("#new-name", "tamu")
        h.fill("#new-full", "Tamu")
        h.fill("#new-pw", "Parit-Culum-2026")
        h.find("form[action='/staff/users'] button.btn-primary").click()
        h.wait_for(lambda: "kedaluwarsa" in h.text(), message="CSRF refusal")
        self.assertEqual([], h.sql("SELECT name FROM users WHERE name = 'tamu'"))

    def test_users_and_audit_pages_both_languages(self):
        h = self.h
        h.login("admin")
        h.go("/staff/users")
        self.assertIn("Pengguna", h.find("h1").text)
        h.fill("#new-name", "dewi")
        h.fill("#new-full", "Dewi Sartika")
        h.select("#new-role", "responder")
        h.fill("#new-pw", "Parit-Culum-2026")
        h.find("form[action='/staff/users'] button.btn-primary").click()
        h.wait_for(lambda: "Pengguna ditambahkan." in h.text(), message="user added")
        self.assertEqual([("responder",)], h.sql("SELECT role FROM users WHERE name = 'dewi'"))
        h.shot("users")
        h.go("/staff/audit")
        self.assertIn("Menambah pengguna", h.text())
        h.shot("audit")
        # English, kept for this user.
        h.find("form[action='/staff/lang'] button").click()
        h.wait_for(lambda: "Audit log" in h.text(), message="English")
        h.go("/staff/users")
        self.assertIn("Add a user", h.text())
        h.shot("users-en")

    def test_viewer_refused_admin_pages(self):
        h = self.h
        h.login("viewer")
        h.go("/staff/users")
        self.assertIn("Peran Anda tidak berhak", h.text())
        self.assertEqual([], h.find_all("a[href='/staff/users']"))
