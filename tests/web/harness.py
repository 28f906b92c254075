"""Browser tests of the staff dashboard: the real ksd-server on a throw-away database, driven
through Debian's chromium with chromium-driver and python3-selenium (all offline).

A test case derives from DashboardTest; it gets self.h (a Harness) with the server started and
the users admin/responder/editor/viewer made through the real `ksd-server user add`.

The server's database is a SQLite file in the harness's temporary directory, or, when KSD_TEST_PG
names the directory of a tests/pg/cluster.sh cluster (the "web-pg: " tests), a fresh PostgreSQL
database of the harness's own in that cluster, as tests/sync/test_db.h makes them for C++.
"""
import itertools
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import unittest

BUILD_DIR = os.environ.get("KSD_BUILD_DIR", "")
SERVER_BIN = os.path.join(BUILD_DIR, "sync", "ksd-server")
SYNC_BIN = os.path.join(BUILD_DIR, "sync", "ksd-sync")
CONTENT_BIN = os.path.join(BUILD_DIR, "tools", "ksd-content")
SHOTS_DIR = os.path.join(BUILD_DIR, "web-screenshots")
SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The throw-away PostgreSQL cluster's directory (tests/pg/cluster.sh), or "" for SQLite.
PG_CLUSTER = os.environ.get("KSD_TEST_PG", "")

PASSWORDS = {
    "admin": "Teluk-Kiambang-7",
    "responder": "Sungai-Batang-42",
    "editor": "Pulau-Burung-99",
    "viewer": "Kuala-Enok-2026",
}
# Desktop and phone, as the issue asks.
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


def missing_tools():
    """Why the browser tests cannot run here, or None."""
    for path in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.path.exists(path):
            return path + " is missing (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "python3-selenium is missing (apt-get install python3-selenium)"
    if not os.path.exists(SERVER_BIN):
        return "no ksd-server at " + SERVER_BIN + " (build first; KSD_BUILD_DIR)"
    if PG_CLUSTER:
        return pg_unavailable()
    return None


def first_line(path):
    """The first line of a file, or "" when there is none."""
    try:
        with open(path) as f:
            return f.readline().strip()
    except OSError:
        return ""


def pg_unavailable():
    """Why the tests cannot run on PostgreSQL here (cluster.sh wrote skip, or was not run, or no
    psycopg2), or None."""
    skip = os.path.join(PG_CLUSTER, "skip")
    if os.path.exists(skip):
        return first_line(skip) or "the PostgreSQL test cluster did not start"
    if not first_line(os.path.join(PG_CLUSTER, "url")):
        return "no PostgreSQL test cluster in %s (tests/pg/cluster.sh start was not run)" % (
            PG_CLUSTER)
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "python3-psycopg2 is missing (apt-get install python3-psycopg2)"
    return None


def is_uri(db):
    return db.startswith("postgresql://") or db.startswith("postgres://")


def psql(*commands):
    """Runs each SQL command with the cluster's psql on its "postgres" database (one -c each:
    CREATE DATABASE refuses to run inside a transaction block)."""
    bindir = first_line(os.path.join(PG_CLUSTER, "bindir"))
    args = [os.path.join(bindir, "psql") if bindir else "psql", "-X", "-q", "-v",
            "ON_ERROR_STOP=1", "-d", first_line(os.path.join(PG_CLUSTER, "url"))]
    for command in commands:
        args += ["-c", command]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("psql failed: " + p.stdout + p.stderr)


def with_database(url, name):
    """The cluster's URI with its database (the path after the authority) replaced."""
    start = url.index("/", url.index("://") + 3)
    end = url.find("?", start)
    return url[:start + 1] + name + (url[end:] if end >= 0 else "")


def sqlite_value(v):
    """A PostgreSQL value as sqlite3 would have returned it: booleans and whole numerics (sum,
    numeric columns) as int, bytea as bytes."""
    import decimal
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, decimal.Decimal) and v == v.to_integral_value():
        return int(v)
    if isinstance(v, memoryview):
        return bytes(v)
    return v


