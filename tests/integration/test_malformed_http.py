"""HTTP/1.1 at the socket level: malformed requests, limits, timeouts, keep-alive and pipelining."""

import json
import random
import time

from hoptest import PROBE, HopTestCase, main, read_http_response, wait_for_close


def status_of(raw_response):
    """The status code of the first response in raw bytes, or None when there is none."""
    if not raw_response.startswith(b"HTTP/1."):
        return None
    return int(raw_response.split(b" ", 2)[1])


class MalformedRequestTest(HopTestCase):

    def test_garbage_bytes(self):
        self.assertRefused(b"\x00\xff\xfe GARBAGE \x01\x02\r\n\r\n")

    def test_malformed_request_lines_and_headers(self):
        cases = [
            b"GET\r\n\r\n",
            b"GET / FOO/1.1\r\nHost: x\r\n\r\n",
            b"GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
            b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
            b"GET /abcdefg HTTP/1.1\r\nBad Name: x\r\n\r\n",
            b"GET /abcdefg HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        ]
        for data in cases:
            with self.subTest(data=data):
                self.assertRefused(data)

    def test_random_binary_noise(self):
        rng = random.Random(1234)
        for _ in range(5):
            self.assertRefused(bytes(rng.randrange(256) for _ in range(4096)) + b"\r\n\r\n")

    def test_header_section_over_max_header(self):
        # Default --max-header is 16384 bytes. Both the API router and the redirect path are tried.
        for path in (PROBE.encode(), b"/abcdefg"):
            with self.subTest(path=path):
                data = b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
                self.assertRefused(data, allowed=(431, 400))

    def test_many_headers_over_max_header(self):
        for path in (PROBE.encode(), b"/abcdefg"):
            with self.subTest(path=path):
                data = b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n" + b"".join(
                    b"X-H%d: %s\r\n" % (i, b"v" * 50) for i in range(400)) + b"\r\n"
                self.assertGreater(len(data), 23000)
                self.assertRefused(data, allowed=(431, 400))

    def test_header_section_within_max_header_is_served(self):
        status, _, _ = self.request("GET", PROBE, headers={"X-Big": "a" * 8000})
        self.assertEqual(status, 200)


