"""Concurrency: races on aliases, many redirects from many connections, stats read while counting."""

import threading

from hoptest import STATS_DEADLINE, HopTestCase, main, run_threads


class ConcurrencyTest(HopTestCase):

    def test_twenty_creates_of_one_alias_make_exactly_one_link(self):
        results = [None] * 20

        def create(i):
            results[i] = self.json("POST", "/api/v1/links", {"url": f"https://example.com/racer{i}",
                                                             "alias": "race-alias"})

        run_threads(20, create)
        winners = [i for i, r in enumerate(results) if r[0] == 201]
        self.assertEqual(len(winners), 1, [r[0] for r in results])
        for i, (status, _, body) in enumerate(results):
            if i != winners[0]:
                self.assertEqual(status, 409, body)
                self.assertEqual(body["code"], "alias_taken", body)
        self.assertEqual(self.get_link("race-alias")["url"], f"https://example.com/racer{winners[0]}")
        self.assertEqual(self.visit("race-alias")[1].get("location"), f"https://example.com/racer{winners[0]}")

    def test_thousand_redirects_from_several_connections_count_exactly(self):
        code = self.create_link("https://example.com/thousand")["code"]
        per_thread = 250

        def hammer(_):
            conn = self.server.connection()
            sock = None
            try:
                for _ in range(per_thread):
                    status, hdrs, _ = self.visit(code, conn=conn)
                    assert status == 302, status
                    assert hdrs.get("location") == "https://example.com/thousand", hdrs
                    sock = sock or conn.sock
                    assert conn.sock is sock, "keep-alive connection was closed"
            finally:
                conn.close()

        run_threads(4, hammer)
        stats = self.wait_for_stats(code, lambda s: s["total"] >= 1000, timeout=STATS_DEADLINE + 1.5,
                                    what="1000 clicks")
        self.assertEqual(stats["total"], 1000, stats)
        self.assertEqual(stats["last_24h"], 1000, stats)
        self.assertEqual(stats["bots"], 0, stats)

    def test_max_visits_holds_exactly_under_concurrent_visits(self):
        code = self.create_link("https://example.com/limited", max_visits=10)["code"]
        statuses = [[] for _ in range(4)]

        def hammer(i):
            conn = self.server.connection()
            try:
                for _ in range(10):
                    statuses[i].append(self.visit(code, conn=conn)[0])
            finally:
                conn.close()

        run_threads(4, hammer)
        flat = [s for per in statuses for s in per]
        self.assertEqual(flat.count(302), 10, flat)
        self.assertEqual(flat.count(410), 30, flat)
        self.wait_for_stats(code, lambda s: s["total"] >= 10, what="10 clicks")
        self.assertEqual(self.stats(code)["total"], 10)

    def test_concurrent_creates_all_succeed_with_distinct_codes(self):
        codes = [[] for _ in range(8)]

        def create(i):
            conn = self.server.connection()
            try:
                for j in range(40):
                    status, _, link = self.json("POST", "/api/v1/links",
                                                {"url": f"https://example.com/{i}/{j}"}, conn=conn)
                    assert status == 201, (status, link)
                    codes[i].append((link["code"], link["url"]))
            finally:
                conn.close()

        run_threads(8, create)
        made = [c for per in codes for c in per]
        self.assertEqual(len({code for code, _ in made}), 320)
        for code, url in made[::16]:
            self.assertEqual(self.get_link(code)["url"], url)

    def test_stats_invariant_holds_while_clicks_pour_in(self):
        code = self.create_link("https://example.com/invariant")["code"]
        done = threading.Event()
        seen = []

        def click(_):
            conn = self.server.connection()
            try:
                for _ in range(300):
                    assert self.visit(code, conn=conn)[0] == 302
            finally:
                conn.close()

        def read():
            while not done.is_set():
                seen.append(self.stats(code))   # stats() asserts the invariant on each answer

        reader = threading.Thread(target=read)
        reader.start()
        try:
            run_threads(3, click)
        finally:
            done.set()
            reader.join(30)
        totals = [s["total"] for s in seen]
        self.assertEqual(totals, sorted(totals), "total went down between two reads")
        for s in seen:
            self.assertStatsInvariant(s)
        self.wait_for_stats(code, lambda s: s["total"] == 900, timeout=STATS_DEADLINE + 1.5, what="900 clicks")

    def test_redirects_during_a_patch_see_the_old_or_the_new_target(self):
        code = self.create_link("https://example.com/old")["code"]
        seen = set()
        patched = threading.Event()

        def visit(i):
            conn = self.server.connection()
            try:
                if i == 0:
                    status, _, _ = self.json("PATCH", f"/api/v1/links/{code}", {"url": "https://example.com/new"},
                                             conn=conn)
                    assert status == 200, status
                    patched.set()
                    return
                for _ in range(100):
                    status, hdrs, _ = self.visit(code, conn=conn)
                    assert status == 302, status
                    seen.add(hdrs.get("location"))
            finally:
                conn.close()

        run_threads(4, visit)
        self.assertTrue(patched.is_set())
        self.assertTrue(seen <= {"https://example.com/old", "https://example.com/new"}, seen)
        self.assertEqual(self.visit(code)[1].get("location"), "https://example.com/new")


if __name__ == "__main__":
    main()
