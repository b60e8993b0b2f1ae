"""PostgreSQL going away does not take hop down.

While the cluster is stopped: cached links keep redirecting, promptly, and their clicks wait in memory; writes
and reads that need the database answer 503 store_unavailable; /readyz says 503. Once it is back: /readyz says
200 again and every click served meanwhile is in the stats, or, past --click-buffer, counted as dropped.

The cluster is this file's own (ctest runs it under scripts/with-postgres.sh), so stopping it fails no other
test. Instances run one worker each: a link is cached per worker, and these tests need to know which links are.
"""

import time

from hoptest import main
from pgtest import PostgresTestCase, let_notices_arrive, location, metrics

PROMPT = 0.5          # seconds: the most any answer may take while the database is down
RECOVERY = 10.0       # seconds for hop to find the database again (its retry delay is at most 4 s)


class OutageTestCase(PostgresTestCase):

    def setUp(self):
        super().setUp()
        self.addCleanup(self.ensure_cluster_running)

    def ensure_cluster_running(self):
        try:
            self.cluster.psql("SELECT 1")
        except AssertionError:
            self.cluster.start()

    def timed(self, call):
        start = time.monotonic()
        result = call()
        elapsed = time.monotonic() - start
        self.assertLess(elapsed, PROMPT, f"answered in {elapsed:.2f} s while the database is down: {result}")
        return result

    def visit_all(self, server, codes, times):
        """`times` redirects of each code on one keep-alive connection; all must be 302, promptly."""
        conn = server.connection()
        try:
            for _ in range(times):
                for code in codes:
                    status, _ = self.timed(lambda: location(server, code, conn=conn))
                    self.assertEqual(status, 302, f"cached link {code} while the database is down")
        finally:
            conn.close()

    def wait_until_written(self, server, code, total):
        self.wait_for(lambda: self.total(server, code), lambda t: t == total, RECOVERY,
                      f"{code} reaching {total} clicks")


class StoreOutageTest(OutageTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = cls.start_hop("--threads", "1")
        cls.b = cls.start_hop("--threads", "1")

    def test_cached_links_redirect_writes_fail_fast_and_every_click_is_written_once_the_database_is_back(self):
        links = [self.create_link(self.a, f"https://example.com/{i}") for i in range(3)]
        codes = [link["code"] for link in links]
        let_notices_arrive()
        for server in (self.a, self.b):
            self.visit_all(server, codes, 1)   # caches every link on both instances
        for code in codes:
            self.wait_until_written(self.a, code, 2)

        self.cluster.stop()
        for server in (self.a, self.b):
            self.visit_all(server, codes, 50)
        served = {code: 2 + 2 * 50 for code in codes}

        for server in (self.a, self.b):
            self.assertDown(server, codes[0])
            self.wait_for(lambda: metrics(server), lambda m: m["hop_clicks_pending"] == 150, 2.0,
                          "the outage's clicks waiting in memory")
            self.wait_for(server.output, lambda out: "click flush failed" in out, 2.0, "a failed click flush")
        time.sleep(1.2)   # a few more failed flushes, which must not log a line each

        self.cluster.start()
        for server in (self.a, self.b):
            self.wait_for(lambda: server.request("GET", "/readyz")[0], lambda status: status == 200, RECOVERY,
                          "/readyz answering 200 again")
        for code in codes:
            for server in (self.a, self.b):
                self.wait_until_written(server, code, served[code])
        for server in (self.a, self.b):
            after = metrics(server)
            self.assertEqual((after["hop_store_up"], after["hop_clicks_pending"], after["hop_clicks_dropped_total"]),
                             (1, 0, 0))
            self.assertEqual(server.output().count("click flush failed"), 1,
                             "one log line when the outage starts, not one per flush interval")
            self.assertIn("click flush succeeded after", server.output())
        self.create_link(self.b, "https://example.com/after-the-outage")

    def assertDown(self, server, cached_code):
        """What needs the database answers 503 store_unavailable, promptly, with a detail that says why."""
        requests = [
            ("POST", "/api/v1/links", {"url": "https://example.com/new"}),
            ("PATCH", f"/api/v1/links/{cached_code}", {"title": "changed"}),
            ("DELETE", f"/api/v1/links/{cached_code}", None),
            ("GET", f"/api/v1/links/{cached_code}", None),
            ("GET", f"/api/v1/links/{cached_code}/stats", None),
            ("GET", "/api/v1/links", None),
            ("GET", "/notcached", None),   # a cache miss needs the database too
            ("GET", "/readyz", None),
        ]
        for method, path, body in requests:
            status, headers, problem = self.timed(lambda: server.json(method, path, body))
            what = f"{method} {path} while the database is down"
            self.assertEqual((status, problem["code"]), (503, "store_unavailable"), f"{what}: {problem}")
            self.assertEqual(headers["content-type"], "application/problem+json", what)
            self.assertIn("PostgreSQL", problem["detail"], what)
        self.assertEqual(metrics(server)["hop_store_up"], 0)
        self.assertEqual(server.request("GET", "/healthz")[0], 200, "liveness does not depend on the database")


class ClickBufferOverflowTest(OutageTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = cls.start_hop("--threads", "1", "--click-buffer", "2")

    def test_clicks_beyond_the_buffer_are_dropped_counted_and_logged_and_the_rest_written(self):
        codes = [self.create_link(self.a, f"https://example.com/{i}")["code"] for i in range(4)]
        let_notices_arrive()
        self.visit_all(self.a, codes, 1)
        for code in codes:
            self.wait_until_written(self.a, code, 1)

        self.cluster.stop()
        self.visit_all(self.a, codes, 10)   # at least four (link, minute) entries; the buffer keeps two
        _, dropped = self.wait_for(lambda: metrics(self.a)["hop_clicks_dropped_total"], lambda d: d > 0, 2.0,
                                   "clicks dropped past --click-buffer")
        self.assertIn("click buffer full", self.a.output())

        self.cluster.start()
        self.wait_for(lambda: metrics(self.a), lambda m: m["hop_store_up"] == 1 and m["hop_clicks_pending"] == 0,
                      RECOVERY, "the kept clicks written")
        dropped = metrics(self.a)["hop_clicks_dropped_total"]
        written = sum(self.total(self.a, code) - 1 for code in codes)
        self.assertEqual(written + dropped, 40, f"{written} written and {dropped} dropped of 40 served")
        self.assertGreaterEqual(written, 1)


if __name__ == "__main__":
    main()
