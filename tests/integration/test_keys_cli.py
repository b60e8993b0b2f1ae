"""`hop keys create|list|revoke` (issue 3): admin commands on the store directly, like `hop migrate`."""

import datetime
import re
import subprocess
import tempfile
import unittest

from hoptest import HopServer, hop_binary, main, rfc3339, utc_now

KEY_RE = re.compile(r"^hop_[0-9A-Za-z]{43}$")


class KeysCliTest(unittest.TestCase):

    def setUp(self):
        self.data_dir = tempfile.TemporaryDirectory(prefix="hop-keys-")
        self.addCleanup(self.data_dir.cleanup)

    def hop(self, *args):
        return subprocess.run([hop_binary(), *args, "--data-dir", self.data_dir.name], capture_output=True,
                              text=True, timeout=30)

    def test_create_prints_the_key_alone_on_stdout_once(self):
        done = self.hop("keys", "create", "--name", "ci")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertRegex(done.stdout.strip(), KEY_RE)
        self.assertEqual(done.stdout.count("\n"), 1)
        self.assertIn('created user key "ci"', done.stderr)
        self.assertIn("links:read links:write stats:read", done.stderr)
        listed = self.hop("keys", "list").stdout
        self.assertNotIn(done.stdout.strip(), listed, "hop keeps no key it could list")
        self.assertNotIn(done.stdout.strip()[4:], listed)

    def test_list_shows_role_scopes_expiry_and_state(self):
        expires = rfc3339(utc_now() + datetime.timedelta(days=30))
        self.hop("keys", "create", "--name", "dashboard", "--role", "user", "--scopes", "stats:read,links:read",
                 "--expires", expires)
        self.hop("keys", "create", "--name", "ops", "--role", "admin")
        self.hop("keys", "create", "--name", "old")
        self.assertEqual(self.hop("keys", "revoke", "old").returncode, 0)
        lines = self.hop("keys", "list").stdout.strip().splitlines()
        self.assertEqual(lines[0], "NAME\tROLE\tSCOPES\tCREATED\tEXPIRES\tSTATE")
        rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
        self.assertEqual(rows["dashboard"][1:3], ["user", "links:read stats:read"])
        self.assertEqual(rows["dashboard"][4], expires)
        self.assertEqual(rows["dashboard"][5], "active")
        self.assertEqual(rows["ops"][1], "admin")
        self.assertEqual(rows["ops"][4], "never")
        self.assertTrue(rows["old"][5].startswith("revoked "), rows["old"])

    def test_a_date_alone_means_midnight_utc(self):
        self.hop("keys", "create", "--name", "dated", "--expires", "2099-12-31")
        self.assertIn("\t2099-12-31T00:00:00Z\t", self.hop("keys", "list").stdout)

    def test_mistakes_are_refused_with_a_message(self):
        self.hop("keys", "create", "--name", "taken")
        cases = {
            "duplicate name": ["keys", "create", "--name", "taken"],
            "bad name": ["keys", "create", "--name", "two words"],
            "bad role": ["keys", "create", "--name", "x1", "--role", "root"],
            "bad scope": ["keys", "create", "--name", "x2", "--scopes", "links:delete"],
            "past expiry": ["keys", "create", "--name", "x3", "--expires", "2001-01-01"],
            "bad expiry": ["keys", "create", "--name", "x4", "--expires", "next week"],
            "unknown key": ["keys", "revoke", "nobody"],
        }
        for what, args in cases.items():
            with self.subTest(what):
                done = self.hop(*args)
                self.assertEqual(done.returncode, 1, done.stdout)
                self.assertTrue(done.stderr.startswith("hop: "), done.stderr)
                self.assertEqual(done.stdout, "", "nothing that looks like a key is printed")

    def test_a_created_key_works_against_a_server_on_the_same_store(self):
        key = self.hop("keys", "create", "--name", "client", "--scopes", "links:read").stdout.strip()
        server = HopServer(data_dir=self.data_dir.name)
        try:
            server.start()
            headers = {"Authorization": f"Bearer {key}"}
            self.assertEqual(server.request("GET", "/api/v1/links", headers=headers)[0], 200)
            self.assertEqual(server.request("POST", "/api/v1/links", {"url": "https://example.com/"},
                                            headers=headers)[0], 403)
            server.stop()
        finally:
            server.cleanup()


if __name__ == "__main__":
    main()
