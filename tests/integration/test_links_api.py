"""The links API: create, read, list, update and delete links (DESIGN.md section 2 and 3)."""

import datetime
import threading

from hoptest import (CODE_RE, HopTestCase, main, parse_rfc3339, quote, rfc3339, utc_now,
                     wait_for_next_second)


class CreateLinkTest(HopTestCase):

    def test_create_returns_201_with_the_full_link_object(self):
        before = utc_now().replace(microsecond=0)
        status, hdrs, link = self.json("POST", "/api/v1/links", {"url": "https://example.com/page"})
        after = utc_now()
        self.assertEqual(status, 201, link)
        self.assertJsonContentType(hdrs)
        self.assertLinkShape(link)
        self.assertRegex(link["code"], CODE_RE)
        self.assertEqual(link["short_url"], f"http://127.0.0.1:{self.server.port}/{link['code']}")
        self.assertEqual(link["url"], "https://example.com/page")
        self.assertIsNone(link["title"])
        self.assertEqual(link["tags"], [])
        self.assertIsNone(link["expires_at"])
        self.assertIsNone(link["max_visits"])
        self.assertEqual(link["redirect_status"], 302)
        self.assertIs(link["forward_query"], False)
        self.assertIs(link["disabled"], False)
        self.assertEqual(link["total_clicks"], 0)
        self.assertEqual(link["created_at"], link["updated_at"])
        created = parse_rfc3339(link["created_at"])
        self.assertTrue(before <= created <= after, f"created_at {created} not within [{before}, {after}]")
        self.assertTrue(hdrs.get("location", "").endswith(f"/api/v1/links/{link['code']}"),
                        f"Location header {hdrs.get('location')!r}")

    def test_create_with_every_optional_field(self):
        expires = rfc3339(utc_now() + datetime.timedelta(days=30))
        link = self.create_link("https://example.org/docs?x=1", alias="all-fields_1", title="Docs",
                                tags=["docs", "q3"], expires_at=expires, max_visits=5,
                                redirect_status=308, forward_query=True)
        self.assertLinkShape(link)
        self.assertEqual(link["code"], "all-fields_1")
        self.assertEqual(link["short_url"], self.server.base_url + "/all-fields_1")
        self.assertEqual(link["url"], "https://example.org/docs?x=1")
        self.assertEqual(link["title"], "Docs")
        self.assertEqual(link["tags"], ["docs", "q3"])
        self.assertEqual(link["expires_at"], expires)
        self.assertEqual(link["max_visits"], 5)
        self.assertEqual(link["redirect_status"], 308)
        self.assertIs(link["forward_query"], True)
        self.assertEqual(self.get_link("all-fields_1"), link)

    def test_expires_at_is_answered_in_utc_with_whole_seconds(self):
        cases = {
            "2099-01-01T02:00:00+02:00": "2099-01-01T00:00:00Z",
            "2099-01-01T00:00:00.750Z": "2099-01-01T00:00:00Z",
            "2098-12-31T23:30:00-01:00": "2099-01-01T00:30:00Z",
        }
        for given, expected in cases.items():
            with self.subTest(expires_at=given):
                link = self.create_link("https://example.com/", expires_at=given)
                self.assertEqual(link["expires_at"], expected)

    def test_charset_parameter_on_content_type_is_accepted(self):
        status, _, link = self.json("POST", "/api/v1/links", raw_body=b'{"url":"https://example.com/cs"}',
                                    headers={"Content-Type": "application/json; charset=utf-8"})
        self.assertEqual(status, 201, link)
        self.assertEqual(link["url"], "https://example.com/cs")

    def test_generated_codes_are_distinct_even_for_the_same_url(self):
        codes = [self.create_link("https://example.com/same")["code"] for _ in range(25)]
        for code in codes:
            self.assertRegex(code, CODE_RE)
        self.assertEqual(len(set(codes)), len(codes), codes)

    def test_urls_are_normalized(self):
        cases = {
            "HTTPS://Example.COM:443/Path?Q=1": "https://example.com/Path?Q=1",
            "http://bücher.de/": "http://xn--bcher-kva.de/",
            "http://example.com:80/a": "http://example.com/a",
            "https://example.com:8443/a": "https://example.com:8443/a",
            "http://EXAMPLE.com/CaseKept#Frag": "http://example.com/CaseKept#Frag",
        }
        for given, expected in cases.items():
            with self.subTest(url=given):
                self.assertEqual(self.create_link(given)["url"], expected)

    def test_non_ascii_path_and_query_are_percent_encoded(self):
        url = self.create_link("https://example.com/ä?q=é")["url"]
        self.assertEqual(url.upper(), "https://example.com/%C3%A4?q=%C3%A9".upper(), url)

    def test_refused_target_urls(self):
        own = f"http://127.0.0.1:{self.server.port}/somewhere"
        cases = [
            "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "file:///etc/passwd",
            "ftp://example.com/file",
            "mailto:someone@example.com",
            "/relative/path",
            "example.com/no-scheme",
            "https://a@b.com/",
            "https://user:pass@b.com/",
            "https://paypal.com@evil.example/",
            "http:///no-host",
            "https://exa mple.com/",
            "https://example.com/\nSet-Cookie:x",
            own,
            "http://127.0.0.1/same-host-other-port",
            "https://example.com/" + "a" * (8193 - len("https://example.com/")),
        ]
        for url in cases:
            with self.subTest(url=url[:60]):
                self.assertProblem(self.request("POST", "/api/v1/links", {"url": url}), 400, "invalid_url")

    def test_url_of_exactly_8_kib_is_accepted(self):
        url = "https://example.com/" + "a" * (8192 - len("https://example.com/"))
        self.assertEqual(len(url), 8192)
        self.assertEqual(self.create_link(url)["url"], url)

    def test_expires_at_in_the_past_or_unparsable_is_invalid_request(self):
        for value in [rfc3339(utc_now() - datetime.timedelta(minutes=1)), "tomorrow", "2099-02-30T00:00:00Z",
                      "2099-01-01", 1893456000]:
            with self.subTest(expires_at=value):
                self.assertProblem(self.request("POST", "/api/v1/links",
                                                {"url": "https://example.com/", "expires_at": value}),
                                   400, "invalid_request")

    def test_redirect_status_outside_301_302_307_308_is_invalid_request(self):
        for value in [200, 300, 303, 304, 404, 0]:
            with self.subTest(redirect_status=value):
                self.assertProblem(self.request("POST", "/api/v1/links",
                                                {"url": "https://example.com/", "redirect_status": value}),
                                   400, "invalid_request")

    def test_max_visits_below_one_is_invalid_request(self):
        for value in [0, -1]:
            with self.subTest(max_visits=value):
                self.assertProblem(self.request("POST", "/api/v1/links",
                                                {"url": "https://example.com/", "max_visits": value}),
                                   400, "invalid_request")

    def test_title_and_tag_limits(self):
        # core/link.h: title at most 512 bytes, at most 20 tags of at most 64 bytes each.
        cases = {
            "title of 513 bytes": {"title": "t" * 513},
            "21 tags": {"tags": [f"tag{i}" for i in range(21)]},
            "tag of 65 bytes": {"tags": ["x" * 65]},
        }
        for name, fields in cases.items():
            with self.subTest(name):
                self.assertProblem(self.request("POST", "/api/v1/links", dict(fields, url="https://example.com/")),
                                   400, "invalid_request")
        link = self.create_link("https://example.com/", title="t" * 512, tags=[f"tag{i}" for i in range(20)])
        self.assertEqual(len(link["title"]), 512)
        self.assertEqual(len(link["tags"]), 20)


