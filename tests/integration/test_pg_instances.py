"""Two hop instances on one PostgreSQL database act as one service.

A link made on one instance redirects on the other at once; a change on one reaches the other's caches within
1 s (LISTEN/NOTIFY), "not found" answers included; clicks served by both add up exactly; an alias raced from
both is created once. Each instance runs two workers, each with its own cache, as in production.
"""

import time

from hoptest import main
from pgtest import PostgresTestCase, let_notices_arrive, location, metrics, run_threads

PROPAGATION_DEADLINE = 1.0   # seconds, from the change's answer to the other instance's last stale answer
PROBES = 8                   # fresh connections per check, so that both workers of an instance answer


class TwoInstancesTest(PostgresTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = cls.start_hop("--threads", "2")
        # Named, so that a test can find this instance's sessions in pg_stat_activity.
        cls.b = cls.start_hop("--threads", "2", database_url=cls.database_url + "?application_name=hop_b")

    def probe(self, server, code):
        """The distinct (status, Location) answers of PROBES requests on fresh connections."""
        return {location(server, code) for _ in range(PROBES)}

    def cache_on_b(self, link):
        """Has B answer `link` enough times that both its workers hold it in their caches."""
        let_notices_arrive()
        answers = self.probe(self.b, link["code"]) | self.probe(self.b, link["code"])
        self.assertEqual(answers, {(302, link["url"])})
        self.assertGreaterEqual(metrics(self.b)["hop_links_cached"], 1)

    def assertReachesB(self, code, expected, what):
        waited, _ = self.wait_for(lambda: self.probe(self.b, code), lambda answers: answers == {expected},
                                  PROPAGATION_DEADLINE, what)
        return waited

    # -- a link's life across instances --------------------------------------------------------------

    def test_link_created_on_one_instance_redirects_on_the_other_at_once(self):
        link = self.create_link(self.a, "https://example.com/made-on-a")
        self.assertEqual(location(self.b, link["code"]), (302, "https://example.com/made-on-a"))
        status, _, seen = self.b.json("GET", f"/api/v1/links/{link['code']}")
        self.assertEqual((status, seen["url"]), (200, "https://example.com/made-on-a"))

    def test_not_found_cached_on_the_other_instance_is_forgotten_when_the_link_is_created(self):
        # B caches "not found" for 2 s; seeing the link within 1 s proves the notice, not the expiry.
        self.assertEqual(self.probe(self.b, "soon-made"), {(404, None)})
        self.create_link(self.a, "https://example.com/soon-made", alias="soon-made")
        self.assertReachesB("soon-made", (302, "https://example.com/soon-made"), "B redirecting a new alias")

    def test_changed_url_redirects_the_new_way_on_the_other_instance_within_1s(self):
        link = self.create_link(self.a, "https://example.com/old")
        self.cache_on_b(link)
        status, _, _ = self.a.json("PATCH", f"/api/v1/links/{link['code']}", {"url": "https://example.com/new"})
        self.assertEqual(status, 200)
        self.assertReachesB(link["code"], (302, "https://example.com/new"), "B following the new URL")

    def test_disabled_link_stops_redirecting_on_the_other_instance_within_1s(self):
        link = self.create_link(self.a, "https://example.com/to-disable")
        self.cache_on_b(link)
        status, _, _ = self.a.json("PATCH", f"/api/v1/links/{link['code']}", {"disabled": True})
        self.assertEqual(status, 200)
        self.assertReachesB(link["code"], (410, None), "B answering 410 for a disabled link")

    def test_deleted_link_stops_redirecting_on_the_other_instance_within_1s(self):
        link = self.create_link(self.a, "https://example.com/to-delete")
        self.cache_on_b(link)
        status, _, _ = self.a.request("DELETE", f"/api/v1/links/{link['code']}")
        self.assertEqual(status, 204)
        self.assertReachesB(link["code"], (404, None), "B answering 404 for a deleted link")

    def test_change_missed_while_the_feed_was_disconnected_is_caught_up_when_it_reconnects(self):
        link = self.create_link(self.a, "https://example.com/before-the-gap")
        self.cache_on_b(link)
        database = self.database_url.rsplit("/", 1)[1]
        # New sessions are refused, so B's feed cannot listen again until the end; A writes on the session
        # its pool already holds.
        self.cluster.psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false")
        try:
            self.cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE application_name = 'hop_b' AND query LIKE 'LISTEN%'")
            status, _, body = self.a.json("PATCH", f"/api/v1/links/{link['code']}",
                                          {"url": "https://example.com/after-the-gap"})
            self.assertEqual(status, 200, body)
            time.sleep(0.5)
            # The notice went nowhere: B still has the old link, which is what the catch-up must repair.
            self.assertEqual(self.probe(self.b, link["code"]), {(302, "https://example.com/before-the-gap")})
        finally:
            self.cluster.psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
        # The feed retries at most every 2 s; once it listens again, B forgets every cached link.
        self.wait_for(lambda: self.probe(self.b, link["code"]),
                      lambda answers: answers == {(302, "https://example.com/after-the-gap")}, 5.0,
                      "B catching up after its feed reconnected")

    # -- counting and races --------------------------------------------------------------------------

    def test_ten_thousand_clicks_spread_over_both_instances_add_up_exactly_on_both(self):
        link = self.create_link(self.a, "https://example.com/counted")
        code = link["code"]
        before = sum(metrics(s)["hop_redirects_total"] for s in (self.a, self.b))
        threads, per_thread = 8, 1250
        statuses = [None] * threads

        def hammer(i):
            server = (self.a, self.b)[i % 2]
            conn = server.connection()
            try:
                seen = set()
                for _ in range(per_thread):
                    seen.add(location(server, code, conn=conn)[0])
                statuses[i] = seen
            finally:
                conn.close()

        run_threads(threads, hammer)
        self.assertEqual(statuses, [{302}] * threads)
        clicks = threads * per_thread
        for server in (self.a, self.b):
            self.wait_for(lambda: self.total(server, code), lambda total: total >= clicks, 5.0,
                          f"{clicks} clicks in the stats on {server.base_url}")
        time.sleep(1.0)   # two more flush intervals: nothing may be counted twice
        self.assertEqual([self.total(s, code) for s in (self.a, self.b)], [clicks, clicks])
        after = sum(metrics(s)["hop_redirects_total"] for s in (self.a, self.b))
        self.assertEqual(after - before, clicks)

    def test_alias_raced_from_both_instances_is_created_exactly_once(self):
        for round_ in range(10):
            alias = f"raced-{round_}"
            results = [None] * 8

            def create(i):
                server = (self.a, self.b)[i % 2]
                results[i] = server.json("POST", "/api/v1/links",
                                         {"url": f"https://example.com/racer-{i}", "alias": alias})

            run_threads(len(results), create)
            statuses = sorted(r[0] for r in results)
            self.assertEqual(statuses, [201] + [409] * 7, f"{alias}: {statuses}")
            for status, _, body in results:
                if status == 409:
                    self.assertEqual(body["code"], "alias_taken")
            winner = next(body for status, _, body in results if status == 201)
            for server in (self.a, self.b):
                self.assertEqual(location(server, alias), (302, winner["url"]))


if __name__ == "__main__":
    main()
