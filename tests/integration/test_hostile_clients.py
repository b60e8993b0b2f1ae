"""Connection-level attacks (issue 3): many idle connections (slowloris), a huge body, a huge header
section. hop must keep serving everyone else, and refuse the attacker early and cheaply."""

import io
import json
import resource
import socket
import threading
import time

from hoptest import PROBE, HopServer, HopTestCase, main, read_http_response, wait_for_close

IDLE_CONNECTIONS = 2000


def raise_own_file_limit(needed):
    """The test process needs a descriptor per connection it holds open."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(needed, soft)), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def recv_response(sock, timeout):
    """Reads until the peer closes or `timeout` passes; returns the parsed response or None."""
    _, _, received = wait_for_close(sock, timeout)
    if not received:
        return None
    return read_http_response(io.BytesIO(received))


class SlowlorisTest(HopTestCase):
    """2,000 connections that never finish a request, opened against a hop started with the usual soft
    limit of 1,024 open files: hop must raise its own limit, and a fresh client must still be served."""

    @classmethod
    def setUpClass(cls):
        cls.limit = raise_own_file_limit(IDLE_CONNECTIONS + 200)
        super(HopTestCase, cls).setUpClass()
        cls.server = HopServer(open_files=1024)
        try:
            cls.server.start()
        except BaseException:
            cls.server.cleanup()
            raise

    def setUp(self):
        if self.limit < IDLE_CONNECTIONS + 200:
            self.skipTest(f"this test process may only open {self.limit} files")

    def open_connections(self, count, first_bytes=b""):
        sockets = []
        try:
            for _ in range(count):
                sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
                if first_bytes:
                    sock.sendall(first_bytes)
                sockets.append(sock)
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
        return sockets

    def assertFreshClientServedPromptly(self, what):
        start = time.monotonic()
        status = self.request("GET", PROBE, timeout=5)[0]
        elapsed = time.monotonic() - start
        self.assertEqual(status, 200, what)
        self.assertLess(elapsed, 2.0, f"{what}: a fresh client waited {elapsed:.2f} s")

    def test_hop_raised_its_open_file_limit_to_the_hard_limit(self):
        with open(f"/proc/{self.server.proc.pid}/limits") as f:
            line = next(l for l in f if l.startswith("Max open files"))
        soft, hard = line.split()[3:5]
        self.assertEqual(soft, hard, line)
        self.assertGreater(int(soft), 1024, line)

    def test_idle_connections_do_not_lock_out_a_fresh_client(self):
        sockets = self.open_connections(IDLE_CONNECTIONS)
        try:
            time.sleep(0.5)  # let hop accept them all
            self.assertFreshClientServedPromptly(f"{IDLE_CONNECTIONS} idle connections open")
            code = self.create_link("https://example.com/during")["code"]
            self.assertEqual(self.visit(code)[0], 302)
        finally:
            for sock in sockets:
                sock.close()
        self.assertNotIn("accept failed", self.server.output())

    def test_connections_trickling_a_header_do_not_lock_out_a_fresh_client(self):
        sockets = self.open_connections(IDLE_CONNECTIONS, b"GET /api/v1/links HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        try:
            time.sleep(0.5)
            for sock in sockets[:100]:
                sock.sendall(b"a")
            self.assertFreshClientServedPromptly(f"{IDLE_CONNECTIONS} connections trickling a header")
        finally:
            for sock in sockets:
                sock.close()


class HugeRequestTest(HopTestCase):

    def test_a_10_mib_body_is_refused_with_413_before_it_is_sent(self):
        size = 10 * 1024 * 1024
        with self.server.raw_socket() as sock:
            sock.sendall(b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         + self.server.auth_line() + f"Content-Length: {size}\r\n\r\n".encode()
                         + b"{" + b" " * 65535)
            start = time.monotonic()
            response = recv_response(sock, 5.0)
            elapsed = time.monotonic() - start
        self.assertIsNotNone(response, "no answer to a 10 MiB body announced by Content-Length")
        self.assertEqual(response[0], 413)
        problem = json.loads(response[2])
        self.assertEqual(problem["code"], "payload_too_large")
        self.assertLess(elapsed, 2.0, "hop waited for the body it was going to refuse")
        self.assertEqual(self.request("GET", PROBE)[0], 200)

    def test_a_10_mib_chunked_body_is_refused_with_413_once_it_passes_the_limit(self):
        chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
        sent = [0]
        with self.server.raw_socket() as sock:
            sock.sendall(b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         + self.server.auth_line() + b"Transfer-Encoding: chunked\r\n\r\n")

            def send_body():
                try:
                    for _ in range(160):   # 10 MiB
                        sock.sendall(chunk)
                        sent[0] += len(chunk)
                except OSError:
                    pass   # hop closed the connection: what we want

            sender = threading.Thread(target=send_body)
            sender.start()
            response = recv_response(sock, 10.0)
            sender.join(10)
        self.assertIsNotNone(response, "no answer to a 10 MiB chunked body")
        self.assertEqual(response[0], 413)
        self.assertLess(sent[0], 10 * 1024 * 1024, "hop read the whole 10 MiB before refusing it")
        self.assertEqual(self.request("GET", PROBE)[0], 200)

    def test_a_1_mib_header_section_is_refused_with_431(self):
        header = b"".join(b"X-Filler-%05d: %s\r\n" % (i, b"a" * 1000) for i in range(1031))
        self.assertGreaterEqual(len(header), 1024 * 1024)
        with self.server.raw_socket() as sock:
            def send_all():
                try:
                    sock.sendall(b"GET /api/v1/links HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n")
                except OSError:
                    pass

            sender = threading.Thread(target=send_all)
            sender.start()
            response = recv_response(sock, 5.0)
            sender.join(10)
        self.assertIsNotNone(response, "no answer to a 1 MiB header section")
        self.assertEqual(response[0], 431)
        self.assertEqual(self.request("GET", PROBE)[0], 200)


if __name__ == "__main__":
    main()
