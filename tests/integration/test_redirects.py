"""Redirects: GET and HEAD /{code} (DESIGN.md section 3, "Redirects")."""

import datetime
import math
import time

from hoptest import HopTestCase, main, poll_until, rfc3339, utc_now

CACHE_CONTROL = {301: "private, max-age=90", 302: "no-store", 307: "no-store", 308: "private, max-age=90"}


class RedirectTest(HopTestCase):

    def test_default_is_302_to_the_target_with_an_empty_body(self):
        code = self.create_link("https://example.com/target?a=1")["code"]
        status, hdrs, body = self.visit(code)
        self.assertEqual(status, 302)
        self.assertEqual(hdrs.get("location"), "https://example.com/target?a=1")
        self.assertEqual(hdrs.get("cache-control"), "no-store")
        self.assertEqual(body, b"")

    def test_each_redirect_status_with_its_cache_control(self):
        for redirect_status, cache_control in CACHE_CONTROL.items():
            code = self.create_link(f"https://example.com/s{redirect_status}",
                                    redirect_status=redirect_status)["code"]
            for method in ("GET", "HEAD"):
                with self.subTest(redirect_status=redirect_status, method=method):
                    status, hdrs, body = self.visit(code, method=method)
                    self.assertEqual(status, redirect_status)
                    self.assertEqual(hdrs.get("location"), f"https://example.com/s{redirect_status}")
                    self.assertEqual(hdrs.get("cache-control"), cache_control)
                    self.assertEqual(body, b"")

    def test_redirect_status_changed_by_patch(self):
        code = self.create_link("https://example.com/p")["code"]
        self.assertEqual(self.visit(code)[0], 302)
        status, _, _ = self.json("PATCH", f"/api/v1/links/{code}", {"redirect_status": 301})
        self.assertEqual(status, 200)
        status, hdrs, _ = self.visit(code)
        self.assertEqual(status, 301)
        self.assertEqual(hdrs.get("cache-control"), "private, max-age=90")

    def test_idn_target_redirects_to_punycode(self):
        code = self.create_link("http://bücher.de/")["code"]
        self.assertEqual(self.visit(code)[1].get("location"), "http://xn--bcher-kva.de/")

    def test_alias_redirects(self):
        self.create_link("https://example.com/aliased", alias="go-here")
        status, hdrs, _ = self.visit("go-here")
        self.assertEqual(status, 302)
        self.assertEqual(hdrs.get("location"), "https://example.com/aliased")


class ForwardQueryTest(HopTestCase):

    def test_visitor_query_is_appended_with_question_mark(self):
        code = self.create_link("https://example.com/landing", forward_query=True)["code"]
        self.assertEqual(self.visit(code, "?utm_source=mail&x=1")[1].get("location"),
                         "https://example.com/landing?utm_source=mail&x=1")

    def test_visitor_query_is_appended_with_ampersand_when_target_has_one(self):
        code = self.create_link("https://example.com/landing?ref=hop", forward_query=True)["code"]
        self.assertEqual(self.visit(code, "?utm_source=mail")[1].get("location"),
                         "https://example.com/landing?ref=hop&utm_source=mail")

    def test_no_visitor_query_leaves_the_target_alone(self):
        code = self.create_link("https://example.com/landing?ref=hop", forward_query=True)["code"]
        self.assertEqual(self.visit(code)[1].get("location"), "https://example.com/landing?ref=hop")

    def test_visitor_query_goes_before_the_fragment(self):
        code = self.create_link("https://example.com/p?x=1#frag", forward_query=True)["code"]
        self.assertEqual(self.visit(code, "?a=1")[1].get("location"), "https://example.com/p?x=1&a=1#frag")
        code = self.create_link("https://example.com/p#frag", forward_query=True)["code"]
        self.assertEqual(self.visit(code, "?a=1")[1].get("location"), "https://example.com/p?a=1#frag")

    def test_an_empty_visitor_query_leaves_the_target_alone(self):
        code = self.create_link("https://example.com/landing", forward_query=True)["code"]
        self.assertEqual(self.visit(code, "?")[1].get("location"), "https://example.com/landing")

    def test_query_is_dropped_without_forward_query(self):
        code = self.create_link("https://example.com/landing")["code"]
        status, hdrs, _ = self.visit(code, "?utm_source=mail")
        self.assertEqual(status, 302)
        self.assertEqual(hdrs.get("location"), "https://example.com/landing")

    def test_forward_query_switched_on_by_patch(self):
        code = self.create_link("https://example.com/landing")["code"]
        self.assertEqual(self.json("PATCH", f"/api/v1/links/{code}", {"forward_query": True})[0], 200)
        self.assertEqual(self.visit(code, "?a=b")[1].get("location"), "https://example.com/landing?a=b")


