"""`hop create`, `hop stats` and `hop list`: the client commands against a real server over HTTP."""

import os
import subprocess

from hoptest import HopTestCase, hop_binary, main


class ClientCommandsTest(HopTestCase):

    def hop(self, *args, url=None):
        env = dict(os.environ)
        env["HOP_URL"] = url or self.server.base_url
        if self.server.api_key:
            env["HOP_API_KEY"] = self.server.api_key
        result = subprocess.run([hop_binary(), *args], env=env, capture_output=True, text=True,
                                timeout=30)
        return result.returncode, result.stdout, result.stderr

    def test_create_prints_the_short_url_and_the_link_redirects(self):
        code, out, err = self.hop("create", "https://example.com/from-cli", "--alias", "from-cli",
                                  "--tag", "cli", "--redirect-status", "301")
        self.assertEqual(code, 0, err)
        self.assertEqual(out.strip(), f"{self.server.base_url}/from-cli")
        status, headers, _ = self.visit("from-cli")
        self.assertEqual(status, 301)
        self.assertEqual(headers["location"], "https://example.com/from-cli")
        self.assertEqual(self.get_link("from-cli")["tags"], ["cli"])

    def test_stats_prints_every_window(self):
        self.create_link("https://example.com/s", alias="cli-stats")
        for _ in range(3):
            self.visit("cli-stats")
        self.wait_for_stats("cli-stats", lambda s: s["total"] == 3)
        code, out, err = self.hop("stats", "cli-stats")
        self.assertEqual(code, 0, err)
        lines = dict(line.rsplit(None, 1) for line in out.strip().splitlines())
        self.assertEqual(lines, {"last 24h": "3", "last 7d": "3", "last 30d": "3", "total": "3",
                                 "bots": "0"})

    def test_list_filters_by_tag(self):
        self.create_link("https://example.com/l1", alias="cli-list-a", tags=["only-here"])
        self.create_link("https://example.com/l2", alias="cli-list-b")
        code, out, err = self.hop("list", "--tag", "only-here")
        self.assertEqual(code, 0, err)
        rows = [line.split("\t") for line in out.strip().splitlines()]
        self.assertEqual(rows, [[f"{self.server.base_url}/cli-list-a", "0", "https://example.com/l1"]])

    def test_json_flag_prints_the_api_answer(self):
        code, out, err = self.hop("create", "https://example.com/j", "--json")
        self.assertEqual(code, 0, err)
        self.assertIn('"short_url"', out)

    def test_api_errors_print_the_problem_detail_and_exit_1(self):
        code, _, err = self.hop("create", "javascript:alert(1)")
        self.assertEqual(code, 1)
        self.assertIn("invalid_url", err)
        code, _, err = self.hop("stats", "no-such-link")
        self.assertEqual(code, 1)
        self.assertIn("not_found", err)

    def test_unreachable_server_is_a_clear_error(self):
        code, _, err = self.hop("list", url="http://127.0.0.1:1")
        self.assertEqual(code, 1)
        self.assertIn("cannot reach", err)


if __name__ == "__main__":
    main()
