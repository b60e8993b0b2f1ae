"""Bulk create: POST /api/v1/links/bulk, each item succeeding or failing on its own (DESIGN.md section 2)."""

from hoptest import CODE_RE, PROBLEM_FIELDS, HopTestCase, main

BULK = "/api/v1/links/bulk"


class BulkCreateTest(HopTestCase):

    def bulk(self, links):
        status, hdrs, body = self.json("POST", BULK, {"links": links})
        self.assertEqual(status, 200, body)
        self.assertJsonContentType(hdrs)
        self.assertEqual(set(body), {"results"}, body)
        self.assertEqual(len(body["results"]), len(links))
        return body["results"]

    def assertItemError(self, result, status, code):
        self.assertEqual(set(result), {"error"}, result)
        problem = result["error"]
        self.assertTrue(PROBLEM_FIELDS <= set(problem), problem)
        self.assertEqual((problem["status"], problem["code"]), (status, code), problem)

    def test_results_keep_the_order_of_links_and_fail_one_by_one(self):
        self.create_link("https://example.com/", alias="bulk-taken")
        results = self.bulk([
            {"url": "https://example.com/one"},
            {"url": "javascript:alert(1)"},
            {"url": "https://example.com/two", "alias": "bulk-taken"},
            {"url": "https://example.com/three", "alias": "bulk-three", "title": "Three", "tags": ["t"]},
            {"url": "https://example.com/", "alias": "api"},
            {"url": "https://example.com/", "typo": 1},
            "not an object",
            {"url": "HTTPS://Example.COM:443/four"},
        ])
        self.assertEqual(set(results[0]), {"link"}, results[0])
        self.assertLinkShape(results[0]["link"])
        self.assertRegex(results[0]["link"]["code"], CODE_RE)
        self.assertEqual(results[0]["link"]["url"], "https://example.com/one")
        self.assertItemError(results[1], 400, "invalid_url")
        self.assertItemError(results[2], 409, "alias_taken")
        self.assertEqual(results[3]["link"]["code"], "bulk-three")
        self.assertEqual(results[3]["link"]["title"], "Three")
        self.assertItemError(results[4], 400, "reserved_alias")
        self.assertItemError(results[5], 400, "invalid_request")
        self.assertItemError(results[6], 400, "invalid_request")
        self.assertEqual(results[7]["link"]["url"], "https://example.com/four")
        for i in (0, 3, 7):
            link = results[i]["link"]
            self.assertEqual(self.get_link(link["code"]), link)
            self.assertEqual(self.visit(link["code"])[1].get("location"), link["url"])
        self.assertEqual(self.get_link("bulk-taken")["url"], "https://example.com/")

    def test_the_same_alias_twice_in_one_batch(self):
        results = self.bulk([{"url": "https://example.com/a", "alias": "twice-in-batch"},
                             {"url": "https://example.com/b", "alias": "twice-in-batch"}])
        self.assertEqual(results[0]["link"]["url"], "https://example.com/a")
        self.assertItemError(results[1], 409, "alias_taken")

    def test_a_thousand_links_in_one_request(self):
        results = self.bulk([{"url": f"https://example.com/{i}"} for i in range(1000)])
        codes = [r["link"]["code"] for r in results]
        self.assertEqual(len(set(codes)), 1000)
        self.assertEqual([r["link"]["url"] for r in results], [f"https://example.com/{i}" for i in range(1000)])
        self.assertEqual(self.get_link(codes[-1])["url"], "https://example.com/999")

    def test_empty_batch(self):
        self.assertEqual(self.bulk([]), [])

    def test_malformed_batches_are_refused_whole(self):
        cases = [
            {"links": [{"url": "https://example.com/"}] * 1001},
            {},
            {"links": {"url": "https://example.com/"}},
            {"links": "https://example.com/"},
            {"links": [], "extra": True},
            [],
        ]
        for body in cases:
            with self.subTest(body=str(body)[:60]):
                self.assertProblem(self.request("POST", BULK, body), 400, "invalid_request")
        self.assertProblem(self.request("POST", BULK, raw_body=b"{", headers={"Content-Type": "application/json"}),
                           400, "invalid_json")
        self.assertProblem(self.request("POST", BULK, raw_body=b'{"links":[]}',
                                        headers={"Content-Type": "text/plain"}), 415, "unsupported_media_type")

    def test_other_methods_are_405(self):
        response = self.request("PUT", BULK, {"links": []})
        self.assertProblem(response, 405, "method_not_allowed")
        self.assertIn("POST", response[1].get("allow", ""))


if __name__ == "__main__":
    main()
