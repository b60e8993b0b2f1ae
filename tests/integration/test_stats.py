"""Click statistics: /stats and /stats/series (DESIGN.md sections 3 "Counting" and 4)."""

import datetime

from hoptest import (STATS_FIELDS, HopTestCase, floor_minute, main, parse_rfc3339, quote, rfc3339,
                     utc_now)

HUMAN_UAS = ["curl/8.0", "Python-urllib/3.11",
             "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"]
BOT_UAS = ["Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
           "Googlebot/2.1 (+http://www.google.com/bot.html)"]


class StatsTest(HopTestCase):

    def test_a_new_link_has_zero_stats(self):
        code = self.create_link("https://example.com/")["code"]
        before = utc_now().replace(microsecond=0)
        status, hdrs, stats = self.json("GET", f"/api/v1/links/{code}/stats")
        self.assertEqual(status, 200, stats)
        self.assertJsonContentType(hdrs)
        self.assertEqual(set(stats), STATS_FIELDS, stats)
        self.assertEqual(stats["code"], code)
        for field in ("total", "last_24h", "last_7d", "last_30d", "bots"):
            self.assertEqual(stats[field], 0, field)
        as_of = parse_rfc3339(stats["as_of"])
        self.assertLessEqual(abs((as_of - before).total_seconds()), 5, stats)

    def test_a_click_shows_within_a_second(self):
        code = self.create_link("https://example.com/")["code"]
        self.assertEqual(self.visit(code)[0], 302)
        stats = self.wait_for_stats(code, lambda s: s["total"] >= 1, what="the click")
        self.assertEqual((stats["total"], stats["last_24h"], stats["last_7d"], stats["last_30d"], stats["bots"]),
                         (1, 1, 1, 1, 0), stats)
        self.assertEqual(self.get_link(code)["total_clicks"], 1)

    def test_humans_bots_and_head_requests_are_counted_apart(self):
        code = self.create_link("https://example.com/")["code"]
        for ua in HUMAN_UAS:
            self.assertEqual(self.visit(code, user_agent=ua)[0], 302, ua)
        for ua in BOT_UAS:
            self.assertEqual(self.visit(code, user_agent=ua)[0], 302, ua)
        self.assertEqual(self.visit(code, method="HEAD")[0], 302)
        stats = self.wait_for_stats(code, lambda s: s["total"] + s["bots"] >= 6, what="6 requests")
        self.assertEqual(stats["total"], 3, stats)
        self.assertEqual(stats["bots"], 3, stats)
        self.assertEqual((stats["last_24h"], stats["last_7d"], stats["last_30d"]), (3, 3, 3), stats)
        self.assertEqual(self.get_link(code)["total_clicks"], 3)

    def test_empty_user_agent_counts_as_bot(self):
        # core/bot_detector.h: an empty User-Agent counts as a bot.
        code = self.create_link("https://example.com/")["code"]
        self.assertEqual(self.visit(code, headers={"User-Agent": None})[0], 302)
        stats = self.wait_for_stats(code, lambda s: s["total"] + s["bots"] >= 1, what="the request")
        self.assertEqual((stats["total"], stats["bots"]), (0, 1), stats)

    def test_answers_other_than_redirects_are_not_counted(self):
        once = self.create_link("https://example.com/once", max_visits=1)["code"]
        off = self.create_link("https://example.com/off")["code"]
        marker = self.create_link("https://example.com/marker")["code"]
        self.assertEqual(self.json("PATCH", f"/api/v1/links/{off}", {"disabled": True})[0], 200)
        self.assertEqual(self.visit(once)[0], 302)
        for _ in range(3):
            self.assertEqual(self.visit(once)[0], 410)
            self.assertEqual(self.visit(off)[0], 410)
        # The marker's click comes after every request above; once it shows, they have been flushed too.
        self.assertEqual(self.visit(marker)[0], 302)
        self.wait_for_stats(marker, lambda s: s["total"] == 1, what="the marker click")
        self.assertEqual(self.stats(once)["total"], 1)
        self.assertEqual(self.stats(once)["bots"], 0)
        self.assertEqual(self.stats(off)["total"], 0)
        self.assertEqual(self.stats(off)["bots"], 0)

    def test_many_clicks_add_up_exactly(self):
        code = self.create_link("https://example.com/")["code"]
        conn = self.server.connection()
        try:
            for _ in range(50):
                self.assertEqual(self.visit(code, conn=conn)[0], 302)
        finally:
            conn.close()
        stats = self.wait_for_stats(code, lambda s: s["total"] >= 50, what="50 clicks")
        self.assertEqual(stats["total"], 50, stats)
        self.assertEqual(stats["last_24h"], 50, stats)

    def test_a_recreated_alias_does_not_inherit_stats(self):
        self.create_link("https://example.com/one", alias="fresh-stats")
        self.visit("fresh-stats")
        self.visit("fresh-stats")
        self.wait_for_stats("fresh-stats", lambda s: s["total"] == 2, what="2 clicks")
        self.assertEqual(self.request("DELETE", "/api/v1/links/fresh-stats")[0], 204)
        link = self.create_link("https://example.com/two", alias="fresh-stats")
        self.assertEqual(link["total_clicks"], 0)
        stats = self.stats("fresh-stats")
        self.assertEqual((stats["total"], stats["last_24h"], stats["bots"]), (0, 0, 0), stats)

    def test_stats_of_unknown_code_is_404(self):
        self.assertProblem(self.request("GET", "/api/v1/links/nosuchcode/stats"), 404, "not_found")
        self.assertProblem(self.request("GET", "/api/v1/links/nosuchcode/stats/series"), 404, "not_found")


