"""`hop serve` configuration: flags, their HOP_* environment variables, and what each one changes."""

import http.client
import os
import socket
import subprocess
import tempfile
import unittest

from hoptest import (PROBE, HopServer, HopTestCase, hop_binary, main, poll_until, read_http_response,
                     wait_for_close)


def padded_body(size):
    """A valid create request of exactly `size` bytes, padded with JSON whitespace."""
    body = b'{"url":"https://example.com/padded"'
    return body + b" " * (size - len(body) - 1) + b"}"


FLAGS = ["--listen", "--base-url", "--data-dir", "--store", "--threads", "--flush-interval", "--max-body",
         "--max-header", "--read-timeout", "--idle-timeout", "--max-connections", "--block-list",
         "--allow-anonymous-create", "--trust-proxy", "--api-rate", "--api-burst", "--create-rate",
         "--create-burst", "--scan-rate", "--scan-burst"]


class HelpTest(unittest.TestCase):

    def test_serve_help_lists_every_flag(self):
        result = subprocess.run([hop_binary(), "serve", "--help"], capture_output=True, timeout=10)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = (result.stdout + result.stderr).decode()
        for flag in FLAGS:
            self.assertIn(flag, text)

    def test_bad_flags_fail_to_start(self):
        listen = ["--listen", "127.0.0.1:0"]
        cases = [
            listen + ["--no-such-flag"],
            listen + ["--flush-interval", "banana"],
            listen + ["--threads", "-3"],
            listen + ["--max-body", "lots"],
            listen + ["--block-list", "/nonexistent/block/list"],
            listen + ["--api-rate", "-1"],
            listen + ["--create-rate", "5", "--create-burst", "0.5"],
            ["--listen", "not-an-address"],
        ]
        with tempfile.TemporaryDirectory() as data_dir:
            for args in cases:
                with self.subTest(args=args):
                    cmd = [hop_binary(), "serve", "--data-dir", data_dir] + args
                    try:
                        result = subprocess.run(cmd, capture_output=True, timeout=10)
                    except subprocess.TimeoutExpired:
                        self.fail(f"{args}: hop kept running with an invalid flag")
                    self.assertNotEqual(result.returncode, 0)
                    self.assertTrue(result.stderr.strip(), "a refused flag deserves a message on stderr")


class BaseUrlFlagTest(HopTestCase):
    server_args = ("--base-url", "https://sho.rt")

    def test_short_url_uses_the_base_url(self):
        link = self.create_link("https://example.com/")
        self.assertEqual(link["short_url"], "https://sho.rt/" + link["code"])

    def test_targets_on_the_base_url_host_are_refused(self):
        for url in ("https://sho.rt/abc", "http://SHO.RT/abc", "https://sho.rt:8443/x"):
            with self.subTest(url=url):
                self.assertProblem(self.request("POST", "/api/v1/links", {"url": url}), 400, "invalid_url")
        # Another host is fine, even one that ends with the same letters.
        self.create_link("https://notsho.rt/abc")


class EnvironmentTest(HopTestCase):
    server_env = {"HOP_BASE_URL": "https://env.example", "HOP_MAX_BODY": "1000"}

    def test_base_url_from_environment(self):
        link = self.create_link("https://example.com/")
        self.assertEqual(link["short_url"], "https://env.example/" + link["code"])

    def test_max_body_from_environment(self):
        body = padded_body(1001)
        self.assertProblem(self.request("POST", "/api/v1/links", raw_body=body,
                                        headers={"Content-Type": "application/json"}),
                           413, "payload_too_large")


class DataDirEnvironmentTest(unittest.TestCase):

    def test_data_dir_from_environment(self):
        with tempfile.TemporaryDirectory() as data_dir:
            # No --data-dir flag: HOP_DATA_DIR alone must place the store.
            server = HopServer(env={"HOP_DATA_DIR": data_dir}, data_dir=data_dir, with_data_dir_flag=False)
            try:
                server.start()
                status, _, _ = server.request("POST", "/api/v1/links", {"url": "https://example.com/"})
                self.assertEqual(status, 201)
                server.stop()
                self.assertTrue(os.path.exists(os.path.join(data_dir, "hop.db")),
                                f"no hop.db in HOP_DATA_DIR: {os.listdir(data_dir)}")
            finally:
                server.cleanup()


class MaxBodyTest(HopTestCase):
    server_args = ("--max-body", "1000")

    def body_of_size(self, size):
        body = padded_body(size)
        self.assertEqual(len(body), size)
        return body

    def test_body_of_exactly_max_body_is_accepted(self):
        status, _, link = self.json("POST", "/api/v1/links", raw_body=self.body_of_size(1000),
                                    headers={"Content-Type": "application/json"})
        self.assertEqual(status, 201, link)

    def test_body_one_byte_over_is_413(self):
        self.assertProblem(self.request("POST", "/api/v1/links", raw_body=self.body_of_size(1001),
                                        headers={"Content-Type": "application/json"}),
                           413, "payload_too_large")

    def test_chunked_body_over_max_body_is_413(self):
        body = self.body_of_size(1500)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 100]), body[i:i + 100]) for i in range(0, 1500, 100))
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(b"POST /api/v1/links HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n")
            response = read_http_response(sock.makefile("rb"))
        self.assertIsNotNone(response, "connection closed without an answer")
        self.assertProblem(response, 413, "payload_too_large")