# Numbers the databases of this process (several harnesses run one after the other).
_pg_counter = itertools.count(1)


class Server:
    """The real ksd-server on 127.0.0.1 and a port the kernel picks."""

    def __init__(self, db, config=None, log=None, data_dir=None):
        self.db = db
        self.log_path = log or db + ".log"
        args = [SERVER_BIN]
        if config:
            args += ["--config", config]
        args += ["--db", db]
        if data_dir:
            # On PostgreSQL the published packs and the USB key have no database file to sit by.
            args += ["--data-dir", data_dir]
        args += ["serve", "--listen", "127.0.0.1:0"]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        self.port = 0
        while time.time() < deadline and not self.port:
            with open(self.log_path) as f:
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)\n", f.read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if not self.port:
            raise RuntimeError("ksd-server did not start: " + open(self.log_path).read())
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def cli(db, *args, stdin=None):
    """Runs `ksd-server --db DB ARGS`; returns (exit status, output)."""
    p = subprocess.run([SERVER_BIN, "--db", db] + list(args), input=stdin, capture_output=True,
                       text=True)
    return p.returncode, p.stdout + p.stderr


class Harness:
    def __init__(self, config_text=None):
        self.dir = tempfile.mkdtemp(prefix="ksd-web-")
        self.pg_name = None
        if PG_CLUSTER:
            self.db = self._create_pg_database()
        else:
            self.db = os.path.join(self.dir, "server.db")
        try:
            self._start(config_text)
        except BaseException:
            # close() is never called for a harness that did not start: its database goes here.
            self._drop_pg_database()
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    def _create_pg_database(self):
        """A new, empty database of this harness's own; returns its URI. A valid identifier
        without quoting: lower-case letters, digits and '_'."""
        self.pg_name = "ksd_web_%d_%d" % (os.getpid(), next(_pg_counter))
        # Dropped first: a run killed by its timeout leaves its databases, and a later process
        # may get the same pid.
        psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.pg_name,
             "CREATE DATABASE %s" % self.pg_name)
        return with_database(first_line(os.path.join(PG_CLUSTER, "url")), self.pg_name)

    def _drop_pg_database(self):
        if self.pg_name:
            name, self.pg_name = self.pg_name, None
            try:
                psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
            except RuntimeError as e:  # cluster.sh stop removes whatever is left
                print(e)

    def _start(self, config_text):
        for role, password in PASSWORDS.items():
            rc, out = cli(self.db, "user", "add", role, "--role", role, "--full-name",
                          role.capitalize() + " Test", stdin=password + "\n")
            if rc != 0:
                raise RuntimeError("user add failed: " + out)
        self.config = None
        if config_text is not None:
            self.config = os.path.join(self.dir, "server.toml")
            with open(self.config, "w") as f:
                f.write(config_text)
        if is_uri(self.db):
            self.server = Server(self.db, self.config, log=os.path.join(self.dir, "server.log"),
                                 data_dir=self.dir)
        else:
            self.server = Server(self.db, self.config)
        self.url = self.server.url
        # Two browser tests starting at once may race for chromedriver's port, and a cold
        # chromium can miss its start-up deadline: a start is tried up to three times.
        for attempt in range(3):
            try:
                self.driver = self._driver()
                break
            except Exception as e:  # selenium's start-up errors have no common base
                if attempt == 2:
                    self.server.stop()
                    raise
                print("browser start failed (%s), trying again" % e)
                time.sleep(1 + attempt)

    def _driver(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     "--user-data-dir=" + os.path.join(self.dir, "chromium"),
                     "--window-size=1366,768", "--lang=id"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        driver.set_page_load_timeout(30)
        return driver

    def close(self):
        try:
            self.driver.quit()
        finally:
            self.server.stop()
            # After the server is gone: FORCE would end its connections anyway, but a live
            # server would reconnect and log errors.
            self._drop_pg_database()
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- browsing
    def go(self, path):
        self.driver.get(self.url + path)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.TAG_NAME, "body").text

    def fill(self, css, value):
        el = self.find(css)
        el.clear()
        el.send_keys(value)
        return el

    def select(self, css, value):
        from selenium.webdriver.support.ui import Select
        Select(self.find(css)).select_by_value(value)

    def wait_for(self, condition, timeout=30, message="condition"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if condition():
                    return
            except Exception:  # the page may be mid-load
                pass
            time.sleep(0.1)
        raise AssertionError("timed out waiting for " + message)

    def login(self, role, password=None):
        self.driver.delete_all_cookies()
        self.go("/staff/login")
        self.fill("#username", role)
        self.fill("#password", password or PASSWORDS[role])
        self.find("form button[type=submit]").click()
        self.wait_for(lambda: "/staff/login" not in self.driver.current_url
                      or self.find_all("#login-error"), message="login answer")

    def logout(self):
        self.find("form[action='/staff/logout'] button").click()
        self.wait_for(lambda: "/staff/login" in self.driver.current_url, message="logout")

    def console_errors(self):
        """Errors the page logged (a CSP violation shows up here)."""
        return [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]

    def shot(self, name):
        """Saves the current page at desktop and phone width, whole length, as
        web-screenshots/<name>-desktop.png and -phone.png next to the build output."""
        os.makedirs(SHOTS_DIR, exist_ok=True)
        import base64
        paths = []
        for label, (w, h) in SIZES.items():
            self.driver.set_window_size(w, h)
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": w, "height": h, "deviceScaleFactor": 1, "mobile": label == "phone"})
            time.sleep(0.15)
            height = self.driver.execute_script(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            width = self.driver.execute_script("return document.documentElement.scrollWidth")
            data = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": max(w, width), "height": min(max(h, height), 6000),
                         "scale": 1}})
            path = os.path.join(SHOTS_DIR, "%s-%s.png" % (name, label))
            with open(path, "wb") as f:
                f.write(base64.b64decode(data["data"]))
            paths.append(path)
            if label == "phone" and width > w + 1:
                # A page wider than the phone scrolls sideways: a defect we want to see.
                raise AssertionError("%s is %d px wide at a %d px phone" % (name, width, w))
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        self.driver.set_window_size(*SIZES["desktop"])
        return paths

    # --- the database, on either engine. Read as a test would; written (execute) only where a
    # test stands in for the clock or for a part of the server not there yet.
    def sql(self, query, *args):
        """The rows of query (with ? placeholders) as a list of tuples, as sqlite3 gives them."""
        return self._run(query, args, write=False)

    def execute(self, query, *args):
        """Runs a statement that changes rows (with ? placeholders), committed; returns how many
        rows it changed. Keep the SQL portable: no strftime, true rather than 1."""
        return self._run(query, args, write=True)

    def _run(self, query, args, write):
        if not is_uri(self.db):
            con = sqlite3.connect(self.db, timeout=10)
            try:
                cur = con.execute(query, args)
                if not write:
                    return cur.fetchall()
                con.commit()
                return cur.rowcount
            finally:
                con.close()
        import psycopg2
        con = psycopg2.connect(self.db)
        try:
            con.autocommit = True
            with con.cursor() as cur:
                # psycopg2's placeholders are %s, so a literal % (LIKE 'kiosk_%') is doubled
                # first. A ? inside a quoted string would be taken for a placeholder: tests
                # pass such values as arguments.
                cur.execute(query.replace("%", "%%").replace("?", "%s"), args)
                if write:
                    return cur.rowcount
                return [tuple(sqlite_value(v) for v in row) for row in cur.fetchall()]
        finally:
            con.close()



class DashboardTest(unittest.TestCase):
    config_text = None

    def setUp(self):
        reason = missing_tools()
        if reason:
            self.skipTest(reason)
        self.h = Harness(self.config_text)

    def tearDown(self):
        if hasattr(self, "h"):
            errors = self.h.console_errors()
            self.h.close()
            # No page may log a CSP violation or a script error.
            self.assertEqual([], [e for e in errors if "Content Security Policy" in e["message"]
                                  or "Uncaught" in e["message"]])
