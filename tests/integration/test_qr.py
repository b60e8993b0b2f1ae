"""QR codes of short URLs: GET /api/v1/links/{code}/qr?format=svg|png&size= (DESIGN.md section 2)."""

import re
import struct

from hoptest import HopTestCase, main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class QrTest(HopTestCase):

    def test_svg_is_the_default_and_draws_the_symbol_with_a_quiet_zone(self):
        code = self.create_link("https://example.com/qr")["code"]
        status, hdrs, body = self.request("GET", f"/api/v1/links/{code}/qr")
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(hdrs["content-type"], "image/svg+xml")
        self.assertEqual(hdrs.get("x-content-type-options"), "nosniff")
        svg = body.decode()
        m = re.match(r'<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" '
                     r'viewBox="0 0 (\d+) \1"', svg)
        self.assertIsNotNone(m, svg[:200])
        # A version-v symbol is 17 + 4v modules wide; the viewBox adds 4 modules of quiet zone a side.
        modules = int(m.group(1)) - 8
        self.assertEqual((modules - 17) % 4, 0, modules)
        self.assertTrue(21 <= modules <= 177, modules)
        self.assertIn("<path", svg)

    def test_png_has_the_requested_size(self):
        code = self.create_link("https://example.com/qr")["code"]
        status, hdrs, body = self.request("GET", f"/api/v1/links/{code}/qr?format=png&size=512")
        self.assertEqual(status, 200, body[:300])
        self.assertEqual(hdrs["content-type"], "image/png")
        self.assertEqual(body[:8], PNG_SIGNATURE)
        self.assertEqual(body[12:16], b"IHDR")
        width, height = struct.unpack(">II", body[16:24])
        self.assertEqual((width, height), (512, 512))

    def test_unknown_code_is_404(self):
        self.assertProblem(self.request("GET", "/api/v1/links/nosuch1/qr"), 404, "not_found")

    def test_bad_format_or_size_is_invalid_request(self):
        code = self.create_link("https://example.com/qr")["code"]
        for query in ("format=jpeg", "size=0", "size=10", "size=100000", "size=abc"):
            self.assertProblem(self.request("GET", f"/api/v1/links/{code}/qr?{query}"), 400,
                               "invalid_request", query)

    def test_other_methods_are_405(self):
        code = self.create_link("https://example.com/qr")["code"]
        status, hdrs, _ = self.request("POST", f"/api/v1/links/{code}/qr")
        self.assertEqual(status, 405)
        self.assertEqual(hdrs.get("allow"), "GET")


if __name__ == "__main__":
    main()
