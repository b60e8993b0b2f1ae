"""--trust-proxy (issue 3): X-Forwarded-For names the client only when the request comes from a trusted
proxy. The client address is observed through the per-address rate limit: with a burst of 2, a third
request from the same client is refused, a request from another client is not."""

import subprocess
import tempfile

from hoptest import HopTestCase, hop_binary, main

BURST_2 = ("--api-rate", "0.01", "--api-burst", "2")


def probe(test, forwarded_for, key):
    headers = {"Authorization": f"Bearer {key}"}
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    return test.request("GET", "/api/v1/links?limit=1", headers=headers)[0]


class WithoutTrustTest(HopTestCase):
    server_args = BURST_2

    def test_forwarded_for_is_ignored_so_a_client_cannot_pick_its_address(self):
        # Three different claimed addresses, one real one (127.0.0.1): its budget of 2 runs out.
        statuses = [probe(self, f"203.0.113.{i}", self.server.create_key(f"k{i}")) for i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])


class TrustedLoopbackTest(HopTestCase):
    server_args = ("--trust-proxy", "127.0.0.0/8, ::1") + BURST_2

    def test_each_forwarded_client_has_its_own_budget(self):
        statuses = [probe(self, f"203.0.113.{i}", self.server.create_key(f"a{i}")) for i in range(3)]
        self.assertEqual(statuses, [200, 200, 200])

    def test_the_client_is_the_nearest_address_that_is_not_a_trusted_proxy(self):
        # A client that forges an X-Forwarded-For of its own still arrives as the address the
        # proxy saw, appended last: forging a different first entry each time does not help.
        statuses = [probe(self, f"10.9.9.{i}, 198.51.100.77", self.server.create_key(f"b{i}"))
                    for i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])

    def test_trusted_hops_in_the_chain_are_skipped(self):
        statuses = [probe(self, f"198.51.100.{80 + i}, 127.0.0.2", self.server.create_key(f"c{i}"))
                    for i in range(3)]
        self.assertEqual(statuses, [200, 200, 200])

    def test_without_the_header_the_proxy_itself_is_the_client(self):
        statuses = [probe(self, None, self.server.create_key(f"d{i}")) for i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])


class TrustedElsewhereTest(HopTestCase):
    server_args = ("--trust-proxy", "10.0.0.0/8") + BURST_2

    def test_a_peer_outside_the_trusted_networks_is_the_client(self):
        statuses = [probe(self, f"203.0.113.{i}", self.server.create_key(f"e{i}")) for i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])


class BadTrustProxyTest(HopTestCase):

    def test_a_network_that_does_not_parse_stops_the_server_from_starting(self):
        with tempfile.TemporaryDirectory() as data_dir:
            for value in ("10.0.0.0/33", "proxy.internal", "10.0.0.0/8,,garbage"):
                with self.subTest(value=value):
                    result = subprocess.run([hop_binary(), "serve", "--listen", "127.0.0.1:0", "--data-dir",
                                             data_dir, "--trust-proxy", value],
                                            capture_output=True, text=True, timeout=10)
                    self.assertNotEqual(result.returncode, 0)
                    self.assertIn("--trust-proxy", result.stderr)


if __name__ == "__main__":
    main()