class NotFoundTest(HopTestCase):

    def test_unknown_code_is_problem_json_for_api_clients(self):
        for accept in (None, "*/*", "application/json"):
            with self.subTest(accept=accept):
                self.assertProblem(self.visit("nosuch1", headers={"Accept": accept}), 404, "not_found")

    def test_unknown_code_is_html_for_browsers(self):
        accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        status, hdrs, body = self.visit("nosuch2", headers={"Accept": accept})
        self.assertEqual(status, 404)
        self.assertTrue(hdrs.get("content-type", "").lower().startswith("text/html"), hdrs)
        self.assertTrue(body, "an HTML 404 page should have a body")

    def test_paths_that_cannot_be_codes_are_404(self):
        for path in ("/no.such/thing", "/a/b/c", "/" + "x" * 300):
            with self.subTest(path=path[:40]):
                status, hdrs, _ = self.request("GET", path, headers={"Accept": "application/json"})
                self.assertEqual(status, 404)
                self.assertNotIn("location", hdrs)

    def test_head_of_unknown_code_is_404_without_body(self):
        status, hdrs, body = self.visit("nosuch3", method="HEAD")
        self.assertEqual(status, 404)
        self.assertEqual(body, b"")
        self.assertNotIn("location", hdrs)


class GoneTest(HopTestCase):

    def test_disabled_link_is_410_until_enabled_again(self):
        code = self.create_link("https://example.com/off-and-on")["code"]
        self.assertEqual(self.json("PATCH", f"/api/v1/links/{code}", {"disabled": True})[0], 200)
        gone = self.visit(code, headers={"Accept": "application/json"})
        self.assertProblem(gone, 410, "gone")
        self.assertNotIn("location", gone[1])
        self.assertEqual(self.visit(code, method="HEAD")[0], 410)
        self.assertEqual(self.json("PATCH", f"/api/v1/links/{code}", {"disabled": False})[0], 200)
        status, hdrs, _ = self.visit(code)
        self.assertEqual(status, 302)
        self.assertEqual(hdrs.get("location"), "https://example.com/off-and-on")

    def test_link_expires(self):
        expires = datetime.datetime.fromtimestamp(math.ceil(time.time()) + 2, datetime.timezone.utc)
        code = self.create_link("https://example.com/soon-gone", expires_at=rfc3339(expires))["code"]
        deadline = time.monotonic() + 5.0
        self.assertEqual(self.visit(code)[0], 302, "the link redirects before it expires")
        ok, last = poll_until(lambda: self.visit(code, headers={"Accept": "application/json"}),
                              lambda r: r[0] != 302, timeout=max(0.0, deadline - time.monotonic()))
        self.assertTrue(ok, f"still redirecting 5 s after creation, expires_at {rfc3339(expires)}")
        self.assertGreaterEqual(utc_now(), expires, "answered 410 before expires_at")
        self.assertProblem(last, 410, "gone")
        # The link itself is still there to read.
        self.assertEqual(self.get_link(code)["expires_at"], rfc3339(expires))
        # Clearing the expiry brings it back.
        self.assertEqual(self.json("PATCH", f"/api/v1/links/{code}", {"expires_at": None})[0], 200)
        self.assertEqual(self.visit(code)[0], 302)

    def test_max_visits_allows_exactly_that_many_redirects(self):
        code = self.create_link("https://example.com/twice", max_visits=2)["code"]
        self.assertEqual(self.visit(code)[0], 302)
        self.assertEqual(self.visit(code)[0], 302)
        self.assertProblem(self.visit(code, headers={"Accept": "application/json"}), 410, "gone")
        self.assertEqual(self.visit(code)[0], 410)

    def test_max_visits_of_one(self):
        code = self.create_link("https://example.com/once", max_visits=1)["code"]
        status, hdrs, _ = self.visit(code)
        self.assertEqual(status, 302)
        self.assertEqual(hdrs.get("location"), "https://example.com/once")
        self.assertEqual(self.visit(code)[0], 410)


if __name__ == "__main__":
    main()
