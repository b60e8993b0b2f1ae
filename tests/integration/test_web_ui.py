"""The web UI served by the binary itself (DESIGN.md section 2: GET / is the web UI)."""

import re

from hoptest import HopTestCase, main

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


class WebUiTest(HopTestCase):

    def assertUiHeaders(self, hdrs, path):
        for name, value in SECURITY_HEADERS.items():
            self.assertEqual(hdrs.get(name), value, f"{path}: {name}")
        csp = hdrs.get("content-security-policy", "")
        for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'",
                          "img-src 'self' data: blob:", "connect-src 'self'", "frame-ancestors 'none'"):
            self.assertIn(directive, csp, path)

    def test_root_is_the_ui_without_an_api_key(self):
        status, hdrs, body = self.request("GET", "/", headers={"Authorization": None})
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(hdrs["content-type"], "text/html; charset=utf-8")
        self.assertEqual(hdrs["cache-control"], "no-cache")
        self.assertRegex(hdrs["etag"], r'^"[0-9a-f]+"$')
        self.assertUiHeaders(hdrs, "/")
        self.assertIn(b'<script type="module" src="/assets/', body)

    def test_assets_load_with_long_caching_and_revalidate_with_304(self):
        _, _, index = self.request("GET", "/")
        paths = re.findall(r'(?:src|href)="(/assets/[^"]+)"', index.decode())
        self.assertTrue(any(p.endswith("/app.js") for p in paths), paths)
        self.assertTrue(any(p.endswith(".css") for p in paths), paths)
        for path in paths:
            status, hdrs, body = self.request("GET", path, headers={"Authorization": None})
            self.assertEqual(status, 200, path)
            self.assertTrue(body, path)
            self.assertIn("immutable", hdrs["cache-control"], path)
            expected = "text/javascript" if path.endswith(".js") else "text/css"
            self.assertTrue(hdrs["content-type"].startswith(expected), (path, hdrs["content-type"]))
            self.assertUiHeaders(hdrs, path)
            status, hdrs304, body304 = self.request("GET", path, headers={"If-None-Match": hdrs["etag"]})
            self.assertEqual((status, body304), (304, b""), path)
            self.assertEqual(hdrs304["etag"], hdrs["etag"], path)

    def test_unknown_asset_is_404_and_other_methods_405(self):
        self.assertProblem(self.request("GET", "/assets/none.js"), 404, "not_found")
        status, hdrs, _ = self.request("POST", "/", raw_body=b"x", headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 405)
        self.assertEqual(hdrs.get("allow"), "GET")

    def test_no_alias_can_shadow_the_ui(self):
        status, _, problem = self.json("POST", "/api/v1/links", {"url": "https://example.com/", "alias": "assets"})
        self.assertEqual((status, problem["code"]), (400, "reserved_alias"))


if __name__ == "__main__":
    main()
