"""Errors: request bodies the API refuses, wrong methods, unknown paths; every one an RFC 9457 problem."""

import json
import socket

from hoptest import PROBE, HopTestCase, main, read_http_response

CREATE = "/api/v1/links"


def send_large_body(server, path, content_length, body_iter, extra_headers=""):
    """Sends a request whose body may be refused before it is all sent; returns the parsed response or
    raises with what happened. Send errors are ignored: the server may stop reading once it has seen
    Content-Length, but it must still answer."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    try:
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"User-Agent: curl/8.0\r\n{extra_headers}")
        if content_length is not None:
            head += f"Content-Length: {content_length}\r\n"
        sock.sendall((head + "\r\n").encode())
        try:
            for chunk in body_iter:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return read_http_response(sock.makefile("rb"))
    finally:
        sock.close()


class CreateBodyErrorsTest(HopTestCase):

    def post(self, raw, content_type="application/json"):
        return self.request("POST", CREATE, raw_body=raw, headers={"Content-Type": content_type})

    def test_body_must_be_json_content_type(self):
        body = b'{"url":"https://example.com/"}'
        for content_type in (None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                             "multipart/form-data; boundary=x"):
            with self.subTest(content_type=content_type):
                self.assertProblem(self.post(body, content_type), 415, "unsupported_media_type")

    def test_body_that_is_not_json(self):
        for raw in (b"", b"{", b"not json", b'{"url": }', b'{"url":"https://example.com/"} trailing',
                    b"\xff\xfe\x00", b"{'url': 'https://example.com/'}"):
            with self.subTest(raw=raw):
                self.assertProblem(self.post(raw), 400, "invalid_json")

    def test_json_of_the_wrong_shape(self):
        cases = [
            [],
            "https://example.com/",
            None,
            {},
            {"url": None},
            {"url": 5},
            {"url": ["https://example.com/"]},
            {"url": "https://example.com/", "title": 5},
            {"url": "https://example.com/", "tags": "docs"},
            {"url": "https://example.com/", "tags": [1, 2]},
            {"url": "https://example.com/", "alias": 5},
            {"url": "https://example.com/", "max_visits": "2"},
            {"url": "https://example.com/", "max_visits": 2.5},
            {"url": "https://example.com/", "redirect_status": "301"},
            {"url": "https://example.com/", "forward_query": "yes"},
            {"url": "https://example.com/", "forward_query": 1},
            {"url": "https://example.com/", "expires_at": {}},
        ]
        for body in cases:
            with self.subTest(body=body):
                self.assertProblem(self.post(json.dumps(body).encode()), 400, "invalid_request")

    def test_unknown_fields_are_refused(self):
        for extra in ({"titel": "typo"}, {"code": "abcdefg"}, {"disabled": True}, {"total_clicks": 1},
                      {"short_url": "x"}, {"URL": "https://example.com/"}):
            with self.subTest(extra=extra):
                body = dict(extra, url="https://example.com/")
                problem = self.assertProblem(self.request("POST", CREATE, body), 400, "invalid_request")
                self.assertTrue(problem["detail"], problem)

    def test_body_over_default_max_body_is_413(self):
        size = 1048576 + 1
        body = b'{"url":"https://example.com/"' + b" " * (size - 30) + b"}"
        self.assertEqual(len(body), size)
        response = send_large_body(self.server, CREATE, size, [body[i:i + 65536] for i in range(0, size, 65536)])
        self.assertIsNotNone(response, "connection closed without an answer")
        self.assertProblem(response, 413, "payload_too_large")
        self.assertEqual(self.request("GET", PROBE)[0], 200)


class MethodAndPathErrorsTest(HopTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        status, _, link = cls.server.json("POST", CREATE, {"url": "https://example.com/"})
        assert status == 201, (status, link)
        cls.code = link["code"]

    def test_wrong_method_on_a_known_path_is_405_with_allow(self):
        code = self.code
        cases = [
            ("PUT", CREATE, {"GET", "POST"}),
            ("DELETE", CREATE, {"GET", "POST"}),
            ("POST", f"/api/v1/links/{code}", {"GET", "PATCH", "DELETE"}),
            ("PUT", f"/api/v1/links/{code}", {"GET", "PATCH", "DELETE"}),
            ("POST", f"/api/v1/links/{code}/stats", {"GET"}),
            ("DELETE", f"/api/v1/links/{code}/stats/series", {"GET"}),
            ("POST", "/healthz", {"GET"}),
            ("POST", "/readyz", {"GET"}),
            ("POST", f"/{code}", {"GET", "HEAD"}),
        ]
        for method, path, allowed in cases:
            with self.subTest(method=method, path=path):
                response = self.request(method, path, headers={"Accept": "application/json"})
                self.assertProblem(response, 405, "method_not_allowed")
                allow = {m.strip().upper() for m in response[1].get("allow", "").split(",") if m.strip()}
                self.assertTrue(allowed <= allow, f"Allow {response[1].get('allow')!r} lacks {allowed - allow}")
                self.assertNotIn(method, allow)
        self.assertEqual(self.get_link(code)["code"], code, "a refused method changed nothing")

    def test_unknown_api_paths_are_404(self):
        for path in ("/api/v1/nope", "/api/v2/links", "/api/v1/links/x/nope", f"/api/v1/links/{self.code}/stats/x",
                     "/api/v1/", "/api/"):
            with self.subTest(path=path):
                self.assertProblem(self.request("GET", path), 404, "not_found")

    def test_health_and_readiness(self):
        for path in ("/healthz", "/readyz"):
            with self.subTest(path=path):
                self.assertEqual(self.request("GET", path)[0], 200)


if __name__ == "__main__":
    main()