class MaxHeaderTest(HopTestCase):
    server_args = ("--max-header", "2048")

    def test_header_over_max_header_is_refused(self):
        for path in (PROBE.encode(), b"/abcdefg"):
            with self.subTest(path=path):
                self.assertRefused(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 3000 + b"\r\n\r\n",
                                   allowed=(431, 400))
                for fields in (60, 200):   # 3.5 KB and 12 KB in many small fields
                    self.assertRefused(b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n" + b"".join(
                        b"X-H%d: %s\r\n" % (i, b"v" * 50) for i in range(fields)) + b"\r\n", allowed=(431, 400))

    def test_header_within_max_header_is_served(self):
        self.assertEqual(self.request("GET", PROBE, headers={"X-Big": "a" * 1000})[0], 200)


class MaxConnectionsTest(HopTestCase):
    # `hop serve --help`: "Open connections beyond which new ones are closed".
    server_args = ("--max-connections", "3")

    def test_connections_beyond_the_limit_are_closed_until_one_frees_up(self):
        conns = [self.server.connection() for _ in range(3)]
        try:
            for conn in conns:
                self.assertEqual(self.request("GET", PROBE, conn=conn)[0], 200)
            with self.server.raw_socket() as extra:
                try:
                    extra.sendall(f"GET {PROBE} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass
                closed, _, received = wait_for_close(extra, 5.0)
                self.assertTrue(closed, "a fourth connection stayed open with --max-connections 3")
                self.assertFalse(received.startswith(b"HTTP/1.1 200"), received[:200])
            for conn in conns:   # the three admitted connections still work
                self.assertEqual(self.request("GET", PROBE, conn=conn)[0], 200)
            conns.pop().close()

            def try_new_connection():
                try:
                    return self.request("GET", PROBE)[0]
                except (ConnectionError, http.client.HTTPException, OSError) as e:
                    return repr(e)

            ok, last = poll_until(try_new_connection, lambda status: status == 200, timeout=2.0)
            self.assertTrue(ok, f"no new connection served after one closed; last: {last}")
        finally:
            for conn in conns:
                conn.close()


class BlockListTest(HopTestCase):

    @classmethod
    def setUpClass(cls):
        fd, cls.block_file = tempfile.mkstemp(prefix="hop-block-", suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write("# hosts we refuse\nevil.example\n\nbad.test\n# good.example\n")
        cls.server_args = ("--block-list", cls.block_file)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        os.unlink(cls.block_file)

    def test_listed_hosts_and_their_subdomains_are_blocked(self):
        for url in ("https://evil.example/", "http://EVIL.example/x", "https://sub.evil.example/",
                    "https://a.b.evil.example:8443/p", "https://bad.test/"):
            with self.subTest(url=url):
                self.assertProblem(self.request("POST", "/api/v1/links", {"url": url}), 400, "blocked_url")

    def test_other_hosts_pass(self):
        for url in ("https://notevil.example/", "https://evil.example.com/", "https://good.example/",
                    "https://example.com/"):
            with self.subTest(url=url):
                self.create_link(url)

    def test_patch_to_a_blocked_host_is_refused(self):
        code = self.create_link("https://example.com/")["code"]
        self.assertProblem(self.request("PATCH", f"/api/v1/links/{code}", {"url": "https://evil.example/"}),
                           400, "blocked_url")


class StoreFlagTest(unittest.TestCase):

    def test_store_flag_places_the_database_and_it_survives_restart(self):
        with tempfile.TemporaryDirectory() as elsewhere:
            db = os.path.join(elsewhere, "links.sqlite")
            server = HopServer(["--store", f"sqlite:{db}", "--threads", "1"])
            try:
                server.start()
                status, _, link = server.json("POST", "/api/v1/links", {"url": "https://example.com/stored"})
                self.assertEqual(status, 201, link)
                server.stop()
                self.assertTrue(os.path.exists(db), "--store sqlite:PATH did not create PATH")
                self.assertFalse(os.path.exists(os.path.join(server.data_dir, "hop.db")),
                                 "with --store, the data dir should not get its own hop.db")
                server.start()
                status, _, again = server.json("GET", f"/api/v1/links/{link['code']}")
                self.assertEqual(status, 200)
                self.assertEqual(again["url"], "https://example.com/stored")
            finally:
                server.cleanup()

    def test_default_store_is_hop_db_in_the_data_dir(self):
        server = HopServer()
        try:
            server.start()
            self.assertEqual(server.request("POST", "/api/v1/links", {"url": "https://example.com/"})[0], 201)
            server.stop()
            self.assertTrue(os.path.exists(os.path.join(server.data_dir, "hop.db")), os.listdir(server.data_dir))
        finally:
            server.cleanup()


if __name__ == "__main__":
    main()
