"""Runs the dashboard's browser tests: run.py BUILD_DIR [test_module ...]. Prints SKIPPED with the
reason (and exits 0) when chromium, chromedriver or selenium are missing, or, with KSD_TEST_PG set
(on PostgreSQL), when its cluster did not start or psycopg2 is missing; ctest reports that as
skipped, never as passed."""
import os
import sys
import unittest

if len(sys.argv) < 2:
    sys.exit("usage: run.py BUILD_DIR [test_module ...]")
os.environ["KSD_BUILD_DIR"] = os.path.abspath(sys.argv[1])
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import harness  # noqa: E402

reason = harness.missing_tools()
if reason:
    print("SKIPPED: " + reason)
    sys.exit(0)
loader = unittest.TestLoader()
names = sys.argv[2:] or sorted(f[:-3] for f in os.listdir(here)
                               if f.startswith("test_") and f.endswith(".py"))
suite = unittest.TestSuite(loader.loadTestsFromName(n) for n in names)
result = unittest.TextTestRunner(verbosity=2).run(suite)
if result.skipped:
    for test, why in result.skipped:
        print("SKIPPED: %s: %s" % (test, why))
sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