class AliasTest(HopTestCase):

    def test_alias_becomes_the_code(self):
        for alias in ["abc", "a" * 64, "My_Link-2"]:
            with self.subTest(alias=alias):
                link = self.create_link("https://example.com/", alias=alias)
                self.assertEqual(link["code"], alias)
                self.assertEqual(link["short_url"], self.server.base_url + "/" + alias)
                self.assertEqual(self.get_link(alias)["code"], alias)

    def test_invalid_aliases(self):
        for alias in ["ab", "a" * 65, "has space", "dot.dot", "slash/slash", "ünï", "percent%20", ""]:
            with self.subTest(alias=alias):
                self.assertProblem(self.request("POST", "/api/v1/links",
                                                {"url": "https://example.com/", "alias": alias}),
                                   400, "invalid_alias")

    def test_reserved_aliases(self):
        # core/alias.h: reserved words are compared case-insensitively.
        for alias in ["api", "healthz", "readyz", "metrics", "static", "assets", "API", "Healthz"]:
            with self.subTest(alias=alias):
                self.assertProblem(self.request("POST", "/api/v1/links",
                                                {"url": "https://example.com/", "alias": alias}),
                                   400, "reserved_alias")

    def test_an_alias_named_like_an_api_path_is_reserved_or_fully_usable(self):
        # /api/v1/links/bulk is hop's own path; a link called "bulk" must either be refused as reserved
        # or be readable, changeable and deletable like any other.
        for alias in ("bulk",):
            with self.subTest(alias=alias):
                status, _, body = self.json("POST", "/api/v1/links", {"url": "https://example.com/", "alias": alias})
                if status == 400:
                    self.assertEqual(body["code"], "reserved_alias", body)
                    continue
                self.assertEqual(status, 201, body)
                self.assertEqual(self.json("GET", f"/api/v1/links/{alias}")[0], 200)
                self.assertEqual(self.json("PATCH", f"/api/v1/links/{alias}", {"title": "t"})[0], 200)
                self.assertEqual(self.json("GET", f"/api/v1/links/{alias}/stats")[0], 200)
                self.assertEqual(self.request("DELETE", f"/api/v1/links/{alias}")[0], 204)

    def test_taken_alias_is_409(self):
        self.create_link("https://example.com/first", alias="taken-one")
        self.assertProblem(self.request("POST", "/api/v1/links",
                                        {"url": "https://example.com/second", "alias": "taken-one"}),
                           409, "alias_taken")
        self.assertEqual(self.get_link("taken-one")["url"], "https://example.com/first")

    def test_alias_equal_to_a_generated_code_is_taken(self):
        code = self.create_link("https://example.com/generated")["code"]
        self.assertProblem(self.request("POST", "/api/v1/links", {"url": "https://example.com/x", "alias": code}),
                           409, "alias_taken")

    def test_aliases_are_case_sensitive(self):
        lower = self.create_link("https://example.com/lower", alias="casetest")
        upper = self.create_link("https://example.com/upper", alias="CaseTest")
        self.assertEqual(self.get_link("casetest")["url"], lower["url"])
        self.assertEqual(self.get_link("CaseTest")["url"], upper["url"])
        self.assertEqual(self.visit("casetest")[1].get("location"), "https://example.com/lower")
        self.assertEqual(self.visit("CaseTest")[1].get("location"), "https://example.com/upper")


