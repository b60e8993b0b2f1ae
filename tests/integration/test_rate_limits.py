"""Rate limits (issue 3): token buckets per client address and per API key on the API, stricter ones for
creating links, and a scan budget for redirects to codes that do not exist. 429 rate_limited with
Retry-After, and RateLimit-Limit / -Remaining / -Reset on every API answer.

Each test speaks for clients of its own: hop trusts X-Forwarded-For from 127.0.0.1 here, so every test
names its own client addresses and uses keys of its own, and no test spends another's budget."""

import time

from hoptest import HopTestCase, main

LIMITED = ("--trust-proxy", "127.0.0.1",
           "--api-rate", "1", "--api-burst", "3",
           "--create-rate", "0.5", "--create-burst", "2",
           "--scan-rate", "1", "--scan-burst", "5")


class LimitTestCase(HopTestCase):
    server_args = LIMITED

    def as_client(self, address, key):
        return {"X-Forwarded-For": address, "Authorization": f"Bearer {key}"}

    def get(self, headers):
        return self.request("GET", "/api/v1/links?limit=1", headers=headers)

    def assertRateLimited(self, response, limit):
        body = self.assertProblem(response, 429, "rate_limited")
        hdrs = response[1]
        self.assertGreaterEqual(int(hdrs["retry-after"]), 1, hdrs)
        self.assertEqual(hdrs.get("ratelimit-limit"), str(limit), hdrs)
        self.assertEqual(hdrs.get("ratelimit-remaining"), "0", hdrs)
        return body


class ApiLimitTest(LimitTestCase):

    def test_requests_beyond_the_burst_are_429_until_a_token_comes_back(self):
        headers = self.as_client("203.0.113.1", self.server.create_key("burst"))
        remaining = []
        for _ in range(3):
            status, hdrs, _ = self.get(headers)
            self.assertEqual(status, 200)
            self.assertEqual(hdrs.get("ratelimit-limit"), "3", hdrs)
            self.assertGreaterEqual(int(hdrs["ratelimit-reset"]), 1, hdrs)
            remaining.append(int(hdrs["ratelimit-remaining"]))
        self.assertEqual(remaining, [2, 1, 0])
        refused = self.get(headers)
        self.assertRateLimited(refused, 3)
        self.assertEqual(refused[1]["retry-after"], "1")
        time.sleep(1.05)
        self.assertEqual(self.get(headers)[0], 200)

    def test_creates_are_limited_more_strictly_than_reads(self):
        headers = self.as_client("203.0.113.2", self.server.create_key("creator"))
        for i in range(2):
            status, hdrs, _ = self.request("POST", "/api/v1/links", {"url": f"https://example.com/{i}"},
                                           headers=headers)
            self.assertEqual(status, 201)
            self.assertEqual(hdrs.get("ratelimit-limit"), "2", hdrs)
        refused = self.request("POST", "/api/v1/links", {"url": "https://example.com/x"}, headers=headers)
        self.assertRateLimited(refused, 2)
        self.assertEqual(int(refused[1]["retry-after"]), 2)   # 0.5 creates a second
        # The refused create took nothing from the API budget: one read is left.
        self.assertEqual(self.get(headers)[0], 200)

    def test_bulk_creates_count_as_creates(self):
        headers = self.as_client("203.0.113.3", self.server.create_key("bulk"))
        body = {"links": [{"url": "https://example.com/a"}]}
        for _ in range(2):
            self.assertEqual(self.request("POST", "/api/v1/links/bulk", body, headers=headers)[0], 200)
        self.assertRateLimited(self.request("POST", "/api/v1/links/bulk", body, headers=headers), 2)

    def test_a_key_is_limited_whatever_address_it_comes_from(self):
        key = self.server.create_key("roaming")
        for i in range(3):
            self.assertEqual(self.get(self.as_client(f"198.51.100.{10 + i}", key))[0], 200)
        self.assertRateLimited(self.get(self.as_client("198.51.100.20", key)), 3)

    def test_an_address_is_limited_whatever_key_it_uses(self):
        for i in range(3):
            key = self.server.create_key(f"many-{i}")
            self.assertEqual(self.get(self.as_client("198.51.100.30", key))[0], 200)
        self.assertRateLimited(self.get(self.as_client("198.51.100.30", self.server.create_key("many-3"))), 3)

    def test_guessing_keys_spends_the_address_budget(self):
        for i in range(3):
            guess = "hop_" + str(i) * 43
            self.assertEqual(self.get(self.as_client("198.51.100.40", guess))[0], 401)
        self.assertRateLimited(self.get(self.as_client("198.51.100.40", "hop_" + "9" * 43)), 3)


class ScanLimitTest(LimitTestCase):

    def visit_from(self, address, code):
        return self.visit(code, headers={"X-Forwarded-For": address})

    def test_following_links_is_never_limited(self):
        code = self.create_link("https://example.com/popular")["code"]
        statuses = {self.visit_from("203.0.113.50", code)[0] for _ in range(60)}
        self.assertEqual(statuses, {302})

    def test_a_scanner_gets_429_for_every_code_once_its_404_budget_is_spent(self):
        code = self.create_link("https://example.com/real")["code"]
        for i in range(5):
            self.assertEqual(self.visit_from("203.0.113.51", f"nosuch{i}")[0], 404)
        refused = self.visit_from("203.0.113.51", "nosuch5")
        self.assertProblem(refused, 429, "rate_limited")
        self.assertGreaterEqual(int(refused[1]["retry-after"]), 1)
        # A code that exists gets the same answer: otherwise 429 would just be a 404 by another name.
        self.assertEqual(self.visit_from("203.0.113.51", code)[0], 429)
        self.assertEqual(self.visit_from("203.0.113.52", code)[0], 302, "another client is not held")
        time.sleep(int(refused[1]["retry-after"]) + 0.1)
        self.assertEqual(self.visit_from("203.0.113.51", code)[0], 302)

    def test_a_scanner_on_ipv6_is_held_with_its_whole_slash_64(self):
        for i in range(5):
            self.assertEqual(self.visit_from(f"2001:db8:7:7::{i + 1:x}", f"absent{i}")[0], 404)
        self.assertEqual(self.visit_from("2001:db8:7:7::ffff", "absent9")[0], 429)
        self.assertEqual(self.visit_from("2001:db8:7:8::1", "absent9")[0], 404)


class DefaultLimitsTest(HopTestCase):
    server_unlimited = False

    def test_limits_are_on_by_default(self):
        status, hdrs, _ = self.request("GET", "/api/v1/links?limit=1")
        self.assertEqual(status, 200)
        self.assertEqual(hdrs.get("ratelimit-limit"), "100", hdrs)
        status, hdrs, _ = self.request("POST", "/api/v1/links", {"url": "https://example.com/"})
        self.assertEqual(status, 201)
        self.assertEqual(hdrs.get("ratelimit-limit"), "30", hdrs)


class NoLimitsTest(HopTestCase):
    server_args = ("--api-rate", "0", "--create-rate", "0", "--scan-rate", "0")

    def test_a_rate_of_zero_turns_a_limit_off(self):
        for _ in range(50):
            status, hdrs, _ = self.request("POST", "/api/v1/links", {"url": "https://example.com/"})
            self.assertEqual(status, 201)
            self.assertNotIn("ratelimit-limit", hdrs)
        self.assertEqual({self.visit(f"none{i}")[0] for i in range(50)}, {404})


if __name__ == "__main__":
    main()
