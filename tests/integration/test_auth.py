"""API keys and ownership (issue 3): the first admin key, every endpoint against every credential state,
anonymous creation, and revocation reaching a running server."""

import datetime
import os
import re
import stat
import time

from hoptest import HopServer, HopTestCase, main, poll_until, rfc3339, utc_now

KEY_RE = re.compile(r"^hop_[0-9A-Za-z]{43}$")
CHALLENGE = 'Bearer realm="hop"'


class AdminKeyFileTest(HopTestCase):

    def test_first_start_writes_an_admin_key_readable_by_its_owner_only(self):
        path = os.path.join(self.server.data_dir, "admin.key")
        mode = stat.S_IMODE(os.stat(path).st_mode)
        self.assertEqual(mode, 0o600, f"admin.key has mode {oct(mode)}")
        with open(path) as f:
            text = f.read()
        self.assertRegex(text.strip(), KEY_RE)
        self.assertEqual(text.count("\n"), 1)
        self.assertIn(path.replace("//", "/"), self.server.output().replace("//", "/"),
                      "the log says where the key is")
        self.assertFalse(os.path.exists(path + ".new"))

    def test_the_admin_key_is_an_admin_and_works(self):
        _, out, _ = self.server.cli("keys", "list")
        self.assertRegex(out, r"(?m)^admin\tadmin\tlinks:read links:write stats:read\t\S+\tnever\tactive$")
        self.assertEqual(self.request("GET", "/api/v1/links")[0], 200)

    def test_a_restart_keeps_the_key_and_creates_no_other(self):
        path = os.path.join(self.server.data_dir, "admin.key")
        with open(path) as f:
            before = f.read()
        self.server.restart()
        with open(path) as f:
            self.assertEqual(f.read(), before)
        _, out, _ = self.server.cli("keys", "list")
        self.assertEqual(len(out.strip().splitlines()), 2, out)   # the header and the admin key
        self.assertEqual(self.request("GET", "/api/v1/links")[0], 200)

    def test_a_store_with_keys_gets_no_admin_key_file(self):
        other = HopServer()
        try:
            os.makedirs(other.data_dir, exist_ok=True)
            other.cli("keys", "create", "--name", "first")
            other.start()
            self.assertFalse(os.path.exists(os.path.join(other.data_dir, "admin.key")))
        finally:
            other.cleanup()


def expiry_in(seconds):
    """An RFC 3339 time about `seconds` from now, and that moment as a datetime."""
    at = (utc_now() + datetime.timedelta(seconds=seconds)).replace(microsecond=0)
    return rfc3339(at), at


class CredentialMatrixTest(HopTestCase):
    """Every endpoint of /api/v1 against every credential state, each cell asserted on its own."""

    CREDENTIALS = ("none", "malformed", "unknown", "revoked", "expired", "another user's", "wrong scope",
                   "admin")

    # (name, method, path template, scope it needs, status with the right credential, body)
    ENDPOINTS = (
        ("create", "POST", "/api/v1/links", "links:write", 201, {"url": "https://example.com/new"}),
        ("bulk", "POST", "/api/v1/links/bulk", "links:write", 200, {"links": [{"url": "https://example.com/b"}]}),
        ("list", "GET", "/api/v1/links", "links:read", 200, None),
        ("get", "GET", "/api/v1/links/{code}", "links:read", 200, None),
        ("update", "PATCH", "/api/v1/links/{code}", "links:write", 200, {"title": "changed"}),
        ("delete", "DELETE", "/api/v1/links/{code}", "links:write", 204, None),
        ("stats", "GET", "/api/v1/links/{code}/stats", "stats:read", 200, None),
        ("series", "GET", "/api/v1/links/{code}/stats/series?step=hour", "stats:read", 200, None),
        ("qr", "GET", "/api/v1/links/{code}/qr", "links:read", 200, None),
    )
    ALL_SCOPES = ("links:read", "links:write", "stats:read")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = cls.server
        expires, expires_at = expiry_in(2)
        cls.keys = {
            "owner": server.create_key("owner"),
            "another user's": server.create_key("other"),
            "revoked": server.create_key("revoked"),
            "expired": server.create_key("expired", expires=expires),
            "admin": server.api_key,
        }
        server.cli("keys", "revoke", "revoked")
        for scope in cls.ALL_SCOPES:
            others = ",".join(s for s in cls.ALL_SCOPES if s != scope)
            cls.keys["without " + scope] = server.create_key("no-" + scope.replace(":", "-"), scopes=others)
        # The expired key must be past its time before any cell uses it.
        time.sleep(max(0.0, (expires_at - utc_now()).total_seconds() + 0.1))

    def headers_for(self, credential, scope):
        if credential == "none":
            return {"Authorization": None}
        if credential == "malformed":
            return {"Authorization": "Bearer " + "x" * 20}
        if credential == "unknown":
            return {"Authorization": "Bearer hop_" + "A" * 43}
        if credential == "wrong scope":
            return {"Authorization": "Bearer " + self.keys["without " + scope]}
        return {"Authorization": "Bearer " + self.keys[credential]}

    def expected(self, credential, endpoint):
        name, _, path, _, success, _ = endpoint
        if credential in ("none", "malformed", "unknown", "revoked", "expired"):
            return 401
        if credential == "wrong scope":
            return 403
        if credential == "another user's" and "{code}" in path:
            return 404   # not 403: a code of another key must look like no code at all
        return success

    def owners_link(self):
        status, _, link = self.json("POST", "/api/v1/links", {"url": "https://example.com/owned"},
                                    headers={"Authorization": "Bearer " + self.keys["owner"]})
        self.assertEqual(status, 201, link)
        return link["code"]

    def test_every_endpoint_against_every_credential(self):
        for endpoint in self.ENDPOINTS:
            name, method, template, scope, _, body = endpoint
            for credential in self.CREDENTIALS:
                with self.subTest(endpoint=name, credential=credential):
                    code = self.owners_link()   # a fresh one each time: some cells delete it
                    path = template.format(code=code)
                    status, hdrs, data = self.request(method, path, body=body,
                                                      headers=self.headers_for(credential, scope))
                    want = self.expected(credential, endpoint)
                    self.assertEqual(status, want, f"{method} {path} as {credential}: {data[:300]!r}")
                    if want == 401:
                        self.assertProblem((status, hdrs, data), 401, "unauthorized")
                        self.assertEqual(hdrs.get("www-authenticate"), CHALLENGE)
                    elif want == 403:
                        self.assertProblem((status, hdrs, data), 403, "forbidden")
                    elif want == 404:
                        problem = self.assertProblem((status, hdrs, data), 404, "not_found")
                        self.assertEqual(problem["detail"], f'no link has the code "{code}"')
                    if credential in ("revoked", "expired", "another user's", "wrong scope") and "{code}" in template:
                        self.assertEqual(self.request("GET", f"/api/v1/links/{code}")[0], 200,
                                         "a refused call must not have changed or deleted the link")

    def test_another_users_list_does_not_show_the_owners_links(self):
        code = self.owners_link()
        status, _, page = self.json("GET", "/api/v1/links?limit=1000",
                                    headers={"Authorization": "Bearer " + self.keys["another user's"]})
        self.assertEqual(status, 200)
        self.assertNotIn(code, [item["code"] for item in page["items"]])
        status, _, page = self.json("GET", "/api/v1/links?limit=1000",
                                    headers={"Authorization": "Bearer " + self.keys["owner"]})
        self.assertIn(code, [item["code"] for item in page["items"]])
        self.assertTrue(all(item["url"] == "https://example.com/owned" for item in page["items"]))

    def test_x_api_key_is_accepted_like_bearer(self):
        code = self.owners_link()
        headers = {"Authorization": None, "X-Api-Key": self.keys["owner"]}
        self.assertEqual(self.request("GET", f"/api/v1/links/{code}", headers=headers)[0], 200)

    def test_redirects_need_no_key(self):
        code = self.owners_link()
        status, hdrs, _ = self.visit(code, headers={"Authorization": None})
        self.assertEqual(status, 302)
        self.assertEqual(hdrs["location"], "https://example.com/owned")