class GetLinkTest(HopTestCase):

    def test_get_returns_the_created_link(self):
        created = self.create_link("https://example.com/get", title="Get me", tags=["a"])
        status, hdrs, link = self.json("GET", f"/api/v1/links/{created['code']}")
        self.assertEqual(status, 200)
        self.assertJsonContentType(hdrs)
        self.assertEqual(link, created)

    def test_unknown_code_is_404(self):
        for code in ["zzzzzzz", "no-such-alias"]:
            with self.subTest(code=code):
                self.assertProblem(self.request("GET", f"/api/v1/links/{code}"), 404, "not_found")


class ListLinksTest(HopTestCase):
    """Runs on its own data dir, so the list holds exactly the links made here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.created = []   # oldest first
        for i in range(7):
            tags = ["even"] if i % 2 == 0 else ["odd"]
            status, _, link = cls.server.json("POST", "/api/v1/links", {
                "url": f"https://list{i}.example.com/path", "title": f"Item Number {i}", "tags": tags})
            assert status == 201, (status, link)
            cls.created.append(link)
        cls.newest_first = [link["code"] for link in reversed(cls.created)]

    def list(self, query=""):
        status, hdrs, page = self.json("GET", "/api/v1/links" + query)
        self.assertEqual(status, 200, page)
        self.assertJsonContentType(hdrs)
        self.assertEqual(set(page), {"items", "next_cursor"}, page)
        return page

    def walk(self, query):
        """Follows next_cursor to the end; returns the codes in order and the number of pages."""
        codes, pages, cursor = [], 0, None
        while True:
            sep = "&" if query else ""
            page = self.list("?" + query + (f"{sep}cursor={quote(cursor)}" if cursor else ""))
            pages += 1
            self.assertLessEqual(pages, 20, "pagination does not end")
            codes += [item["code"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                return codes, pages
            self.assertIsInstance(cursor, str)

    def test_list_is_newest_first_with_full_link_objects(self):
        page = self.list()
        self.assertEqual([item["code"] for item in page["items"]], self.newest_first)
        self.assertIsNone(page["next_cursor"])
        by_code = {link["code"]: link for link in self.created}
        for item in page["items"]:
            self.assertLinkShape(item)
            self.assertEqual(item, by_code[item["code"]])

    def test_pagination_visits_every_link_once_in_order(self):
        for limit in (1, 2, 3, 7):
            with self.subTest(limit=limit):
                codes, pages = self.walk(f"limit={limit}")
                self.assertEqual(codes, self.newest_first)
                self.assertLessEqual(pages, -(-7 // limit) + 1)

    def test_a_page_holds_at_most_limit_items(self):
        page = self.list("?limit=3")
        self.assertEqual([item["code"] for item in page["items"]], self.newest_first[:3])
        self.assertIsNotNone(page["next_cursor"])

    def test_limit_bounds(self):
        self.assertEqual(len(self.list("?limit=1000")["items"]), 7)
        self.assertEqual(len(self.list("?limit=1")["items"]), 1)
        for limit in ["0", "1001", "-1", "abc"]:
            with self.subTest(limit=limit):
                self.assertProblem(self.request("GET", f"/api/v1/links?limit={limit}"), 400, "invalid_request")

    def test_bad_cursor_is_invalid_request(self):
        for cursor in ["!!!garbage!!!", "not-a-cursor", "%00"]:
            with self.subTest(cursor=cursor):
                self.assertProblem(self.request("GET", f"/api/v1/links?cursor={cursor}"), 400, "invalid_request")

    def test_q_filters_by_text(self):
        page = self.list("?q=list3.example")
        self.assertEqual([item["code"] for item in page["items"]], [self.created[3]["code"]])
        page = self.list("?q=" + quote("item number 5"))   # title, case-insensitive
        self.assertEqual([item["code"] for item in page["items"]], [self.created[5]["code"]])
        page = self.list("?q=" + quote(self.created[2]["code"]))   # code
        self.assertIn(self.created[2]["code"], [item["code"] for item in page["items"]])
        self.assertEqual(self.list("?q=nothing-matches-this")["items"], [])

    def test_tag_filters_exactly(self):
        odd = [link["code"] for link in reversed(self.created) if "odd" in link["tags"]]
        self.assertEqual([item["code"] for item in self.list("?tag=odd")["items"]], odd)
        self.assertEqual(self.list("?tag=od")["items"], [])
        codes, _ = self.walk("tag=even&limit=2")
        self.assertEqual(codes, [link["code"] for link in reversed(self.created) if "even" in link["tags"]])


class ListWhileLinksAreAddedTest(HopTestCase):

    def test_links_created_during_pagination_neither_repeat_nor_hide_older_ones(self):
        old = [self.create_link(f"https://example.com/old{i}")["code"] for i in range(6)]
        status, _, first = self.json("GET", "/api/v1/links?limit=2")
        self.assertEqual(status, 200)
        seen = [item["code"] for item in first["items"]]
        for i in range(3):
            self.create_link(f"https://example.com/new{i}")
        cursor = first["next_cursor"]
        while cursor is not None:
            status, _, page = self.json("GET", "/api/v1/links?limit=2&cursor=" + quote(cursor))
            self.assertEqual(status, 200, page)
            seen += [item["code"] for item in page["items"]]
            cursor = page["next_cursor"]
            self.assertLess(len(seen), 20, "pagination does not end")
        self.assertEqual(seen, list(reversed(old)))


class SearchTextIsLiteralTest(HopTestCase):

    def test_percent_and_underscore_in_q_match_themselves(self):
        special = self.create_link("https://example.com/special", title="100%_sure")["code"]
        self.create_link("https://example.com/plain", title="plain title")
        self.create_link("https://example.com/other", title="1000 sure")
        for q, expected in (("%_", [special]), ("0%", [special]), ("%", [special]), ("_", [special]),
                            ("0_s", []), ("PLAIN TITLE", None)):
            with self.subTest(q=q):
                status, _, page = self.json("GET", "/api/v1/links?q=" + quote(q))
                self.assertEqual(status, 200, page)
                codes = [item["code"] for item in page["items"]]
                if expected is None:
                    self.assertEqual(len(codes), 1, codes)
                else:
                    self.assertEqual(codes, expected)


class DefaultLimitTest(HopTestCase):

    def test_default_limit_is_50(self):
        for i in range(55):
            self.create_link(f"https://example.com/{i}")
        status, _, page = self.json("GET", "/api/v1/links")
        self.assertEqual(status, 200)
        self.assertEqual(len(page["items"]), 50)
        self.assertIsNotNone(page["next_cursor"])
        status, _, rest = self.json("GET", "/api/v1/links?cursor=" + quote(page["next_cursor"]))
        self.assertEqual(status, 200)
        self.assertEqual(len(rest["items"]), 5)
        self.assertIsNone(rest["next_cursor"])
        self.assertFalse({i["code"] for i in page["items"]} & {i["code"] for i in rest["items"]})


class UpdateLinkTest(HopTestCase):

    def patch(self, code, body):
        return self.json("PATCH", f"/api/v1/links/{code}", body)

    def test_patch_changes_each_field(self):
        link = self.create_link("https://example.com/old")
        code = link["code"]
        expires = rfc3339(utc_now() + datetime.timedelta(days=3))
        changes = [
            ({"url": "HTTPS://New.Example.COM:443/new"}, "url", "https://new.example.com/new"),
            ({"title": "New title"}, "title", "New title"),
            ({"tags": ["x", "y"]}, "tags", ["x", "y"]),
            ({"expires_at": expires}, "expires_at", expires),
            ({"max_visits": 9}, "max_visits", 9),
            ({"redirect_status": 307}, "redirect_status", 307),
            ({"forward_query": True}, "forward_query", True),
            ({"disabled": True}, "disabled", True),
            ({"disabled": False}, "disabled", False),
        ]
        expected = dict(link)
        for body, field, value in changes:
            with self.subTest(body=body):
                status, hdrs, updated = self.patch(code, body)
                self.assertEqual(status, 200, updated)
                self.assertJsonContentType(hdrs)
                self.assertLinkShape(updated)
                expected[field] = value
                for key in ("updated_at",):
                    expected[key] = updated[key]
                self.assertEqual(updated, expected)
                self.assertEqual(self.get_link(code), updated)

    def test_patch_sets_updated_at_and_keeps_created_at(self):
        link = self.create_link("https://example.com/time")
        wait_for_next_second()
        status, _, updated = self.patch(link["code"], {"title": "later"})
        self.assertEqual(status, 200, updated)
        self.assertEqual(updated["created_at"], link["created_at"])
        self.assertGreater(parse_rfc3339(updated["updated_at"]), parse_rfc3339(link["updated_at"]))

    def test_null_clears_title_expires_at_and_max_visits(self):
        link = self.create_link("https://example.com/", title="T", max_visits=3,
                                expires_at=rfc3339(utc_now() + datetime.timedelta(days=1)))
        status, _, updated = self.patch(link["code"], {"title": None, "expires_at": None, "max_visits": None})
        self.assertEqual(status, 200, updated)
        self.assertIsNone(updated["title"])
        self.assertIsNone(updated["expires_at"])
        self.assertIsNone(updated["max_visits"])
        self.assertEqual(self.get_link(link["code"]), updated)

    def test_absent_fields_are_left_alone(self):
        link = self.create_link("https://example.com/keep", title="Keep", tags=["k"], max_visits=4)
        status, _, updated = self.patch(link["code"], {"forward_query": True})
        self.assertEqual(status, 200, updated)
        for field in ("url", "title", "tags", "max_visits", "redirect_status", "expires_at", "disabled"):
            self.assertEqual(updated[field], link[field], field)

    def test_alias_code_and_unknown_fields_are_refused(self):
        link = self.create_link("https://example.com/")
        for body in [{"alias": "new-alias"}, {"code": "newcode"}, {"short_url": "x"}, {"titel": "typo"},
                     {"total_clicks": 5}]:
            with self.subTest(body=body):
                self.assertProblem(self.request("PATCH", f"/api/v1/links/{link['code']}", body),
                                   400, "invalid_request")
        self.assertEqual(self.get_link(link["code"]), link)

    def test_invalid_values_are_refused_and_change_nothing(self):
        link = self.create_link("https://example.com/")
        cases = [
            ({"url": "javascript:alert(1)"}, "invalid_url"),
            ({"url": "https://a@b.com/"}, "invalid_url"),
            ({"redirect_status": 303}, "invalid_request"),
            ({"max_visits": 0}, "invalid_request"),
            ({"disabled": "yes"}, "invalid_request"),
            ({"tags": "x"}, "invalid_request"),
            ({"url": None}, "invalid_request"),
        ]
        for body, code in cases:
            with self.subTest(body=body):
                self.assertProblem(self.request("PATCH", f"/api/v1/links/{link['code']}", body), 400, code)
        self.assertEqual(self.get_link(link["code"]), link)

    def test_patch_unknown_code_is_404(self):
        self.assertProblem(self.request("PATCH", "/api/v1/links/nosuchcode", {"title": "x"}), 404, "not_found")

    def test_patch_requires_json(self):
        link = self.create_link("https://example.com/")
        self.assertProblem(self.request("PATCH", f"/api/v1/links/{link['code']}", raw_body=b'{"title":"x"}',
                                        headers={"Content-Type": "text/plain"}), 415, "unsupported_media_type")
        self.assertProblem(self.request("PATCH", f"/api/v1/links/{link['code']}", raw_body=b'{"title":',
                                        headers={"Content-Type": "application/json"}), 400, "invalid_json")

    def test_patched_url_redirects_at_once(self):
        link = self.create_link("https://example.com/before")
        self.assertEqual(self.visit(link["code"])[1].get("location"), "https://example.com/before")
        status, _, _ = self.patch(link["code"], {"url": "https://example.com/after"})
        self.assertEqual(status, 200)
        self.assertEqual(self.visit(link["code"])[1].get("location"), "https://example.com/after")


class DeleteLinkTest(HopTestCase):

    def test_delete_removes_link_redirect_and_stats(self):
        link = self.create_link("https://example.com/delete-me")
        code = link["code"]
        self.assertEqual(self.visit(code)[0], 302)
        status, hdrs, body = self.request("DELETE", f"/api/v1/links/{code}")
        self.assertEqual(status, 204)
        self.assertEqual(body, b"")
        self.assertProblem(self.request("GET", f"/api/v1/links/{code}"), 404, "not_found")
        self.assertProblem(self.visit(code, headers={"Accept": "application/json"}), 404, "not_found")
        self.assertProblem(self.request("GET", f"/api/v1/links/{code}/stats"), 404, "not_found")
        self.assertProblem(self.request("GET", f"/api/v1/links/{code}/stats/series"), 404, "not_found")
        self.assertProblem(self.request("PATCH", f"/api/v1/links/{code}", {"title": "x"}), 404, "not_found")
        self.assertNotIn(code, [i["code"] for i in self.json("GET", "/api/v1/links?limit=1000")[2]["items"]])

    def test_delete_twice_is_404(self):
        code = self.create_link("https://example.com/")["code"]
        self.assertEqual(self.request("DELETE", f"/api/v1/links/{code}")[0], 204)
        self.assertProblem(self.request("DELETE", f"/api/v1/links/{code}"), 404, "not_found")

    def test_deleted_alias_can_be_created_again(self):
        self.create_link("https://example.com/one", alias="reuse-me")
        self.assertEqual(self.request("DELETE", "/api/v1/links/reuse-me")[0], 204)
        again = self.create_link("https://example.com/two", alias="reuse-me")
        self.assertEqual(again["url"], "https://example.com/two")
        self.assertEqual(self.visit("reuse-me")[1].get("location"), "https://example.com/two")


class ConcurrentDeleteVisibilityTest(HopTestCase):

    def test_delete_seen_by_every_connection_at_once(self):
        # A delete is committed before its 204, so any request that starts afterwards sees it.
        code = self.create_link("https://example.com/")["code"]
        for _ in range(20):   # warm whatever cache sits on the redirect path, across connections
            self.assertEqual(self.visit(code)[0], 302)
        self.assertEqual(self.request("DELETE", f"/api/v1/links/{code}")[0], 204)
        statuses = []

        def hit():
            statuses.append(self.visit(code)[0])

        threads = [threading.Thread(target=hit) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(statuses, [404] * 20)


if __name__ == "__main__":
    main()
