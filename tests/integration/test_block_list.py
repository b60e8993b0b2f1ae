"""The block list (issue 3): --block-list FILE refuses new links to its hosts and their subdomains with
blocked_url, disables the existing ones (they answer 410), and is read again on SIGHUP."""

import os
import signal
import time

from hoptest import HopServer, HopTestCase, main, poll_until


class BlockListTestCase(HopTestCase):

    @classmethod
    def setUpClass(cls):
        cls.list_dir = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
        super(HopTestCase, cls).setUpClass()
        cls.server = HopServer()
        cls.block_list = os.path.join(cls.server.data_dir, "blocked.txt")
        cls.write_list("# phishing\nevil.example\n")
        cls.server.extra_args += ["--block-list", cls.block_list]
        try:
            cls.server.start()
        except BaseException:
            cls.server.cleanup()
            raise

    @classmethod
    def write_list(cls, text):
        with open(cls.block_list, "w") as f:
            f.write(text)

    def reload(self, text):
        """Writes the list, sends SIGHUP, and waits for hop to log that it read it."""
        self.write_list(text)
        before = self.server.output().count("SIGHUP:")
        self.server.proc.send_signal(signal.SIGHUP)
        ok, _ = poll_until(lambda: self.server.output().count("SIGHUP:"), lambda n: n > before, timeout=5)
        self.assertTrue(ok, "hop logged nothing after SIGHUP\n" + self.server.output())
        return self.server.output().splitlines()[-1]

    def assertBlocked(self, url):
        response = self.request("POST", "/api/v1/links", {"url": url})
        self.assertProblem(response, 400, "blocked_url", url)


class BlockListTest(BlockListTestCase):

    def test_links_to_a_blocked_host_or_its_subdomains_are_refused(self):
        for url in ("https://evil.example/login", "http://www.evil.example/", "https://A.B.Evil.Example:8443/",
                    "https://evil.example./"):
            with self.subTest(url=url):
                self.assertBlocked(url)
        for url in ("https://notevil.example/", "https://evil.example.com/", "https://good.example/evil.example"):
            with self.subTest(url=url):
                self.assertEqual(self.request("POST", "/api/v1/links", {"url": url})[0], 201)

    def test_sighup_disables_existing_links_to_newly_blocked_hosts_at_once(self):
        bad = self.create_link("https://bad.example/offer")["code"]
        sub = self.create_link("https://login.bad.example/")["code"]
        fine = self.create_link("https://fine.example/")["code"]
        for code in (bad, sub, fine):
            self.assertEqual(self.visit(code)[0], 302)   # now cached by the worker that served it
        line = self.reload("evil.example\nbad.example\n")
        self.assertIn("2 hosts", line)
        for code in (bad, sub):
            with self.subTest(code=code):
                # Disabled in the store and forgotten by the caches before the reload was logged.
                self.assertProblem(self.visit(code), 410, "gone")
                self.assertIs(self.get_link(code)["disabled"], True)
        self.assertEqual(self.visit(fine)[0], 302)
        self.assertBlocked("https://bad.example/new")

    def test_a_disabled_link_cannot_be_enabled_while_its_host_is_blocked(self):
        code = self.create_link("https://blocked-later.example/")["code"]
        self.reload("evil.example\nblocked-later.example\n")
        response = self.request("PATCH", f"/api/v1/links/{code}", {"disabled": False})
        self.assertProblem(response, 400, "blocked_url")
        status, _, link = self.json("PATCH", f"/api/v1/links/{code}",
                                    {"disabled": False, "url": "https://moved.example/"})
        self.assertEqual(status, 200, link)
        self.assertEqual(self.visit(code)[1]["location"], "https://moved.example/")

    def test_a_list_that_does_not_parse_is_not_loaded_and_the_old_one_stays(self):
        self.reload("evil.example\n")
        line = self.reload("evil.example\nnew-host.example\nhttps://not a host/\n")
        self.assertIn("not reloaded", line)
        self.assertIn("line 3", line)
        self.assertEqual(self.request("POST", "/api/v1/links", {"url": "https://new-host.example/"})[0], 201)
        self.assertBlocked("https://evil.example/")

    def test_unblocking_a_host_allows_new_links_and_leaves_disabled_ones_disabled(self):
        code = self.create_link("https://temporary.example/")["code"]
        self.reload("evil.example\ntemporary.example\n")
        self.reload("evil.example\n")
        self.assertEqual(self.request("POST", "/api/v1/links", {"url": "https://temporary.example/"})[0], 201)
        self.assertIs(self.get_link(code)["disabled"], True)
        self.assertEqual(self.visit(code)[0], 410)


class BlockListAtStartTest(BlockListTestCase):

    def test_a_restart_with_a_longer_list_disables_links_to_its_hosts(self):
        code = self.create_link("https://later.example/")["code"]
        self.assertEqual(self.visit(code)[0], 302)
        self.server.stop()
        self.write_list("evil.example\nlater.example\n")
        self.server.start()
        self.assertIn("1 links to them are disabled", self.server.output())
        self.assertEqual(self.visit(code)[0], 410)

    def test_a_list_that_does_not_parse_stops_the_server_from_starting(self):
        self.server.stop()
        self.write_list("evil.example\nevil.example/path\n")
        try:
            with self.assertRaises(AssertionError):
                self.server.start()
            self.assertIn("line 2", self.server.output())
        finally:
            self.write_list("evil.example\n")
            self.server.start()


if __name__ == "__main__":
    main()