class RevocationTest(HopTestCase):

    def test_a_key_revoked_with_the_cli_stops_working_on_the_running_server_within_a_second(self):
        key = self.server.create_key("leaked")
        headers = {"Authorization": "Bearer " + key}
        self.assertEqual(self.request("GET", "/api/v1/links", headers=headers)[0], 200)
        self.server.cli("keys", "revoke", "leaked")
        revoked_at = time.monotonic()
        ok, last = poll_until(lambda: self.request("GET", "/api/v1/links", headers=headers)[0],
                              lambda status: status == 401, timeout=2.0)
        self.assertTrue(ok, f"still {last} 2 s after revocation")
        self.assertLess(time.monotonic() - revoked_at, 1.6)


class AnonymousCreateTest(HopTestCase):
    server_args = ("--allow-anonymous-create",)

    def test_creating_needs_no_key_but_everything_else_does(self):
        status, _, link = self.json("POST", "/api/v1/links", {"url": "https://example.com/anon"},
                                    headers={"Authorization": None})
        self.assertEqual(status, 201, link)
        status, _, _ = self.json("POST", "/api/v1/links/bulk", {"links": [{"url": "https://example.com/x"}]},
                                 headers={"Authorization": None})
        self.assertEqual(status, 200)
        for method, path in (("GET", "/api/v1/links"), ("GET", f"/api/v1/links/{link['code']}"),
                             ("GET", f"/api/v1/links/{link['code']}/stats"),
                             ("DELETE", f"/api/v1/links/{link['code']}")):
            with self.subTest(method=method, path=path):
                self.assertEqual(self.request(method, path, headers={"Authorization": None})[0], 401)
        self.assertEqual(self.visit(link["code"])[0], 302)
        # Nobody's link: a user key does not see it, the admin does.
        user = self.server.create_key("someone")
        self.assertEqual(self.request("GET", f"/api/v1/links/{link['code']}",
                                      headers={"Authorization": "Bearer " + user})[0], 404)
        self.assertEqual(self.request("GET", f"/api/v1/links/{link['code']}")[0], 200)

    def test_a_bad_key_is_refused_even_where_no_key_would_do(self):
        status = self.request("POST", "/api/v1/links", {"url": "https://example.com/"},
                              headers={"Authorization": "Bearer hop_" + "B" * 43})[0]
        self.assertEqual(status, 401)


class AnonymousCreateOffByDefaultTest(HopTestCase):

    def test_creating_without_a_key_is_401(self):
        response = self.request("POST", "/api/v1/links", {"url": "https://example.com/"},
                                headers={"Authorization": None})
        self.assertProblem(response, 401, "unauthorized")


if __name__ == "__main__":
    main()