class KeepAliveTest(HopTestCase):

    def test_several_requests_on_one_connection(self):
        code = self.create_link("https://example.com/ka")["code"]
        conn = self.server.connection()
        try:
            self.assertEqual(self.request("GET", PROBE, conn=conn)[0], 200)
            sock = conn.sock
            self.assertIsNotNone(sock)
            for _ in range(5):
                self.assertEqual(self.request("GET", f"/api/v1/links/{code}", conn=conn)[0], 200)
                self.assertEqual(self.visit(code, conn=conn)[0], 302)
                self.assertEqual(self.visit(code, method="HEAD", conn=conn)[0], 302)
                self.assertEqual(self.request("POST", "/api/v1/links", {"url": "https://example.com/"},
                                              conn=conn)[0], 201)
                self.assertEqual(self.request("GET", "/api/v1/links/nosuchcode", conn=conn)[0], 404)
                self.assertIs(conn.sock, sock, "the server closed a keep-alive connection")
        finally:
            conn.close()

    def test_an_error_response_keeps_the_connection_when_the_request_was_well_formed(self):
        conn = self.server.connection()
        try:
            self.assertEqual(self.request("GET", PROBE, conn=conn)[0], 200)
            sock = conn.sock
            self.assertEqual(self.request("POST", "/api/v1/links", {"titel": "x"}, conn=conn)[0], 400)
            self.assertEqual(self.request("GET", "/api/v1/nope", conn=conn)[0], 404)
            self.assertEqual(self.request("GET", PROBE, conn=conn)[0], 200)
            self.assertIs(conn.sock, sock, "the server closed the connection after a well-formed request")
        finally:
            conn.close()

    def test_pipelined_requests_are_answered_in_order(self):
        a = self.create_link("https://example.com/a")["code"]
        b = self.create_link("https://example.com/b")["code"]
        body = b'{"url":"https://example.com/piped"}'
        auth = self.server.auth_line()
        requests = [
            (f"GET /api/v1/links/{a} HTTP/1.1\r\nHost: x\r\n".encode() + auth + b"\r\n", False),
            (f"GET /{b} HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.0\r\n\r\n".encode(), False),
            (f"HEAD /{a} HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.0\r\n\r\n".encode(), True),
            # A redirect with a body, and an unknown code: both leave the redirect's own parser for
            # the full one (http/redirect_header_parser.h).
            (f"GET /{a}?x=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz".encode(), False),
            (b"GET /nosuchcode HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n", False),
            (b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth +
             b"Content-Length: %d\r\n\r\n%s" % (len(body), body), False),
            (b"GET /api/v1/links/nosuchcode HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n", False),
            (f"GET /api/v1/links/{b} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode() + auth + b"\r\n",
             False),
        ]
        with self.server.raw_socket() as sock:
            sock.sendall(b"".join(data for data, _ in requests))
            stream = sock.makefile("rb")
            responses = [read_http_response(stream, head) for _, head in requests]
            self.assertTrue(wait_for_close(sock, 5)[0], "Connection: close was not honoured")
        self.assertNotIn(None, responses, "a pipelined request went unanswered")
        self.assertEqual([r[0] for r in responses], [200, 302, 302, 302, 404, 201, 404, 200])
        self.assertEqual(json.loads(responses[0][2])["code"], a)
        self.assertEqual(responses[1][1].get("location"), "https://example.com/b")
        self.assertEqual(responses[2][1].get("location"), "https://example.com/a")
        self.assertEqual(responses[3][1].get("location"), "https://example.com/a")
        self.assertIn("text/html", responses[4][1].get("content-type"))
        self.assertEqual(json.loads(responses[5][2])["url"], "https://example.com/piped")
        self.assertEqual(json.loads(responses[7][2])["code"], b)

    def test_a_request_sent_at_any_moment_of_the_previous_answer_is_answered(self):
        # A keep-alive connection waits for readiness edges (http/readiness_poller.h): a request whose
        # edge came while the session was busy must not be missed. Each round sends the next request
        # as a segment of its own, at a different moment: before, while or after the previous answer
        # is written (API answers are written asynchronously, redirects directly), and some rounds
        # pipeline both.
        code = self.create_link("https://example.com/moment")["code"]
        probe = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        visit = f"GET /{code} HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/8.0\r\n\r\n".encode()
        rng = random.Random(5)
        with self.server.raw_socket() as sock:
            sock.settimeout(5)
            stream = sock.makefile("rb")
            for round_number in range(300):
                first, second = (probe, visit) if round_number % 2 == 0 else (visit, probe)
                sock.sendall(first)
                delay = rng.choice([0, 0, 0.0001, 0.0005, 0.002])
                if delay:
                    time.sleep(delay)
                sock.sendall(second)
                answers = [read_http_response(stream), read_http_response(stream)]
                self.assertNotIn(None, answers, f"round {round_number}: a request went unanswered")
                statuses = [answer[0] for answer in answers]
                self.assertEqual(statuses, [200, 302] if first is probe else [302, 200])
        stats = self.wait_for_stats(code, lambda s: s["total"] >= 300, what="300 clicks")
        self.assertEqual(stats["total"], 300)

    def test_chunked_request_body_is_accepted(self):
        # A valid create request, padded with JSON whitespace to 60 KB (under the 1 MiB --max-body) and
        # sent in 6,000 chunks of 10 bytes: the chunk framing (about 30 KB) is neither header nor body
        # and must not count against --max-header (16 KB).
        body = b'{"url":"https://example.com/chunked"' + b" " * (60000 - 37) + b"}"
        self.assertEqual(len(body), 60000)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 10]), body[i:i + 10]) for i in range(0, len(body), 10))
        for label, payload in (("one chunk", b"%x\r\n%s\r\n" % (len(body), body)), ("6000 chunks", chunks)):
            with self.subTest(label), self.server.raw_socket() as sock:
                sock.sendall(b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                             + self.server.auth_line() +
                             b"Transfer-Encoding: chunked\r\n\r\n" + payload + b"0\r\n\r\n")
                response = read_http_response(sock.makefile("rb"))
                self.assertIsNotNone(response, "connection closed without an answer")
                self.assertEqual(response[0], 201, response[2][:300])
                self.assertEqual(json.loads(response[2])["url"], "https://example.com/chunked")

    def test_connection_close_is_honoured(self):
        with self.server.raw_socket() as sock:
            sock.sendall(b"GET /api/v1/links?limit=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                         + self.server.auth_line() + b"\r\n")
            stream = sock.makefile("rb")
            response = read_http_response(stream)
            self.assertEqual(response[0], 200)
            self.assertTrue(wait_for_close(sock, 5)[0], "connection still open after Connection: close")

    def test_http_1_0_is_served_and_closed(self):
        with self.server.raw_socket() as sock:
            sock.sendall(b"GET /api/v1/links?limit=1 HTTP/1.0\r\n" + self.server.auth_line() + b"\r\n")
            response = read_http_response(sock.makefile("rb"))
            self.assertIsNotNone(response)
            self.assertEqual(response[0], 200)
            self.assertTrue(wait_for_close(sock, 5)[0], "an HTTP/1.0 connection without keep-alive stays open")


class TimeoutTest(HopTestCase):
    server_args = ("--read-timeout", "1s", "--idle-timeout", "1s")

    def assertClosedAfterTimeout(self, sock, what):
        closed, waited, received = wait_for_close(sock, 5.0)
        self.assertTrue(closed, f"{what}: connection still open after 5 s (read timeout 1s)")
        self.assertGreaterEqual(waited, 0.5, f"{what}: closed after {waited:.2f} s, before the timeout")
        status = status_of(received)
        self.assertIn(status, (None, 408), f"{what}: unexpected answer {received[:200]!r}")

    def test_truncated_body_is_closed_after_read_timeout(self):
        with self.server.raw_socket() as sock:
            sock.sendall(b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 100\r\n\r\n" + b'{"url":"ht')
            self.assertClosedAfterTimeout(sock, "truncated body")
        self.assertEqual(self.request("GET", PROBE)[0], 200)

    def test_incomplete_header_is_closed_after_read_timeout(self):
        with self.server.raw_socket() as sock:
            sock.sendall(b"GET /api/v1/links?limit=1 HTTP/1.1\r\nHost: x\r\n")
            self.assertClosedAfterTimeout(sock, "incomplete header")

    def test_slow_header_trickle_does_not_keep_the_connection(self):
        # One byte every 0.3 s: each read is quick, but the request as a whole takes too long.
        with self.server.raw_socket() as sock:
            start = time.monotonic()
            closed = False
            for byte in b"GET /api/v1/links?limit=1 HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
                try:
                    sock.sendall(bytes([byte]))
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                closed_now, _, _ = wait_for_close(sock, 0.3)
                if closed_now:
                    closed = True
                    break
                if time.monotonic() - start > 6:
                    break
            self.assertTrue(closed, "a request trickling in for 6 s was not cut off (read timeout 1s)")

    def test_idle_keep_alive_connection_is_closed(self):
        with self.server.raw_socket() as sock:
            sock.sendall(b"GET /api/v1/links?limit=1 HTTP/1.1\r\nHost: x\r\n" + self.server.auth_line() + b"\r\n")
            self.assertEqual(read_http_response(sock.makefile("rb"))[0], 200)
            self.assertClosedAfterTimeout(sock, "idle keep-alive connection")

    def test_connection_that_sends_nothing_is_closed(self):
        with self.server.raw_socket() as sock:
            self.assertClosedAfterTimeout(sock, "silent connection")

    def test_a_live_connection_survives_the_timeouts(self):
        conn = self.server.connection()
        try:
            for _ in range(4):
                self.assertEqual(self.request("GET", PROBE, conn=conn)[0], 200)
                sock = conn.sock
                time.sleep(0.4)   # well inside the 1 s timeouts: the point is that the connection stays
                self.assertEqual(self.request("GET", PROBE, conn=conn)[0], 200)
                self.assertIs(conn.sock, sock)
        finally:
            conn.close()


if __name__ == "__main__":
    main()