class SeriesTest(HopTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, _, link = cls.server.json("POST", "/api/v1/links", {"url": "https://example.com/series"})
        assert status == 201, (status, link)
        cls.code = link["code"]

    def series(self, query=""):
        status, hdrs, body = self.json("GET", f"/api/v1/links/{self.code}/stats/series{query}")
        self.assertEqual(status, 200, body)
        self.assertJsonContentType(hdrs)
        self.assertEqual(set(body), {"step", "from", "to", "points"}, body)
        parse_rfc3339(body["from"])
        parse_rfc3339(body["to"])
        self.assertLessEqual(parse_rfc3339(body["from"]), parse_rfc3339(body["to"]))
        return body

    def assertPointsEvenlySpaced(self, points, step):
        width = {"minute": 60, "hour": 3600, "day": 86400}[step]
        times = [parse_rfc3339(p["t"]) for p in points]
        for t in times:
            self.assertEqual(int(t.timestamp()) % width, 0, f"{t} is not on a {step} boundary")
        for a, b in zip(times, times[1:]):
            self.assertEqual((b - a).total_seconds(), width, f"points {a} and {b} are not one {step} apart")
        for p in points:
            self.assertEqual(set(p), {"t", "count"}, p)
            self.assertIs(type(p["count"]), int)
            self.assertGreaterEqual(p["count"], 0)

    def test_default_step_is_hour_over_7_days(self):
        body = self.series()
        self.assertEqual(body["step"], "hour")
        self.assertEqual(len(body["points"]), 7 * 24 + 1)
        self.assertPointsEvenlySpaced(body["points"], "hour")
        to = parse_rfc3339(body["to"])
        self.assertLessEqual(abs((to - utc_now()).total_seconds()), 5, "default `to` is now")
        self.assertEqual(to - parse_rfc3339(body["from"]), datetime.timedelta(days=7))

    def test_default_ranges_per_step(self):
        for step, span, count in (("minute", datetime.timedelta(hours=24), 24 * 60 + 1),
                                  ("hour", datetime.timedelta(days=7), 7 * 24 + 1),
                                  ("day", datetime.timedelta(days=30), 31)):
            with self.subTest(step=step):
                body = self.series(f"?step={step}")
                self.assertEqual(body["step"], step)
                self.assertEqual(len(body["points"]), count)
                self.assertPointsEvenlySpaced(body["points"], step)
                self.assertEqual(parse_rfc3339(body["to"]) - parse_rfc3339(body["from"]), span)

    def test_ten_minutes_at_minute_step_is_eleven_points(self):
        to = utc_now().replace(microsecond=0)
        frm = to - datetime.timedelta(minutes=10)
        body = self.series(f"?step=minute&from={quote(rfc3339(frm))}&to={quote(rfc3339(to))}")
        self.assertEqual(len(body["points"]), 11)
        self.assertPointsEvenlySpaced(body["points"], "minute")
        self.assertEqual(parse_rfc3339(body["points"][0]["t"]), floor_minute(frm))
        self.assertEqual(parse_rfc3339(body["points"][-1]["t"]), floor_minute(to))

    def test_clicks_land_in_the_current_bucket_and_bots_are_left_out(self):
        link = self.create_link("https://example.com/series-clicks")
        code = link["code"]
        start = utc_now()
        for _ in range(3):
            self.assertEqual(self.visit(code)[0], 302)
        self.assertEqual(self.visit(code, method="HEAD")[0], 302)
        self.assertEqual(self.visit(code, user_agent="Googlebot/2.1")[0], 302)
        self.wait_for_stats(code, lambda s: s["total"] == 3 and s["bots"] == 2, what="3 clicks and 2 bots")
        end = utc_now().replace(microsecond=0)
        frm = floor_minute(start) - datetime.timedelta(minutes=10)
        for step in ("minute", "hour", "day"):
            with self.subTest(step=step):
                status, _, body = self.json(
                    "GET", f"/api/v1/links/{code}/stats/series?step={step}&from={quote(rfc3339(frm))}"
                           f"&to={quote(rfc3339(end))}")
                self.assertEqual(status, 200, body)
                counts = [p["count"] for p in body["points"]]
                self.assertEqual(sum(counts), 3, body)
                if step == "minute":
                    # The clicks happened in the minute of `start` or the one after.
                    self.assertEqual(sum(counts[-2:]), 3, counts)

    def test_offsets_in_from_and_to_are_accepted(self):
        to = utc_now().replace(microsecond=0)
        frm = to - datetime.timedelta(minutes=5)
        body = self.series("?step=minute&from=" + quote(frm.astimezone(datetime.timezone(datetime.timedelta(hours=2)))
                                                        .strftime("%Y-%m-%dT%H:%M:%S+02:00"))
                           + "&to=" + quote(rfc3339(to)))
        self.assertEqual(len(body["points"]), 6)
        self.assertEqual(parse_rfc3339(body["points"][0]["t"]), floor_minute(frm))

    def test_20000_points_is_the_limit(self):
        to = floor_minute(utc_now())
        ok_from = to - datetime.timedelta(minutes=19999)
        body = self.series(f"?step=minute&from={quote(rfc3339(ok_from))}&to={quote(rfc3339(to))}")
        self.assertEqual(len(body["points"]), 20000)
        too_far = to - datetime.timedelta(minutes=20000)
        self.assertProblem(self.request("GET", f"/api/v1/links/{self.code}/stats/series?step=minute"
                                               f"&from={quote(rfc3339(too_far))}&to={quote(rfc3339(to))}"),
                           400, "invalid_request")

    def test_bad_parameters_are_invalid_request(self):
        now = utc_now().replace(microsecond=0)
        later = rfc3339(now + datetime.timedelta(hours=1))
        cases = {
            "unknown step": "?step=week",
            "empty step": "?step=",
            "from after to": f"?from={quote(later)}&to={quote(rfc3339(now))}",
            "unparsable from": "?from=yesterday",
            "unparsable to": "?to=2026-13-01T00:00:00Z",
            "minute step over 30 days": f"?step=minute&from={quote(rfc3339(now - datetime.timedelta(days=30)))}",
        }
        for name, query in cases.items():
            with self.subTest(name):
                self.assertProblem(self.request("GET", f"/api/v1/links/{self.code}/stats/series{query}"),
                                   400, "invalid_request")


if __name__ == "__main__":
    main()
